// The bundled policy pack's dependencies on a fresh runner. The Pulumi CLI starts a Node.js pack
// by resolving `@pulumi/pulumi/cmd/run-policy-pack` from inside the pack's folder, so the pack
// needs @pulumi/pulumi and @pulumi/policy next to it; the action ships the pack without
// node_modules. The first run on a runner copies the pack into a cache folder named after its
// version and a hash of its lockfile and files, and installs the locked dependencies there
// (npm ci); later runs reuse that folder.

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { GateError } from "../gate/errors.js";
import { tail } from "./pulumi/command-failure.js";

/** Installs the dependencies of the package in `directory` (production only, from its lockfile). */
export type DependencyInstaller = (directory: string) => Promise<void>;

const NPM_TIMEOUT_MS = 10 * 60_000;
export const PACK_CACHE_FOLDER = "pulumi-policy-gate-pack";

/** Can the CLI start this pack: does `@pulumi/pulumi/cmd/run-policy-pack` resolve from its folder? */
export function resolvesPolicyPackRunner(packDir: string): boolean {
  try {
    createRequire(path.join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
    return true;
  } catch {
    return false;
  }
}

/** `npm ci --omit=dev --ignore-scripts --no-audit --no-fund` in `directory`. */
export const npmCi: DependencyInstaller = (directory) =>
  new Promise((resolve, reject) => {
    const windows = process.platform === "win32";
    execFile(
      windows ? "npm.cmd" : "npm",
      ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"],
      {
        cwd: directory,
        timeout: NPM_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        shell: windows,
        env: { ...process.env, npm_config_update_notifier: "false" },
      },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `npm ci failed (${error.code ?? error.signal ?? "no exit code"}): ${tail(String(stderr), 15, 3000) || error.message}`,
            ),
          );
        else resolve();
      },
    );
  });

/** The pack's own files (node_modules aside), relative paths sorted, for copying and hashing. */
function packFiles(packDir: string, relative = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(packDir, relative), { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const name = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...packFiles(packDir, name));
    else if (entry.isFile()) files.push(name);
  }
  return files.sort();
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
  for (const file of packFiles(packDir)) {
    hash.update(`\0${file.split(path.sep).join("/")}\0`);
    hash.update(readFileSync(path.join(packDir, file)));
  }
  return `${version.replace(/[^A-Za-z0-9._-]/g, "_")}-${hash.digest("hex").slice(0, 16)}`;
}

/**
 * The folder to pass to `--policy-pack` for `packDir`: `packDir` itself when the CLI can already
 * start it there, else a cached copy with its dependencies installed (installed once, reused).
 */
export async function preparePolicyPack(packDir: string, cacheRoot: string, install: DependencyInstaller = npmCi): Promise<string> {
  const source = path.resolve(packDir);
  if (resolvesPolicyPackRunner(source)) return source;

  const target = path.join(path.resolve(cacheRoot), PACK_CACHE_FOLDER, packCacheKey(source));
  if (existsSync(target)) {
    if (resolvesPolicyPackRunner(target)) return target;
    // A folder that cannot start the pack is of no use to anyone: replace it.
    rmSync(target, { recursive: true, force: true });
  }

  // Installed in a folder of its own and renamed into place: a cache folder is always complete,
  // also when two jobs on one runner prepare the pack at once.
  const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    for (const file of packFiles(source)) cpSync(path.join(source, file), path.join(staging, file));
    try {
      await install(staging);
    } catch (error) {
      throw new GateError(
        "policy-pack-failed",
        `could not install the dependencies of the policy pack ${source} in ${staging}: ${(error as Error).message}`,
      );
    }
    if (!resolvesPolicyPackRunner(staging)) {
      throw new GateError(
        "policy-pack-failed",
        `after installing the dependencies of the policy pack ${source} in ${staging}, @pulumi/pulumi/cmd/run-policy-pack still does not resolve there`,
      );
    }
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another job renamed its copy into place first: use that one.
      if (!resolvesPolicyPackRunner(target)) throw error;
    }
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
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
