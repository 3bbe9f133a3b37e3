// Getting a remote component's provider plugin that is not installed, as `pulumi plugin install`
// would, for runners that have no Pulumi CLI to do it: the release archive for the platform
// (`pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`), from the package's GitHub release
// (`pulumi/pulumi-<name>`, as the CLI tries first for Pulumi's own packages) and then
// get.pulumi.com. Never from a registration's pluginDownloadURL: the program under check chose
// it, and a downloaded plugin runs outside the program's sandbox (such a plugin is installed in
// an earlier step, or the check is an error).
//
// Verified before use: against the checksums file the release publishes beside the archive
// (published-checksums.ts), fetched from the same place; the registration's pluginChecksums, the
// program's own word, must hold as well but never vouch on their own. An archive no published
// checksum vouches for is refused unless the mode is "unverified"; an archive that differs from
// its checksum is refused always.
//
// The program under check may run as the same user as the gate and can then write anywhere the
// gate can, so nothing on disk is trusted from one run to the next. A verified archive is kept in
// the gate's cache folder to save the download, but every run fetches the checksums again (a few
// hundred bytes), verifies the archive's bytes in memory against them and unpacks those same bytes
// into a folder of this run: an unpacked plugin is never reused, and a cached archive that differs
// is deleted and downloaded again. Archives nothing vouched for are never kept.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import type { PluginDownload } from "../../engine.js";
import { findInstalledPlugin, type InstalledPlugin } from "./plugin-location.js";
import { algorithmName, digestOf, publishedChecksumsName, publishedDigest, type PublishedDigest } from "./published-checksums.js";

export interface PluginDownloadRequest extends PluginDownload {
  readonly name: string;
  readonly version: string;
  /** The Pulumi home of this run: the plugin is unpacked into its `plugins/` folder. */
  readonly runHome: string;
  /** The registration's pluginDownloadURL: an http(s) base URL the archive's name is appended to. */
  readonly downloadUrl?: string | undefined;
  /** The registration's pluginChecksums: SHA-256 digests by `<os>-<arch>`. */
  readonly checksums?: Readonly<Record<string, Uint8Array | string>>;
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  readonly fetch?: typeof fetch;
}

/** Why a plugin could not be had; the message says what was tried, from where, and what did not match. */
export class PluginDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PluginDownloadError";
  }
}

/** The gate's folder of verified archives, inside the cache folder it is given. */
export const PLUGIN_CACHE_FOLDER = "pulumi-policy-gate-plugins";
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: "linux", darwin: "darwin", win32: "windows" };
const ARCH_NAMES: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** The platform as Pulumi names it in archive names and checksum keys (`linux-amd64`). */
export function pluginPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): { os: string; arch: string } {
  const os = OS_NAMES[platform];
  const cpu = ARCH_NAMES[arch];
  if (!os || !cpu) throw new PluginDownloadError(`Pulumi publishes no plugins for ${platform}/${arch}`);
  return { os, arch: cpu };
}

export function pluginArchiveName(name: string, version: string, os: string, arch: string): string {
  return `pulumi-resource-${name}-v${version}-${os}-${arch}.tar.gz`;
}

export function defaultPluginSources(name: string, version: string): string[] {
  return [`https://github.com/pulumi/pulumi-${name}/releases/download/v${version}`, "https://get.pulumi.com/releases/plugins"];
}

/**
 * The packages whose plugins the gate downloads: the component packages that build the load
 * balancers and API Gateway stages the pack checks. A downloaded plugin runs outside the program's
 * sandbox and builds what the program's registration asks for, so the program must not pick any
 * plugin Pulumi publishes: some components run other tools as they are built (terraform-module
 * runs Terraform on a module the program names). Other packages' plugins are installed by the
 * workflow in an earlier step, or the check is an error naming them.
 */
export const DOWNLOADABLE_PACKAGES: ReadonlyMap<string, string> = new Map([
  // From 2.0 on awsx builds container images as a docker-build resource, which the offline engine
  // records and never builds; awsx 1.0's plugin ran `docker build` itself, during the preview,
  // on a path, Dockerfile and DOCKER_HOST the program chose.
  ["awsx", "2.0.0"],
  ["aws-apigateway", "1.0.0"],
]);

/** Pulumi's package names, as in a type token's first part. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A digest the archive must have, and who published it. */
interface Reference {
  readonly digest: PublishedDigest;
  readonly source: string;
}

type Fetched = { readonly found: true; readonly body: Buffer } | { readonly found: false; readonly why: string };

