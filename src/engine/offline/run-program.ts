// Starts the offline runner on a program and collects what it recorded. The runner is a
// separate Node.js process (see runner.ts); its console output is kept, bounded, for the error
// message when the program fails.

import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GateError } from "../../gate/errors.js";
import { programEnvironment } from "./program-environment.js";
import type { PulumiProgram } from "./project.js";
import type { RunnerOutcome } from "./records.js";
import type { RunnerJob } from "./runner.js";

const OUTPUT_TAIL_CHARACTERS = 8_000;
/**
 * The runner's old-generation heap limit (MB). Pulumi's SDK keeps every resource's objects
 * alive for the whole run (about 110 KB per resource at the peak), and with no limit V8 lets
 * garbage pile up to 1.8 GB for 10,000 resources; this limit keeps it near the live set at a
 * modest cost in time. POLICY_GATE_RUNNER_HEAP_MB raises it for larger programs.
 */
const DEFAULT_RUNNER_HEAP_MB = 1_400;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export interface CompletedRun {
  readonly outcome: Extract<RunnerOutcome, { kind: "completed" }>;
  readonly output: string;
}

/**
 * The built runner: next to this module in dist/, else the package's dist/ (tests build it
 * first). Only without a build is runner.ts run through tsx, whose native source maps would
 * hide where in a TypeScript program an error was thrown.
 */
function runnerEntry(): { entry: string; execArgv: string[] } {
  for (const candidate of [new URL("./offline-runner.js", import.meta.url), new URL("../../../dist/offline-runner.js", import.meta.url)]) {
    const built = fileURLToPath(candidate);
    if (existsSync(built)) return { entry: built, execArgv: [] };
  }
  return { entry: fileURLToPath(new URL("./runner.ts", import.meta.url)), execArgv: ["--import", "tsx"] };
}

function runnerHeapMb(): number {
  const configured = process.env.POLICY_GATE_RUNNER_HEAP_MB;
  if (configured === undefined || configured === "") return DEFAULT_RUNNER_HEAP_MB;
  const value = Number(configured);
  if (!Number.isInteger(value) || value < 256) {
    throw new GateError(
      "config-error",
      `POLICY_GATE_RUNNER_HEAP_MB is ${JSON.stringify(configured)}; expected a whole number of megabytes, 256 or more`,
    );
  }
  return value;
}

/**
 * Ends the runner and every process the program started: the runner leads a process group of
 * its own, which outlives it while any member does. Where there are no process groups (Windows)
 * only the runner ends.
 */
function endProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") child.kill("SIGKILL");
    else process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone: the group has no members left.
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

export function runProgram(program: PulumiProgram, stack: string, options: { timeoutMs?: number } = {}): Promise<CompletedRun> {
  const job: RunnerJob = {
    programDir: program.directory,
    main: program.main,
    module: program.module,
    project: program.project,
    stack,
    organization: "organization",
  };
  const { entry, execArgv } = runnerEntry();
  const heapMb = runnerHeapMb();
  const child = fork(entry, [JSON.stringify(job)], {
    cwd: program.directory,
    execArgv: [...execArgv, `--max-old-space-size=${heapMb}`],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Its own process group, so that whatever the program starts ends with it (endProcessGroup).
    detached: process.platform !== "win32",
    // The child gets what the Pulumi CLI gives a program for its config, and no credential.
    env: programEnvironment(process.env, { config: program.config, secretKeys: program.secretKeys, project: program.project, stack }),
  });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARACTERS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  return new Promise<CompletedRun>((resolve, reject) => {
    let outcome: RunnerOutcome | undefined;
    const timer = setTimeout(() => {
      endProcessGroup(child);
      reject(
        new GateError(
          "preview-failed",
          `${program.main}: the program did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
        ),
      );
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on("message", (message) => {
      outcome = message as RunnerOutcome;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new GateError("preview-failed", `could not start the offline runner for ${program.main}: ${error.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      endProcessGroup(child);
      const tail = lastLines(output, 20);
      const shown = tail ? `\nprogram output (last lines):\n${tail}` : "";
      if (outcome?.kind === "completed") {
        resolve({ outcome, output });
      } else if (outcome?.kind === "program-error") {
        const where = outcome.location ? ` (at ${outcome.location})` : "";
        reject(new GateError("preview-failed", `the program ${program.main} failed${where}: ${outcome.message}${shown}`));
      } else if (/heap out of memory|Reached heap limit/.test(output)) {
        reject(
          new GateError(
            "preview-failed",
            `the program ${program.main} needed more memory than the offline runner's ${heapMb} MB heap limit; set POLICY_GATE_RUNNER_HEAP_MB to a larger number of megabytes`,
          ),
        );
      } else {
        reject(
          new GateError(
            "preview-failed",
            `the program ${program.main} ended without a result (exit code ${code ?? "none"}, signal ${signal ?? "none"})${shown}`,
          ),
        );
      }
    });
  });
}
