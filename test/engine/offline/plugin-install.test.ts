// Getting a plugin from its release archive, verified against the checksums its release
// publishes, as a loopback HTTP server serves both (in the form Pulumi's release workflow writes
// them: `shasum ./*.tar.gz`, SHA-1).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  downloadPlugin,
  PLUGIN_CACHE_FOLDER,
  pluginArchiveName,
  pluginPlatform,
  type PluginDownloadRequest,
} from "../../../src/engine/offline/plugins/plugin-install.js";
import { publishedChecksumsName, publishedDigest } from "../../../src/engine/offline/plugins/published-checksums.js";

const { os: OS, arch: ARCH } = pluginPlatform();
const ARCHIVE = pluginArchiveName("demo", "1.2.3", OS, ARCH);
const LIST = publishedChecksumsName("demo", "1.2.3");

let work: string;
let runHome: string;
let cacheDir: string;
let server: Server;
let base: string;
/** What the server serves, by path. */
const served = new Map<string, Buffer>();
const requested: string[] = [];
const logged: string[] = [];

function archiveOf(script: string): Buffer {
  const content = mkdtempSync(path.join(work, "content-"));
  writeFileSync(path.join(content, "pulumi-resource-demo"), script, { mode: 0o755 });
  writeFileSync(path.join(content, "LICENSE"), "Apache-2.0\n");
  const file = path.join(content, "..", `${path.basename(content)}.tar.gz`);
  execFileSync("tar", ["-czf", file, "-C", content, "."]);
  return readFileSync(file);
}

const sha1 = (body: Buffer) => createHash("sha1").update(body).digest("hex");
/** The checksums file as `shasum ./*.tar.gz` writes it in the release's dist folder. */
const shasumList = (entries: Record<string, Buffer>) =>
  Object.entries(entries)
    .map(([name, body]) => `${sha1(body)}  ./${name}\n`)
    .join("");

let archive: Buffer;
let tampered: Buffer;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "plugin-install-"));
  archive = archiveOf("#!/bin/sh\necho released\n");
  tampered = archiveOf("#!/bin/sh\necho tampered\n");
  server = createServer((request, response) => {
    requested.push(request.url ?? "");
    const body = served.get(request.url ?? "");
    if (body) response.end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  runHome = mkdtempSync(path.join(work, "run-"));
  cacheDir = mkdtempSync(path.join(work, "cache-"));
  served.clear();
  served.set(`/releases/${ARCHIVE}`, archive);
  served.set(
    `/releases/${LIST}`,
    Buffer.from(shasumList({ [ARCHIVE]: archive, [pluginArchiveName("demo", "1.2.3", "other", "cpu")]: tampered })),
  );
  requested.length = 0;
  logged.length = 0;
});

function request(overrides: Partial<PluginDownloadRequest> = {}): PluginDownloadRequest {
  return {
    mode: "verified",
    cacheDir,
    tempDir: work,
    setting: 'input plugin-download "verified"',
    log: { info: (text) => logged.push(`info: ${text}`), warning: (text) => logged.push(`warning: ${text}`) },
    sources: () => [`${base}/releases`],
    name: "demo",
    version: "1.2.3",
    packages: new Map([["demo", "1.0.0"]]),
    runHome,
    ...overrides,
  };
}

const pluginDir = () => path.join(runHome, "plugins", "resource-demo-v1.2.3");
const cached = () => path.join(cacheDir, PLUGIN_CACHE_FOLDER, ARCHIVE);
const executableText = (home: string) => readFileSync(path.join(home, "plugins", "resource-demo-v1.2.3", "pulumi-resource-demo"), "utf8");

describe("publishedDigest", () => {
  it("reads shasum's lines (SHA-1, ./ before the name), sha256sum's and goreleaser's (SHA-256), binary-mode *", () => {
    const a = "a".repeat(40);
    const b = "B".repeat(64);
    const c = "c".repeat(128);
    const list = `${a}  ./one.tar.gz\n${b}  two.tar.gz\r\n${c} *./three.tar.gz\nnot a line\n`;
    expect(publishedDigest(list, "one.tar.gz")).toEqual({ algorithm: "sha1", hex: a });
    expect(publishedDigest(list, "two.tar.gz")).toEqual({ algorithm: "sha256", hex: "b".repeat(64) });
    expect(publishedDigest(list, "three.tar.gz")).toEqual({ algorithm: "sha512", hex: c });
    expect(publishedDigest(list, "four.tar.gz")).toBeUndefined();
  });

  it("vouches for nothing when it lists the archive twice with different digests, or with a digest of no known length", () => {
    expect(() => publishedDigest(`${"a".repeat(40)}  x.tar.gz\n${"b".repeat(40)}  x.tar.gz\n`, "x.tar.gz")).toThrow(
      "it lists x.tar.gz twice, with different digests",
    );
    expect(() => publishedDigest(`${"a".repeat(32)}  x.tar.gz\n`, "x.tar.gz")).toThrow("32 hex digits");
  });
});

