// The gate's domain: what a run found (the report, the proposed changes) and where a deploy
// stands. Every front end renders these; every engine produces them. Plain data, no I/O.

import type { FailureReason, Report, ReportedResource } from "./report.js";

/** The step operations of Pulumi's engine (display.StepOp), as engine events spell them. */
export const OPERATIONS = [
  "same",
  "create",
  "update",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "read",
  "read-replacement",
  "refresh",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
  "import",
  "import-replacement",
] as const;

export type Operation = (typeof OPERATIONS)[number];

export function isOperation(op: string): op is Operation {
  return (OPERATIONS as readonly string[]).includes(op);
}

/**
 * Steps that delete something, or take something out of the stack: every step of a replacement,
 * deletes, and the discard / remove steps of read and pending-replace resources.
 */
export const DESTRUCTIVE_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>([
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);

export interface ResourceChange extends ReportedResource {
  readonly op: Operation;
  /** The properties that change (the engine's paths, from detailedDiff, else diffs), sorted. */
  readonly changedProperties: readonly string[];
  /**
   * Per top-level property of the step's planned new inputs, a sha256 of its value (secrets as
   * "[secret]", unknowns as the engine's placeholder): what binds a deploy to the reviewed values.
   * Absent when the step has no new inputs (a delete) or the engine shows none.
   */
  readonly inputDigests?: Readonly<Record<string, string>>;
}

/** op → number of resources, as the engine's summary counts them. */
export type ChangeSummary = Readonly<Record<string, number>>;

/** Does the summary propose anything but "same"? Undefined when no summary is known (offline). */
export function hasChanges(summary: ChangeSummary | undefined): boolean | undefined {
  if (summary === undefined) return undefined;
  return Object.entries(summary).some(([op, count]) => op !== "same" && count > 0);
}

/** A stack output after a deploy: secret values (at any depth) already replaced by "[secret]". */
export interface StackOutput {
  readonly value: unknown;
  /** The value is, or contains, a secret (or its secrecy could not be checked). */
  readonly secret: boolean;
}

/** Where a deploy (command up) stands, shown at the top of the comment. */
export interface DeployState {
  readonly phase: "pending" | "blocked" | "deployed" | "failed";
  readonly reason?: FailureReason;
  readonly message: string;
  readonly details: readonly string[];
  readonly changeSummary?: ChangeSummary;
  /** Stack outputs after a deploy; secret ones carry "[secret]", never their value. */
  readonly outputs?: Readonly<Record<string, StackOutput>>;
}

/** The one result of a run, which every output (comment, summary, annotations, status, outputs) is rendered from. */
export interface GateOutcome {
  readonly report: Report;
  readonly deploy?: DeployState;
  /** undefined when the engine knows no stack state (offline). */
  readonly changeSummary: ChangeSummary | undefined;
  readonly changes: readonly ResourceChange[];
  /** The last diagnostics of a failed preview (already without colour directives). */
  readonly diagnostics: readonly string[];
  readonly runUrl: string | undefined;
}
