// Errors that end a check without a verdict. Each carries the reason a workflow can branch on;
// the message names the input, the value and what was expected. They are the user's to fix,
// not bugs: they are reported without a stack trace.

export type GateErrorReason =
  | "config-error" // bad arguments, a missing program, an invalid policy config
  | "preview-failed" // the program threw, did not compile or never finished
  | "policy-pack-failed" // the policy pack could not be started or crashed
  | "stack-locked" // another update holds the stack's lock: reported, never retried
  | "deploy-failed"; // the update ran and failed, or strayed from its plan

export class GateError extends Error {
  constructor(
    readonly reason: GateErrorReason,
    message: string,
    /** The Pulumi project, once it is known, so that the report can still name it. */
    readonly project?: string,
  ) {
    super(message);
    this.name = "GateError";
  }
}