describe("downloadPlugin", () => {
  it("downloads the archive the release's checksums vouch for, unpacks it for this run and keeps it for later runs", async () => {
    const plugin = await downloadPlugin(request());
    expect(plugin.directory).toBe(pluginDir());
    expect(statSync(plugin.executable).mode & 0o111).not.toBe(0);
    expect(executableText(runHome)).toContain("released");
    expect(readFileSync(cached())).toEqual(archive);
    expect(requested).toEqual([`/releases/${LIST}`, `/releases/${ARCHIVE}`]);
    expect(logged).toEqual([
      `info: Downloaded the demo plugin v1.2.3 from ${base}/releases/${ARCHIVE} and verified it: its SHA-1 ${sha1(archive)} is the one ${base}/releases/${LIST} publishes (SHA-256 ${createHash("sha256").update(archive).digest("hex")}). Kept in ${cached()} for later runs, which verify it again; unpacked for this run in ${pluginDir()}.`,
    ]);
  });

  it("refuses an archive that differs from its published checksum: nothing unpacked, nothing kept", async () => {
    served.set(`/releases/${ARCHIVE}`, tampered);
    await expect(downloadPlugin(request())).rejects.toThrow(
      `${base}/releases/${ARCHIVE} has SHA-1 ${sha1(tampered)}, but ${base}/releases/${LIST} publishes ${sha1(archive)} for ${ARCHIVE}: it is not the archive that was released, so nothing was installed or run`,
    );
    expect(readdirSync(runHome)).toEqual([]);
    expect(existsSync(path.join(cacheDir, PLUGIN_CACHE_FOLDER))).toBe(false);
  });

  it("refuses it also when told to install unverified archives", async () => {
    served.set(`/releases/${ARCHIVE}`, tampered);
    await expect(downloadPlugin(request({ mode: "unverified" }))).rejects.toThrow(`has SHA-1 ${sha1(tampered)}`);
    expect(readdirSync(runHome)).toEqual([]);
  });

  it("without a published checksums file downloads nothing, unless told to install unverified archives (never kept)", async () => {
    served.delete(`/releases/${LIST}`);
    await expect(downloadPlugin(request())).rejects.toThrow(
      `no published checksum vouches for ${ARCHIVE} (${base}/releases/${LIST}: HTTP 404), and input plugin-download "verified" installs only an archive that matches the checksums its release publishes`,
    );
    expect(requested).toEqual([`/releases/${LIST}`]);
    expect(readdirSync(runHome)).toEqual([]);

    const plugin = await downloadPlugin(request({ mode: "unverified", setting: 'input plugin-download "unverified"' }));
    expect(executableText(runHome)).toContain("released");
    expect(plugin.directory).toBe(pluginDir());
    expect(existsSync(cached())).toBe(false);
    expect(logged).toEqual([
      `warning: Downloaded the demo plugin v1.2.3 from ${base}/releases/${ARCHIVE} WITHOUT verifying it (SHA-256 ${createHash("sha256").update(archive).digest("hex")}): no published checksum vouches for it (${base}/releases/${LIST}: HTTP 404), and input plugin-download "unverified" allows that. Unpacked for this run in ${pluginDir()}; not kept for later runs.`,
    ]);
  });

  it("a checksums file that lists no archive for the platform vouches for nothing", async () => {
    served.set(`/releases/${LIST}`, Buffer.from(shasumList({ [pluginArchiveName("demo", "1.2.3", "other", "cpu")]: archive })));
    await expect(downloadPlugin(request())).rejects.toThrow(`(${base}/releases/${LIST} lists no ${ARCHIVE})`);
  });

  it("a later run verifies the kept archive again, and unpacks it afresh into its own folder", async () => {
    await downloadPlugin(request());
    // The first run's unpacked plugin, changed: later runs never see it.
    writeFileSync(path.join(pluginDir(), "pulumi-resource-demo"), "#!/bin/sh\necho changed\n");
    const laterHome = mkdtempSync(path.join(work, "run-"));
    requested.length = 0;
    logged.length = 0;
    const plugin = await downloadPlugin(request({ runHome: laterHome }));
    expect(plugin.directory).toBe(path.join(laterHome, "plugins", "resource-demo-v1.2.3"));
    expect(executableText(laterHome)).toContain("released");
    expect(requested).toEqual([`/releases/${LIST}`]);
    expect(logged[0]).toContain(`info: Using the demo plugin v1.2.3 downloaded by an earlier run (${cached()}), verified again`);
  });

  it("a kept archive that was changed is deleted and downloaded again; its content is never unpacked", async () => {
    await downloadPlugin(request());
    writeFileSync(cached(), tampered);
    const laterHome = mkdtempSync(path.join(work, "run-"));
    requested.length = 0;
    logged.length = 0;
    await downloadPlugin(request({ runHome: laterHome }));
    expect(executableText(laterHome)).toContain("released");
    expect(readFileSync(cached())).toEqual(archive);
    expect(requested).toEqual([`/releases/${LIST}`, `/releases/${ARCHIVE}`]);
    expect(logged[0]).toBe(
      `warning: The cached plugin archive ${cached()} has SHA-1 ${sha1(tampered)}, not the ${sha1(archive)} that ${base}/releases/${LIST} publishes: deleting it and downloading the archive again.`,
    );
  });

  it("a kept archive is not used when this run cannot fetch the checksums to verify it", async () => {
    await downloadPlugin(request());
    served.delete(`/releases/${LIST}`);
    await expect(downloadPlugin(request({ runHome: mkdtempSync(path.join(work, "run-")) }))).rejects.toThrow(
      `no published checksum vouches for ${ARCHIVE}`,
    );
  });

  it("does not take the registration's own pluginChecksums as a voucher: the program chose them", async () => {
    served.delete(`/releases/${LIST}`);
    const digest = createHash("sha256").update(archive).digest();
    await expect(downloadPlugin(request({ checksums: { [`${OS}-${ARCH}`]: digest } }))).rejects.toThrow(
      `no published checksum vouches for ${ARCHIVE}`,
    );
    expect(requested).not.toContain(`/releases/${ARCHIVE}`);
    expect(existsSync(pluginDir())).toBe(false);
  });

  it("still holds an archive its release vouches for to the registration's pluginChecksums", async () => {
    const digest = createHash("sha256").update(archive).digest();
    await downloadPlugin(request({ checksums: { [`${OS}-${ARCH}`]: digest } }));
    expect(executableText(runHome)).toContain("released");
    await expect(
      downloadPlugin(request({ runHome: mkdtempSync(path.join(work, "run-")), checksums: { [`${OS}-${ARCH}`]: "00".repeat(32) } })),
    ).rejects.toThrow(
      `has SHA-256 ${digest.toString("hex")}, but the registration's pluginChecksums for ${OS}-${ARCH} say ${"00".repeat(32)}`,
    );
  });

  it("refuses a pluginDownloadURL of the program's choosing, even one serving a matching checksums file", async () => {
    // The program's own "release": an archive and a checksums file that vouches for it.
    served.set(`/attacker/${ARCHIVE}`, tampered);
    served.set(`/attacker/${LIST}`, Buffer.from(shasumList({ [ARCHIVE]: tampered })));
    await expect(downloadPlugin(request({ downloadUrl: `${base}/attacker` }))).rejects.toThrow(
      `the registration asks for it from ${base}/attacker (its pluginDownloadURL), a place the program under check chose`,
    );
    expect(requested).toEqual([]);
    expect(existsSync(pluginDir())).toBe(false);
    // The same URL as Pulumi's own release is no reason to refuse.
    await downloadPlugin(request({ downloadUrl: `${base}/releases/` }));
    expect(executableText(runHome)).toContain("released");
  });

  it("refuses a package name or version that is not the shape Pulumi gives them, before any request", async () => {
    await expect(downloadPlugin(request({ name: "../../../attacker/evil" }))).rejects.toThrow(
      'the package name "../../../attacker/evil" is not one Pulumi publishes plugins under',
    );
    await expect(downloadPlugin(request({ version: "1.2.3/../../x" }))).rejects.toThrow(
      'the plugin version "1.2.3/../../x" is not a semantic version',
    );
    expect(requested).toEqual([]);
  });

  it("downloads by default only the plugins of awsx and aws-apigateway: the program must not pick any plugin Pulumi publishes to run outside its sandbox", async () => {
    for (const name of ["terraform-module", "command", "demo"]) {
      await expect(downloadPlugin(request({ name, packages: undefined }))).rejects.toThrow(
        `the gate downloads only the plugins of awsx and aws-apigateway (a downloaded plugin runs outside the program's sandbox); install the ${name} plugin in an earlier step`,
      );
    }
    expect(requested).toEqual([]);
    // awsx 1.x built container images itself, outside the sandbox, during the preview: refused.
    await expect(downloadPlugin(request({ name: "awsx", version: "1.0.6", packages: undefined }))).rejects.toThrow(
      "the gate downloads awsx plugins from version 2.0.0 on (older ones do more outside the program's sandbox while they build a component); install the awsx plugin in an earlier step",
    );
    expect(requested).toEqual([]);
    // awsx 2.0.0 passes: what stops it here is that the loopback release has no awsx archive.
    await expect(downloadPlugin(request({ name: "awsx", version: "2.0.0", packages: undefined }))).rejects.toThrow(
      /pulumi-resource-awsx-v2\.0\.0/,
    );
    expect(requested.length).toBeGreaterThan(0);
  });

  it("tries the sources in order, each archive with its own release's checksums", async () => {
    served.set(`/github/${LIST}`, served.get(`/releases/${LIST}`) ?? Buffer.alloc(0));
    await downloadPlugin(request({ sources: () => [`${base}/github`, `${base}/releases`] }));
    expect(requested).toEqual([`/github/${LIST}`, `/github/${ARCHIVE}`, `/releases/${LIST}`, `/releases/${ARCHIVE}`]);
  });

  it("refuses a source that is not http(s)", async () => {
    await expect(downloadPlugin(request({ sources: () => ["file:///tmp"] }))).rejects.toThrow(
      "the plugin download URL file:///tmp is not http(s)",
    );
  });
});
