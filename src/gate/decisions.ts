// The gate's decisions, made once for every front end: the verdict under fail-on, the commit
// status, the failure reason a workflow branches on, whether the step fails, and the one report
// an error becomes. Pure functions of the outcome.

import { GateError, type GateSubject } from "./errors.js";
import type { GateOutcome } from "./outcome.js";
import { countViolations, type FailureReason, type Report } from "./report.js";
import type { EngineName } from "../engine/engines.js";
import { plainLine } from "../report/untrusted-text.js";

export type FailOn = "mandatory" | "advisory" | "never";
export type CommitState = "success" | "failure" | "error" | "pending";

/** What a front end calls each input an engine can find fault with ("--program", "input work-dir"). */
export type SubjectNames = Readonly<Record<GateSubject, string>>;

/** fail-on "advisory" makes any violation fail the gate; the other levels keep the engine's verdict. */
export function applyFailOn(outcome: GateOutcome, failOn: FailOn): GateOutcome {
  const { report } = outcome;
  if (failOn !== "advisory" || report.verdict !== "pass" || report.violations.length === 0) return outcome;
  return { ...outcome, report: { ...report, verdict: "fail", failureReason: "policy-violations" } };
}

/** The commit status of a run: a deploy's phase when there is one, else the verdict. */
export function commitStatusOf(outcome: GateOutcome): { readonly state: CommitState; readonly description: string } {
  const { report, deploy } = outcome;
  if (deploy?.phase === "pending") return { state: "pending", description: "Deploy pending: checks passed" };
  if (deploy?.phase === "blocked" || deploy?.phase === "failed")
    return { state: "failure", description: `Deploy ${deploy.phase}: ${plainLine(deploy.message)}` };
  if (deploy?.phase === "deployed") return { state: "success", description: "Deployed" };
  const { mandatory, advisory } = countViolations(report.violations);
  const counts = `${mandatory} mandatory, ${advisory} advisory policy violation${mandatory + advisory === 1 ? "" : "s"}`;
  // A pass that did not see inside some components says so where most reviewers look first.
  const unchecked = report.uncheckedComponents?.length ?? 0;
  const unseen = unchecked > 0 ? `; ${unchecked} component${unchecked === 1 ? "" : "s"} NOT checked inside` : "";
  if (report.verdict === "pass") {
    return { state: "success", description: `${mandatory + advisory === 0 ? "No policy violations" : counts}${unseen}` };
  }
  if (report.verdict === "fail") return { state: "failure", description: counts };
  return { state: "error", description: `Could not evaluate: ${plainLine(report.error?.message ?? report.failureReason)}` };
}

/** The failure reason a workflow branches on: a deploy's own when it did not happen. */
export function failureReasonOf(outcome: GateOutcome): FailureReason {
  const deploy = outcome.deploy;
  if (deploy && (deploy.phase === "blocked" || deploy.phase === "failed")) return deploy.reason ?? "deploy-failed";
  return outcome.report.failureReason;
}

/** Why the step fails, or undefined when it succeeds. A deploy that was asked for and did not happen fails it. */
export function stepFailure(outcome: GateOutcome, failOn: FailOn | undefined, deployRequested: boolean): string | undefined {
  const { report } = outcome;
  const { mandatory, advisory } = countViolations(report.violations);
  if (report.verdict === "error")
    return `pulumi-policy-gate: ${report.failureReason}: ${plainLine(report.error?.message ?? "the gate could not evaluate")}`;
  if (report.verdict === "fail" && failOn !== "never")
    return `pulumi-policy-gate: ${mandatory} mandatory and ${advisory} advisory policy violations`;
  if (deployRequested && outcome.deploy?.phase !== "deployed") {
    return `pulumi-policy-gate: not deployed: ${failureReasonOf(outcome)}: ${plainLine(outcome.deploy?.message ?? "")}`;
  }
  return undefined;
}

/** An error's message as the user reads it: about one of their inputs, under the front end's name for it. */
export function errorMessage(error: unknown, names: SubjectNames): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof GateError && error.subject ? `${names[error.subject]} ${message}` : message;
}

/** The report of a run that ended in an error: the verdict is "error", never a pass. */
export function errorReport(
  error: unknown,
  names: SubjectNames,
  run: { readonly engine: EngineName; readonly project: string; readonly stack: string },
): Report {
  const reason: FailureReason = error instanceof GateError ? error.reason : "internal-error";
  return {
    verdict: "error",
    failureReason: reason,
    engine: run.engine,
    project: error instanceof GateError && error.project ? error.project : run.project,
    stack: run.stack,
    policyPacks: [],
    // What the program had registered before it failed: the report counts them.
    resources: error instanceof GateError ? error.resources : [],
    violations: [],
    warnings: [],
    error: { reason, message: errorMessage(error, names) },
  };
}
