// The built action under the runner's contract, with the offline engine (no CLI, no cloud): the
// comment is created, then updated and never duplicated; comment keys keep separate comments;
// the status lands on the pull request's head commit; outputs are written; the exit code follows
// the verdict; GitHub's faults and read-only tokens never change the verdict.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/engine/bundled-pack.js";
import { commentMarker } from "../../src/github/sticky-comment.js";
import type { SarifLog } from "../../src/report/sarif.js";
import { FakeGitHub } from "../github/fake-github.js";
import { sarifValidator } from "../report/sarif/validator.js";
import { runAction, webhookPayload, type ActionRun } from "./run-action.js";

const OPENED = webhookPayload("pull_request", "opened");
const SYNCHRONIZE = webhookPayload("pull_request", "synchronize");
const PUSH = webhookPayload("push");
const DISPATCH = webhookPayload("workflow_dispatch");
const HEAD_SHA = (OPENED.pull_request as { head: { sha: string } }).head.sha;
const PR_NUMBER = OPENED.number as number;
const TOKEN = "ghs_offlineGateTestToken0123456789";

let github: FakeGitHub;
const validateSarif = sarifValidator();

beforeEach(async () => {
  github = await FakeGitHub.start();
});

afterEach(async () => {
  await github.stop();
});

function offline(workDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { engine: "offline", "work-dir": workDir, "github-token": TOKEN, "stack-name": "dev", ...extra };
}

function run(
  inputs: Record<string, string>,
  eventName = "pull_request",
  payload = OPENED,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({ inputs, eventName, payload, apiUrl: github.url, env });
}

