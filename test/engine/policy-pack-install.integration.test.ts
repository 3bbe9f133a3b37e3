// The bundled policy pack on a runner: copied into a tool-cache folder with its dependencies
// installed, and verified before every use. The Pulumi program under check is hostile and can write
// to that folder; each attack here is what such a program would leave behind for the next run.
//
// Most cases use a stand-in for npm: a copy of the built pack whose lockfile locks two small
// packages made here, as tarballs built by the system's `tar` (not by the code under test), and an
// installer that writes their files as npm does. The last cases run the real `npm ci`.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PolicyPackProcess } from "../../src/engine/offline/analyzer/policy-pack.js";
import { bundledPackDir, packageRoot } from "../../src/engine/bundled-pack.js";
import {
  PACK_CACHE_FOLDER,
  npmCi,
  packCacheKey,
  preparePolicyPack,
  type DependencyInstaller,
  type PreparePolicyPackOptions,
} from "../../src/engine/policy-pack-install.js";
import { packFilesOf } from "../../src/engine/policy-pack-verify.js";
import { GateError } from "../../src/gate/errors.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "policy-pack-install-test-"));
let caseCount = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function gateError(promise: Promise<unknown>): Promise<GateError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
  throw new Error("expected a GateError");
}

/** The stand-in dependencies: package name → its files as published. */
const LONG_NAME = `lib/${"nested-folder-name/".repeat(6)}a-file-whose-path-is-longer-than-a-tar-header-holds.js`;
const PACKAGES: Record<string, Record<string, string>> = {
  "@pulumi/pulumi": {
    "package.json": JSON.stringify({ name: "@pulumi/pulumi", version: "3.248.0" }),
    "cmd/run-policy-pack/index.js": "// starts the pack\n",
    "index.js": "module.exports = {};\n",
    [LONG_NAME]: "// a long path: a pax extended header in the tarball\n",
  },
  "@pulumi/policy": {
    "package.json": JSON.stringify({ name: "@pulumi/policy", version: "1.21.0" }),
    "index.js": "exports.validateResourceOfType = () => () => undefined;\n",
    // npm installs a published .gitignore as .npmignore.
    ".gitignore": "node_modules\n",
    [LONG_NAME]: "// a long path: a GNU long-name entry in the tarball\n",
  },
};
const VERSIONS: Record<string, string> = { "@pulumi/pulumi": "3.248.0", "@pulumi/policy": "1.21.0" };

/** The path npm installs a published file to. */
function installedName(file: string): string {
  return file.replace(/(^|\/)\.gitignore$/, "$1.npmignore");
}

/** Each stand-in package as a .tgz (`package/…`, as the registry serves it), by the system's tar. */
const tarballs = new Map<string, Buffer>();
for (const [name, files] of Object.entries(PACKAGES)) {
  const folder = path.join(scratch, "tarball-source", name);
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, "package", file)), { recursive: true });
    writeFileSync(path.join(folder, "package", file), contents);
  }
  const tgz = path.join(folder, "package.tgz");
  // @pulumi/pulumi as a POSIX (pax) archive, @pulumi/policy as GNU tar's own format.
  execFileSync("tar", [`--format=${name === "@pulumi/pulumi" ? "pax" : "gnu"}`, "-czf", tgz, "-C", folder, "package"]);
  tarballs.set(name, readFileSync(tgz));
}
const integrity = (name: string): string => `sha512-${createHash("sha512").update(tarballs.get(name)!).digest("base64")}`;

