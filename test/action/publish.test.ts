// What publishing makes of a violation's source location: an annotation at the declaring line
// (file, line, title), the location kept in the JSON report, and a link to the line at the commit
// under review in the comment the job summary holds.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commentContextOf, publish } from "../../src/action/publish.js";
import type { RunContext } from "../../src/action/run-context.js";
import { NO_MASKING } from "../../src/gate/masking.js";
import type { GateOutcome } from "../../src/gate/outcome.js";
import type { Report, Violation } from "../../src/gate/report.js";

const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const WORKSPACE = "/home/runner/work/inference/inference";

function violation(name: string, overrides: Partial<Violation> = {}): Violation {
  return {
    policy: "alb-http-redirects-to-https",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    urn: `urn:pulumi:prod::inference::aws:lb/listener:Listener::${name}`,
    resourceType: "aws:lb/listener:Listener",
    message: 'defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
    ...overrides,
  };
}

function outcome(violations: Violation[]): GateOutcome {
  const report: Report = {
    verdict: "fail",
    failureReason: "policy-violations",
    engine: "offline",
    project: "inference",
    stack: "prod",
    policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
    resources: violations.map((item) => ({ urn: item.urn, type: item.resourceType, name: item.urn.split("::").pop() ?? "" })),
    violations,
    warnings: [],
  };
  return { report, changeSummary: undefined, changes: [], diagnostics: [], runUrl: "https://github.com/acme/inference/actions/runs/7" };
}

function context(directory: string): RunContext {
  return {
    eventName: "pull_request",
    owner: "acme",
    repo: "inference",
    sha: "1111111111111111111111111111111111111111",
    apiUrl: "https://api.github.com",
    serverUrl: "https://github.com",
    runUrl: "https://github.com/acme/inference/actions/runs/7",
    runId: "7",
    workspace: WORKSPACE,
    tempDir: directory,
    pullRequest: { number: 3, headSha: HEAD_SHA, fromFork: false },
  };
}

describe("publish", () => {
  const saved = { ...process.env };
  // @actions/core keeps the job summary's path once it has written to it: one file for all tests.
  const jobSummary = path.join(mkdtempSync(path.join(tmpdir(), "publish-summary-")), "summary.md");
  let directory = "";
  let logged = "";

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), "publish-"));
    writeFileSync(jobSummary, "");
    writeFileSync(path.join(directory, "output.txt"), "");
    process.env.GITHUB_STEP_SUMMARY = jobSummary;
    process.env.GITHUB_OUTPUT = path.join(directory, "output.txt");
    logged = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      logged += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it("annotates a violation with a location at its file and line, with a title; one without, with the title only", async () => {
    const violations = [
      violation("web-http", { location: { file: "infra/web, main.ts", line: 42, column: 7 } }),
      violation("api-http", { location: { file: "infra/api.ts", line: 9 } }),
      violation("no-location"),
    ];
    await publish(
      { outcome: outcome(violations), fingerprint: undefined, commentUrl: undefined },
      undefined,
      context(directory),
      undefined,
      NO_MASKING,
    );
    const annotations = logged.split("\n").filter((line) => line.startsWith("::error "));
    // In the order every rendering uses (by resource); the runner's escapes for "," and ":" in properties.
    expect(annotations).toEqual([
      '::error title=alb-http-redirects-to-https (mandatory),file=infra/api.ts,line=9::api-http: defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
      '::error title=alb-http-redirects-to-https (mandatory)::no-location: defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
      '::error title=alb-http-redirects-to-https (mandatory),file=infra/web%2C main.ts,line=42,col=7::web-http: defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
    ]);
  });

  it("keeps each violation's location in the JSON report, and links it at the pull request's head in the summary", async () => {
    const violations = [violation("web-http", { location: { file: "infra/index.ts", line: 42, column: 7 } })];
    await publish(
      { outcome: outcome(violations), fingerprint: undefined, commentUrl: undefined },
      undefined,
      context(directory),
      undefined,
      NO_MASKING,
    );
    const reportFile = path.join(directory, "pulumi-policy-gate", "inference_prod", "report.json");
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as Report;
    expect(report.violations[0]?.location).toEqual({ file: "infra/index.ts", line: 42, column: 7 });
    const link = `[\`infra/index.ts:42\`](https://github.com/acme/inference/blob/${HEAD_SHA}/infra/index.ts#L42)`;
    expect(readFileSync(jobSummary, "utf8")).toContain(link);
    expect(readFileSync(path.join(path.dirname(reportFile), "summary.md"), "utf8")).toContain(link);
  });
});

describe("commentContextOf", () => {
  it("links at a pull request's head, else at the run's commit, and not without a repository", () => {
    const base = context("/tmp");
    expect(commentContextOf(base)).toEqual({
      source: { repositoryUrl: "https://github.com/acme/inference", sha: HEAD_SHA },
      workspace: WORKSPACE,
    });
    expect(commentContextOf({ ...base, pullRequest: undefined, serverUrl: "https://ghe.example/" }).source).toEqual({
      repositoryUrl: "https://ghe.example/acme/inference",
      sha: "1111111111111111111111111111111111111111",
    });
    expect(commentContextOf({ ...base, owner: undefined }).source).toBeUndefined();
  });
});
