// Installing a resource plugin into a Pulumi home the way `pulumi plugin install` lays it out, for
// runners that have no Pulumi CLI to do it: the release archive for the platform
// (`pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`), from the registration's
// pluginDownloadURL or else from the package's GitHub releases (`pulumi/pulumi-<name>`, as the CLI
// tries first for Pulumi's own packages) and then get.pulumi.com. The archive is checked against
// a SHA-256 checksum before anything is extracted; the CLI has checksums only when the
// registration carries them (pluginChecksums, keyed `<os>-<arch>`), and so without one this
// refuses unless told to install unverified archives. While it installs, a `.partial` file beside
// the directory keeps the CLI (and findInstalledPlugin) from using it.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { findInstalledPlugin, type InstalledPlugin } from "./plugin-location.js";

export interface PluginInstallRequest {
  readonly home: string;
  readonly name: string;
  readonly version: string;
  /** The registration's pluginDownloadURL: an http(s) base URL the archive's name is appended to. */
  readonly downloadUrl?: string;
  /** The registration's pluginChecksums: SHA-256 digests by `<os>-<arch>`. */
  readonly checksums?: Readonly<Record<string, Uint8Array | string>>;
  /** Install an archive no checksum vouches for (as the CLI does); off by default. */
  readonly allowUnverified?: boolean;
  /** The base URLs to try, in order, when there is no downloadUrl (tests point this at loopback). */
  readonly defaultSources?: readonly string[];
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  readonly fetch?: typeof fetch;
}

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: "linux", darwin: "darwin", win32: "windows" };
const ARCH_NAMES: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** The platform as Pulumi names it in archive names and checksum keys (`linux-amd64`). */
export function pluginPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): { os: string; arch: string } {
  const os = OS_NAMES[platform];
  const cpu = ARCH_NAMES[arch];
  if (!os || !cpu) throw new Error(`Pulumi publishes no plugins for ${platform}/${arch}`);
  return { os, arch: cpu };
}

export function pluginArchiveName(name: string, version: string, os: string, arch: string): string {
  return `pulumi-resource-${name}-v${version}-${os}-${arch}.tar.gz`;
}

export function defaultPluginSources(name: string, version: string): string[] {
  return [`https://github.com/pulumi/pulumi-${name}/releases/download/v${version}`, "https://get.pulumi.com/releases/plugins"];
}

function hex(digest: Uint8Array | string): string {
  return typeof digest === "string" ? digest.toLowerCase() : Buffer.from(digest).toString("hex");
}

async function download(urls: readonly string[], fetchImpl: typeof fetch): Promise<{ url: string; body: Buffer }> {
  const failures: string[] = [];
  for (const url of urls) {
    try {
      const response = await fetchImpl(url, { redirect: "follow" });
      if (response.ok) return { url, body: Buffer.from(await response.arrayBuffer()) };
      failures.push(`${url}: HTTP ${response.status}`);
    } catch (error) {
      failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`could not download the plugin (${failures.join("; ")})`);
}

/** Downloads, verifies and unpacks the plugin; returns it as findInstalledPlugin finds it. */
export async function installPlugin(request: PluginInstallRequest): Promise<InstalledPlugin> {
  const { os, arch } = pluginPlatform(request.platform, request.arch);
  const archive = pluginArchiveName(request.name, request.version, os, arch);
  const bases = request.downloadUrl
    ? [request.downloadUrl]
    : (request.defaultSources ?? defaultPluginSources(request.name, request.version));
  for (const base of bases) {
    if (!/^https?:\/\//.test(base)) throw new Error(`the plugin download URL ${base} is not http(s); only those are supported offline`);
  }
  const expected = request.checksums?.[`${os}-${arch}`];
  if (expected === undefined && !request.allowUnverified) {
    throw new Error(`no checksum for ${archive} to verify it against (the registration has no pluginChecksums for ${os}-${arch})`);
  }
  const { url, body } = await download(
    bases.map((base) => `${base.replace(/\/+$/, "")}/${archive}`),
    request.fetch ?? fetch,
  );
  const actual = createHash("sha256").update(body).digest("hex");
  if (expected !== undefined && actual !== hex(expected)) {
    throw new Error(`${url} has SHA-256 ${actual}, not the expected ${hex(expected)}`);
  }
  const directory = path.join(request.home, "plugins", `resource-${request.name}-v${request.version}`);
  const partial = `${directory}.partial`;
  mkdirSync(path.dirname(directory), { recursive: true });
  writeFileSync(partial, "");
  try {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory);
    const archivePath = path.join(directory, archive);
    writeFileSync(archivePath, body);
    // --no-same-owner: files belong to the runner's user, whatever the archive says.
    await promisify(execFile)("tar", ["-xzf", archivePath, "--no-same-owner", "-C", directory]);
    rmSync(archivePath);
    rmSync(partial);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    rmSync(partial, { force: true });
    throw new Error(`could not unpack ${archive}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const installed = findInstalledPlugin(request.home, request.name, request.version);
  if (!installed.found) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`${archive} holds no executable pulumi-resource-${request.name}`);
  }
  return installed.plugin;
}
