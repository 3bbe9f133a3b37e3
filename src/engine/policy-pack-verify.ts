// Is a cached copy of the policy pack the one the gate was built with, byte for byte? The cache
// folder outlives the job that filled it, and the Pulumi program under check runs as the same user:
// it can overwrite the pack, its node_modules, or add a module Node.js would load. Every check here
// answers with the first difference found (naming the file or the package), or undefined.
//
// What is trusted: the pack's files as the gate ships them (hashes built into the bundle), and
// through the lockfile among them, the sha512 integrity of every dependency's tarball. The tarballs
// are kept next to the pack and checked against that integrity on every read, so a tampered
// tarball is caught too; the installed files must then equal the tarball's files, no more, no less.

import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasIntegrity, integrityHex, tarballFiles } from "./npm-tarball.js";

/** The pack's own files (node_modules aside): `/`-separated relative path → sha256, hex. */
export type PackFiles = Readonly<Record<string, string>>;

/** The pack itself, passed to `--policy-pack`, inside a cache folder. */
export const PACK_FOLDER = "pack";
/** The dependencies' tarballs, named `<sha512 hex>.tgz`, inside a cache folder. */
export const TARBALL_FOLDER = "tarballs";
/** npm's record of what it installed: data npm reads, never code anything loads. */
const HIDDEN_LOCKFILE = "node_modules/.package-lock.json";

interface LockedPackage {
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly inBundle?: boolean;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly devOptional?: boolean;
  readonly peer?: boolean;
}

function sha256(contents: Buffer): string {
  return createHash("sha256").update(contents).digest("hex");
}

function posix(relative: string): string {
  return relative.split(path.sep).join("/");
}

function kind(stats: Stats): string {
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isDirectory()) return "a folder";
  if (stats.isFile()) return "a file";
  return "a special file";
}

/** The files of the pack in `packDir` (node_modules aside), relative paths with `path.sep`, sorted. */
export function packFileList(packDir: string, relative = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(packDir, relative), { withFileTypes: true })) {
    if (relative === "" && entry.name === "node_modules") continue;
    const name = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...packFileList(packDir, name));
    else if (entry.isFile()) files.push(name);
  }
  return files.sort();
}

/** The sha256 of each of the pack's files, as scripts/build.mjs computes them for the bundle. */
export function packFilesOf(packDir: string): PackFiles {
  const files: Record<string, string> = {};
  for (const file of packFileList(packDir)) files[posix(file)] = sha256(readFileSync(path.join(packDir, file)));
  return files;
}

/** The pack's own files against `expected`: every one there and equal, nothing else beside node_modules. */
export function verifyPackFiles(packDir: string, expected: PackFiles): string | undefined {
  const seen = new Set<string>();
  const walk = (relative: string): string | undefined => {
    for (const name of readdirSync(path.join(packDir, relative)).sort()) {
      const file = relative === "" ? name : `${relative}/${name}`;
      if (file === "node_modules") continue;
      const stats = lstatSync(path.join(packDir, file));
      if (stats.isDirectory()) {
        const problem = walk(file);
        if (problem) return problem;
      } else if (!stats.isFile()) {
        return `${file} is ${kind(stats)}, not a file of the pack`;
      } else if (expected[file] === undefined) {
        return `${file} is not a file of the pack`;
      } else {
        seen.add(file);
        if (sha256(readFileSync(path.join(packDir, file))) !== expected[file]) return `${file} differs from the pack's`;
      }
    }
    return undefined;
  };
  const problem = walk("");
  if (problem) return problem;
  const missing = Object.keys(expected)
    .sort()
    .find((file) => !seen.has(file));
  return missing === undefined ? undefined : `${missing} is missing`;
}

function lockedPackages(packDir: string): [string, LockedPackage][] {
  const lock = JSON.parse(readFileSync(path.join(packDir, "package-lock.json"), "utf8")) as {
    packages?: Record<string, LockedPackage>;
  };
  return Object.entries(lock.packages ?? {}).filter(([key]) => key !== "");
}

/** `node_modules/a/node_modules/@b/c` → `@b/c@1.2.3`: how a package is named in a message. */
function packageName(key: string, locked: LockedPackage): string {
  const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  return locked.version ? `${name}@${locked.version}` : name;
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The pack's node_modules against its lockfile: every locked package that npm installs (packages
 * npm may leave out, optional or dev ones, may be absent as a whole) has exactly the files of its
 * tarball, each equal; the tarball matches the lockfile's integrity; nothing else is in
 * node_modules but npm's hidden lockfile. The lockfile must itself be verified first.
 */
