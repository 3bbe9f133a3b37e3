// The event reducer on real engine event streams (fixtures/events, recorded by Pulumi's own
// test harness and CLI; see fixtures/events/SOURCES.md) and on streams of our own.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../../src/engine/pulumi/engine-events.js";
import { reduceEvents } from "../../../src/engine/pulumi/reduce-events.js";

function recorded(name: string): EngineEvent[] {
  const text = readFileSync(path.join(packageRoot(), "fixtures/events", name), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

/** The event with the operation of its step replaced, when it is a step of `urn`. */
function withOperation(event: EngineEvent, urn: string, op: string): EngineEvent {
  for (const key of ["resourcePreEvent", "resOutputsEvent"] as const) {
    const payload = event[key];
    if (payload?.metadata.urn === urn) return { ...event, [key]: { ...payload, metadata: { ...payload.metadata, op } } };
  }
  return event;
}

describe("reduceEvents on recorded streams", () => {
  it("one mandatory violation fails the gate, with the policy's own message and severity", () => {
    const { report, hasChanges } = reduceEvents(recorded("TestSimpleAnalyzeResourceFailure__eventstream.jsonl"), "test", "test");
    expect(report.verdict).toBe("fail");
    expect(report.failureReason).toBe("policy-violations");
    expect(report.engine).toBe("pulumi");
    expect(report.violations).toEqual([
      {
        policy: "always-fails",
        policyPack: "analyzerA",
        enforcementLevel: "mandatory",
        severity: "high",
        urn: "urn:pulumi:test::test::pkgA:m:typA::resA",
        resourceType: "pkgA:m:typA",
        message: "a policy failed",
      },
    ]);
    expect(hasChanges).toBe(false);
  });

  it("ten violations over every level and severity: five mandatory, five advisory, severities kept", () => {
    const { report } = reduceEvents(recorded("TestSimpleAnalyzeResourceMultipleViolations__eventstream.jsonl"), "test", "test");
    expect(report.verdict).toBe("fail");
    const levels = report.violations.map((violation) => `${violation.enforcementLevel}:${violation.severity ?? "-"}`).sort();
    expect(levels).toEqual([
      "advisory:-",
      "advisory:critical",
      "advisory:high",
      "advisory:low",
      "advisory:medium",
      "mandatory:-",
      "mandatory:critical",
      "mandatory:high",
      "mandatory:low",
      "mandatory:medium",
    ]);
  });

  it("a remediate policy is reported as mandatory and fails the gate", () => {
    const { report } = reduceEvents(
      recorded("TestSimpleAnalyzeResourceFailureRemediateDowngradedToMandatory__-0-0__eventstream.jsonl"),
      "test",
      "test",
    );
    expect(report.verdict).toBe("fail");
    expect(report.violations.map((violation) => violation.enforcementLevel)).toEqual(["mandatory"]);
  });

  it("a severity overridden by config is the one reported", () => {
    const { report } = reduceEvents(recorded("TestSimpleAnalyzeResourceFailureSeverityOverride__eventstream.jsonl"), "test", "test");
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]?.severity).toBeDefined();
  });

  it("advisory diagnostics only: the gate passes and still reports them", () => {
    const { report } = reduceEvents(recorded("TestRemediationDiagnostic__eventstream.jsonl"), "test", "test");
    expect(report.verdict).toBe("pass");
    expect(report.violations.map((violation) => [violation.enforcementLevel, violation.message])).toEqual([
      ["advisory", "warning - could not run due to unknowns"],
      ["advisory", "warning - could not run due to unknowns"],
    ]);
  });

  it("a preview that fails is an error carrying its diagnostics, without colour directives", () => {
    const { report, diagnostics } = reduceEvents(recorded("TestMissingRead__-0-0-preview__eventstream.jsonl"), "test", "test");
    expect(report.verdict).toBe("error");
    expect(report.failureReason).toBe("preview-failed");
    expect(report.error?.message).toBe("Preview failed: resource 'resA-some-id' does not exist\npreview failed");
    expect(diagnostics.map((diagnostic) => diagnostic.message).join()).not.toContain("<{%");
  });

  it("an update that strays from its saved plan is an error naming the resource", () => {
    const { report } = reduceEvents(recorded("TestPlannedPreviews__eventstream.jsonl"), "test", "test");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toContain("urn:pulumi:test::test::pkgA:m:typA::resA violates plan");
  });

  it("a failed step makes the run an error even without an error diagnostic", () => {
    const { report } = reduceEvents(recorded("failed-stacks-dont-rewrite-operations.jsonl"), "test", "dev");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toContain("urn:pulumi:dev::test::pulumi-python:dynamic:Resource::test-x");
  });

  it("an interrupted run from a CLI that sends no result is an error listing the unfinished steps", () => {
    const { report } = reduceEvents(recorded("up-interrupted.jsonl"), "myproject", "dev");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toMatch(/^the run was interrupted: 4 steps started and did not finish/);
  });

  it("a real update: the change summary, each resource's operation and the changed properties", () => {
    const { report, changeSummary, changes, hasChanges } = reduceEvents(recorded("up.jsonl"), "eks", "dev");
    expect(report.verdict).toBe("pass");
    expect(changeSummary).toEqual({ create: 1, same: 5 });
    expect(hasChanges).toBe(true);
    expect(changes.filter((change) => change.op === "create")).toHaveLength(1);
    expect(changes).toHaveLength(6);
  });

  it("an update with a detailed diff lists the changed properties", () => {
    const { changes } = reduceEvents(recorded("TestAutomaticDiff__eventstream.jsonl"), "test", "test");
    expect(changes).toHaveLength(1);
    expect(changes[0]?.op).toBe("update");
    expect(changes[0]?.changedProperties.length).toBeGreaterThan(0);
  });

  it("a step the gate does not know fails closed: an error naming the operation and the resource", () => {
    const urn = "urn:pulumi:dev::eks::aws:eks/cluster:Cluster::eks-cluster";
    const { report, changes } = reduceEvents(
      recorded("up.jsonl").map((event) => withOperation(event, urn, "frobnicate")),
      "eks",
      "dev",
    );
    expect(report.verdict).toBe("error");
    expect(report.failureReason).toBe("preview-failed");
    expect(report.error?.message).toBe(`the engine reported a step the gate does not know: "frobnicate" on ${urn}`);
    expect(changes.map((change) => change.urn)).not.toContain(urn);
  });

  it("an unknown step counts even when a later step of the same resource is known", () => {
    const urn = "urn:pulumi:dev::eks::aws:eks/cluster:Cluster::eks-cluster";
    const events = recorded("up.jsonl").map((event) => (event.resourcePreEvent ? withOperation(event, urn, "frobnicate") : event));
    const { report } = reduceEvents(events, "eks", "dev");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toBe(`the engine reported a step the gate does not know: "frobnicate" on ${urn}`);
  });

  it("a destroy with components counts deletes as changes", () => {
    const { changeSummary, hasChanges } = reduceEvents(recorded("destroy-with-components.jsonl"), "test", "dev");
    expect(changeSummary).toEqual({ delete: 2, same: 1 });
    expect(hasChanges).toBe(true);
  });

  it("nothing but 'same' is no change", () => {
    const { hasChanges, report } = reduceEvents(recorded("url-encoded-stack-output-diff.jsonl"), "test", "dev");
    expect(hasChanges).toBe(false);
    expect(report.verdict).toBe("pass");
  });
});

