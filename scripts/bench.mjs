// `npm run bench`: the figures the README quotes, as medians over repeated cold runs of the
// built command line (run `npm run build` first when the sources changed). Prints, does not
// judge: these machines are too noisy for timed tests, so the targets are ratios against
// baselines measured in the same run, on the same machine:
//   - check on fixtures/alb, a cold process: at most 2x a cold
//     `node -e 'require("@pulumi/aws"); require("@pulumi/policy")'` (loading what any check loads)
//   - a synthetic program of 10,000 resources: at most 0.25x Pulumi's stock mocks
//     (pulumi.runtime.setMocks) registering the same program, and at most 1.5 GB peak memory
//   - 1,000 resources, and the 10,000 / 1,000 time ratio (at most 12)
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

/** Which part of a check a process is: the policy packs, Pulumi's program runner, or the command. */
function role(pid) {
  let command = "";
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    // Ended.
  }
  if (command.includes("run-policy-pack")) return "packs";
  if (/[\\/]cmd[\\/]run(\0|$)/.test(command)) return "runner";
  return "gate";
}

/** Runs dist/cli.js with `args`, or node itself with them when `raw` (the baselines). */
function run(args, { raw = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, raw ? args : [cli, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let peakTree = 0;
    // Per role: the command itself, Pulumi's program runner (cmd/run), the policy packs
    // (cmd/run-policy-pack); the runner's first and last sighting give its share of the time.
    const peaks = { gate: 0, runner: 0, packs: 0 };
    let runnerFirst;
    let runnerLast;
    const canSample = existsSync(`/proc/${process.pid}/status`);
    const sampler = canSample
      ? setInterval(() => {
          const sizes = { gate: 0, runner: 0, packs: 0 };
          for (const pid of descendants(child.pid)) sizes[role(pid)] += residentKiB(pid);
          if (sizes.runner > 0) {
            runnerFirst ??= performance.now();
            runnerLast = performance.now();
          }
          for (const key of Object.keys(peaks)) peaks[key] = Math.max(peaks[key], sizes[key]);
          peakTree = Math.max(peakTree, sizes.gate + sizes.runner + sizes.packs);
        }, 20)
      : undefined;
    child.on("exit", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const runnerSeconds = runnerFirst === undefined ? NaN : (runnerLast - runnerFirst) / 1000;
      if (code !== 0 && code !== 1) reject(new Error(`${raw ? "node" : "policy-gate"} ${args.join(" ")} exited ${code}: ${stderr}`));
      else
        resolve({
          seconds,
          runnerSeconds,
          peakMiB: canSample ? peakTree / 1024 : NaN,
          peaksMiB: Object.fromEntries(Object.entries(peaks).map(([key, kib]) => [key, kib / 1024])),
          code,
        });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(label, args, runs, options = {}) {
  const results = [];
  for (let index = 0; index < runs; index++) results.push(await run(args, options));
  const seconds = median(results.map((result) => result.seconds));
  const peak = median(results.map((result) => result.peakMiB));
  const runnerSeconds = median(results.map((result) => result.runnerSeconds));
  console.log(
    `${label.padEnd(38)} median ${seconds.toFixed(2)} s  (runs: ${results.map((result) => result.seconds.toFixed(2)).join(", ")})  peak memory median ${peak.toFixed(0)} MiB (max ${Math.max(...results.map((result) => result.peakMiB)).toFixed(0)})`,
  );
  if (!options.raw && !Number.isNaN(runnerSeconds)) {
    const part = (key) => median(results.map((result) => result.peaksMiB[key])).toFixed(0);
    console.log(
      `${"".padEnd(38)} of which Pulumi's runner ${runnerSeconds.toFixed(2)} s; peaks: runner ${part("runner")} MiB, command ${part("gate")} MiB, packs ${part("packs")} MiB`,
    );
  }
  return { seconds, peak, runnerSeconds };
}

if (!existsSync(cli)) {
  console.error("dist/cli.js is missing: run `npm run build` first.");
  process.exit(2);
}
console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} cores; medians of cold runs of dist/cli.js\n`);
const baseline = await measure(
  "baseline: node -e require aws + policy",
  ["-e", 'require("@pulumi/aws"); require("@pulumi/policy")'],
  quick ? 3 : 7,
  { raw: true },
);
const alb = await measure("check fixtures/alb (cold process)", ["check", "--program", "fixtures/alb"], quick ? 3 : 7);
const small = await measure("synthetic 1,000 resources", ["check", "--program", "fixtures/synthetic", "--stack", "bench1k"], quick ? 1 : 5);
const large = await measure(
  "synthetic 10,000 resources",
  ["check", "--program", "fixtures/synthetic", "--stack", "bench10k"],
  quick ? 1 : 3,
);
const mocks = await measure(
  "baseline: stock mocks, 10,000 resources",
  [
    path.join(root, "scripts/bench-stock-mocks.cjs"),
    "fixtures/synthetic",
    "synthetic",
    JSON.stringify({ "synthetic:resourceCount": "10000" }),
  ],
  quick ? 1 : 3,
  { raw: true },
);
const albRatio = alb.seconds / baseline.seconds;
const mocksRatio = large.seconds / mocks.seconds;
console.log(`\nalb / baseline: ${albRatio.toFixed(2)} (target <= 2)`);
console.log(`10,000 resources / stock mocks: ${mocksRatio.toFixed(2)} (target <= 0.25)`);
console.log(`10,000 / 1,000 time ratio: ${(large.seconds / small.seconds).toFixed(1)} (target <= 12)`);
console.log(
  `targets: alb ratio: ${albRatio <= 2 ? "met" : "MISSED"}; 10,000 vs mocks: ${mocksRatio <= 0.25 ? "met" : "MISSED"}; peak <= 1536 MiB: ${large.peak <= 1536 ? "met" : "MISSED"}; scaling <= 12: ${large.seconds / small.seconds <= 12 ? "met" : "MISSED"}`,
);
// What the check cannot go below while it runs the program under Pulumi's own runner: the
// runner's own time (its process's lifetime inside the same runs) against the same baselines,
// its own peak memory, and what the check adds on top of it.
console.log(
  `floor (Pulumi's runner alone, inside the same runs): alb ${(alb.runnerSeconds / baseline.seconds).toFixed(2)}x baseline; 10,000 resources ${(large.runnerSeconds / mocks.seconds).toFixed(2)}x stock mocks, stock mocks' own peak ${mocks.peak.toFixed(0)} MiB`,
);
console.log(
  `the check's own time beyond the runner: alb ${(alb.seconds - alb.runnerSeconds).toFixed(2)} s; 1,000 resources ${(small.seconds - small.runnerSeconds).toFixed(2)} s; 10,000 resources ${(large.seconds - large.runnerSeconds).toFixed(2)} s`,
);

// The action's own overhead, which users pay on every pull request: from `node dist/index.js`
// starting to the preview starting, and from the last engine event to the step ending
// (reporting included: a comment and a commit status to a loopback stand-in for GitHub's API).
// The preview itself is the stand-in pulumi CLI replaying a recorded event stream; the bundled
// pack is already installed (a warm runner cache).
const { createServer } = await import("node:http");
const api = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    const json = (status, value) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.url === "/user") return json(403, { message: "Resource not accessible by integration" });
    if (request.method === "GET") return json(200, []);
    return json(201, { id: 1, html_url: "https://github.com/octo/repo/pull/1#issuecomment-1", body: JSON.parse(body || "{}").body ?? "" });
  });
});
await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
const apiUrl = `http://127.0.0.1:${api.address().port}`;
const { mkdtempSync, writeFileSync } = await import("node:fs");
const { tmpdir } = await import("node:os");
const scratch = mkdtempSync(path.join(tmpdir(), "policy-gate-bench-"));
const eventPath = path.join(scratch, "event.json");
writeFileSync(path.join(scratch, "output"), "");
writeFileSync(path.join(scratch, "summary"), "");
writeFileSync(
  eventPath,
  JSON.stringify({
    number: 1,
    pull_request: {
      number: 1,
      head: { sha: "a".repeat(40), repo: { full_name: "octo/repo" } },
      base: { repo: { full_name: "octo/repo" } },
    },
    repository: { full_name: "octo/repo" },
  }),
);