describe("the action on a pull request (engine offline)", () => {
  it("passes fixtures/alb: exit 0, every output, one comment, a success status on the head commit", async () => {
    const result = await run(offline("fixtures/alb"));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      verdict: "pass",
      "failure-reason": "none",
      "mandatory-violations": "0",
      "advisory-violations": "0",
      "has-changes": "unknown",
      "change-summary": "{}",
    });
    expect(result.report).toMatchObject({ verdict: "pass", engine: "offline", project: "alb", stack: "dev" });
    expect(result.summaryFile).toContain("Policy gate passed");
    expect(result.summary).toContain("Policy gate passed");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ issueNumber: PR_NUMBER, owner: "Codertocat", repo: "Hello-World" });
    expect(result.outputs["comment-url"]).toBe(github.comments[0]?.html_url);
    expect(github.statuses).toEqual([
      expect.objectContaining({ sha: HEAD_SHA, state: "success", context: "pulumi-policy-gate/dev", description: "No policy violations" }),
    ]);
  });

  it("unbuilt-components warn: a remote component whose plugin is not installed passes, and the comment and job summary say it was not checked", async () => {
    const pulumiHome = mkdtempSync(path.join(os.tmpdir(), "action-pulumi-home-"));
    try {
      const inputs = offline("fixtures/programs/awsx-alb", { "plugin-download": "never", "unbuilt-components": "warn" });
      const result = await run(inputs, "pull_request", OPENED, { PULUMI_HOME: pulumiHome });
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs.verdict).toBe("pass");
      const warning =
        "the resources inside the component 'inference' (awsx:lb:ApplicationLoadBalancer, package awsx v3.9.0) were NOT checked: it was not built, and input unbuilt-components \"warn\" lets the check go on without them";
      expect((result.report?.warnings as string[] | undefined)?.[0]).toContain(warning);
      // Among the notes of both, Markdown-escaped.
      for (const text of [github.comments[0]?.body, result.summary]) {
        expect(text).toMatch(/<summary>Notes<\/summary>\n\n- the resources inside the component .*inference.* were NOT checked/);
      }
    } finally {
      rmSync(pulumiHome, { recursive: true, force: true });
    }
  });

  it("fails fixtures/apigw-as-designed: exit 1, counts, a failure status, error annotations", async () => {
    const result = await run(offline("fixtures/apigw-as-designed"));
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      verdict: "fail",
      "failure-reason": "policy-violations",
      "mandatory-violations": "2",
      "advisory-violations": "0",
    });
    expect(github.statuses[0]).toMatchObject({ sha: HEAD_SHA, state: "failure", description: "2 mandatory, 0 advisory policy violations" });
    // At the line that declares the stage, so that the annotation shows in "Files changed".
    expect(result.stdout).toMatch(
      /^::error title=apigateway-throttling-bounds \(mandatory\),file=fixtures\/apigw-as-designed\/index.ts,line=19,col=15::inference-stage: defaultRouteSettings must set/m,
    );
    expect(github.comments[0]?.body).toContain("Policy gate failed");
  });

  it("writes a valid SARIF log beside the report (output sarif), and none when the run ends in an error", async () => {
    const failing = await run(offline("fixtures/apigw-as-designed"));
    const sarif = failing.outputs.sarif ?? "";
    expect(path.dirname(sarif)).toBe(path.dirname(failing.outputs.report ?? "-"));
    const log = failing.sarif as SarifLog;
    if (!validateSarif(log)) throw new Error(`not valid SARIF 2.1.0: ${JSON.stringify(validateSarif.errors, null, 2)}`);
    expect(log.runs[0].results.map((result) => [result.ruleId, result.level])).toEqual([
      ["apigateway-throttling-bounds", "error"],
      ["apigateway-throttling-bounds", "error"],
    ]);
    // Relative to the workspace (the checkout), where code scanning looks for the file.
    expect(log.runs[0].results[0]?.locations[0].physicalLocation.artifactLocation.uri).toBe("fixtures/apigw-as-designed/index.ts");

    const error = await run(offline("fixtures/no-such-program"));
    expect(error.outputs).toMatchObject({ verdict: "error", sarif: "" });
  });

  it("updates its comment on the next run instead of adding one, and leaves it alone when nothing changed", async () => {
    // The same stack before and after a fix: one comment key (by default project/stack).
    const key = { "comment-key": "inference/dev" };
    await run(offline("fixtures/apigw-as-designed", key));
    const firstBody = github.comments[0]?.body;
    await run(offline("fixtures/alb", key), "pull_request", SYNCHRONIZE);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).not.toBe(firstBody);
    expect(github.comments[0]?.body).toContain("Policy gate passed");
    const patches = () => github.requests.filter((request) => request.method === "PATCH").length;
    const before = patches();
    await run(offline("fixtures/alb", key), "pull_request", SYNCHRONIZE);
    expect(github.comments).toHaveLength(1);
    expect(patches()).toBe(before);
  });

  it("keeps one comment per comment key on the same pull request", async () => {
    await run(offline("fixtures/alb", { "comment-key": "inference/eu" }));
    await run(offline("fixtures/apigw", { "comment-key": "inference/us" }));
    await run(offline("fixtures/alb", { "comment-key": "inference/eu" }));
    expect(github.comments).toHaveLength(2);
  });

  it("fails closed on bad input, still commenting, setting an error status and every output", async () => {
    const result = await run(offline("fixtures/no-such-program"));
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "error", "failure-reason": "config-error", "mandatory-violations": "0" });
    expect(result.outputs.report).toBeTruthy();
    expect(github.statuses[0]).toMatchObject({ state: "error" });
    expect(github.comments[0]?.body).toContain("could not evaluate");
    expect(github.comments[0]?.body).toContain("no such directory");
  });

  it("rejects an unknown input value with a message naming the input and the value", async () => {
    const result = await run(offline("fixtures/alb", { "fail-on": "sometimes" }));
    expect(result.exitCode).toBe(1);
    expect(result.outputs["failure-reason"]).toBe("config-error");
    expect(result.stdout).toContain('input fail-on is \\"sometimes\\"'.replace(/\\"/g, '"'));
  });

  it("fail-on never reports violations without failing the step; fail-on advisory fails on advisories", async () => {
    const never = await run(offline("fixtures/apigw-as-designed", { "fail-on": "never" }));
    expect(never.exitCode).toBe(0);
    expect(never.outputs.verdict).toBe("fail");
    const advisory = await run(offline("fixtures/alb", { "fail-on": "advisory", "policy-packs": "fixtures/packs/extra-advisory" }));
    expect(advisory.exitCode).toBe(1);
    expect(advisory.outputs).toMatchObject({ verdict: "fail", "advisory-violations": "1" });
  });

  it("annotates at most 10 violations of a level, counting the rest", async () => {
    // 1,200 resources of the synthetic program: every tenth HTTP listener forwards, 12 violations.
    const result = await run(offline("fixtures/synthetic", { "stack-name": "many-violations" }));
    expect(result.outputs["mandatory-violations"]).toBe("12");
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(errors).toHaveLength(10);
    expect(errors[9]).toBe("::error title=pulumi-policy-gate (mandatory)::3 more mandatory violations: see the job summary.");
  });

  it("never prints the token, and masks it", async () => {
    const result = await run(offline("fixtures/alb"));
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(result.stdout.replace(`::add-mask::${TOKEN}`, "")).not.toContain(TOKEN);
    expect(github.comments[0]?.body).not.toContain(TOKEN);
  });
});