/** A copy of the built pack outside the repository, locking the stand-in packages. */
function standInPack(): string {
  const directory = path.join(scratch, `pack-${++caseCount}`);
  cpSync(bundledPackDir(), directory, { recursive: true });
  const lock = JSON.parse(readFileSync(path.join(directory, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const packages: Record<string, unknown> = { "": lock.packages[""] };
  for (const name of Object.keys(PACKAGES)) packages[`node_modules/${name}`] = { version: VERSIONS[name], integrity: integrity(name) };
  writeFileSync(path.join(directory, "package-lock.json"), `${JSON.stringify({ ...lock, packages }, null, 2)}\n`);
  return directory;
}

interface FakeInstaller extends DependencyInstaller {
  readonly calls: string[];
}

/** Installs the stand-in packages as npm would; `tamper` changes what it installs (a bad mirror). */
function fakeInstaller(tamper: (packDir: string) => void = () => undefined): FakeInstaller {
  const calls: string[] = [];
  const install = (directory: string) => {
    calls.push(directory);
    for (const [name, files] of Object.entries(PACKAGES)) {
      for (const [file, contents] of Object.entries(files)) {
        const target = path.join(directory, "node_modules", name, installedName(file));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, contents);
      }
    }
    writeFileSync(path.join(directory, "node_modules", ".package-lock.json"), "{}\n");
    tamper(directory);
    const byIntegrity = new Map([...tarballs.keys()].map((name) => [integrity(name), tarballs.get(name)!]));
    return Promise.resolve((wanted: string) => byIntegrity.get(wanted));
  };
  return Object.assign(install, { calls });
}

interface Prepared {
  readonly pack: string;
  readonly cache: string;
  readonly install: FakeInstaller;
  readonly logged: string[];
  readonly options: PreparePolicyPackOptions;
  /** The folder passed to `--policy-pack`. */
  readonly packFolder: string;
}

/** A stand-in pack installed once into a fresh tool cache. */
async function installedOnce(install = fakeInstaller()): Promise<Prepared> {
  const pack = standInPack();
  const cache = path.join(scratch, `cache-${++caseCount}`);
  const logged: string[] = [];
  const options = { install, log: (message: string) => logged.push(message) };
  const packFolder = await preparePolicyPack(pack, cache, options);
  expect(install.calls).toHaveLength(1);
  return { pack, cache, install, logged, options, packFolder };
}

/** The run after the attack: the folder is verified, the difference logged, the pack installed anew. */
async function expectRepaired(prepared: Prepared, difference: string): Promise<void> {
  expect(await preparePolicyPack(prepared.pack, prepared.cache, prepared.options)).toBe(prepared.packFolder);
  expect(prepared.install.calls).toHaveLength(2);
  expect(prepared.logged).toHaveLength(1);
  expect(prepared.logged[0]).toBe(
    `The cached policy pack ${prepared.packFolder} is not the one the gate ships: ${difference}. Deleting ${path.dirname(prepared.packFolder)} and installing the pack again.`,
  );
  // Repaired: the same files as a fresh install, and the next run uses it as it is.
  for (const file of ["index.js", "package-lock.json"]) {
    expect(readFileSync(path.join(prepared.packFolder, file))).toEqual(readFileSync(path.join(prepared.pack, file)));
  }
  expect(readFileSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy/index.js"), "utf8")).toBe(
    PACKAGES["@pulumi/policy"]!["index.js"],
  );
  expect(await preparePolicyPack(prepared.pack, prepared.cache, prepared.options)).toBe(prepared.packFolder);
  expect(prepared.install.calls).toHaveLength(2);
}

describe("the pack's files built into the gate", () => {
  it("the built action carries the sha256 of each file of the built pack", () => {
    const action = readFileSync(path.join(packageRoot(), "dist", "index.js"), "utf8");
    const built = /JSON\.parse\('(\{"PulumiPolicy\.yaml":[^']*\})'\)/.exec(action);
    expect(built).not.toBeNull();
    expect(JSON.parse(built![1]!)).toEqual(packFilesOf(bundledPackDir()));
  });
});

