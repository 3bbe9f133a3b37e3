// Gated deploys (command up) through the built action, with a stand-in pulumi CLI that records
// every invocation: `up` is never invoked on mandatory violations, preview errors, plan changes,
// destructive changes that are not allowed, or a locked stack; it is invoked exactly once, with
// --plan <the saved plan>, when everything passes; the comment moves from pending to deployed.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/engine/bundled-pack.js";
import { FakeGitHub } from "../github/fake-github.js";
import { runAction, webhookPayload, type ActionRun } from "./run-action.js";

const root = packageRoot();
const DISPATCH = webhookPayload("workflow_dispatch");
const PUSH = webhookPayload("push");
const SHA = "5f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6";
const REPOSITORY = (DISPATCH.repository as { full_name: string }).full_name;
const TOKEN = "ghs_deployGateTestToken0123456789";
const events = (name: string): string => (path.isAbsolute(name) ? name : path.join(root, "fixtures/events/own", name));
/** The head commit of the pull request that brought SHA: what its gate comment was computed for. */
const PR_HEAD = "feedfacefeedfacefeedfacefeedfacefeedface";

let github: FakeGitHub;
let log: string;
let outputsFile: string;
const SECRET_VALUE = "s3cr3t-db-password-value";

beforeEach(async () => {
  github = await FakeGitHub.start();
  const scratch = mkdtempSync(path.join(root, ".test-output", "deploy-"));
  log = path.join(scratch, "invocations.jsonl");
  writeFileSync(log, "");
  // The stack's outputs after the update: one plain, one secret.
  outputsFile = path.join(scratch, "outputs.json");
  writeFileSync(
    outputsFile,
    JSON.stringify({
      dnsName: "inference-alb-1234567890.eu-west-1.elb.amazonaws.com",
      databasePassword: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(SECRET_VALUE) },
    }),
  );
  // The pull request that brought the commit, found through GET /commits/{sha}/pulls.
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

afterEach(async () => {
  await github.stop();
});

interface Invocation {
  readonly argv: readonly string[];
  readonly switches?: Record<string, string>;
}

function invocations(): Invocation[] {
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Invocation);
}

const ups = (): Invocation[] => invocations().filter((invocation) => invocation.argv[0] === "up");

function run(options: {
  preview: string;
  up?: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  eventName?: string;
  payload?: Record<string, unknown>;
}): Promise<ActionRun> {
  return runAction({
    inputs: { command: "up", engine: "pulumi", "stack-name": "dev", "work-dir": "fixtures/alb", "github-token": TOKEN, ...options.inputs },
    eventName: options.eventName ?? "workflow_dispatch",
    payload: options.payload ?? DISPATCH,
    apiUrl: github.url,
    sha: SHA,
    env: {
      PATH: `${path.join(root, "test/stand-in-pulumi/bin")}:${process.env.PATH ?? ""}`,
      STAND_IN_PULUMI_EVENTS: events(options.preview),
      STAND_IN_PULUMI_UP_EVENTS: events(options.up ?? "alb-up-succeeded.jsonl"),
      STAND_IN_PULUMI_STACKS: "dev",
      STAND_IN_PULUMI_LOG: log,
      STAND_IN_PULUMI_OUTPUTS: outputsFile,
      ...options.env,
    },
  });
}