describe("reduceEvents on streams of our own", () => {
  const summary = (result?: string): EngineEvent => ({
    summaryEvent: {
      resourceChanges: { create: 1 },
      PolicyPacks: { "pulumi-policy-gate|local|/tmp/pack": "0.1.0" },
      isPreview: true,
      ...(result ? { result } : {}),
    },
  });
  const policy = (enforcementLevel: string, resourceUrn?: string): EngineEvent => ({
    policyEvent: {
      ...(resourceUrn ? { resourceUrn } : {}),
      message: "Listeners must redirect.\ndefaultActions[0] must redirect to HTTPS.",
      policyName: "alb-http-redirects-to-https",
      policyPackName: "pulumi-policy-gate",
      enforcementLevel,
    },
  });

  it("a stream that never reaches its summary is an error, never a pass", () => {
    const { report } = reduceEvents([{ preludeEvent: { config: {} } }], "p", "s");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toBe("the preview ended without a summary (the CLI stopped early)");
  });

  it("a stack-policy violation with no resource is attributed to the root stack", () => {
    const { report } = reduceEvents([policy("mandatory"), summary("failed")], "p", "s");
    expect(report.violations[0]?.urn).toBe("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s");
    expect(report.violations[0]?.resourceType).toBe("pulumi:pulumi:Stack");
    expect(report.violations[0]?.message).toBe("defaultActions[0] must redirect to HTTPS.");
  });

  it("local pack names lose the engine's |local|path suffix", () => {
    const { report } = reduceEvents([summary("succeeded")], "p", "s");
    expect(report.policyPacks).toEqual([{ name: "pulumi-policy-gate", version: "0.1.0" }]);
  });

  it("mandatory violations decide 'fail' even when the summary says failed and an error is printed", () => {
    const { report } = reduceEvents(
      [
        policy("mandatory", "urn:pulumi:s::p::aws:lb/listener:Listener::http"),
        { diagnosticEvent: { severity: "error", message: "preview failed" } },
        summary("failed"),
      ],
      "p",
      "s",
    );
    expect(report.verdict).toBe("fail");
    expect(report.failureReason).toBe("policy-violations");
  });

  it("a failed summary with no mandatory violation is an error", () => {
    const { report } = reduceEvents([policy("advisory", "urn:pulumi:s::p::aws:lb/listener:Listener::http"), summary("failed")], "p", "s");
    expect(report.verdict).toBe("error");
  });

  it("a canceled preview is an error", () => {
    expect(reduceEvents([summary("canceled")], "p", "s").report.verdict).toBe("error");
    expect(reduceEvents([{ cancelEvent: {} }], "p", "s").report.error?.message).toBe("the preview was canceled");
  });

  it("only the exact success value passes: any other result is an error", () => {
    for (const result of ["Succeeded", "partial", "skipped", " succeeded"]) {
      const { report } = reduceEvents([summary(result)], "p", "s");
      expect(report.verdict).toBe("error");
      expect(report.error?.message).toBe(`the engine's summary says ${JSON.stringify(result)}, not "succeeded"`);
    }
    expect(reduceEvents([{ summaryEvent: { result: "" } }], "p", "s").report.verdict).toBe("error");
  });

  it("more than one summary is an error, even when the last one says succeeded", () => {
    const { report } = reduceEvents([summary("failed"), summary("succeeded")], "p", "s");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toBe("the engine sent 2 summaries for one run, so none of them can be believed");
  });

  it("a resource name containing '::' is kept whole", () => {
    const urn = "urn:pulumi:s::p::aws:lb/listener:Listener::edge::http";
    const { changes } = reduceEvents(
      [{ resourcePreEvent: { metadata: { op: "create", urn, type: "aws:lb/listener:Listener" } } }, summary("succeeded")],
      "p",
      "s",
    );
    expect(changes[0]?.name).toBe("edge::http");
  });

  it("unknown payloads are ignored", () => {
    const { report } = reduceEvents(
      [{ startDebuggingEvent: { config: {} } }, { progressEvent: { id: "x" } }, summary("succeeded")],
      "p",
      "s",
    );
    expect(report.verdict).toBe("pass");
  });
});

