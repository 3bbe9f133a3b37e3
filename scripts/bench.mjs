// `npm run bench`: the figures the README quotes, as medians over repeated cold runs of the
// built command line (run `npm run build` first when the sources changed). Prints, does not
// judge: these machines are too noisy for timed tests.
//   - check on fixtures/alb, a cold process (target: median <= 2 s)
//   - synthetic programs of 1,000 and 10,000 resources (target: 10,000 in <= 20 s, <= 1.5 GB
//     peak memory, 10,000 / 1,000 time ratio <= 12)
// Peak memory is the largest sum of resident memory over the whole process tree (the command,
// the program runner and the policy pack), sampled every 20 ms from /proc.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/cli.js");
const quick = process.argv.includes("--quick");

function residentKiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function descendants(pid) {
  const found = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/).map(Number) : []) found.push(...descendants(child));
    }
  } catch {
    // The process ended between two reads.
  }
  return found;
}

function run(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let peakTree = 0;
    const canSample = existsSync(`/proc/${process.pid}/status`);
    const sampler = canSample
      ? setInterval(() => {
          const total = descendants(child.pid).reduce((sum, pid) => sum + residentKiB(pid), 0);
          peakTree = Math.max(peakTree, total);
        }, 20)
      : undefined;
    child.on("exit", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 1) reject(new Error(`policy-gate ${args.join(" ")} exited ${code}: ${stderr}`));
      else resolve({ seconds, peakMiB: canSample ? peakTree / 1024 : NaN, code });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(label, args, runs) {
  const results = [];
  for (let index = 0; index < runs; index++) results.push(await run(args));
  const seconds = median(results.map((result) => result.seconds));
  const peak = median(results.map((result) => result.peakMiB));
  console.log(
    `${label.padEnd(38)} median ${seconds.toFixed(2)} s  (runs: ${results.map((result) => result.seconds.toFixed(2)).join(", ")})  peak memory median ${peak.toFixed(0)} MiB (max ${Math.max(...results.map((result) => result.peakMiB)).toFixed(0)})`,
  );
  return { seconds, peak };
}

if (!existsSync(cli)) {
  console.error("dist/cli.js is missing: run `npm run build` first.");
  process.exit(2);
}
console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} cores; medians of cold runs of dist/cli.js\n`);
const alb = await measure("check fixtures/alb (cold process)", ["check", "--program", "fixtures/alb"], quick ? 3 : 7);
const small = await measure("synthetic 1,000 resources", ["check", "--program", "fixtures/synthetic", "--stack", "bench1k"], quick ? 1 : 5);
const large = await measure("synthetic 10,000 resources", ["check", "--program", "fixtures/synthetic", "--stack", "bench10k"], quick ? 1 : 3);
console.log(`\n10,000 / 1,000 time ratio: ${(large.seconds / small.seconds).toFixed(1)}`);
console.log(`targets: alb <= 2 s: ${alb.seconds <= 2 ? "met" : "MISSED"}; 10,000 <= 20 s: ${large.seconds <= 20 ? "met" : "MISSED"}; peak <= 1536 MiB: ${large.peak <= 1536 ? "met" : "MISSED"}; ratio <= 12: ${large.seconds / small.seconds <= 12 ? "met" : "MISSED"}`);