describe("command up", () => {
  it("deploys exactly once, with --plan <the saved plan> and PULUMI_EXPERIMENTAL, when everything passes", async () => {
    const result = await run({ preview: "alb-preview-clean.jsonl" });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: "pass", deployed: "true", "failure-reason": "none" });
    const [up, ...more] = ups();
    expect(more).toEqual([]);
    const planIndex = up?.argv.indexOf("--plan") ?? -1;
    expect(planIndex).toBeGreaterThan(0);
    const previews = invocations().filter((invocation) => invocation.argv[0] === "preview");
    const saved = previews[0]?.argv[previews[0].argv.indexOf("--save-plan") + 1];
    expect(up?.argv[planIndex + 1]).toBe(saved);
    expect(up?.switches?.PULUMI_EXPERIMENTAL).toBe("true");
  });

  it("moves the pull request's comment from pending to deployed, with the stack outputs", async () => {
    await run({ preview: "alb-preview-clean.jsonl" });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.issueNumber).toBe(12);
    const writes = github.requests.filter((request) => request.method === "POST" && request.path.includes("/comments")).length;
    const updates = github.requests.filter((request) => request.method === "PATCH").length;
    expect([writes, updates]).toEqual([1, 1]);
    expect(github.comments[0]?.body).toContain("Deployed");
    expect(github.comments[0]?.body).toContain("| Stack output | Value |");
    // A run of 7 or more hex digits could be a commit id, which GitHub would link: a zero-width space breaks it.
    expect(github.comments[0]?.body).toContain(
      '| dnsName | \\"inference\\-alb\\-1&#8203;234567890\\.eu\\-west\\-1\\.elb\\.amazonaws\\.com\\" |',
    );
    expect(github.comments[0]?.body).toContain("| databasePassword | \\[secret\\] |");
    expect(github.comments[0]?.body).not.toContain(SECRET_VALUE);
    expect(github.statuses.map((status) => status.state)).toEqual(["pending", "success"]);
    // On the commit being deployed, not on the head of the pull request that brought it.
    expect(github.statuses.map((status) => status.sha)).toEqual([SHA, SHA]);
  });

  it("is never invoked on mandatory violations", async () => {
    const result = await run({ preview: "alb-preview-violations.jsonl" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "fail", deployed: "false", "failure-reason": "policy-violations" });
    expect(ups()).toEqual([]);
    expect(github.comments[0]?.body).toContain("Deploy blocked");
  });

  it("is never invoked when the preview fails", async () => {
    const result = await run({ preview: "alb-preview-program-error.jsonl" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "error", deployed: "false", "failure-reason": "preview-failed" });
    expect(ups()).toEqual([]);
  });

  it("is never invoked on deletes or replacements unless allow-destroy is true", async () => {
    const blocked = await run({ preview: "alb-preview-destroy.jsonl" });
    expect(blocked.exitCode).toBe(1);
    expect(blocked.outputs).toMatchObject({ deployed: "false", "failure-reason": "destroy-not-allowed" });
    expect(ups()).toEqual([]);
    expect(github.comments[0]?.body).toMatch(/Deploy blocked \(destroy-not-allowed\)[\s\S]*inference\\-tg/);
    const allowed = await run({ preview: "alb-preview-destroy.jsonl", inputs: { "allow-destroy": "true" } });
    expect(allowed.outputs.deployed).toBe("true");
    expect(ups()).toHaveLength(1);
  });

  it("is never invoked on a locked stack, and reports stack-locked without retrying", async () => {
    const result = await run({ preview: "alb-preview-clean.jsonl", env: { STAND_IN_PULUMI_LOCKED: "1" } });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "stack-locked" });
    expect(ups()).toEqual([]);
    expect(invocations().filter((invocation) => invocation.argv[0] === "preview")).toHaveLength(1);
  });

  it("reports an update that strays from its plan as deploy-failed", async () => {
    const result = await run({ preview: "alb-preview-clean.jsonl", up: "alb-up-violates-plan.jsonl" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "deploy-failed" });
    expect(ups()).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("Deploy failed");
  });

  it("never runs on a pull request's code", async () => {
    const result = await run({
      preview: "alb-preview-clean.jsonl",
      eventName: "pull_request",
      payload: webhookPayload("pull_request", "opened"),
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: "error", "failure-reason": "config-error", deployed: "false" });
    expect(invocations()).toEqual([]);
  });

  // The triggers that workflows use to check out a pull request's code, and events nobody
  // thought of: an allow-list (push, workflow_dispatch) refuses them all before any CLI call.
  it.each(["workflow_run", "issue_comment", "merge_group", "check_suite", "schedule", ""])(
    "never runs on a %j event: a config error naming the event and the list",
    async (eventName) => {
      const result = await run({ preview: "alb-preview-clean.jsonl", eventName, payload: DISPATCH });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toMatchObject({ verdict: "error", "failure-reason": "config-error", deployed: "false" });
      expect(result.report?.error).toMatchObject({
        message: `input command is "up" on a ${JSON.stringify(eventName)} event: a deploy runs only on push, workflow_dispatch (merged or explicitly dispatched code); add an event to input deploy-events to allow it`,
      });
      expect(invocations()).toEqual([]);
    },
  );

  it("runs on an event the workflow names in deploy-events", async () => {
    const result = await run({ preview: "alb-preview-clean.jsonl", eventName: "schedule", inputs: { "deploy-events": "schedule" } });
    expect(result.outputs).toMatchObject({ deployed: "true" });
    expect(ups()).toHaveLength(1);
  });

  it.each(["workflow_run", "pull_request_target", "issue_comment"])(
    "refuses %s in deploy-events: it runs a pull request's code",
    async (event) => {
      const result = await run({ preview: "alb-preview-clean.jsonl", eventName: event, inputs: { "deploy-events": `schedule\n${event}` } });
      expect(result.outputs).toMatchObject({ verdict: "error", "failure-reason": "config-error", deployed: "false" });
      expect(result.report?.error).toMatchObject({ message: expect.stringContaining(`input deploy-events has "${event}"`) as unknown });
      expect(invocations()).toEqual([]);
    },
  );
});

