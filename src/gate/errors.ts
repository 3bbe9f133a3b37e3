// Errors that end a check without a verdict. Each carries the reason a workflow can branch on;
// the message names the value and what was expected. They are the user's to fix, not bugs:
// they are reported without a stack trace.
//
// Messages are neutral: an engine does not know whether the program directory came from the
// command line's --program or the action's work-dir input. An error about one of the user's
// inputs says which (`subject`), its message starts with the value as given, and each front end
// puts its own name for that input in front of it (see `errorMessage` in gate/decisions.ts).

import type { ReportedResource } from "./report.js";

export type GateErrorReason =
  | "config-error" // bad arguments, a missing program, an invalid policy config
  | "preview-failed" // the program threw, did not compile or never finished
  | "policy-pack-failed" // the policy pack could not be started or crashed
  | "stack-locked" // another update holds the stack's lock: reported, never retried
  | "deploy-failed"; // the update ran and failed, or strayed from its plan

/** The user inputs an engine can find fault with; each front end has its own name for each. */
export type GateSubject = "program" | "stack" | "policy-config" | "policy-pack" | "plan-file";

export interface GateErrorOptions {
  /** The Pulumi project, once it is known, so that the report can still name it. */
  readonly project?: string | undefined;
  /** The input the message is about: the message then starts with its value. */
  readonly subject?: GateSubject;
  /** What the engine said behind the error (a failed deploy's diagnostics), oldest first. */
  readonly details?: readonly string[];
  /** The resources the program had registered before it failed, for the report to count. */
  readonly resources?: readonly ReportedResource[];
}

export class GateError extends Error {
  readonly project: string | undefined;
  readonly subject: GateSubject | undefined;
  readonly details: readonly string[];
  readonly resources: readonly ReportedResource[];

  constructor(
    readonly reason: GateErrorReason,
    message: string,
    options: GateErrorOptions = {},
  ) {
    super(message);
    this.name = "GateError";
    this.project = options.project;
    this.subject = options.subject;
    this.details = options.details ?? [];
    this.resources = options.resources ?? [];
  }

  /** The same error, with the resources registered before it. */
  withResources(resources: readonly ReportedResource[]): GateError {
    const copy = new GateError(this.reason, this.message, {
      ...(this.project !== undefined ? { project: this.project } : {}),
      details: this.details,
      resources,
      ...(this.subject ? { subject: this.subject } : {}),
    });
    copy.stack = this.stack;
    return copy;
  }

  /** The same error, now knowing the project it is about. */
  withProject(project: string | undefined): GateError {
    if (project === undefined || this.project === project) return this;
    const copy = new GateError(this.reason, this.message, {
      project,
      details: this.details,
      resources: this.resources,
      ...(this.subject ? { subject: this.subject } : {}),
    });
    copy.stack = this.stack;
    return copy;
  }
}
