// `npx tsx scripts/bench-pack-cache.ts`: what verifying the cached policy pack costs a run. Installs
// the built pack (dist/policy-pack, `npm run build` first) once with the real `npm ci` into a
// temporary tool cache, then times, each in a fresh process and over a warm file cache, the reuse
// of that folder: as the gate did before verification (folder exists, SDK resolves) and as it
// does now (preparePolicyPack: every pack file against its hash, every installed file against its
// package's tarball, every tarball against the lockfile's integrity). Prints medians, does not judge.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundledPackDir } from "../src/engine/bundled-pack.js";
import { PACK_CACHE_FOLDER, packCacheKey, preparePolicyPack, resolvesPolicyPackRunner } from "../src/engine/policy-pack-install.js";

const RUNS = 5;
const self = fileURLToPath(import.meta.url);

async function measure(mode: string, source: string, cache: string): Promise<void> {
  const started = performance.now();
  if (mode === "unverified") {
    // The reuse path before verification, step for step.
    if (resolvesPolicyPackRunner(source)) throw new Error("the pack must not resolve its SDK in place for this benchmark");
    const folder = path.join(cache, PACK_CACHE_FOLDER, packCacheKey(source), "pack");
    if (!existsSync(folder) || !resolvesPolicyPackRunner(folder)) throw new Error("not installed");
  } else {
    const logged: string[] = [];
    await preparePolicyPack(source, cache, { log: (message) => logged.push(message) });
    if (logged.length > 0) throw new Error(`reinstalled: ${logged.join("\n")}`);
  }
  process.stdout.write(`${(performance.now() - started).toFixed(1)}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const [mode, source, cache] = process.argv.slice(2);
  if (mode && source && cache) return measure(mode, source, cache);

  // In the repository the pack would start in place from its node_modules: bench a copy outside,
  // as the action's copy is on a runner.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "policy-gate-bench-cache-"));
  const pack = path.join(scratch, "action", "policy-pack");
  const cacheRoot = path.join(scratch, "tool-cache");
  cpSync(bundledPackDir(), pack, { recursive: true });
  try {
    const installStarted = performance.now();
    await preparePolicyPack(pack, cacheRoot);
    console.log(`first install (npm ci, tarballs kept, verified): ${((performance.now() - installStarted) / 1000).toFixed(1)} s`);
    for (const mode of ["unverified", "verified"]) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const output = execFileSync(process.execPath, ["--import", "tsx", self, mode, pack, cacheRoot], { encoding: "utf8" });
        times.push(Number(output.trim()));
      }
      console.log(
        `${mode.padEnd(10)} median ${median(times).toFixed(0)} ms over ${RUNS} runs (${times.map((time) => time.toFixed(0)).join(", ")} ms)`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