async function get(url: string, fetchImpl: typeof fetch): Promise<Fetched> {
  try {
    const response = await fetchImpl(url, { redirect: "follow", signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) return { found: false, why: `HTTP ${response.status}` };
    return { found: true, body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return { found: false, why: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

function matches(body: Uint8Array, reference: Reference): { ok: boolean; actual: string } {
  const actual = digestOf(body, reference.digest.algorithm);
  return { ok: actual === reference.digest.hex, actual };
}

/** The cached archive's bytes when they match the reference; a cached archive that differs is deleted. */
function cachedArchive(file: string, reference: Reference, log: PluginDownload["log"]): Buffer | undefined {
  if (!existsSync(file)) return undefined;
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    body = Buffer.alloc(0);
  }
  const { ok, actual } = matches(body, reference);
  if (ok) return body;
  const algorithm = algorithmName(reference.digest.algorithm);
  log.warning(
    `The cached plugin archive ${file} has ${algorithm} ${actual}, not the ${reference.digest.hex} that ${reference.source} publishes: deleting it and downloading the archive again.`,
  );
  rmSync(file, { recursive: true, force: true });
  return undefined;
}

/** Keeps a verified archive for later runs; written aside and renamed, so that the cache holds only whole files. */
function keep(file: string, body: Buffer, log: PluginDownload["log"]): boolean {
  const staging = `${file}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(staging, body);
    renameSync(staging, file);
    return true;
  } catch (error) {
    rmSync(staging, { force: true });
    log.warning(`Could not keep the plugin archive in ${file} for later runs: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Unpacks the archive's bytes (given on tar's input, never read back from a file) into `directory`. */
function unpack(body: Buffer, directory: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // --no-same-owner: files belong to the runner's user, whatever the archive says.
    const tar = spawn("tar", ["-xzf", "-", "--no-same-owner", "-C", directory], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    tar.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    tar.on("error", reject);
    tar.on("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`tar ended with ${code ?? signal ?? "no status"}: ${stderr.trim()}`)),
    );
    tar.stdin.on("error", () => undefined); // tar's exit status says what went wrong
    tar.stdin.end(body);
  });
}

async function unpackPlugin(request: PluginDownloadRequest, archive: string, body: Buffer): Promise<InstalledPlugin> {
  const directory = path.join(request.runHome, "plugins", `resource-${request.name}-v${request.version}`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  try {
    await unpack(body, directory);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw new PluginDownloadError(`could not unpack ${archive}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const installed = findInstalledPlugin(request.runHome, request.name, request.version);
  if (!installed.found) {
    rmSync(directory, { recursive: true, force: true });
    throw new PluginDownloadError(`${archive} holds no executable pulumi-resource-${request.name}`);
  }
  return installed.plugin;
}

function hex(digest: Uint8Array | string): string {
  return typeof digest === "string" ? digest.toLowerCase() : Buffer.from(digest).toString("hex");
}

/**
 * The plugin, unpacked into this run's Pulumi home from a verified archive (see the module's
 * header); a PluginDownloadError when it cannot be had or cannot be verified.
 */
export async function downloadPlugin(request: PluginDownloadRequest): Promise<InstalledPlugin> {
  // The package's name and version come from the program's registration: they become part of
  // URLs and file names, so only the shapes Pulumi gives them pass (no "/", no "..").
  if (!PACKAGE_NAME.test(request.name)) {
    throw new PluginDownloadError(
      `the package name ${JSON.stringify(request.name)} is not one Pulumi publishes plugins under (expected lower-case letters, digits, "-" and "_")`,
    );
  }
  if (!SEMVER.test(request.version)) {
    throw new PluginDownloadError(
      `the plugin version ${JSON.stringify(request.version)} is not a semantic version (expected such as 3.9.0)`,
    );
  }
  const packages = request.packages ?? DOWNLOADABLE_PACKAGES;
  const minimum = packages.get(request.name);
  const install = `install the ${request.name} plugin in an earlier step (pulumi plugin install resource ${request.name} ${request.version})`;
  if (minimum === undefined) {
    throw new PluginDownloadError(
      `the gate downloads only the plugins of ${[...packages.keys()].join(" and ")} (a downloaded plugin runs outside the program's sandbox); ${install}`,
    );
  }
  if (semver.lt(request.version, minimum)) {
    throw new PluginDownloadError(
      `the gate downloads ${request.name} plugins from version ${minimum} on (older ones do more outside the program's sandbox while they build a component); ${install}`,
    );
  }
  const { os, arch } = pluginPlatform(request.platform, request.arch);
  const archive = pluginArchiveName(request.name, request.version, os, arch);
  const trim = (url: string): string => url.replace(/\/+$/, "");
  const bases = (request.sources ?? defaultPluginSources)(request.name, request.version).map(trim);
  for (const base of bases) {
    if (!/^https?:\/\//.test(base)) {
      throw new PluginDownloadError(`the plugin download URL ${base} is not http(s); only those are supported offline`);
    }
  }
  // Everything in a registration is the program's to choose, its pluginDownloadURL and
  // pluginChecksums included, and a downloaded plugin runs outside the program's sandbox: the
  // gate downloads only from Pulumi's own releases and trusts only the checksums they publish.
  if (request.downloadUrl !== undefined && !bases.includes(trim(request.downloadUrl))) {
    throw new PluginDownloadError(
      `the registration asks for it from ${request.downloadUrl} (its pluginDownloadURL), a place the program under check chose; the gate downloads plugins only from Pulumi's own releases (${bases.join(", ")}), because a downloaded plugin runs outside the program's sandbox. Install it in an earlier step (pulumi plugin install resource ${request.name} ${request.version} --server ${request.downloadUrl})`,
    );
  }
  const fetchImpl = request.fetch ?? fetch;
  const registered = request.checksums?.[`${os}-${arch}`];
  /** The registration's own SHA-256, where it gives one, must hold too; it never replaces the published one. */
  const checkRegistered = (body: Buffer, url: string): void => {
    if (registered === undefined) return;
    const actual = digestOf(body, "sha256");
    if (actual !== hex(registered)) {
      throw new PluginDownloadError(
        `${url} has SHA-256 ${actual}, but the registration's pluginChecksums for ${os}-${arch} say ${hex(registered)}: nothing was installed or run`,
      );
    }
  };
  const cacheFile = path.join(request.cacheDir, PLUGIN_CACHE_FOLDER, archive);
  const plugin = `the ${request.name} plugin v${request.version}`;
  const notes: string[] = [];

  for (const base of bases) {
    const archiveUrl = `${base}/${archive}`;
    let reference: Reference | undefined;
    const listUrl = `${base}/${publishedChecksumsName(request.name, request.version)}`;
    const list = await get(listUrl, fetchImpl);
    if (list.found) {
      let digest: PublishedDigest | undefined;
      try {
        digest = publishedDigest(list.body.toString("utf8"), archive);
      } catch (error) {
        throw new PluginDownloadError(`${listUrl} cannot vouch for ${archive}: ${(error as Error).message}`);
      }
      if (digest) reference = { digest, source: listUrl };
      else notes.push(`${listUrl} lists no ${archive}`);
    } else {
      notes.push(`${listUrl}: ${list.why}`);
    }
    if (!reference && request.mode === "verified") continue;

    const cached = reference ? cachedArchive(cacheFile, reference, request.log) : undefined;
    if (cached && reference) {
      checkRegistered(cached, cacheFile);
      const installed = await unpackPlugin(request, archive, cached);
      request.log.info(
        `Using ${plugin} downloaded by an earlier run (${cacheFile}), verified again: its ${algorithmName(reference.digest.algorithm)} ${reference.digest.hex} is the one ${reference.source} publishes. Unpacked for this run in ${installed.directory}.`,
      );
      return installed;
    }
    const fetched = await get(archiveUrl, fetchImpl);
    if (!fetched.found) {
      notes.push(`${archiveUrl}: ${fetched.why}`);
      continue;
    }
    const sha256 = digestOf(fetched.body, "sha256");
    checkRegistered(fetched.body, archiveUrl);
    if (!reference) {
      const installed = await unpackPlugin(request, archive, fetched.body);
      request.log.warning(
        `Downloaded ${plugin} from ${archiveUrl} WITHOUT verifying it (SHA-256 ${sha256}): no published checksum vouches for it (${notes.join("; ")}), and ${request.setting} allows that. Unpacked for this run in ${installed.directory}; not kept for later runs.`,
      );
      return installed;
    }
    const { ok, actual } = matches(fetched.body, reference);
    const algorithm = algorithmName(reference.digest.algorithm);
    if (!ok) {
      throw new PluginDownloadError(
        `${archiveUrl} has ${algorithm} ${actual}, but ${reference.source} publishes ${reference.digest.hex} for ${archive}: it is not the archive that was released, so nothing was installed or run`,
      );
    }
    const kept = keep(cacheFile, fetched.body, request.log);
    const installed = await unpackPlugin(request, archive, fetched.body);
    request.log.info(
      `Downloaded ${plugin} from ${archiveUrl} and verified it: its ${algorithm} ${actual} is the one ${reference.source} publishes (SHA-256 ${sha256}). ${kept ? `Kept in ${cacheFile} for later runs, which verify it again; u` : "U"}npacked for this run in ${installed.directory}.`,
    );
    return installed;
  }
  if (request.mode === "verified") {
    throw new PluginDownloadError(
      `no published checksum vouches for ${archive} (${notes.join("; ")}), and ${request.setting} installs only an archive that matches the checksums its release publishes`,
    );
  }
  throw new PluginDownloadError(`could not download ${archive} (${notes.join("; ")})`);
}