export function verifyDependencies(packDir: string, tarballDir: string): string | undefined {
  const expected = new Map<string, Buffer>();
  const folders = new Set<string>(["node_modules"]);
  for (const [key, locked] of lockedPackages(packDir)) {
    const name = packageName(key, locked);
    if (locked.link) return `${name} is a linked package, which the gate does not install`;
    // A bundled dependency's files come in the tarball of the package that bundles it.
    if (locked.inBundle) continue;
    if (!key.startsWith("node_modules/")) return `${key} in the lockfile is not in node_modules`;
    if (lstatOrUndefined(path.join(packDir, key)) === undefined) {
      if (locked.optional || locked.dev || locked.devOptional || locked.peer) continue;
      return `${key} (${name}) is missing`;
    }
    for (let folder = key; folder !== "."; folder = path.posix.dirname(folder)) folders.add(folder);
    if (!locked.integrity) return `the lockfile has no integrity for ${name}`;
    const tarballPath = path.join(tarballDir, `${integrityHex(locked.integrity)}.tgz`);
    if (!existsSync(tarballPath)) return `the tarball of ${name} is missing`;
    const tarball = readFileSync(tarballPath);
    if (!hasIntegrity(tarball, locked.integrity)) return `the tarball of ${name} does not match the lockfile's integrity`;
    for (const [file, contents] of tarballFiles(tarball)) {
      expected.set(`${key}/${file}`, contents);
      for (let folder = path.posix.dirname(`${key}/${file}`); folder !== "."; folder = path.posix.dirname(folder)) folders.add(folder);
    }
  }

  const seen = new Set<string>();
  const walk = (relative: string): string | undefined => {
    for (const name of readdirSync(path.join(packDir, relative)).sort()) {
      const file = `${relative}/${name}`;
      const stats = lstatSync(path.join(packDir, file));
      if (stats.isDirectory()) {
        if (!folders.has(file)) return `${file} is not part of any locked package`;
        const problem = walk(file);
        if (problem) return problem;
      } else if (!stats.isFile()) {
        return `${file} is ${kind(stats)}, which npm does not install`;
      } else if (file === HIDDEN_LOCKFILE) {
        continue;
      } else {
        const contents = expected.get(file);
        if (contents === undefined) return `${file} is not part of any locked package`;
        seen.add(file);
        if (!contents.equals(readFileSync(path.join(packDir, file)))) return `${file} differs from its package's tarball`;
      }
    }
    return undefined;
  };
  if (lstatOrUndefined(path.join(packDir, "node_modules"))?.isDirectory() !== true) return "node_modules is missing";
  const problem = walk("node_modules");
  if (problem) return problem;
  for (const file of expected.keys()) if (!seen.has(file)) return `${file} is missing`;
  return undefined;
}

/**
 * A cache folder: exactly the pack and its tarballs, the pack's files as expected, its
 * dependencies as locked. Paths in the answer are relative to the pack (`<folder>/pack`).
 */
export function verifyCacheFolder(folder: string, expected: PackFiles): string | undefined {
  try {
    if (!lstatSync(folder).isDirectory()) return "the cache folder is not a folder";
    const entries = readdirSync(folder).sort();
    for (const name of entries) {
      if (name !== PACK_FOLDER && name !== TARBALL_FOLDER) return `the cache folder holds ${name}, which does not belong there`;
      const stats = lstatSync(path.join(folder, name));
      if (!stats.isDirectory()) return `the cache folder's ${name} is ${kind(stats)}, not a folder`;
    }
    for (const name of [PACK_FOLDER, TARBALL_FOLDER]) if (!entries.includes(name)) return `the cache folder has no ${name} folder`;
    const pack = path.join(folder, PACK_FOLDER);
    return verifyPackFiles(pack, expected) ?? verifyDependencies(pack, path.join(folder, TARBALL_FOLDER));
  } catch (error) {
    // A file that vanishes or cannot be read mid-check is a difference too: never a pass.
    return `the cache folder could not be read (${(error as Error).message})`;
  }
}

/**
 * Folders outside a cache folder that Node.js would resolve a module from when the pack requires
 * one it does not have (an optional one, say): every ancestor's node_modules, and Node.js's global
 * folders. None is legitimate for the pack, and any is writable by the program. (The cache folder
 * itself holds nothing but the pack and its tarballs: verifyCacheFolder.)
 */
export function foreignModuleFolders(cacheFolder: string): string[] {
  const found: string[] = [];
  for (let folder = path.dirname(path.resolve(cacheFolder)); ; folder = path.dirname(folder)) {
    if (lstatOrUndefined(path.join(folder, "node_modules"))) found.push(path.join(folder, "node_modules"));
    if (path.dirname(folder) === folder) break;
  }
  // Node.js's global folders: ~/.node_modules, ~/.node_libraries and <prefix>/lib/node (a Node.js
  // from a tool cache has a prefix the program can write to). The pack runs under the `node` the
  // Pulumi CLI finds, most often this one.
  const prefix = path.dirname(path.dirname(process.execPath));
  for (const global of [
    path.join(os.homedir(), ".node_modules"),
    path.join(os.homedir(), ".node_libraries"),
    path.join(prefix, "lib", "node"),
  ]) {
    if (lstatOrUndefined(global)) found.push(global);
  }
  return found;
}