/** The stream without the events `drop` picks. */
function without(events: readonly EngineEvent[], drop: (event: EngineEvent) => boolean): EngineEvent[] {
  return events.filter((event) => !drop(event));
}

function own(name: string): EngineEvent[] {
  return recorded(path.join("own", name));
}

describe("reduceEvents: every step that started has finished", () => {
  // Every recorded stream, as the operation that streamed it (planning steps are a preview's):
  // the check never rejects a real run that was not interrupted.
  const streams = readdirSync(path.join(packageRoot(), "fixtures/events")).filter((name) => name.endsWith(".jsonl"));
  it.each(streams)("%s: no finished step is taken for an unfinished one", (name) => {
    const events = recorded(name);
    const preview = events.some((event) => event.resourcePreEvent?.planning === true || event.summaryEvent?.isPreview === true);
    const { report } = reduceEvents(events, "test", "dev", { operation: preview ? "preview" : "update" });
    if (name === "up-interrupted.jsonl") expect(report.error?.message).toMatch(/^the run was interrupted/);
    else expect(report.error?.message ?? "").not.toMatch(/interrupted/);
  });

  it("the clean real update and the real stack-output diff pass as updates", () => {
    expect(reduceEvents(recorded("up.jsonl"), "eks", "dev", { operation: "update" }).report.verdict).toBe("pass");
    expect(reduceEvents(recorded("url-encoded-stack-output-diff.jsonl"), "u", "dev", { operation: "update" }).report.verdict).toBe("pass");
    expect(reduceEvents(recorded("destroy-with-components.jsonl"), "m", "dev", { operation: "update" }).report.verdict).toBe("pass");
  });

  it("a preview step with no outcome is an error naming the step, though the summary says succeeded", () => {
    const urn = "urn:pulumi:dev::alb::aws:lb/listener:Listener::https";
    const events = without(own("alb-preview-clean.jsonl"), (event) => event.resOutputsEvent?.metadata.urn === urn);
    const { report } = reduceEvents(events, "alb", "dev");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toBe(`the run was interrupted: 1 step started and did not finish (create ${urn})`);
  });

  it("steps are counted per URN: a replacement whose last step never finished is an error", () => {
    const urn = "urn:pulumi:dev::alb::aws:lb/targetGroup:TargetGroup::inference-tg";
    const clean = own("alb-preview-destroy.jsonl");
    expect(reduceEvents(clean, "alb", "dev").report.verdict).toBe("pass");
    const cut = without(
      clean,
      (event) => event.resOutputsEvent?.metadata.urn === urn && event.resOutputsEvent.metadata.op === "delete-replaced",
    );
    const { report } = reduceEvents(cut, "alb", "dev");
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toBe(`the run was interrupted: 1 step started and did not finish (delete-replaced ${urn})`);
  });

  it("an update: a component with no outputs is finished, a custom resource with none is not", () => {
    const stack = "urn:pulumi:dev::eks::pulumi:pulumi:Stack::eks-dev";
    const noStackOutputs = without(recorded("up.jsonl"), (event) => event.resOutputsEvent?.metadata.urn === stack);
    expect(reduceEvents(noStackOutputs, "eks", "dev", { operation: "update" }).report.verdict).toBe("pass");
    // The same stream as a preview: there every step reports its outcome.
    expect(reduceEvents(noStackOutputs, "eks", "dev").report.error?.message).toBe(
      `the run was interrupted: 1 step started and did not finish (same ${stack})`,
    );
    const cluster = "urn:pulumi:dev::eks::aws:eks/cluster:Cluster::eks-cluster";
    const noClusterOutputs = without(recorded("up.jsonl"), (event) => event.resOutputsEvent?.metadata.urn === cluster);
    expect(reduceEvents(noClusterOutputs, "eks", "dev", { operation: "update" }).report.error?.message).toBe(
      `the run was interrupted: 1 step started and did not finish (create ${cluster})`,
    );
  });

  it("the recorded interrupted update names its unfinished custom resources, not its component", () => {
    const { report } = reduceEvents(recorded("up-interrupted.jsonl"), "myproject", "dev", { operation: "update" });
    expect(report.error?.message).toBe(
      "the run was interrupted: 2 steps started and did not finish (create urn:pulumi:dev::myproject::aws:ec2/instance:Instance::interrupted-instance, update urn:pulumi:dev::myproject::aws:rds/instance:Instance::interrupted-db)",
    );
  });

  it("unfinished steps count even when the summary says succeeded", () => {
    const events = recorded("up-interrupted.jsonl").map((event) =>
      event.summaryEvent ? { ...event, summaryEvent: { ...event.summaryEvent, result: "succeeded" } } : event,
    );
    expect(reduceEvents(events, "myproject", "dev", { operation: "update" }).report.error?.message).toMatch(
      /^the run was interrupted: 2 steps/,
    );
  });
});