/** The pull request's check on head `headSha`, posting the comment with the fingerprint. */
async function reviewAt(stream: string, headSha: string): Promise<void> {
  const payload = webhookPayload("pull_request", "synchronize");
  const pullRequest = payload.pull_request as { number: number; head: { sha: string } };
  pullRequest.number = 12;
  pullRequest.head.sha = headSha;
  const result = await runAction({
    inputs: { engine: "pulumi", "stack-name": "dev", "work-dir": "fixtures/alb", "github-token": TOKEN },
    eventName: "pull_request",
    payload: { ...payload, number: 12, repository: DISPATCH.repository },
    apiUrl: github.url,
    env: {
      PATH: `${path.join(root, "test/stand-in-pulumi/bin")}:${process.env.PATH ?? ""}`,
      STAND_IN_PULUMI_EVENTS: events(stream),
      STAND_IN_PULUMI_STACKS: "dev",
    },
  });
  expect(result.outputs.verdict).toBe("pass");
}

describe("command up with require-reviewed-plan", () => {
  /** The pull request's check (command preview) posts the comment with the reviewed fingerprint. */
  async function review(stream: string): Promise<void> {
    await reviewAt(stream, PR_HEAD);
    expect(github.comments[0]?.body).toContain("pulumi-policy-gate:fingerprint=");
  }

  it("deploys what was reviewed", async () => {
    await review("alb-preview-clean.jsonl");
    const result = await run({ preview: "alb-preview-clean.jsonl", inputs: { "require-reviewed-plan": "true" } });
    expect(result.outputs).toMatchObject({ deployed: "true", "failure-reason": "none" });
    expect(ups()).toHaveLength(1);
  });

  it("refuses a plan that differs from the reviewed one, and the comment shows what differs", async () => {
    await review("alb-preview-clean.jsonl");
    const result = await run({
      preview: "alb-preview-destroy.jsonl",
      inputs: { "require-reviewed-plan": "true", "allow-destroy": "true" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "plan-changed" });
    expect(ups()).toEqual([]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/Deploy blocked \(plan\\?-changed\)[\s\S]*reviewed/);
    // The comment keeps the reviewed fingerprint, never the deploy's own.
    const rerun = await run({ preview: "alb-preview-destroy.jsonl", inputs: { "require-reviewed-plan": "true", "allow-destroy": "true" } });
    expect(rerun.outputs["failure-reason"]).toBe("plan-changed");
  });

  it("a deploy that does not require the reviewed plan still keeps it in the comment", async () => {
    await review("alb-preview-clean.jsonl");
    const unchecked = await run({ preview: "alb-preview-clean.jsonl" });
    expect(unchecked.outputs.deployed).toBe("true");
    expect(github.comments[0]?.body).toContain("pulumi-policy-gate:fingerprint=");
    const checked = await run({ preview: "alb-preview-clean.jsonl", inputs: { "require-reviewed-plan": "true" } });
    expect(checked.outputs.deployed).toBe("true");
  });

  it("refuses when no reviewed plan can be found", async () => {
    const result = await run({ preview: "alb-preview-clean.jsonl", inputs: { "require-reviewed-plan": "true" } });
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "no-reviewed-plan" });
    expect(ups()).toEqual([]);
  });

  it("a real push payload finds the pull request through the commit and reads its comment", async () => {
    await review("alb-preview-clean.jsonl");
    const result = await run({
      preview: "alb-preview-clean.jsonl",
      inputs: { "require-reviewed-plan": "true" },
      eventName: "push",
      payload: { ...PUSH, repository: DISPATCH.repository },
    });
    expect(result.outputs.deployed).toBe("true");
  });
});