describe("preparePolicyPack", () => {
  it("a pack whose runner resolves from the gate's own node_modules is used where it is", async () => {
    const install = fakeInstaller();
    expect(await preparePolicyPack(bundledPackDir(), path.join(scratch, "unused-cache"), { install })).toBe(bundledPackDir());
    expect(install.calls).toEqual([]);
    expect(existsSync(path.join(scratch, "unused-cache"))).toBe(false);
  });

  it("a pack used where it is must still have the files the gate was built with", async () => {
    const expectedFiles = { ...packFilesOf(bundledPackDir()), "index.js": "0".repeat(64) };
    const error = await gateError(preparePolicyPack(bundledPackDir(), path.join(scratch, "unused-cache"), { expectedFiles }));
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toBe(
      `the policy pack in ${bundledPackDir()} is not the one the gate was built with: index.js differs from the pack's`,
    );
  });

  it("an SDK planted in a node_modules above the pack does not make it run in place", async () => {
    // Node.js resolves @pulumi/pulumi from any ancestor's node_modules: the program can put one there.
    const planted = path.join(scratch, `planted-${++caseCount}`);
    const sdk = path.join(planted, "node_modules", "@pulumi", "pulumi");
    mkdirSync(path.join(sdk, "cmd", "run-policy-pack"), { recursive: true });
    writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "3.248.0" }));
    writeFileSync(path.join(sdk, "cmd", "run-policy-pack", "index.js"), "// does nothing\n");
    const pack = path.join(planted, "pack");
    cpSync(standInPack(), pack, { recursive: true });
    const install = fakeInstaller();
    const prepared = await preparePolicyPack(pack, path.join(scratch, `cache-${++caseCount}`), { install });
    expect(prepared).not.toBe(pack);
    expect(install.calls).toHaveLength(1);
  });

  it("on a fresh runner the pack is copied into the cache, installed once with its tarballs, then reused", async () => {
    const { pack, cache, install, options, packFolder } = await installedOnce();
    expect(packFolder).toBe(path.join(cache, PACK_CACHE_FOLDER, packCacheKey(pack), "pack"));
    expect(path.basename(path.dirname(packFolder))).toMatch(/^0\.1\.0-[0-9a-f]{16}$/);
    for (const file of ["index.js", "package.json", "package-lock.json", "PulumiPolicy.yaml"]) {
      expect(readFileSync(path.join(packFolder, file))).toEqual(readFileSync(path.join(pack, file)));
    }
    expect(readdirSync(path.join(path.dirname(packFolder), "tarballs")).sort()).toEqual(
      [...tarballs.keys()].map((name) => `${Buffer.from(integrity(name).slice(7), "base64").toString("hex")}.tgz`).sort(),
    );
    expect(await preparePolicyPack(pack, cache, options)).toBe(packFolder);
    expect(install.calls).toHaveLength(1);
  });

  it("another lockfile or another build of the pack gets a folder of its own", async () => {
    const { pack, cache, install, options, packFolder: first } = await installedOnce();
    writeFileSync(path.join(pack, "index.js"), `${readFileSync(path.join(pack, "index.js"), "utf8")}\n// rebuilt\n`);
    const second = await preparePolicyPack(pack, cache, options);
    const lock = JSON.parse(readFileSync(path.join(pack, "package-lock.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(path.join(pack, "package-lock.json"), JSON.stringify({ ...lock, requires: false }));
    const third = await preparePolicyPack(pack, cache, options);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(install.calls).toHaveLength(3);
  });

  describe("a cached pack that a program changed is detected and installed again before it runs", () => {
    it("the pack's compiled entry overwritten", async () => {
      const prepared = await installedOnce();
      writeFileSync(
        path.join(prepared.packFolder, "index.js"),
        "module.exports = new (require('@pulumi/policy').PolicyPack)('x', { policies: [] });\n",
      );
      await expectRepaired(prepared, "index.js differs from the pack's");
    });

    it("a file added beside the pack's files", async () => {
      const prepared = await installedOnce();
      writeFileSync(path.join(prepared.packFolder, "tsconfig.json"), "{}\n");
      await expectRepaired(prepared, "tsconfig.json is not a file of the pack");
    });

    it("a file added to an installed package", async () => {
      const prepared = await installedOnce();
      writeFileSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy/extra.js"), "// loaded by a patched index.js\n");
      await expectRepaired(prepared, "node_modules/@pulumi/policy/extra.js is not part of any locked package");
    });

    it("a package added to node_modules", async () => {
      const prepared = await installedOnce();
      mkdirSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy/node_modules/@pulumi/pulumi"), { recursive: true });
      await expectRepaired(prepared, "node_modules/@pulumi/policy/node_modules is not part of any locked package");
    });

    it("a file of node_modules/@pulumi/policy changed", async () => {
      const prepared = await installedOnce();
      writeFileSync(
        path.join(prepared.packFolder, "node_modules/@pulumi/policy/index.js"),
        "exports.validateResourceOfType = () => () => {};\n",
      );
      await expectRepaired(prepared, "node_modules/@pulumi/policy/index.js differs from its package's tarball");
    });

    it("a file of a package deleted", async () => {
      const prepared = await installedOnce();
      rmSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy", LONG_NAME));
      await expectRepaired(prepared, `node_modules/@pulumi/policy/${LONG_NAME} is missing`);
    });

    it("a whole package deleted", async () => {
      const prepared = await installedOnce();
      rmSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy"), { recursive: true });
      await expectRepaired(prepared, "node_modules/@pulumi/policy (@pulumi/policy@1.21.0) is missing");
    });

    it("a file of the pack deleted", async () => {
      const prepared = await installedOnce();
      rmSync(path.join(prepared.packFolder, "PulumiPolicy.yaml"));
      await expectRepaired(prepared, "PulumiPolicy.yaml is missing");
    });

    it("a file replaced by a symbolic link to a file of the same contents", async () => {
      const prepared = await installedOnce();
      const file = path.join(prepared.packFolder, "node_modules/@pulumi/policy/index.js");
      const elsewhere = path.join(scratch, `elsewhere-${++caseCount}.js`);
      cpSync(file, elsewhere);
      rmSync(file);
      symlinkSync(elsewhere, file);
      await expectRepaired(prepared, "node_modules/@pulumi/policy/index.js is a symbolic link, which npm does not install");
    });

    it("a package and its kept tarball changed together", async () => {
      const prepared = await installedOnce();
      const tarballDir = path.join(path.dirname(prepared.packFolder), "tarballs");
      for (const name of readdirSync(tarballDir)) writeFileSync(path.join(tarballDir, name), Buffer.from("forged"));
      await expectRepaired(prepared, "the tarball of @pulumi/pulumi@3.248.0 does not match the lockfile's integrity");
    });

    it("a node_modules folder added beside the pack, in the cache folder", async () => {
      const prepared = await installedOnce();
      mkdirSync(path.join(path.dirname(prepared.packFolder), "node_modules"));
      await expectRepaired(prepared, "the cache folder holds node_modules, which does not belong there");
    });

    it("a cache folder that is not a pack at all", async () => {
      const pack = standInPack();
      const cache = path.join(scratch, `cache-${++caseCount}`);
      const folder = path.join(cache, PACK_CACHE_FOLDER, packCacheKey(pack));
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, "index.js"), "// the layout of an earlier version, or anything else\n");
      const logged: string[] = [];
      const install = fakeInstaller();
      expect(await preparePolicyPack(pack, cache, { install, log: (message) => logged.push(message) })).toBe(path.join(folder, "pack"));
      expect(install.calls).toHaveLength(1);
      expect(logged[0]).toContain("is not the one the gate ships: the cache folder holds index.js, which does not belong there.");
    });
  });

  it("a fresh install that differs too is a policy-pack-failed GateError naming the file, and is not kept", async () => {
    const prepared = await installedOnce();
    writeFileSync(path.join(prepared.packFolder, "node_modules/@pulumi/policy/index.js"), "// tampered\n");
    const badMirror = fakeInstaller((packDir) =>
      writeFileSync(path.join(packDir, "node_modules/@pulumi/policy/index.js"), "// from a bad mirror\n"),
    );
    const error = await gateError(preparePolicyPack(prepared.pack, prepared.cache, { ...prepared.options, install: badMirror }));
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toMatch(
      /freshly installed in .*, is not the one the gate ships: node_modules\/@pulumi\/policy\/index\.js differs from its package's tarball$/,
    );
    expect(readdirSync(path.join(prepared.cache, PACK_CACHE_FOLDER))).toEqual([]);
  });

  it("a node_modules folder above the cache folder is an error: Node.js would load from it", async () => {
    const pack = standInPack();
    const cache = path.join(scratch, `cache-${++caseCount}`);
    mkdirSync(path.join(cache, "node_modules"), { recursive: true });
    const install = fakeInstaller();
    const error = await gateError(preparePolicyPack(pack, cache, { install }));
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toContain(`Node.js would load modules the policy pack lacks from ${path.join(cache, "node_modules")}`);
    expect(install.calls).toEqual([]);
  });

  it("an install that fails is a policy-pack-failed GateError and leaves nothing behind", async () => {
    const pack = standInPack();
    const cache = path.join(scratch, `cache-${++caseCount}`);
    const error = await gateError(
      preparePolicyPack(pack, cache, { install: () => Promise.reject(new Error("npm ci failed (1): npm error network request failed")) }),
    );
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toContain(`could not install the dependencies of the policy pack ${pack}`);
    expect(error.message).toContain("npm error network request failed");
    const left = existsSync(path.join(cache, PACK_CACHE_FOLDER)) ? readdirSync(path.join(cache, PACK_CACHE_FOLDER)) : [];
    expect(left).toEqual([]);
  });

  it("an install that leaves no tarball to verify against is a policy-pack-failed GateError", async () => {
    const pack = standInPack();
    const install: DependencyInstaller = async (directory) => {
      await fakeInstaller()(directory);
      return () => undefined;
    };
    const error = await gateError(preparePolicyPack(pack, path.join(scratch, `cache-${++caseCount}`), { install }));
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toContain("npm left no tarball for node_modules/@pulumi/");
  });

  it("an install that installs nothing is a policy-pack-failed GateError", async () => {
    const pack = standInPack();
    const error = await gateError(
      preparePolicyPack(pack, path.join(scratch, `cache-${++caseCount}`), { install: () => Promise.resolve(() => undefined) }),
    );
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toMatch(
      /is not the one the gate ships: node_modules\/@pulumi\/(policy|pulumi) \(@pulumi\/(policy|pulumi)@[0-9.]+\) is missing$/,
    );
  });

  it("a pack without a lockfile cannot be installed reproducibly", async () => {
    const pack = standInPack();
    rmSync(path.join(pack, "package-lock.json"));
    const error = await gateError(preparePolicyPack(pack, path.join(scratch, `cache-${++caseCount}`), { install: fakeInstaller() }));
    expect(error.reason).toBe("policy-pack-failed");
    expect(error.message).toBe(`the policy pack in ${pack} has no package-lock.json, so its dependencies cannot be installed reproducibly`);
  });

  // A real `npm ci` from the registry (reachable here and in CI): what a fresh runner does, the
  // attack on the real @pulumi/policy, and the repaired pack started as the CLI starts it.
  it("with npm: the real install verifies, a changed @pulumi/policy is reinstalled, and the pack then starts", async () => {
    const pack = path.join(scratch, `pack-${++caseCount}`);
    cpSync(bundledPackDir(), pack, { recursive: true });
    const cache = path.join(scratch, `cache-${++caseCount}`);
    const logged: string[] = [];
    const options = { install: npmCi, log: (message: string) => logged.push(message) };
    const prepared = await preparePolicyPack(pack, cache, options);
    expect(existsSync(path.join(prepared, "node_modules", "@pulumi", "policy", "package.json"))).toBe(true);
    expect(existsSync(path.join(prepared, "node_modules", ".bin"))).toBe(false);

    const policyIndex = path.join(prepared, "node_modules", "@pulumi", "policy", "index.js");
    writeFileSync(policyIndex, `${readFileSync(policyIndex, "utf8")}\n// a do-nothing pack\n`);
    expect(await preparePolicyPack(pack, cache, options)).toBe(prepared);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(": node_modules/@pulumi/policy/index.js differs from its package's tarball.");

    const started = await PolicyPackProcess.launch(prepared);
    try {
      expect((await started.info()).name).toBe("pulumi-policy-gate");
    } finally {
      await started.shutdown();
    }
  }, 300_000);
});