describe("reduceEvents: a summary without a result (CLIs before it was added)", () => {
  const withSummary = (events: readonly EngineEvent[], change: (summary: Record<string, unknown>) => Record<string, unknown>) =>
    events.map((event) => (event.summaryEvent ? { ...event, summaryEvent: change({ ...event.summaryEvent }) } : event));

  it("the recorded clean runs without a result pass", () => {
    for (const name of ["up.jsonl", "url-encoded-stack-output-diff.jsonl", "destroy-with-components.jsonl"]) {
      const events = recorded(name);
      expect(events.find((event) => event.summaryEvent)?.summaryEvent).not.toHaveProperty("result");
      expect(reduceEvents(events, "p", "dev", { operation: "update" }).report.verdict).toBe("pass");
    }
  });

  it("a result that is there but null, empty or another word is an error, not an old CLI's silence", () => {
    for (const result of [null, "", "Succeeded", "ok"]) {
      const { report } = reduceEvents(
        withSummary(recorded("up.jsonl"), (summary) => ({ ...summary, result })),
        "eks",
        "dev",
        {
          operation: "update",
        },
      );
      expect(report.verdict).toBe("error");
      expect(report.error?.message).toBe(`the engine's summary says ${JSON.stringify(result)}, not "succeeded"`);
    }
  });

  it("no result and an engine that says the state may be corrupt is an error", () => {
    const events = withSummary(recorded("up.jsonl"), (summary) => ({ ...summary, maybeCorrupt: true }));
    const { report } = reduceEvents(events, "eks", "dev", { operation: "update" });
    expect(report.verdict).toBe("error");
    expect(report.error?.message).toContain("maybeCorrupt");
  });

  it("no result and an error diagnostic, or a failed step, is an error", () => {
    const error: EngineEvent = { diagnosticEvent: { severity: "error", message: "update failed" } };
    const events = recorded("up.jsonl");
    const withError = [...events.slice(0, -2), error, ...events.slice(-2)];
    expect(reduceEvents(withError, "eks", "dev", { operation: "update" }).report.error?.message).toBe("update failed");
    expect(
      reduceEvents(recorded("failed-stacks-dont-rewrite-operations.jsonl"), "test", "dev", { operation: "update" }).report.verdict,
    ).toBe("error");
  });
});