describe("the action on other events", () => {
  it("a push finds the pull request of its commit and comments there", async () => {
    const sha = PUSH.after as string;
    github.pullsForCommit.set(sha, [
      {
        number: 7,
        state: "open",
        merged_at: null,
        head: { sha, repo: { full_name: "Codertocat/Hello-World" } },
        base: { repo: { full_name: "Codertocat/Hello-World" } },
        html_url: "https://github.com/Codertocat/Hello-World/pull/7",
      },
    ]);
    const result = await runAction({ inputs: offline("fixtures/alb"), eventName: "push", payload: PUSH, apiUrl: github.url, sha });
    expect(result.exitCode).toBe(0);
    expect(github.comments).toEqual([expect.objectContaining({ issueNumber: 7 })]);
    expect(github.statuses[0]).toMatchObject({ sha });
  });

  it("a workflow_dispatch with no pull request: no comment, but a status and the job summary", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const result = await runAction({
      inputs: offline("fixtures/alb"),
      eventName: "workflow_dispatch",
      payload: DISPATCH,
      apiUrl: github.url,
      sha,
    });
    expect(result.exitCode).toBe(0);
    expect(github.comments).toHaveLength(0);
    expect(github.statuses).toEqual([expect.objectContaining({ sha, state: "success", owner: "octo-org", repo: "octo-repo" })]);
    expect(result.summary).toContain("Policy gate passed");
    expect(result.outputs["comment-url"]).toBe("");
  });
});

describe("GitHub faults never change the verdict", () => {
  it("retries 502s and secondary rate limits, then posts", async () => {
    github.failNext(2, { status: 502, body: { message: "Bad Gateway" } });
    github.failNext(1, FakeGitHub.secondaryRateLimit(1));
    github.failNext(1, FakeGitHub.secondaryRateLimit(1, 429));
    const result = await run(offline("fixtures/alb"));
    expect(result.exitCode).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.statuses).toHaveLength(1);
  });

  it("a fork's read-only token: warnings that explain it, and the verdict, outputs and exit code as usual", async () => {
    github.readOnly = true;
    const passing = await run(offline("fixtures/alb"));
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs.verdict).toBe("pass");
    expect(passing.stdout).toMatch(/::warning::.*read-only/);
    const failing = await run(offline("fixtures/apigw-as-designed"));
    expect(failing.exitCode).toBe(1);
    expect(failing.outputs.verdict).toBe("fail");
    expect(github.comments).toHaveLength(0);
  });
});

