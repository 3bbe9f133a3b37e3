// Starts the offline runner on a program and collects what it recorded. The runner is a
// separate Node.js process (see runner.ts); its console output is kept, bounded, for the error
// message when the program fails.

import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GateError } from "../../gate-error.js";
import type { PulumiProgram } from "./project.js";
import type { RunnerOutcome } from "./records.js";
import type { RunnerJob } from "./runner.js";

const OUTPUT_TAIL_CHARACTERS = 8_000;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export interface CompletedRun {
  readonly outcome: Extract<RunnerOutcome, { kind: "completed" }>;
  readonly output: string;
}

/** The runner next to this module: built JavaScript in dist/, TypeScript (through tsx) in src/. */
function runnerEntry(): { entry: string; execArgv: string[] } {
  const built = fileURLToPath(new URL("./offline-runner.js", import.meta.url));
  if (existsSync(built)) return { entry: built, execArgv: [] };
  return { entry: fileURLToPath(new URL("./runner.ts", import.meta.url)), execArgv: ["--import", "tsx"] };
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

export function runProgram(program: PulumiProgram, stack: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CompletedRun> {
  const job: RunnerJob = {
    programDir: program.directory,
    main: program.main,
    module: program.module,
    project: program.project,
    stack,
    organization: "organization",
  };
  const { entry, execArgv } = runnerEntry();
  const child = fork(entry, [JSON.stringify(job)], {
    cwd: program.directory,
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // The child gets the same environment a Pulumi program gets from the CLI for its config.
    env: {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(program.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(program.secretKeys),
      PULUMI_NODEJS_PROJECT: program.project,
      PULUMI_NODEJS_STACK: stack,
      PULUMI_DRY_RUN: "true",
    },
  });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARACTERS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  return new Promise<CompletedRun>((resolve, reject) => {
    let outcome: RunnerOutcome | undefined;
    options.signal?.addEventListener("abort", () => child.kill("SIGKILL"), { once: true });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new GateError("preview-failed", `${program.main}: the program did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`));
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
      const tail = lastLines(output, 20);
      const shown = tail ? `\nprogram output (last lines):\n${tail}` : "";
      if (outcome?.kind === "completed") {
        resolve({ outcome, output });
      } else if (outcome?.kind === "program-error") {
        const where = outcome.location ? ` (at ${outcome.location})` : "";
        reject(new GateError("preview-failed", `the program ${program.main} failed${where}: ${outcome.message}${shown}`));
      } else {
        reject(new GateError("preview-failed", `the program ${program.main} ended without a result (exit code ${code ?? "none"}, signal ${signal ?? "none"})${shown}`));
      }
    });
  });
}
