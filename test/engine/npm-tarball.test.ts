// Reading an npm package tarball as npm installs it. The archives are made by the system's `tar`,
// not by the code under test; what npm does with each case is pacote's extraction (strip the first
// path segment, skip links and `..`, install a .gitignore as .npmignore unless there is one).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasIntegrity, integrityHex, tarballFiles } from "../../src/engine/npm-tarball.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "npm-tarball-test-"));
let count = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A .tgz of `files` (paths under `root`), in this order, by the system's tar with `extra` arguments. */
function tarball(files: Record<string, string>, { root = "package", extra = [] as string[] } = {}): Buffer {
  const folder = path.join(scratch, `case-${++count}`);
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, root, file)), { recursive: true });
    writeFileSync(path.join(folder, root, file), contents);
  }
  const output = path.join(folder, "out.tgz");
  execFileSync("tar", ["-czf", output, ...extra, "-C", folder, ...Object.keys(files).map((file) => `${root}/${file}`)]);
  return readFileSync(output);
}

function asText(files: Map<string, Buffer>): Record<string, string> {
  return Object.fromEntries([...files].map(([file, contents]) => [file, contents.toString("utf8")]));
}

describe("tarballFiles", () => {
  it("gives each file by its path inside the package, whatever the archive's top folder is called", () => {
    const files = tarballFiles(tarball({ "package.json": "{}", "lib/index.js": "x" }, { root: "node" }));
    expect(asText(files)).toEqual({ "package.json": "{}", "lib/index.js": "x" });
  });

  it("reads long paths from pax headers and from GNU long-name entries", () => {
    const long = `${"folder-name-of-some-length/".repeat(5)}file.js`;
    for (const format of ["pax", "gnu"]) {
      expect(asText(tarballFiles(tarball({ [long]: format }, { extra: [`--format=${format}`] })))).toEqual({ [long]: format });
    }
  });

  it("skips folders and links, which npm does not install", () => {
    const folder = path.join(scratch, `case-${++count}`);
    mkdirSync(path.join(folder, "package", "lib"), { recursive: true });
    writeFileSync(path.join(folder, "package", "lib", "index.js"), "x");
    symlinkSync("/etc/passwd", path.join(folder, "package", "lib", "link.js"));
    execFileSync("tar", ["-czf", path.join(folder, "out.tgz"), "-C", folder, "package"]);
    expect([...tarballFiles(readFileSync(path.join(folder, "out.tgz"))).keys()]).toEqual(["lib/index.js"]);
  });

  it("skips a folder written as an old-style file entry whose name ends in a slash", () => {
    const folder = path.join(scratch, `case-${++count}`);
    mkdirSync(path.join(folder, "package", "lib"), { recursive: true });
    writeFileSync(path.join(folder, "package", "lib", "index.js"), "x");
    const archive = path.join(folder, "out.tar");
    execFileSync("tar", ["-cf", archive, "--no-recursion", "-C", folder, "package/lib/", "package/lib/index.js"]);
    const bytes = readFileSync(archive);
    expect(String.fromCharCode(bytes[156]!)).toBe("5");
    bytes[156] = "0".charCodeAt(0); // as pre-POSIX archives mark a folder
    writeFileSync(archive, bytes);
    execFileSync("gzip", [archive]);
    expect([...tarballFiles(readFileSync(`${archive}.gz`)).keys()]).toEqual(["lib/index.js"]);
  });

  it("skips an entry that climbs out of the package with ..", () => {
    const files = tarballFiles(
      tarball({ "index.js": "x", "escape.js": "y" }, { extra: ["--transform", "s,^package/escape.js,package/../escape.js,"] }),
    );
    expect([...files.keys()]).toEqual(["index.js"]);
  });

  it("installs a .gitignore as .npmignore, but not over a .npmignore already there", () => {
    expect(asText(tarballFiles(tarball({ ".gitignore": "git" })))).toEqual({ ".npmignore": "git" });
    expect(asText(tarballFiles(tarball({ "lib/.npmignore": "npm", "lib/.gitignore": "git" })))).toEqual({ "lib/.npmignore": "npm" });
  });

  it("lets a later entry for the same path replace an earlier one, as extraction does", () => {
    const folder = path.join(scratch, `case-${++count}`);
    mkdirSync(path.join(folder, "package"), { recursive: true });
    const archive = path.join(folder, "out.tar");
    writeFileSync(path.join(folder, "package", "index.js"), "first");
    execFileSync("tar", ["-cf", archive, "-C", folder, "package/index.js"]);
    writeFileSync(path.join(folder, "package", "index.js"), "second");
    execFileSync("tar", ["-rf", archive, "-C", folder, "package/index.js"]);
    execFileSync("gzip", [archive]);
    expect(asText(tarballFiles(readFileSync(`${archive}.gz`)))).toEqual({ "index.js": "second" });
  });
});

describe("hasIntegrity", () => {
  const contents = tarball({ "index.js": "x" });
  const sha512 = `sha512-${createHash("sha512").update(contents).digest("base64")}`;
  const sha1 = `sha1-${createHash("sha1").update(contents).digest("base64")}`;

  it("holds for the tarball's sha512, alone or among other hashes", () => {
    expect(hasIntegrity(contents, sha512)).toBe(true);
    expect(hasIntegrity(contents, `${sha1} ${sha512}`)).toBe(true);
    expect(integrityHex(sha512)).toBe(createHash("sha512").update(contents).digest("hex"));
  });

  it("fails for another tarball, and for a sha1 alone, which is no proof", () => {
    expect(hasIntegrity(Buffer.concat([contents, Buffer.from([0])]), sha512)).toBe(false);
    expect(hasIntegrity(contents, sha1)).toBe(false);
  });
});
