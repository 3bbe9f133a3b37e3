// The offline engine on a program with an awsx ApplicationLoadBalancer whose plugin is not
// installed: it gets the plugin as the action does (input plugin-download), from a loopback
// "release" that serves the plugin's archive and the checksums file in the form Pulumi's release
// workflow writes it (`shasum ./*.tar.gz` > pulumi-awsx_<version>_checksums.txt). The plugin in
// the archive is the real component provider of test/plugins/awsx; a tampered archive's plugin
// leaves a marker file if it is ever run.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bundledPackDir } from "../../../src/engine/bundled-pack.js";
import type { PluginDownload } from "../../../src/engine/engine.js";
import { runOfflineCheck } from "../../../src/engine/offline/offline-engine.js";
import { PLUGIN_CACHE_FOLDER, pluginArchiveName, pluginPlatform } from "../../../src/engine/offline/plugins/plugin-install.js";
import { publishedChecksumsName } from "../../../src/engine/offline/plugins/published-checksums.js";
import { installScriptPlugin, installTestPlugin } from "../../plugins/install-test-plugin.js";
import { FIXTURES_DIR, gateErrorOf } from "./offline-check.js";

const PROGRAM = path.join(FIXTURES_DIR, "programs", "awsx-alb");
const VERSION = "3.9.0"; // the version of the @pulumi/awsx SDK installed here, which the program registers
const { os: OS, arch: ARCH } = pluginPlatform();
const ARCHIVE = pluginArchiveName("awsx", VERSION, OS, ARCH);
const LIST = publishedChecksumsName("awsx", VERSION);

let work: string;
let marker: string;
let released: Buffer;
let tampered: Buffer;
let server: Server;
let releaseUrl: string;
const served = new Map<string, Buffer>();
const logged: string[] = [];
let cacheDir: string;
let tempDir: string;
const savedPulumiHome = process.env.PULUMI_HOME;

/** The plugin's release archive, as Pulumi's Makefile packs it: the plugin folder's files at the top. */
function archiveOf(home: string): Buffer {
  const file = path.join(home, ARCHIVE);
  execFileSync("tar", ["-czf", file, "-C", path.join(home, "plugins", `resource-awsx-v${VERSION}`), "."]);
  return readFileSync(file);
}

