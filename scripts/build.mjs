// Builds dist/: the policy-gate command line, the offline runner, and the policy pack compiled
// to JavaScript (with its PulumiPolicy.yaml and package.json). The output is deterministic so
// that CI can rebuild it and fail when the committed copy differs. The pack is built first: the
// sha256 of each of its files goes into the other bundles, which check a cached copy of the pack
// against them before every run (src/engine/policy-pack-install.ts).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(root, process.argv[2] ?? "dist");

// ESM bundles that contain CommonJS dependencies need a require of their own.
const esmBanner = 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

// Every file is written to a temporary name and renamed into place, so that concurrent builds
// (parallel test runs) never leave a half-written file for another process to load.
function writeAtomically(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  // A file with a shebang is a command (the bin of the package): make it executable.
  const executable = Buffer.from(contents).subarray(0, 2).toString() === "#!";
  writeFileSync(temporary, contents, { mode: executable ? 0o755 : 0o644 });
  renameSync(temporary, file);
}

async function bundle(options) {
  const result = await build({ ...options, write: false });
  for (const output of result.outputFiles) writeAtomically(output.path, output.contents);
}

// The Pulumi SDK loads TypeScript (9 MB) and @npmcli/arborist when its runtime module loads, for
// closure serialization and package discovery, which neither the action nor the command line ever does (the
// one drives the CLI through the Automation API, the other runs programs in a runner process of
// their own). In both bundles they are stubs that fail if ever used:
// the bundle shrinks from 17.8 MB to about 5 MB and loads in a fraction of the time.
const stubModulesTheActionNeverRuns = {
  name: "stub-modules-the-action-never-runs",
  setup(builder) {
    builder.onResolve({ filter: /(^|\/)typescript-shim$|^@npmcli\/arborist$/ }, (args) => ({
      path: args.path,
      namespace: "not-in-the-action",
    }));
    builder.onLoad({ filter: /.*/, namespace: "not-in-the-action" }, (args) => ({
      loader: "js",
      contents: `module.exports = new Proxy({}, { get(_, key) { if (key === "__esModule") return false; throw new Error(${JSON.stringify(`${args.path} is not part of the pulumi-policy-gate action`)}); } });`,
    }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  absWorkingDir: root,
};

export async function buildPolicyPack(packOut) {
  await bundle({
    ...common,
    entryPoints: [path.join(root, "policies/index.ts")],
    outfile: path.join(packOut, "index.js"),
    format: "cjs",
    // The pack must share the SDK that run-policy-pack loads, so these stay outside the bundle.
    external: ["@pulumi/policy", "@pulumi/pulumi"],
  });
  const source = JSON.parse(readFileSync(path.join(root, "policies/package.json"), "utf8"));
  const manifest = {
    name: source.name,
    version: source.version,
    description: source.description,
    private: true,
    license: source.license,
    main: "index.js",
    dependencies: source.dependencies,
  };
  writeAtomically(path.join(packOut, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeAtomically(path.join(packOut, "PulumiPolicy.yaml"), readFileSync(path.join(root, "policies/PulumiPolicy.yaml")));
  // The lockfile pins what the action installs next to the pack on a runner (npm ci).
  const lock = JSON.parse(readFileSync(path.join(root, "policies/package-lock.json"), "utf8"));
  lock.name = manifest.name;
  if (lock.packages?.[""])
    lock.packages[""] = { name: manifest.name, version: manifest.version, license: manifest.license, dependencies: manifest.dependencies };
  writeAtomically(path.join(packOut, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
}

/** The sha256 of every file of the built pack, by `/`-separated relative path: what the gate copies. */
function packFileHashes(packOut, relative = "") {
  const hashes = {};
  for (const entry of readdirSync(path.join(packOut, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (relative === "" && entry.name === "node_modules") continue;
    const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(hashes, packFileHashes(packOut, name));
    else if (entry.isFile())
      hashes[name] = createHash("sha256")
        .update(readFileSync(path.join(packOut, name)))
        .digest("hex");
  }
  return hashes;
}

async function main() {
  const packOut = path.join(outDir, "policy-pack");
  await buildPolicyPack(packOut);
  // As a string literal, inlined where it is read (an object would become a module of its own).
  const define = { BUNDLED_POLICY_PACK_FILES: JSON.stringify(JSON.stringify(packFileHashes(packOut))) };
  await bundle({
    ...common,
    entryPoints: [path.join(root, "src/cli.ts")],
    outfile: path.join(outDir, "cli.js"),
    format: "esm",
    banner: { js: `#!/usr/bin/env node\n${esmBanner}` },
    external: ["tsx"],
    // The command line picks its engine from the same registry as the action: the Pulumi engine's
    // Automation API comes along, and never runs a program in this process.
    plugins: [stubModulesTheActionNeverRuns],
    define,
  });
  // Preloaded into programs on Node.js 20 (src/engine/offline/run-program.ts), found beside the bundles.
  writeAtomically(path.join(outDir, "node20-inspect.cjs"), readFileSync(path.join(root, "src/engine/offline/node20-inspect.cjs"), "utf8"));
  writeAtomically(
    path.join(outDir, "sqlite-unlisted.cjs"),
    readFileSync(path.join(root, "src/engine/offline/sqlite-unlisted.cjs"), "utf8"),
  );
  await bundle({
    ...common,
    entryPoints: [path.join(root, "src/index.ts")],
    outfile: path.join(outDir, "index.js"),
    format: "esm",
    banner: { js: esmBanner },
    external: ["tsx"],
    plugins: [stubModulesTheActionNeverRuns],
    define,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
