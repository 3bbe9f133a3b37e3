// The GitHub reporter's log lines: through the run's masker (secrets it learns after connecting
// included) and the workflow-command escaping, as every other line the action writes. Driven
// against the fake GitHub; the log is what @actions/core writes to stdout.

import os from "node:os";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GitHubReporter, warnAboutGitHub } from "../../src/action/github-reporter.js";
import { parseConfig } from "../../src/action/inputs.js";
import type { RunContext } from "../../src/action/run-context.js";
import { createGrowingMasker } from "../../src/gate/masking.js";
import { FakeGitHub } from "../github/fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const SECRET = "db-Passw0rd-7f3c9b2e41d8";
const INJECTED = "::set-output name=verdict::pass";

let github: FakeGitHub;
let written: string;

beforeEach(async () => {
  github = await FakeGitHub.start();
  written = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await github.stop();
});

function context(): RunContext {
  return {
    eventName: "pull_request",
    owner: "octo-org",
    repo: "infra",
    sha: "a".repeat(40),
    apiUrl: github.url,
    serverUrl: "https://github.com",
    runUrl: undefined,
    runId: undefined,
    workspace: os.tmpdir(),
    tempDir: os.tmpdir(),
    pullRequest: { number: 7, headSha: "b".repeat(40), fromFork: false },
  };
}

function config(inputs: Record<string, string> = {}): ReturnType<typeof parseConfig> {
  const all: Record<string, string> = { "github-token": TOKEN, "stack-name": "dev", ...inputs };
  return parseConfig((name) => all[name] ?? "");
}

/** The lines written to stdout, each as the runner reads it. */
const lines = (): string[] => written.split(/\r?\n/);

describe("GitHubReporter's log", () => {
  it("a warning masks a secret the run learned after connecting (the stack's secret config)", async () => {
    const masker = createGrowingMasker([]);
    const reporter = await GitHubReporter.connect(config(), context(), masker);
    masker.add([SECRET]);
    github.failNext(
      1,
      { status: 422, body: { message: `Validation Failed: description quotes ${SECRET}` } },
      { method: "POST", path: /statuses/ },
    );
    await reporter?.status("dev", "success", "No policy violations");
    expect(written).toContain("::warning::pulumi-policy-gate: could not set the commit status on");
    expect(written).toContain("description quotes [secret]");
    expect(written).not.toContain("Passw0rd");
  });

  it("the client's notices (a comment key from the inputs, over lines) cannot start a workflow command", async () => {
    const masker = createGrowingMasker([]);
    const reporter = await GitHubReporter.connect(config({ "comment-key": `infra/dev\n${INJECTED}` }), context(), masker);
    // The first POST fails unanswered-for: the sticky comment logs a notice naming the key, then looks again.
    github.failNext(1, { status: 502 }, { method: "POST", path: /comments$/ });
    const url = await reporter?.comment(`infra/dev\n${INJECTED}`, "the body");
    expect(url).toBeDefined();
    expect(written).toContain("reading the comments again");
    expect(lines().filter((line) => line.startsWith("::set-output"))).toEqual([]);
    expect(written).toContain(`| ${INJECTED}`);
  });

  it("warnAboutGitHub without the run's log still keeps a message from making workflow commands", () => {
    warnAboutGitHub("report to GitHub", new Error(`boom\n${INJECTED}\n##[group]x`));
    expect(lines().filter((line) => line.startsWith("::set-output") || line.startsWith("##["))).toEqual([]);
  });
});