function runAction() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const env = {
      PATH: `${path.join(root, "test/stand-in-pulumi/bin")}:${process.env.PATH}`,
      HOME: process.env.HOME,
      STAND_IN_PULUMI_EVENTS: path.join(root, "fixtures/events/own/alb-preview-clean.jsonl"),
      STAND_IN_PULUMI_STACKS: "dev",
      INPUT_ENGINE: "pulumi",
      "INPUT_STACK-NAME": "dev",
      "INPUT_WORK-DIR": "fixtures/alb",
      "INPUT_GITHUB-TOKEN": "bench-token",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: "octo/repo",
      GITHUB_SHA: "b".repeat(40),
      GITHUB_API_URL: apiUrl,
      GITHUB_WORKSPACE: root,
      RUNNER_TEMP: scratch,
      GITHUB_OUTPUT: path.join(scratch, "output"),
      GITHUB_STEP_SUMMARY: path.join(scratch, "summary"),
    };
    const child = spawn(process.execPath, [path.join(root, "dist/index.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("exit", (code) => {
      const loaded = /pulumi-policy-gate loaded (\d+) ms/.exec(stdout);
      const timings = /timings: process start to preview start (\d+) ms; last engine event to end (\d+) ms/.exec(stdout);
      if (code !== 0 || !loaded || !timings) reject(new Error(`the action exited ${code}:\n${stdout.slice(-2000)}`));
      else
        resolve({
          total: (performance.now() - started) / 1000,
          loaded: Number(loaded[1]),
          before: Number(timings[1]),
          after: Number(timings[2]),
        });
    });
  });
}

const actionRuns = [];
for (let index = 0; index < (quick ? 3 : 7); index++) actionRuns.push(await runAction());
api.close();
const ms = (key) => median(actionRuns.map((run) => run[key]));
console.log(
  `\naction overhead (median of ${actionRuns.length}): bundle loaded ${ms("loaded")} ms; process start to preview start ${ms("before")} ms; last engine event to step end ${ms("after")} ms (comment and status included); whole step with the stand-in CLI ${ms("total").toFixed(2)} s`,
);
console.log(
  `targets: start to preview + last event to end < 2000 ms: ${ms("before") + ms("after") < 2000 ? "met" : "MISSED"}; bundle load < 1000 ms: ${ms("loaded") < 1000 ? "met" : "MISSED"}`,
);
