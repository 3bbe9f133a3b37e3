// Whether `command: up` may go ahead after its preview. It fails closed: only a preview that
// passed, with nothing failed, whose destructive steps are allowed and, when a reviewed plan is
// required, whose changes are exactly the reviewed ones, is deployed. Everything else is a
// block with a reason a workflow can branch on, one message, and the details behind it.

import type { DeployBlockedReason, FailureReason } from "../gate/report.js";
import { DESTRUCTIVE_OPERATIONS, isOperation, type ResourceChange } from "../gate/outcome.js";
import { compareFingerprints, type ChangeFingerprint, type FingerprintDifference } from "./fingerprint.js";

/** Why a deploy does not go ahead: the preview's own failure, or one of the deploy's checks. */
export type DeployBlockReason =
  Extract<FailureReason, "policy-violations" | "preview-failed" | "config-error" | "stack-locked"> | DeployBlockedReason;

export type DeployDecision =
  | { readonly go: true }
  | { readonly go: false; readonly reason: DeployBlockReason; readonly message: string; readonly details: readonly string[] };

export interface DeployDecisionArgs {
  readonly verdict: "pass" | "fail" | "error";
  /** The report's failure reason: "none" when the verdict is pass. */
  readonly failureReason: string;
  /** The preview's changes (reduceEvents or stepChanges). */
  readonly changes: readonly ResourceChange[];
  /** Input allow-destroy: deletes and replacements may be deployed. */
  readonly allowDestroy: boolean;
  /** Input require-reviewed-plan: deploy only the changes fingerprinted on the pull request. */
  readonly requireReviewedPlan: boolean;
  /** The fingerprint in the pull request's last gate comment, if one was found. */
  readonly reviewed: ChangeFingerprint | undefined;
  /** The fingerprint of this run's preview. */
  readonly current: ChangeFingerprint;
  /** The head commit of the pull request whose comment holds `reviewed`; undefined for a saved plan. */
  readonly pullRequestHead?: string;
  /** A saved plan's sha256 now and as recorded beside it when it was saved; undefined without one. */
  readonly planFile?: { readonly sha256: string; readonly recorded: string | undefined };
}

function block(reason: DeployBlockReason, message: string, details: readonly string[] = []): DeployDecision {
  return { go: false, reason, message, details };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Each destructive resource once, with its operations: "delete urn:…", "replace urn:…". */
function destructiveResources(changes: readonly ResourceChange[], current: ChangeFingerprint): string[] {
  const ops = new Map<string, Set<string>>();
  const note = (urn: string, op: string): void => {
    if (!isOperation(op) || !DESTRUCTIVE_OPERATIONS.has(op)) return;
    ops.set(urn, (ops.get(urn) ?? new Set<string>()).add(op));
  };
  for (const change of changes) note(change.urn, change.op);
  // The fingerprint's merged ops too ("replace", "create+delete"), should the two ever disagree.
  for (const change of current.changes) for (const op of change.op.split("+")) note(change.urn, op);
  return [...ops].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([urn, kinds]) => `${[...kinds].sort().join(", ")} ${urn}`);
}

function fromPreviewError(failureReason: string): DeployDecision {
  if (failureReason === "stack-locked") {
    return block(
      "stack-locked",
      "the stack is locked by another update, so nothing is deployed; run the deploy again once that update has finished",
    );
  }
  if (failureReason === "config-error") {
    return block("config-error", "the preview could not start because of its configuration, so nothing is deployed");
  }
  return block("preview-failed", `the preview did not complete (${failureReason}), so nothing is deployed`);
}

function describeDifference(difference: FingerprintDifference): string {
  if (difference.urn === "(plan)") {
    return `the planned changes differ from the reviewed ones (reviewed ${difference.reviewed ?? "?"}, now ${difference.now ?? "?"}), but the reviewed plan was too large to record resource by resource, so the comment cannot say where`;
  }
  if (difference.valuesUnnamed) {
    return `${difference.urn}: the planned input values differ from the reviewed ones (${difference.now ?? "no change"}); the reviewed plan was too large to record them property by property`;
  }
  if (difference.values && difference.values.length > 0) {
    const names = difference.values.join(", ");
    return `${difference.urn}: the planned ${difference.values.length === 1 ? "value" : "values"} of ${names} ${difference.values.length === 1 ? "differs" : "differ"} from the reviewed ${difference.values.length === 1 ? "one" : "ones"} (${difference.now ?? "no change"})`;
  }
  return `${difference.urn}: reviewed ${difference.reviewed ?? "no change"}, now ${difference.now ?? "no change"}`;
}

/** A reviewed fingerprint bound to something else: another plan file, or another pull-request head. */
function bindingProblem(reviewed: ChangeFingerprint, args: DeployDecisionArgs): { message: string; details: string[] } | undefined {
  const { planFile, pullRequestHead } = args;
  if (planFile && planFile.sha256 !== planFile.recorded) {
    return {
      message:
        "the plan file is not the plan its fingerprint was saved with, so nothing is deployed; save the plan and its fingerprint again with a preview",
      details: [`plan file sha256 ${planFile.sha256}, recorded ${planFile.recorded ?? "none"}`],
    };
  }
  if (pullRequestHead !== undefined && reviewed.headSha !== pullRequestHead) {
    return {
      message: `the reviewed plan was computed for commit ${reviewed.headSha ?? "(none recorded)"}, but the pull request's head is ${pullRequestHead}, so nothing is deployed; run the gate on the pull request's head commit and review its preview`,
      details: [
        `reviewed head ${reviewed.headSha ?? "(none recorded)"}${reviewed.runId ? ` by run ${reviewed.runId}` : ""}, pull request head ${pullRequestHead}`,
      ],
    };
  }
  return undefined;
}

export function decideDeploy(args: DeployDecisionArgs): DeployDecision {
  const { verdict, failureReason, changes, allowDestroy, requireReviewedPlan, reviewed, current } = args;

  if (verdict === "error") return fromPreviewError(failureReason);
  if (verdict === "fail") {
    return block("policy-violations", "the preview has mandatory policy violations, so nothing is deployed");
  }
  if (verdict !== "pass" || failureReason !== "none") {
    // A pass that carries a failure reason is contradictory: do not guess which one is right.
    return block(
      "preview-failed",
      `the preview's verdict is ${String(verdict)} but its failure reason is ${failureReason}, so nothing is deployed`,
    );
  }

  const destructive = destructiveResources(changes, current);
  if (destructive.length > 0 && !allowDestroy) {
    return block(
      "destroy-not-allowed",
      `the update would delete or replace ${plural(destructive.length, "resource", "resources")}, and allow-destroy is false; review them and set allow-destroy: true to deploy it`,
      destructive,
    );
  }

  if (requireReviewedPlan) {
    if (!reviewed) {
      return block(
        "no-reviewed-plan",
        "require-reviewed-plan is set, but no reviewed plan was found for this stack: the pull request has no gate comment with a fingerprint of its changes (one written by an older version of the action does not count); run the gate on the pull request first",
      );
    }
    const binding = bindingProblem(reviewed, args);
    if (binding) return block("plan-changed", binding.message, binding.details);
    const differences = compareFingerprints(reviewed, current);
    if (differences.length > 0) {
      return block(
        "plan-changed",
        `the changes differ from the reviewed ones in ${plural(differences.length, "place", "places")}, so nothing is deployed; run the gate on the pull request again and review its new preview`,
        differences.map(describeDifference),
      );
    }
  }

  return { go: true };
}
