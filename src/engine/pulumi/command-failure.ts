// What a failed Pulumi CLI command left behind. The Automation API's CommandError says little of
// it: its `commandResult.code` is always -2 and its stdout empty. The real exit code and output
// are on the execa error it wraps, `commandResult.err`, which the .d.ts keeps private: it is read
// here, defensively, and only for diagnostics (the verdict comes from the engine events).

import { CommandError } from "@pulumi/pulumi/automation/index.js";

export interface CommandFailure {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** The executable does not exist (ENOENT). */
  readonly notFound: boolean;
  /** "exit code 1", "killed by SIGKILL", "could not start (EACCES)", … */
  readonly how: string;
  /** `how`, then the last lines of stderr, for an error message. */
  describe(): string;
}

function property(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The last lines of a command's output, at most `maxLines` and about `maxChars` characters. */
export function tail(output: string, maxLines = 20, maxChars = 4000): string {
  const lines = output.replace(/\s+$/, "").split(/\r?\n/);
  let kept = lines.slice(-maxLines).join("\n");
  if (kept.length > maxChars) kept = `…${kept.slice(-maxChars)}`;
  return kept;
}

export function commandFailure(error: unknown): CommandFailure | undefined {
  if (!(error instanceof CommandError)) return undefined;
  const result = property(error, "commandResult");
  const wrapped = property(result, "err");
  const exitCode = property(wrapped, "exitCode");
  const signal = text(property(wrapped, "signal"));
  const code = text(property(wrapped, "code"));
  const stdout = text(property(wrapped, "stdout")) ?? "";
  // Without a wrapped error, commandResult.stderr is the only output there is.
  const stderr = text(property(wrapped, "stderr")) ?? (wrapped === undefined ? (text(property(result, "stderr")) ?? "") : "");
  const how =
    typeof exitCode === "number"
      ? `exit code ${exitCode}`
      : signal
        ? `killed by ${signal}`
        : code
          ? `could not start (${code})`
          : "failed without an exit code";
  return {
    exitCode: typeof exitCode === "number" ? exitCode : undefined,
    signal,
    stdout,
    stderr,
    notFound: code === "ENOENT",
    how,
    describe() {
      const last = tail(stderr, 10, 2000);
      return last ? `${how}; it wrote to stderr:\n${last}` : how;
    },
  };
}