const sha1 = (body: Buffer) => createHash("sha1").update(body).digest("hex");
const shasumLine = (body: Buffer) => `${sha1(body)}  ./${ARCHIVE}\n`;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "plugin-download-"));
  marker = path.join(work, "tampered-plugin-ran");
  const releasedHome = path.join(work, "released");
  installTestPlugin(releasedHome, "awsx", VERSION);
  released = archiveOf(releasedHome);
  const tamperedHome = path.join(work, "tampered");
  installScriptPlugin(tamperedHome, "awsx", VERSION, `touch '${marker}'\nexit 1`);
  tampered = archiveOf(tamperedHome);
  server = createServer((request, response) => {
    const body = served.get(request.url ?? "");
    if (body) response.end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  releaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v${VERSION}`;
  // No plugin installed where the CLI keeps them.
  process.env.PULUMI_HOME = mkdtempSync(path.join(work, "pulumi-home-"));
});

afterAll(async () => {
  if (savedPulumiHome === undefined) delete process.env.PULUMI_HOME;
  else process.env.PULUMI_HOME = savedPulumiHome;
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  served.clear();
  served.set(`/v${VERSION}/${ARCHIVE}`, released);
  served.set(`/v${VERSION}/${LIST}`, Buffer.from(shasumLine(released)));
  logged.length = 0;
  cacheDir = mkdtempSync(path.join(work, "tool-cache-"));
  tempDir = mkdtempSync(path.join(work, "runner-temp-"));
});

function download(mode: PluginDownload["mode"] = "verified"): PluginDownload {
  return {
    mode,
    cacheDir,
    tempDir,
    setting: `input plugin-download "${mode}"`,
    log: { info: (text) => logged.push(`info: ${text}`), warning: (text) => logged.push(`warning: ${text}`) },
    sources: (name, version) => {
      expect([name, version]).toEqual(["awsx", VERSION]);
      return [releaseUrl];
    },
  };
}

function check(pluginDownload: PluginDownload | undefined) {
  return runOfflineCheck({ programDir: PROGRAM, stack: "dev", packDirs: [bundledPackDir()], pluginDownload });
}

/** The violations of a report as "policy resource-name" lines, sorted. */
function fired(report: { violations: readonly { policy: string; urn: string }[] }): string[] {
  return report.violations.map((violation) => `${violation.policy} ${violation.urn.slice(violation.urn.lastIndexOf("::") + 2)}`).sort();
}

const ALB_VIOLATIONS = ["alb-http-redirects-to-https inference-0", "lb-tls-1-2-minimum inference-1", "target-group-health-check inference"];
const COMPONENT = "the component 'inference' (awsx:lb:ApplicationLoadBalancer) is a remote component of package awsx v3.9.0";

describe("a remote component whose plugin is not installed, with plugin downloads", () => {
  it("verified: the plugin is downloaded, verified against the release's checksums, and builds the ALB, whose violations are found", async () => {
    const { report } = await check(download());
    expect(fired(report)).toEqual(ALB_VIOLATIONS);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(
      `info: Downloaded the awsx plugin v3.9.0 from ${releaseUrl}/${ARCHIVE} and verified it: its SHA-1 ${sha1(released)} is the one ${releaseUrl}/${LIST} publishes`,
    );
    expect(readFileSync(path.join(cacheDir, PLUGIN_CACHE_FOLDER, ARCHIVE))).toEqual(released);
    // The run's unpacked plugin went with the run.
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("a wrong checksum: an error naming the component, package, version, URL and digests; nothing run, nothing kept", async () => {
    served.set(`/v${VERSION}/${ARCHIVE}`, tampered);
    const error = await gateErrorOf(check(download()));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(`${COMPONENT}, built by the awsx provider plugin, which is not installed, and getting it failed:`);
    expect(error.message).toContain(
      `${releaseUrl}/${ARCHIVE} has SHA-1 ${sha1(tampered)}, but ${releaseUrl}/${LIST} publishes ${sha1(released)} for ${ARCHIVE}: it is not the archive that was released, so nothing was installed or run`,
    );
    expect(error.message).toContain('install it in a step before the gate with "pulumi plugin install resource awsx 3.9.0"');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(cacheDir, PLUGIN_CACHE_FOLDER, ARCHIVE))).toBe(false);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("no checksums file: an error, unless the mode is unverified", async () => {
    served.delete(`/v${VERSION}/${LIST}`);
    const error = await gateErrorOf(check(download()));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      `no published checksum vouches for ${ARCHIVE} (${releaseUrl}/${LIST}: HTTP 404), and input plugin-download "verified" installs only an archive that matches the checksums its release publishes`,
    );
    expect(error.message).toContain(COMPONENT);

    const { report } = await check(download("unverified"));
    expect(fired(report)).toEqual(ALB_VIOLATIONS);
    expect(logged.at(-1)).toContain(`warning: Downloaded the awsx plugin v3.9.0 from ${releaseUrl}/${ARCHIVE} WITHOUT verifying it`);
    expect(existsSync(path.join(cacheDir, PLUGIN_CACHE_FOLDER, ARCHIVE))).toBe(false);
  });

  it("a cached plugin tampered with between runs is not run: the next run verifies it, deletes it and downloads it again", async () => {
    await check(download());
    const cached = path.join(cacheDir, PLUGIN_CACHE_FOLDER, ARCHIVE);
    writeFileSync(cached, tampered);
    logged.length = 0;
    const { report } = await check(download());
    expect(fired(report)).toEqual(ALB_VIOLATIONS);
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(cached)).toEqual(released);
    expect(logged[0]).toContain(`warning: The cached plugin archive ${cached} has SHA-1 ${sha1(tampered)}, not the ${sha1(released)}`);
    expect(logged[1]).toContain(`info: Downloaded the awsx plugin v3.9.0 from ${releaseUrl}/${ARCHIVE} and verified it`);
  });

  it("never: the named error of a plugin that is not installed, and nothing downloaded", async () => {
    const error = await gateErrorOf(check(undefined));
    expect(error.message).toContain(
      `${COMPONENT}, built by the awsx provider plugin, which is not installed (no ${path.join(process.env.PULUMI_HOME ?? "", "plugins", `resource-awsx-v${VERSION}`)}): install it with "pulumi plugin install resource awsx 3.9.0", or run the gate with engine "pulumi"`,
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
