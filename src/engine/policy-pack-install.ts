// The bundled policy pack's dependencies on a fresh runner, and the check that the pack that runs
// is the one the gate ships. The Pulumi CLI starts a Node.js pack by resolving
// `@pulumi/pulumi/cmd/run-policy-pack` from inside the pack's folder, so the pack needs
// @pulumi/pulumi and @pulumi/policy next to it; the action ships the pack without node_modules.
// The first run on a runner copies the pack into a cache folder named after its version and a
// hash of its lockfile and files, installs the locked dependencies there (npm ci) and keeps their
// tarballs beside it; later runs reuse that folder. The Pulumi program under check can write to
// that folder, so every run verifies it first (policy-pack-verify.ts) and reinstalls it when it
// differs: a tampered pack never runs.

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { GateError } from "../gate/errors.js";
import { bundledPackDir, packageRoot } from "./bundled-pack.js";
import { hasIntegrity, integrityHex } from "./npm-tarball.js";
import {
  foreignModuleFolders,
  PACK_FOLDER,
  packFileList,
  packFilesOf,
  TARBALL_FOLDER,
  verifyCacheFolder,
  verifyPackFiles,
  type PackFiles,
} from "./policy-pack-verify.js";
import { tail } from "./pulumi/command-failure.js";

// The bundled pack's files and their sha256, built into the bundle by scripts/build.mjs (esbuild
// `define`). Run from source (tests, tsx) it does not exist: the files are then hashed from the
// action's own copy, which is as trusted as the code doing the check (see expectedPackFiles).
declare const BUNDLED_POLICY_PACK_FILES: string | undefined;

/** The tarball npm installed with this integrity, or undefined when it has none. */
export type TarballReader = (integrity: string) => Buffer | undefined;

/**
 * Installs the dependencies of the package in `directory` (production only, from its lockfile,
 * no install scripts, no bin links) and says where to read the tarballs it installed from.
 */
export type DependencyInstaller = (directory: string) => Promise<TarballReader>;

const NPM_TIMEOUT_MS = 10 * 60_000;
export const PACK_CACHE_FOLDER = "pulumi-policy-gate-pack";

function runNpm(directory: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const windows = process.platform === "win32";
    execFile(
      windows ? "npm.cmd" : "npm",
      args,
      {
        cwd: directory,
        timeout: NPM_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        shell: windows,
        env: { ...process.env, npm_config_update_notifier: "false" },
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `npm ${args[0] ?? ""} failed (${error.code ?? error.signal ?? "no exit code"}): ${tail(String(stderr), 15, 3000) || error.message}`,
            ),
          );
        else resolve(String(stdout));
      },
    );
  });
}

/**
 * `npm ci --omit=dev --ignore-scripts --no-bin-links` in `directory`; the tarballs are read from
 * npm's own cache (cacache, where content is stored under its sha512), which npm filled or
 * checked while installing.
 */
