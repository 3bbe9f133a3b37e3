// A saved plan's fingerprint file: the fingerprint and the plan's sha256, so that a plan swapped
// in the artifact after the preview is told apart from the one reviewed.

import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintOf } from "../../src/deploy/fingerprint.js";
import { fingerprintFileOf, planSha256, readPlanFingerprint, savePlanFingerprint } from "../../src/deploy/plan-file.js";

const SG = "urn:pulumi:dev::alb::aws:ec2/securityGroup:SecurityGroup::alb-sg";
const fingerprint = {
  ...fingerprintOf("dev", [
    {
      urn: SG,
      type: "aws:ec2/securityGroup:SecurityGroup",
      name: "alb-sg",
      op: "update",
      changedProperties: ["tags"],
      inputDigests: { tags: "t".repeat(43) },
    },
  ]),
  runId: "4242",
};

function savedPlan(): string {
  const plan = path.join(mkdtempSync(path.join(os.tmpdir(), "plan-file-")), "update-plan.json");
  writeFileSync(plan, '{"resourcePlans":{"a":{"goal":{"inputs":{"port":443}}}}}\n');
  savePlanFingerprint(plan, fingerprint);
  return plan;
}

describe("plan-file fingerprints", () => {
  it("the fingerprint and the plan's sha256 are read back as saved", () => {
    const plan = savedPlan();
    const saved = readPlanFingerprint(plan);
    expect(saved.planSha256).toBe(planSha256(plan));
    expect(saved.fingerprint).toMatchObject({ digest: fingerprint.digest, runId: "4242", stack: "dev" });
  });

  it("a plan swapped after it was saved no longer has the recorded sha256", () => {
    const plan = savedPlan();
    writeFileSync(plan, '{"resourcePlans":{"a":{"goal":{"inputs":{"port":22}}}}}\n');
    expect(readPlanFingerprint(plan).planSha256).not.toBe(planSha256(plan));
  });

  it("a missing or malformed fingerprint file: nothing reviewed, no sha256", () => {
    const plan = savedPlan();
    writeFileSync(fingerprintFileOf(plan), "{not json");
    expect(readPlanFingerprint(plan)).toEqual({ fingerprint: undefined, planSha256: undefined });
    // A version-1 file held the fingerprint itself, with no plan digest.
    writeFileSync(fingerprintFileOf(plan), JSON.stringify({ version: 1, stack: "dev", changes: [] }));
    expect(readPlanFingerprint(plan)).toEqual({ fingerprint: undefined, planSha256: undefined });
  });

  it("no plan saved (a failed preview): no fingerprint file", () => {
    const plan = path.join(mkdtempSync(path.join(os.tmpdir(), "plan-file-")), "update-plan.json");
    savePlanFingerprint(plan, fingerprint);
    expect(readPlanFingerprint(plan).fingerprint).toBeUndefined();
  });
});
