// decideDeploy, case by case: one passing, non-destructive, reviewed preview goes ahead; each
// case below changes one thing and must block, with its reason, message and details.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decideDeploy, type DeployDecisionArgs } from "../../src/deploy/deploy-decision.js";
import { changesAt, fingerprintOf, type ChangeFingerprint } from "../../src/deploy/fingerprint.js";
import { packageRoot } from "../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../src/engine/pulumi/engine-events.js";
import { reduceEvents, stepChanges } from "../../src/engine/pulumi/reduce-events.js";
import { DESTRUCTIVE_OPERATIONS as DESTRUCTIVE_OPS, type Operation, type ResourceChange } from "../../src/gate/outcome.js";

const OWN = path.join(packageRoot(), "fixtures", "events", "own");

function readEvents(file: string): EngineEvent[] {
  return readFileSync(path.join(OWN, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

const SG = "urn:pulumi:dev::alb::aws:ec2/securityGroup:SecurityGroup::alb-sg";
const TG = "urn:pulumi:dev::alb::aws:lb/targetGroup:TargetGroup::inference-tg";
const HTTP = "urn:pulumi:dev::alb::aws:lb/listener:Listener::http";

function change(urn: string, op: Operation, changedProperties: string[] = []): ResourceChange {
  return { urn, type: urn.split("::")[2] ?? "", name: urn.split("::").at(-1) ?? "", op, changedProperties };
}

/** A passing preview that updates the security group's tags, reviewed as it is. */
function args(overrides: Partial<DeployDecisionArgs> = {}): DeployDecisionArgs {
  const changes = overrides.changes ?? [change(SG, "update", ["tags.team"])];
  const current = overrides.current ?? fingerprintOf("dev", changes);
  return {
    verdict: "pass",
    failureReason: "none",
    allowDestroy: false,
    requireReviewedPlan: true,
    reviewed: current,
    ...overrides,
    changes,
    current,
  };
}

describe("decideDeploy", () => {
  it("a passing preview without destructive steps, the same as reviewed: go", () => {
    expect(decideDeploy(args())).toEqual({ go: true });
  });

  it("no reviewed plan required: go without one", () => {
    expect(decideDeploy(args({ requireReviewedPlan: false, reviewed: undefined }))).toEqual({ go: true });
  });

  it("no reviewed plan required: a reviewed fingerprint that differs is not consulted", () => {
    const reviewed: ChangeFingerprint = fingerprintOf("dev", []);
    expect(decideDeploy(args({ requireReviewedPlan: false, reviewed }))).toEqual({ go: true });
  });

  it("nothing to change: go (the update is a no-op)", () => {
    expect(decideDeploy(args({ changes: [change(SG, "same")] }))).toEqual({ go: true });
  });

  it("mandatory policy violations: policy-violations", () => {
    expect(decideDeploy(args({ verdict: "fail", failureReason: "policy-violations" }))).toEqual({
      go: false,
      reason: "policy-violations",
      message: "the preview has mandatory policy violations, so nothing is deployed",
      details: [],
    });
  });

  it.each([
    ["preview-failed", "preview-failed"],
    ["policy-pack-failed", "preview-failed"],
    ["internal-error", "preview-failed"],
    ["config-error", "config-error"],
    ["stack-locked", "stack-locked"],
  ] as const)("a preview that ended in error (%s): %s", (failureReason, reason) => {
    const decision = decideDeploy(args({ verdict: "error", failureReason }));
    expect(decision).toMatchObject({ go: false, reason });
  });

  it("the messages of errors say what happened and that nothing is deployed", () => {
    expect(decideDeploy(args({ verdict: "error", failureReason: "policy-pack-failed" }))).toMatchObject({
      message: "the preview did not complete (policy-pack-failed), so nothing is deployed",
    });
    expect(decideDeploy(args({ verdict: "error", failureReason: "stack-locked" }))).toMatchObject({
      message: "the stack is locked by another update, so nothing is deployed; run the deploy again once that update has finished",
    });
  });

  it("a pass that carries a failure reason is contradictory: preview-failed", () => {
    expect(decideDeploy(args({ failureReason: "preview-failed" }))).toEqual({
      go: false,
      reason: "preview-failed",
      message: "the preview's verdict is pass but its failure reason is preview-failed, so nothing is deployed",
      details: [],
    });
  });

  it.each([...DESTRUCTIVE_OPS])("a %s step without allow-destroy: destroy-not-allowed", (op) => {
    const decision = decideDeploy(args({ changes: [change(TG, op)] }));
    expect(decision).toMatchObject({ go: false, reason: "destroy-not-allowed" });
  });

  it("the same destructive steps with allow-destroy: go", () => {
    for (const op of DESTRUCTIVE_OPS) {
      expect(decideDeploy(args({ changes: [change(TG, op)], allowDestroy: true }))).toEqual({ go: true });
    }
  });

  it.each(["create", "update", "same", "read", "refresh", "import"] as const)("a %s step is not destructive", (op) => {
    expect(decideDeploy(args({ changes: [change(TG, op)] }))).toEqual({ go: true });
  });

  it("the destroy preview: the message counts the resources, the details list each with its steps", () => {
    const events = readEvents("alb-preview-destroy.jsonl");
    const changes = stepChanges(events);
    expect(decideDeploy(args({ changes }))).toEqual({
      go: false,
      reason: "destroy-not-allowed",
      message:
        "the update would delete or replace 2 resources, and allow-destroy is false; review them and set allow-destroy: true to deploy it",
      details: [`delete ${HTTP}`, `create-replacement, delete-replaced, replace ${TG}`],
    });
    // From reduceEvents, which keeps one step per resource, the same resources are found.
    const reduced = reduceEvents(events, "alb", "dev").changes;
    expect(decideDeploy(args({ changes: reduced, current: fingerprintOf("dev", stepChanges(events)) }))).toMatchObject({
      reason: "destroy-not-allowed",
      details: [`delete ${HTTP}`, `delete-replaced, replace ${TG}`],
    });
  });

  it("a destructive step only the fingerprint shows still counts", () => {
    const current: ChangeFingerprint = fingerprintOf("dev", [change(TG, "replace", ["port"])]);
    expect(decideDeploy(args({ changes: [], current, reviewed: current }))).toMatchObject({
      reason: "destroy-not-allowed",
      details: [`replace ${TG}`],
    });
  });

  it("require-reviewed-plan and no reviewed fingerprint: no-reviewed-plan, also when there is nothing to change", () => {
    const expected = {
      go: false,
      reason: "no-reviewed-plan",
      message:
        "require-reviewed-plan is set, but no reviewed plan was found for this stack: the pull request has no gate comment with a fingerprint of its changes (one written by an older version of the action does not count); run the gate on the pull request first",
      details: [],
    };
    expect(decideDeploy(args({ reviewed: undefined }))).toEqual(expected);
    expect(decideDeploy(args({ reviewed: undefined, changes: [] }))).toEqual(expected);
  });

  it("changes that differ from the reviewed ones: plan-changed, with each difference", () => {
    const reviewed = fingerprintOf("dev", [change(SG, "update", ["tags.team"])]);
    const changes = [change(SG, "update", ["ingress[1].cidrBlocks[0]", "tags.team"]), change(TG, "update", ["healthCheck.path"])];
    expect(decideDeploy(args({ changes, reviewed }))).toEqual({
      go: false,
      reason: "plan-changed",
      message:
        "the changes differ from the reviewed ones in 2 places, so nothing is deployed; run the gate on the pull request again and review its new preview",
      details: [`${SG}: reviewed update [tags], now update [ingress, tags]`, `${TG}: reviewed no change, now update [healthCheck]`],
    });
  });

  it("a reviewed change that is no longer proposed is a difference too", () => {
    const reviewed = fingerprintOf("dev", [change(SG, "update", ["tags"]), change(TG, "update", ["port"])]);
    expect(decideDeploy(args({ reviewed }))).toMatchObject({
      reason: "plan-changed",
      details: [`${TG}: reviewed update [port], now no change`],
    });
  });

  it("a fingerprint reviewed for another stack: plan-changed", () => {
    const reviewed = fingerprintOf("prod", [change(SG, "update", ["tags"])]);
    expect(decideDeploy(args({ reviewed }))).toMatchObject({
      reason: "plan-changed",
      details: ["(stack): reviewed stack prod, now stack dev"],
    });
  });

  it("the order of the checks: errors, then violations, then destructive steps, then the review", () => {
    const destructive = [change(HTTP, "delete")];
    expect(
      decideDeploy(args({ verdict: "error", failureReason: "preview-failed", changes: destructive, reviewed: undefined })),
    ).toMatchObject({ reason: "preview-failed" });
    expect(
      decideDeploy(args({ verdict: "fail", failureReason: "policy-violations", changes: destructive, reviewed: undefined })),
    ).toMatchObject({ reason: "policy-violations" });
    expect(decideDeploy(args({ changes: destructive, reviewed: undefined }))).toMatchObject({ reason: "destroy-not-allowed" });
    expect(decideDeploy(args({ changes: destructive, allowDestroy: true, reviewed: undefined }))).toMatchObject({
      reason: "no-reviewed-plan",
    });
  });

  it("the same names with another planned value: plan-changed, naming the resource and the property", () => {
    const reviewed = fingerprintOf("dev", [
      { ...change(SG, "update", ["ingress[1].fromPort"]), inputDigests: { ingress: "a".repeat(43), tags: "t".repeat(43) } },
    ]);
    const changes = [{ ...change(SG, "update", ["ingress[1].fromPort"]), inputDigests: { ingress: "b".repeat(43), tags: "t".repeat(43) } }];
    expect(decideDeploy(args({ changes, reviewed }))).toEqual({
      go: false,
      reason: "plan-changed",
      message:
        "the changes differ from the reviewed ones in 1 place, so nothing is deployed; run the gate on the pull request again and review its new preview",
      details: [`${SG}: the planned value of ingress differs from the reviewed one (update [ingress])`],
    });
  });

  it("a reviewed plan that kept one digest per resource: plan-changed, naming the resource", () => {
    const inputs = (port: string): ResourceChange => ({ ...change(SG, "update", ["ingress"]), inputDigests: { ingress: port.repeat(43) } });
    const reviewed = fingerprintOf("dev", [inputs("a")]);
    const current = fingerprintOf("dev", [inputs("b")]);
    expect(
      decideDeploy(
        args({
          changes: [inputs("b")],
          current,
          reviewed: { ...reviewed, detail: "resources", changes: changesAt(reviewed, "resources") },
        }),
      ),
    ).toMatchObject({
      reason: "plan-changed",
      details: [
        `${SG}: the planned input values differ from the reviewed ones (update [ingress]); the reviewed plan was too large to record them property by property`,
      ],
    });
  });

  it("a reviewed plan too large to list resource by resource: plan-changed, saying the difference cannot be located", () => {
    const current = fingerprintOf("dev", [change(SG, "update", ["tags"])]);
    const reviewed: ChangeFingerprint = { ...fingerprintOf("dev", [change(SG, "update", ["ingress"])]), detail: "digest", changes: [] };
    expect(decideDeploy(args({ current, reviewed }))).toMatchObject({
      reason: "plan-changed",
      details: [
        `the planned changes differ from the reviewed ones (reviewed digest ${reviewed.digest.slice(0, 12)}, now digest ${current.digest.slice(0, 12)}), but the reviewed plan was too large to record resource by resource, so the comment cannot say where`,
      ],
    });
  });

  it("a fingerprint of another head commit than the pull request's: plan-changed, naming both commits", () => {
    const current = fingerprintOf("dev", [change(SG, "update", ["tags.team"])]);
    const reviewed = { ...current, headSha: "1111111111111111111111111111111111111111", runId: "4242" };
    const head = "2222222222222222222222222222222222222222";
    expect(decideDeploy(args({ current, reviewed, pullRequestHead: head }))).toEqual({
      go: false,
      reason: "plan-changed",
      message: `the reviewed plan was computed for commit 1111111111111111111111111111111111111111, but the pull request's head is ${head}, so nothing is deployed; run the gate on the pull request's head commit and review its preview`,
      details: [`reviewed head 1111111111111111111111111111111111111111 by run 4242, pull request head ${head}`],
    });
    expect(decideDeploy(args({ current, reviewed: current, pullRequestHead: head }))).toMatchObject({ reason: "plan-changed" });
    expect(decideDeploy(args({ current, reviewed: { ...reviewed, headSha: head }, pullRequestHead: head }))).toEqual({ go: true });
  });

  it("a saved plan that is not the one its fingerprint was saved with: plan-changed", () => {
    expect(decideDeploy(args({ planFile: { sha256: "new", recorded: "old" } }))).toEqual({
      go: false,
      reason: "plan-changed",
      message:
        "the plan file is not the plan its fingerprint was saved with, so nothing is deployed; save the plan and its fingerprint again with a preview",
      details: ["plan file sha256 new, recorded old"],
    });
    expect(decideDeploy(args({ planFile: { sha256: "new", recorded: undefined } }))).toMatchObject({ reason: "plan-changed" });
    expect(decideDeploy(args({ planFile: { sha256: "same", recorded: "same" } }))).toEqual({ go: true });
  });
});