export const npmCi: DependencyInstaller = async (directory) => {
  await runNpm(directory, ["ci", "--omit=dev", "--ignore-scripts", "--no-bin-links", "--no-audit", "--no-fund"]);
  const cache = (await runNpm(directory, ["config", "get", "cache"])).trim();
  return (integrity) => {
    const hex = integrityHex(integrity);
    const file = path.join(cache, "_cacache", "content-v2", "sha512", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    return existsSync(file) ? readFileSync(file) : undefined;
  };
};

/** Can the CLI start this pack: does `@pulumi/pulumi/cmd/run-policy-pack` resolve from its folder? */
export function resolvesPolicyPackRunner(packDir: string): boolean {
  return policyPackRunner(packDir) !== undefined;
}

function policyPackRunner(packDir: string): string | undefined {
  try {
    return createRequire(path.join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  } catch {
    return undefined;
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/**
 * Does the pack start where it is, from the gate's own dependencies (a checkout of this
 * repository, or the pack's own node_modules)? Resolving is not enough: Node.js also looks in every
 * ancestor's node_modules and in ~/.node_modules, where the program can plant an SDK of its own.
 */
function runsInPlace(packDir: string): boolean {
  const runner = policyPackRunner(packDir);
  if (runner === undefined) return false;
  const own = [path.join(packageRoot(), "node_modules"), path.join(packDir, "node_modules")].filter((folder) => existsSync(folder));
  return own.some((folder) => isInside(runner, realpathSync(folder)));
}

/**
 * The cache folder's name: the pack's version, then a hash of its lockfile and of its files. The
 * files count too, not only the lockfile: a rebuilt pack of the same version must not run the
 * policies of an earlier build that a runner happens to have cached.
 */
export function packCacheKey(packDir: string): string {
  let version: string;
  try {
    const declared = (JSON.parse(readFileSync(path.join(packDir, "package.json"), "utf8")) as { version?: unknown }).version;
    version = typeof declared === "string" || typeof declared === "number" ? String(declared) : "0.0.0";
  } catch (error) {
    throw new GateError("policy-pack-failed", `the policy pack in ${packDir} has no readable package.json (${(error as Error).message})`);
  }
  if (!existsSync(path.join(packDir, "package-lock.json"))) {
    throw new GateError(
      "policy-pack-failed",
      `the policy pack in ${packDir} has no package-lock.json, so its dependencies cannot be installed reproducibly`,
    );
  }
  const hash = createHash("sha256");
  hash.update(readFileSync(path.join(packDir, "package-lock.json")));
  for (const file of packFileList(packDir)) {
    hash.update(`\0${file.split(path.sep).join("/")}\0`);
    hash.update(readFileSync(path.join(packDir, file)));
  }
  return `${version.replace(/[^A-Za-z0-9._-]/g, "_")}-${hash.digest("hex").slice(0, 16)}`;
}

/**
 * What the pack's files must be. For the bundled pack of a built gate: the hashes built into the
 * bundle. Otherwise (run from source, or another pack): the hashes of `packDir` as it is now. That
 * is sound for the bundled pack because its folder is the action's own: the runner deletes and
 * downloads every action again at the start of each job, so a program of an earlier job cannot
 * have changed it, and a program earlier in the same job could as well have changed the code that
 * checks it. The cache folder is different: it outlives the job.
 */
export function expectedPackFiles(packDir: string): PackFiles {
  const source = path.resolve(packDir);
  if (typeof BUNDLED_POLICY_PACK_FILES !== "undefined" && source === bundledPackDir()) {
    return JSON.parse(BUNDLED_POLICY_PACK_FILES) as PackFiles;
  }
  return packFilesOf(source);
}

export interface PreparePolicyPackOptions {
  readonly install?: DependencyInstaller;
  /** What the pack's files must be; by default `expectedPackFiles(packDir)`. */
  readonly expectedFiles?: PackFiles;
  /** Where a repaired cache folder is reported; by default stderr. */
  readonly log?: (message: string) => void;
}

function failed(message: string): GateError {
  return new GateError("policy-pack-failed", message);
}

/**
 * The folder to pass to `--policy-pack` for `packDir`: `packDir` itself when the CLI can start it
 * there from the gate's own dependencies, else the `pack` folder of a verified cache folder with its
 * dependencies installed (installed once, verified on every call, reinstalled when it differs).
 */
export async function preparePolicyPack(packDir: string, cacheRoot: string, options: PreparePolicyPackOptions = {}): Promise<string> {
  const { install = npmCi, log = (message: string) => void process.stderr.write(`${message}\n`) } = options;
  const source = path.resolve(packDir);
  const expected = options.expectedFiles ?? expectedPackFiles(source);
  // A copy of a changed pack could never pass: fail before installing anything.
  const sourceProblem = verifyPackFiles(source, expected);
  if (sourceProblem) throw failed(`the policy pack in ${source} is not the one the gate was built with: ${sourceProblem}`);
  if (runsInPlace(source)) return source;

  const folder = path.join(path.resolve(cacheRoot), PACK_CACHE_FOLDER, packCacheKey(source));
  const foreign = foreignModuleFolders(folder);
  if (foreign.length > 0) {
    throw failed(
      `Node.js would load modules the policy pack lacks from ${foreign.join(", ")}, outside the pack and not verified: remove ${foreign.length === 1 ? "it" : "them"}`,
    );
  }
  if (existsSync(folder)) {
    const problem = verifyCacheFolder(folder, expected);
    if (problem === undefined) return path.join(folder, PACK_FOLDER);
    log(
      `The cached policy pack ${path.join(folder, PACK_FOLDER)} is not the one the gate ships: ${problem}. Deleting ${folder} and installing the pack again.`,
    );
    rmSync(folder, { recursive: true, force: true });
  }

  // Installed in a folder of its own and renamed into place: a cache folder is always complete,
  // also when two jobs on one runner prepare the pack at once.
  const staging = `${folder}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    const pack = path.join(staging, PACK_FOLDER);
    for (const file of packFileList(source)) cpSync(path.join(source, file), path.join(pack, file));
    try {
      keepTarballs(pack, await install(pack), path.join(staging, TARBALL_FOLDER));
    } catch (error) {
      throw failed(`could not install the dependencies of the policy pack ${source} in ${pack}: ${(error as Error).message}`);
    }
    const problem = verifyCacheFolder(staging, expected);
    if (problem) throw failed(`the policy pack ${source}, freshly installed in ${pack}, is not the one the gate ships: ${problem}`);
    if (!resolvesPolicyPackRunner(pack)) {
      throw failed(
        `after installing the dependencies of the policy pack ${source} in ${pack}, @pulumi/pulumi/cmd/run-policy-pack still does not resolve there`,
      );
    }
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another job renamed its copy into place first: use that one, once verified.
      if (!existsSync(folder) || verifyCacheFolder(folder, expected) !== undefined) throw error;
    }
    return path.join(folder, PACK_FOLDER);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Copies the tarball of every installed locked package into `tarballDir`, as `<sha512 hex>.tgz`. */
function keepTarballs(packDir: string, tarballs: TarballReader, tarballDir: string): void {
  mkdirSync(tarballDir, { recursive: true });
  const lock = JSON.parse(readFileSync(path.join(packDir, "package-lock.json"), "utf8")) as {
    packages?: Record<string, { integrity?: string; inBundle?: boolean }>;
  };
  for (const [key, locked] of Object.entries(lock.packages ?? {})) {
    if (key === "" || locked.inBundle || !locked.integrity || !existsSync(path.join(packDir, key))) continue;
    const tarball = tarballs(locked.integrity);
    if (tarball === undefined) throw new Error(`npm left no tarball for ${key} (${locked.integrity})`);
    if (!hasIntegrity(tarball, locked.integrity)) throw new Error(`the tarball npm installed ${key} from does not match its integrity`);
    writeFileSync(path.join(tarballDir, `${integrityHex(locked.integrity)}.tgz`), tarball);
  }
}

/** A policy pack directory is one with a PulumiPolicy.yaml: refused otherwise, the same way by every engine. */
export function checkPolicyPackDir(packDir: string): void {
  if (!existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
    throw new GateError("config-error", `${packDir}: no PulumiPolicy.yaml there; expected the directory of a policy pack`, {
      subject: "policy-pack",
    });
  }
}