describe("command up: the reviewed plan is bound to its values, its pull request's head and its saved plan", () => {
  const SG = "urn:pulumi:dev::alb::aws:ec2/securityGroup:SecurityGroup::alb-sg";
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(root, ".test-output", "deploy-binding-"));
  });

  /** The comment's text without Markdown escapes and the zero-width spaces that keep GitHub from linking commits. */
  const commentText = (): string =>
    (github.comments[0]?.body ?? "").replaceAll("\\", "").replaceAll("&#8203;", "").replaceAll("\u200b", "");

  it("refuses a value changed since the review (HTTPS opened as port 22, same property names), naming the resource and the property", async () => {
    await reviewAt("alb-preview-destroy.jsonl", PR_HEAD);
    const opened = path.join(scratch, "alb-preview-destroy-port-22.jsonl");
    writeFileSync(
      opened,
      readFileSync(events("alb-preview-destroy.jsonl"), "utf8")
        .replaceAll('"fromPort":443', '"fromPort":22')
        .replaceAll('"toPort":443', '"toPort":22'),
    );
    const result = await run({ preview: opened, inputs: { "require-reviewed-plan": "true", "allow-destroy": "true" } });
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "plan-changed" });
    expect(ups()).toEqual([]);
    expect(commentText()).toContain(`${SG}: the planned value of ingress differs from the reviewed one (update [ingress, tags, tagsAll])`);
    const same = await run({ preview: "alb-preview-destroy.jsonl", inputs: { "require-reviewed-plan": "true", "allow-destroy": "true" } });
    expect(same.outputs.deployed).toBe("true");
  });

  it("refuses a fingerprint computed for another head commit than the pull request's last, naming both", async () => {
    const earlier = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff";
    await reviewAt("alb-preview-clean.jsonl", earlier);
    const result = await run({ preview: "alb-preview-clean.jsonl", inputs: { "require-reviewed-plan": "true" } });
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "plan-changed" });
    expect(ups()).toEqual([]);
    expect(commentText()).toContain(`the reviewed plan was computed for commit ${earlier}, but the pull request's head is ${PR_HEAD}`);
    expect(commentText()).toContain(`reviewed head ${earlier} by run 4242, pull request head ${PR_HEAD}`);
  });

  it("never takes a version-1 fingerprint (names without values) for a reviewed plan", async () => {
    await reviewAt("alb-preview-clean.jsonl", PR_HEAD);
    const comment = github.comments[0];
    if (!comment) throw new Error("no comment");
    const v1 = deflateRawSync(Buffer.from(JSON.stringify({ version: 1, stack: "dev", changes: [] }))).toString("base64url");
    comment.body = comment.body.replace(/fingerprint=v2\.[A-Za-z0-9_-]+/, `fingerprint=v1.${v1}`);
    const result = await run({ preview: "alb-preview-clean.jsonl", inputs: { "require-reviewed-plan": "true" } });
    expect(result.outputs).toMatchObject({ deployed: "false", "failure-reason": "no-reviewed-plan" });
    expect(ups()).toEqual([]);
  });

  it("deploys a saved plan with its fingerprint, and refuses one swapped after the preview", async () => {
    const planFile = path.relative(root, path.join(scratch, "plan", "update-plan.json"));
    const preview = (): Promise<ActionRun> =>
      run({ preview: "alb-preview-clean.jsonl", inputs: { command: "preview", "plan-file": planFile } });
    expect((await preview()).outputs.verdict).toBe("pass");
    expect(JSON.parse(readFileSync(path.join(root, `${planFile}.fingerprint.json`), "utf8"))).toHaveProperty("planSha256");
    const kept = await run({ preview: "alb-preview-clean.jsonl", inputs: { "plan-file": planFile } });
    expect(kept.outputs).toMatchObject({ deployed: "true", "failure-reason": "none" });

    expect((await preview()).outputs.verdict).toBe("pass");
    const plan = path.join(root, planFile);
    writeFileSync(plan, readFileSync(plan, "utf8").replace("{", '{"swapped":true,'));
    const swapped = await run({ preview: "alb-preview-clean.jsonl", inputs: { "plan-file": planFile } });
    expect(swapped.outputs).toMatchObject({ deployed: "false", "failure-reason": "plan-changed" });
    expect(ups()).toHaveLength(1);
    expect(commentText()).toContain("the plan file is not the plan its fingerprint was saved with");
  });
});
