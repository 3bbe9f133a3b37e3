// Installing a plugin from its release archive, served here by a loopback HTTP server.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findInstalledPlugin } from "../../../src/engine/offline/plugins/plugin-location.js";
import { installPlugin, pluginArchiveName, pluginPlatform } from "../../../src/engine/offline/plugins/plugin-install.js";

const { os: OS, arch: ARCH } = pluginPlatform();
const ARCHIVE = pluginArchiveName("demo", "1.2.3", OS, ARCH);

let work: string;
let home: string;
let archive: Buffer;
let server: Server;
let base: string;
const requested: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "plugin-install-"));
  const content = path.join(work, "content");
  mkdirSync(content);
  writeFileSync(path.join(content, "pulumi-resource-demo"), "#!/bin/sh\necho 1234\n", { mode: 0o755 });
  writeFileSync(path.join(content, "LICENSE"), "Apache-2.0\n");
  execFileSync("tar", ["-czf", path.join(work, ARCHIVE), "-C", content, "."]);
  archive = readFileSync(path.join(work, ARCHIVE));
  server = createServer((request, response) => {
    requested.push(request.url ?? "");
    if (request.url === `/releases/${ARCHIVE}`) response.end(archive);
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
  home = mkdtempSync(path.join(work, "home-"));
  requested.length = 0;
});

const checksum = () => createHash("sha256").update(archive).digest("hex");

describe("installPlugin", () => {
  it("installs the archive its checksum vouches for where the CLI would, executable and complete", async () => {
    const plugin = await installPlugin({
      home,
      name: "demo",
      version: "1.2.3",
      downloadUrl: `${base}/releases`,
      checksums: { [`${OS}-${ARCH}`]: checksum() },
    });
    expect(plugin.directory).toBe(path.join(home, "plugins", "resource-demo-v1.2.3"));
    expect(statSync(plugin.executable).mode & 0o111).not.toBe(0);
    expect(existsSync(`${plugin.directory}.partial`)).toBe(false);
    expect(existsSync(path.join(plugin.directory, ARCHIVE))).toBe(false);
    expect(findInstalledPlugin(home, "demo", "1.2.3")).toEqual({ found: true, plugin });
  });

  it("installs nothing when the archive does not match its checksum", async () => {
    const install = installPlugin({
      home,
      name: "demo",
      version: "1.2.3",
      downloadUrl: `${base}/releases`,
      checksums: { [`${OS}-${ARCH}`]: "00".repeat(32) },
    });
    await expect(install).rejects.toThrow(`${base}/releases/${ARCHIVE} has SHA-256 ${checksum()}, not the expected ${"00".repeat(32)}`);
    expect(findInstalledPlugin(home, "demo", "1.2.3").found).toBe(false);
    expect(existsSync(path.join(home, "plugins", "resource-demo-v1.2.3.partial"))).toBe(false);
  });

  it("downloads nothing when no checksum can vouch for the archive, unless told to", async () => {
    await expect(installPlugin({ home, name: "demo", version: "1.2.3", downloadUrl: `${base}/releases` })).rejects.toThrow(
      `no checksum for ${ARCHIVE} to verify it against (the registration has no pluginChecksums for ${OS}-${ARCH})`,
    );
    expect(requested).toEqual([]);
    const plugin = await installPlugin({ home, name: "demo", version: "1.2.3", downloadUrl: `${base}/releases`, allowUnverified: true });
    expect(findInstalledPlugin(home, "demo", "1.2.3")).toEqual({ found: true, plugin });
  });

  it("tries the default sources in order", async () => {
    await installPlugin({
      home,
      name: "demo",
      version: "1.2.3",
      checksums: { [`${OS}-${ARCH}`]: checksum() },
      defaultSources: [`${base}/github`, `${base}/releases`],
    });
    expect(requested).toEqual([`/github/${ARCHIVE}`, `/releases/${ARCHIVE}`]);
  });
});