describe("the action with engine pulumi (a stand-in pulumi CLI replaying recorded engine events)", () => {
  const standInBin = new URL("../stand-in-pulumi/bin", import.meta.url).pathname;
  const events = (name: string): string => new URL(`../../fixtures/events/own/${name}`, import.meta.url).pathname;
  const pulumi = (stream: string, extra: Record<string, string> = {}): Promise<ActionRun> =>
    run({ engine: "pulumi", "stack-name": "dev", "work-dir": "fixtures/alb", "github-token": TOKEN, ...extra }, "pull_request", OPENED, {
      PATH: `${standInBin}:${process.env.PATH ?? ""}`,
      STAND_IN_PULUMI_EVENTS: events(stream),
      STAND_IN_PULUMI_STACKS: "dev",
    });

  it("a clean preview passes with the change summary in the outputs and the comment", async () => {
    const result = await pulumi("alb-preview-clean.jsonl");
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: "pass", "failure-reason": "none", "has-changes": "true" });
    expect(JSON.parse(result.outputs["change-summary"] ?? "{}")).toMatchObject({ create: expect.any(Number) as unknown });
    expect(result.report).toMatchObject({ engine: "pulumi", project: "alb" });
    expect(github.comments[0]?.body).toMatch(/\nPlan: \d+ to create/);
  });

  it("mandatory violations fail the step with exit 1 (the CLI's own exit code 1 is not an error)", async () => {
    const result = await pulumi("alb-preview-violations.jsonl");
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "fail", "failure-reason": "policy-violations" });
    // The engine's events carry no source positions: a registration-only run of the program
    // places each violation at the line that declares its resource.
    expect(result.stdout).toMatch(/^::(error|warning) title=[^\n]*,file=fixtures\/alb\/index\.ts,line=32,col=\d+::inference-tg: /m);
    expect(Number(result.outputs["mandatory-violations"])).toBeGreaterThan(0);
    expect(github.statuses[0]).toMatchObject({ sha: HEAD_SHA, state: "failure" });
  });

  it("advisory violations only: exit 0", async () => {
    const result = await pulumi("alb-preview-advisory.jsonl");
    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe("pass");
    expect(Number(result.outputs["advisory-violations"])).toBeGreaterThan(0);
  });

  it("a program error: exit 1 with verdict error, and the comment carries the error and the last diagnostics in one block", async () => {
    const result = await pulumi("alb-preview-program-error.jsonl");
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "error", "failure-reason": "preview-failed" });
    expect(github.comments[0]?.body).toContain("**Error (preview-failed):**");
    expect(github.comments[0]?.body.match(/```text\n/g)).toHaveLength(1);
    expect(github.statuses[0]).toMatchObject({ state: "error" });
  });

  it("an unknown stack is an error naming it", async () => {
    const result = await pulumi("alb-preview-clean.jsonl", { "stack-name": "prod" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.verdict).toBe("error");
    expect(github.comments[0]?.body).toContain("prod");
  });
});

describe("the action keeps exactly one comment per key (issue 9, item 5)", () => {
  const KEY = { "comment-key": "inference/dev" };
  const PR = { owner: "Codertocat", repo: "Hello-World", issueNumber: PR_NUMBER };

  async function asTokenWithoutUserEndpoint(): Promise<void> {
    await github.stop();
    github = await FakeGitHub.start({ login: "deploy-user", userEndpointStatus: 403 });
  }

  it("a token that cannot read GET /user updates its own comment when comment-author names it", async () => {
    await asTokenWithoutUserEndpoint();
    const passed = github.addComment({ ...PR, body: `${commentMarker("inference/dev")}\n\nPolicy gate passed`, login: "deploy-user" });
    const result = await run(offline("fixtures/apigw-as-designed", { ...KEY, "comment-author": "deploy-user" }));
    expect(result.exitCode).toBe(1);
    expect(github.comments).toEqual([passed]);
    expect(passed.body).toContain("Policy gate failed");
  });

  it("without comment-author, no stale 'passed' comment is left next to the current 'failed' one", async () => {
    await asTokenWithoutUserEndpoint();
    const passed = github.addComment({ ...PR, body: `${commentMarker("inference/dev")}\n\nPolicy gate passed`, login: "deploy-user" });
    const result = await run(offline("fixtures/apigw-as-designed", KEY));
    expect(github.comments).toEqual([passed]);
    expect(passed.body).toContain("Policy gate failed");
    expect(result.stdout).toContain('set the input comment-author to "deploy-user"');
  });

  it("a POST that GitHub stored but answered 502 is not posted again", async () => {
    github.failNext(1, { status: 502, afterServing: true }, { method: "POST", path: /\/comments$/ });
    const result = await run(offline("fixtures/alb", KEY));
    expect(result.exitCode).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("Policy gate passed");
  });

  it("rejects a comment-author that is not a login", async () => {
    const result = await run(offline("fixtures/alb", { ...KEY, "comment-author": "not a login" }));
    expect(result.exitCode).toBe(1);
    expect(result.outputs["failure-reason"]).toBe("config-error");
    expect(github.comments).toHaveLength(0);
  });
});

describe("a deploy trusts only the gate's own, unedited comment (issue 9, item 4)", () => {
  const root = packageRoot();
  const SHA = "5f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6";
  const PR_HEAD = "feedfacefeedfacefeedfacefeedfacefeedface";
  const REPOSITORY = (DISPATCH.repository as { full_name: string }).full_name;
  const standIn = (stream: string): Record<string, string> => ({
    PATH: `${path.join(root, "test/stand-in-pulumi/bin")}:${process.env.PATH ?? ""}`,
    STAND_IN_PULUMI_EVENTS: path.join(root, "fixtures/events/own", stream),
    STAND_IN_PULUMI_UP_EVENTS: path.join(root, "fixtures/events/own", "alb-up-succeeded.jsonl"),
    STAND_IN_PULUMI_STACKS: "dev",
  });
  const pulumi = { engine: "pulumi", "stack-name": "dev", "work-dir": "fixtures/alb", "github-token": TOKEN };

  beforeEach(() => {
    github.pullsForCommit.set(SHA, [
      {
        number: 12,
        state: "closed",
        merged_at: "2026-11-20T10:00:00Z",
        head: { sha: PR_HEAD, repo: { full_name: REPOSITORY } },
        base: { repo: { full_name: REPOSITORY } },
        html_url: `https://github.com/${REPOSITORY}/pull/12`,
      },
    ]);
  });

  async function review(): Promise<void> {
    const payload = webhookPayload("pull_request", "synchronize");
    const pullRequest = payload.pull_request as { number: number; head: { sha: string } };
    pullRequest.number = 12;
    pullRequest.head.sha = PR_HEAD;
    const result = await runAction({
      inputs: pulumi,
      eventName: "pull_request",
      payload: { ...payload, number: 12, repository: DISPATCH.repository },
      apiUrl: github.url,
      env: standIn("alb-preview-clean.jsonl"),
    });
    expect(result.outputs.verdict).toBe("pass");
  }

  const deploy = (): Promise<ActionRun> =>
    runAction({
      inputs: { ...pulumi, command: "up", "require-reviewed-plan": "true" },
      eventName: "workflow_dispatch",
      payload: DISPATCH,
      apiUrl: github.url,
      sha: SHA,
      env: standIn("alb-preview-clean.jsonl"),
    });

  it("deploys from the gate's comment, also after the gate edited it itself", async () => {
    await review();
    await review();
    expect((await deploy()).outputs.deployed).toBe("true");
  });

  it("a comment a maintainer edited is no reviewed plan, and the comment says who edited it", async () => {
    await review();
    const [comment] = github.comments;
    if (comment === undefined) throw new Error("no comment");
    github.editComment(comment.id, comment.body, "mallory");
    const result = await deploy();
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "no-reviewed-plan" });
    expect(result.stdout).toContain("edited by @mallory");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/does not count as reviewed\\: it was edited by @(?:&#8203;)?mallory/);
  });
});
