// Runs the built action as a GitHub runner does: `node dist/index.js` with INPUT_* variables,
// the event payload at GITHUB_EVENT_PATH (real payloads from @octokit/webhooks-examples),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and GITHUB_API_URL pointing at a fake GitHub.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { packageRoot } from "../../src/engine/bundled-pack.js";

const root = packageRoot();

interface WebhookExample {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}

/** A real webhook payload: the first example of `event` with `action` (if given). */
export function webhookPayload(event: string, action?: string): Record<string, unknown> {
  const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookExample[];
  const found = examples
    .find((entry) => entry.name === event)
    ?.examples.find((example) => action === undefined || example.action === action);
  if (!found) throw new Error(`no ${event}${action ? `.${action}` : ""} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

export interface ActionRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The JSON report the action wrote (output `report`), parsed; undefined when none. */
  readonly report: Record<string, unknown> | undefined;
  /** The Markdown file the action wrote (output `summary`). */
  readonly summaryFile: string | undefined;
  /** The SARIF log the action wrote (output `sarif`), parsed; undefined when none. */
  readonly sarif: unknown;
}

/** Parses GITHUB_OUTPUT: `name<<DELIMITER` … `DELIMITER` blocks, as @actions/core writes them. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? "");
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (index++; index < lines.length && lines[index] !== match[2]; index++) value.push(lines[index] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

export interface RunActionOptions {
  readonly inputs: Record<string, string>;
  readonly eventName: string;
  readonly payload: Record<string, unknown>;
  readonly apiUrl: string;
  readonly sha?: string;
  readonly env?: Record<string, string>;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const scratch = path.join(root, ".test-output");
  mkdirSync(scratch, { recursive: true });
  const directory = mkdtempSync(path.join(scratch, "action-"));
  const eventPath = path.join(directory, "event.json");
  const outputPath = path.join(directory, "output.txt");
  const summaryPath = path.join(directory, "summary.md");
  const runnerTemp = path.join(directory, "runner-temp");
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const repository = (options.payload.repository as { full_name?: string } | undefined)?.full_name ?? "octo-org/inference";
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: repository,
    GITHUB_SHA: options.sha ?? "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
    GITHUB_RUN_ID: "4242",
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: runnerTemp,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    const child = spawn(process.execPath, [path.join(root, "dist/index.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const outputs = parseOutputs(readFileSync(outputPath, "utf8"));
    const report = outputs.report ? (JSON.parse(readFileSync(outputs.report, "utf8")) as Record<string, unknown>) : undefined;
    const summaryFile = outputs.summary ? readFileSync(outputs.summary, "utf8") : undefined;
    const sarif = outputs.sarif ? (JSON.parse(readFileSync(outputs.sarif, "utf8")) as unknown) : undefined;
    return { exitCode, stdout, stderr, outputs, summary: readFileSync(summaryPath, "utf8"), report, summaryFile, sarif };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
