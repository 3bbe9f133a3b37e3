// What npm extracts from a package tarball, read without extracting it: the files npm writes into
// the package's folder, path by path. npm (pacote) drops the tarball's first path segment
// (`package/`), skips links and entries that climb out with `..`, writes regular files only, and
// installs a `.gitignore` as `.npmignore` unless the folder has one already (as `npm pack` treats
// it); this reader does the same, so that an installed package can be compared with its tarball.

import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";

const BLOCK = 512;

/** Does `tarball` have this lockfile integrity (`sha512-<base64>`, or several separated by spaces)? */
export function hasIntegrity(tarball: Buffer, integrity: string): boolean {
  const sha512 = integrity
    .split(/\s+/)
    .filter((hash) => hash.startsWith("sha512-"))
    .map((hash) => hash.slice("sha512-".length).replace(/\?.*$/, ""));
  // Only sha512 counts: the weaker sha1 of old lockfiles is no proof against a chosen tarball.
  if (sha512.length === 0) return false;
  const actual = createHash("sha512").update(tarball).digest("base64");
  return sha512.includes(actual);
}

/** The hex digest behind a `sha512-<base64>` integrity: a file name for its tarball. */
export function integrityHex(integrity: string): string {
  const sha512 = integrity.split(/\s+/).find((hash) => hash.startsWith("sha512-"));
  if (!sha512) throw new Error(`integrity ${JSON.stringify(integrity)} has no sha512 digest`);
  return Buffer.from(sha512.slice("sha512-".length), "base64").toString("hex");
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number): number {
  // Base-256 sizes (high bit set) are for files over 8 GB: no npm package has one.
  if ((block[start] ?? 0) & 0x80) throw new Error("tar entry too large");
  const digits = text(block, start, length).trim();
  return digits === "" ? 0 : parseInt(digits, 8);
}

/** The `path` of a pax extended header (`<length> <key>=<value>\n` records). */
function paxPath(records: Buffer): string | undefined {
  let found: string | undefined;
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(0x20, offset);
    if (space === -1) break;
    const length = parseInt(records.subarray(offset, space).toString("utf8"), 10);
    if (!Number.isInteger(length) || length <= 0) break;
    const record = records.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals !== -1 && record.slice(0, equals) === "path") found = record.slice(equals + 1);
    offset += length;
  }
  return found;
}

/** The package-relative path npm writes an entry to, or undefined when npm skips it. */
function installedPath(entryPath: string): string | undefined {
  const parts = entryPath
    .split("/")
    .slice(1)
    .filter((part) => part !== "" && part !== ".");
  if (parts.length === 0 || parts.includes("..")) return undefined;
  return parts.join("/");
}

/**
 * The regular files of a gzipped npm package tarball, by the path npm installs them to inside the
 * package folder (`/`-separated). A later entry for the same path replaces an earlier one, as it
 * does on extraction. The buffers are views into one decompressed copy of the tarball.
 */
export function tarballFiles(tarball: Buffer): Map<string, Buffer> {
  const archive = gunzipSync(tarball);
  const files = new Map<string, Buffer>();
  const npmignores = new Set<string>();
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length !== size) throw new Error("truncated tar entry");
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;

    if (type === "x") {
      longName = paxPath(body) ?? longName;
      continue;
    }
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    if (type === "g") continue;
    const prefix = text(header, 257, 6) === "ustar" ? text(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    // Old archives mark a directory with a trailing slash on a file entry.
    if ((type !== "0" && type !== "\0" && type !== "7") || name.endsWith("/")) continue;
    let target = installedPath(name);
    if (target === undefined) continue;
    if (/(^|\/)\.npmignore$/.test(target)) npmignores.add(target);
    else if (/(^|\/)\.gitignore$/.test(target)) {
      target = target.replace(/\.gitignore$/, ".npmignore");
      if (npmignores.has(target)) continue;
    }
    files.set(target, body);
  }
  return files;
}
