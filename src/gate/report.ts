// The gate's report: one plain-data result that every output is rendered from (stdout, the
// JSON file, the Markdown summary, and later the PR comment). Both engines produce it.

import type { EngineName } from "../engine/engines.js";
import type { GateErrorReason } from "./errors.js";

export type Verdict = "pass" | "fail" | "error";
/** Why a deploy (command up) did not go ahead, besides the gate's own reasons. */
export type DeployBlockedReason = "destroy-not-allowed" | "plan-changed" | "no-reviewed-plan";
export type FailureReason = "none" | "policy-violations" | GateErrorReason | DeployBlockedReason | "internal-error";

/** Where the program declared a resource: a path relative to the repository root, 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

export interface ReportedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The declaration site, when the engine knows it (the offline engine does). */
  readonly location?: SourceLocation;
}

export interface Violation {
  readonly policy: string;
  readonly policyPack: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity?: "low" | "medium" | "high" | "critical";
  readonly urn: string;
  readonly resourceType: string;
  readonly message: string;
  /** The declaration site of the resource, when the engine knows it. */
  readonly location?: SourceLocation;
}

export interface PolicyPackSummary {
  readonly name: string;
  readonly version: string;
}

export interface Report {
  readonly verdict: Verdict;
  readonly failureReason: FailureReason;
  readonly engine: EngineName;
  readonly project: string;
  readonly stack: string;
  readonly policyPacks: readonly PolicyPackSummary[];
  readonly resources: readonly ReportedResource[];
  readonly violations: readonly Violation[];
  /** Things the user should know that do not change the verdict (an ignored config key, …). */
  readonly warnings: readonly string[];
  /**
   * The components whose insides the check did not see (their plugin was not available and the
   * user let the check go on: unbuilt-components "warn"), by URN; absent when there are none.
   */
  readonly uncheckedComponents?: readonly string[];
  readonly error?: { readonly reason: FailureReason; readonly message: string };
}

export function countViolations(violations: readonly Violation[]): { mandatory: number; advisory: number } {
  let mandatory = 0;
  for (const violation of violations) if (violation.enforcementLevel === "mandatory") mandatory++;
  return { mandatory, advisory: violations.length - mandatory };
}

/** The gate's decision: fail on any mandatory violation, pass otherwise. Errors are decided by the caller. */
export function decide(violations: readonly Violation[]): { verdict: "pass" | "fail"; failureReason: "none" | "policy-violations" } {
  return countViolations(violations).mandatory > 0
    ? { verdict: "fail", failureReason: "policy-violations" }
    : { verdict: "pass", failureReason: "none" };
}

/** Mandatory first, then by resource, then by policy: the order every rendering uses. */
export function sortViolations(violations: readonly Violation[]): Violation[] {
  const rank = (violation: Violation): number => (violation.enforcementLevel === "mandatory" ? 0 : 1);
  return [...violations].sort(
    (a, b) => rank(a) - rank(b) || a.urn.localeCompare(b.urn) || a.policy.localeCompare(b.policy) || a.message.localeCompare(b.message),
  );
}
