// The gate's decisions, made once for every front end: fail-on, the commit status, the failure
// reason, whether the step fails, and the report an error becomes.

import { describe, expect, it } from "vitest";
import {
  applyFailOn,
  commitStatusOf,
  errorMessage,
  errorReport,
  failureReasonOf,
  stepFailure,
  type SubjectNames,
} from "../../src/gate/decisions.js";
import { GateError } from "../../src/gate/errors.js";
import type { DeployState, GateOutcome } from "../../src/gate/outcome.js";
import type { Report, Violation } from "../../src/gate/report.js";

function violation(enforcementLevel: Violation["enforcementLevel"]): Violation {
  return {
    policy: "lb-tls-1-2-minimum",
    policyPack: "pulumi-policy-gate",
    enforcementLevel,
    urn: "urn:pulumi:dev::alb::aws:lb/listener:Listener::https",
    resourceType: "aws:lb/listener:Listener",
    message: "m",
  };
}

function outcome(report: Partial<Report>, deploy?: DeployState): GateOutcome {
  return {
    report: {
      verdict: "pass",
      failureReason: "none",
      engine: "offline",
      project: "alb",
      stack: "dev",
      policyPacks: [],
      resources: [],
      violations: [],
      warnings: [],
      ...report,
    },
    ...(deploy ? { deploy } : {}),
    changeSummary: undefined,
    changes: [],
    diagnostics: [],
    runUrl: undefined,
  };
}

const NAMES: SubjectNames = {
  program: "--program",
  stack: "--stack",
  "policy-config": "--policy-config",
  "policy-pack": "--policy-pack",
  "plan-file": "--plan",
};

describe("applyFailOn", () => {
  const advisoryOnly = outcome({ violations: [violation("advisory")] });

  it("advisory turns a pass with advisory violations into a fail", () => {
    expect(applyFailOn(advisoryOnly, "advisory").report).toMatchObject({ verdict: "fail", failureReason: "policy-violations" });
  });

  it("mandatory and never keep the engine's verdict", () => {
    expect(applyFailOn(advisoryOnly, "mandatory")).toBe(advisoryOnly);
    expect(applyFailOn(advisoryOnly, "never")).toBe(advisoryOnly);
  });

  it("advisory leaves a clean pass and an error alone", () => {
    const clean = outcome({});
    const error = outcome({ verdict: "error", failureReason: "preview-failed", violations: [violation("advisory")] });
    expect(applyFailOn(clean, "advisory")).toBe(clean);
    expect(applyFailOn(error, "advisory")).toBe(error);
  });
});

describe("commitStatusOf", () => {
  it("says on a pass that components were not checked inside (unbuilt-components warn)", () => {
    const urn = "urn:pulumi:dev::alb::awsx:lb:ApplicationLoadBalancer::web";
    expect(commitStatusOf(outcome({ uncheckedComponents: [urn] }))).toEqual({
      state: "success",
      description: "No policy violations; 1 component NOT checked inside",
    });
    expect(commitStatusOf(outcome({ uncheckedComponents: [urn, `${urn}2`], violations: [violation("advisory")] })).description).toBe(
      "0 mandatory, 1 advisory policy violation; 2 components NOT checked inside",
    );
  });

  it("follows the verdict", () => {
    expect(commitStatusOf(outcome({}))).toEqual({ state: "success", description: "No policy violations" });
    expect(commitStatusOf(outcome({ violations: [violation("advisory")] }))).toEqual({
      state: "success",
      description: "0 mandatory, 1 advisory policy violation",
    });
    expect(
      commitStatusOf(
        outcome({ verdict: "fail", failureReason: "policy-violations", violations: [violation("mandatory"), violation("mandatory")] }),
      ),
    ).toEqual({
      state: "failure",
      description: "2 mandatory, 0 advisory policy violations",
    });
    expect(
      commitStatusOf(
        outcome({
          verdict: "error",
          failureReason: "preview-failed",
          error: { reason: "preview-failed", message: "it threw\nat index.ts" },
        }),
      ),
    ).toEqual({
      state: "error",
      description: "Could not evaluate: it threw at index.ts",
    });
  });

  it("follows a deploy's phase when there is one", () => {
    expect(commitStatusOf(outcome({}, { phase: "pending", message: "", details: [] })).state).toBe("pending");
    expect(commitStatusOf(outcome({}, { phase: "deployed", message: "", details: [] }))).toEqual({
      state: "success",
      description: "Deployed",
    });
    expect(commitStatusOf(outcome({}, { phase: "blocked", reason: "plan-changed", message: "the plan\nchanged", details: [] }))).toEqual({
      state: "failure",
      description: "Deploy blocked: the plan changed",
    });
  });
});

describe("failureReasonOf and stepFailure", () => {
  it("a deploy that did not happen gives its own reason, and fails the step", () => {
    const blocked = outcome({}, { phase: "blocked", reason: "destroy-not-allowed", message: "deletes", details: [] });
    expect(failureReasonOf(blocked)).toBe("destroy-not-allowed");
    expect(stepFailure(blocked, "mandatory", true)).toBe("pulumi-policy-gate: not deployed: destroy-not-allowed: deletes");
    expect(failureReasonOf(outcome({}, { phase: "failed", message: "x", details: [] }))).toBe("deploy-failed");
  });

  it("a pass succeeds; a deploy requested and done succeeds", () => {
    expect(stepFailure(outcome({}), "mandatory", false)).toBeUndefined();
    expect(stepFailure(outcome({}, { phase: "deployed", message: "", details: [] }), "mandatory", true)).toBeUndefined();
  });

  it("a fail fails the step unless fail-on is never; an error always does", () => {
    const failed = outcome({ verdict: "fail", failureReason: "policy-violations", violations: [violation("mandatory")] });
    expect(stepFailure(failed, "mandatory", false)).toBe("pulumi-policy-gate: 1 mandatory and 0 advisory policy violations");
    expect(stepFailure(failed, "never", false)).toBeUndefined();
    const error = outcome({ verdict: "error", failureReason: "config-error", error: { reason: "config-error", message: "bad" } });
    expect(stepFailure(error, "never", false)).toBe("pulumi-policy-gate: config-error: bad");
  });
});

describe("errorReport", () => {
  it("names the input the way the front end does, and keeps the error's reason and project", () => {
    const error = new GateError("config-error", "infra: no such directory; expected the directory of a Pulumi project", {
      subject: "program",
      project: "alb",
    });
    expect(errorMessage(error, NAMES)).toBe("--program infra: no such directory; expected the directory of a Pulumi project");
    expect(errorReport(error, { ...NAMES, program: "input work-dir" }, { engine: "pulumi", project: "", stack: "dev" })).toEqual({
      verdict: "error",
      failureReason: "config-error",
      engine: "pulumi",
      project: "alb",
      stack: "dev",
      policyPacks: [],
      resources: [],
      violations: [],
      warnings: [],
      error: { reason: "config-error", message: "input work-dir infra: no such directory; expected the directory of a Pulumi project" },
    });
  });

  it("an error that is not the gate's own is an internal error, never a pass", () => {
    const report = errorReport(new TypeError("boom"), NAMES, { engine: "offline", project: "p", stack: "s" });
    expect(report).toMatchObject({
      verdict: "error",
      failureReason: "internal-error",
      project: "p",
      error: { reason: "internal-error", message: "boom" },
    });
    expect(errorMessage("a string", NAMES)).toBe("a string");
  });
});
