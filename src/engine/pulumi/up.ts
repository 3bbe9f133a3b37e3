// The deploy: `pulumi up --plan <saved plan>` of a stack through the Automation API, bound to the
// plan that the gate's preview saved (PULUMI_EXPERIMENTAL is set: the flag is experimental). The
// engine refuses a step that strays from the plan ("violates plan"). The result comes from the
// engine events; the update runs once: a locked stack is reported (stack-locked), not retried.
//
// It resolves only for an update that succeeded, by its events and by the CLI. A failure before
// the engine ran is a GateError (config-error, stack-locked, deploy-failed); a failure after it
// is a DeployFailedError (a GateError, reason deploy-failed) that carries what the events say
// happened up to the failure, since some resources may already have changed.
//
// The update runs without policy packs (`up --plan` is not given any): the evidence that the
// bundled pack ran is the preview's. Every deploy comes after a preview of the same run with the
// bundled pack, and goes ahead only on its pass (deploy/deploy-decision.ts), which needs the
// engine's evidence that the pack ran at the version the action ships (pack-evidence.ts). The plan
// deployed is that preview's own, or an earlier saved plan bound by its sha256 to the fingerprint
// of the preview that saved it, a fingerprint that must equal this preview's; and the engine
// refuses any step that strays from the plan.
//
// Secrets stay secret: stack outputs are returned with every secret value, at any depth,
// replaced by "[secret]". Values in "violates plan" messages (which the engine prints in plain
// text, secrets included) are withheld; the property names are kept.

import path from "node:path";
import { GateError } from "../../gate/errors.js";
import type { StackOutput } from "../../gate/outcome.js";
import type { EngineEvent } from "./engine-events.js";
import { checkPlanFile } from "./inputs.js";
import type { PreviewReduction } from "./reduce-events.js";
import { cliFailedAfterEngine, runSession, USER_AGENT, type SessionOptions } from "./session.js";
import { safeOutputs } from "./stack-outputs.js";

export interface PulumiUpOptions extends SessionOptions {
  /** The update plan saved by the preview (`preview --save-plan`): the update cannot stray from it. */
  readonly plan: string;
}

export interface PulumiUpResult {
  /** The update's engine events, reduced. */
  readonly reduction: PreviewReduction;
  readonly outputs: Record<string, StackOutput>;
  /** The CLI's exit code: 0 when the update succeeded; undefined when there was none. */
  readonly exitCode: number | undefined;
  readonly stderrTail: string;
}

/** An update that ran and failed: `result` is what the events say happened until then. */
export class DeployFailedError extends GateError {
  constructor(
    message: string,
    project: string | undefined,
    readonly result: PulumiUpResult,
  ) {
    super("deploy-failed", message, { project, details: result.reduction.diagnostics.map((diagnostic) => diagnostic.message) });
    this.name = "DeployFailedError";
  }
}

const WHEN_LOCKED =
  "another update is in progress, so this one did not start and is not retried. Run the deploy again once that update has finished, or cancel it with `pulumi cancel` if it is stuck";
const PROPERTY_CHANGE = /^[~+=-]{1,2}[A-Za-z0-9_$.-]+$/;

const PLAN_VALUES_LEAD = "violates plan: properties changed: ";

/**
 * The property list after PLAN_VALUES_LEAD at `start`: its names, where it ends (the first line
 * break outside the values, else the end of the text), and whether it could be split into names
 * safely. Colour directives between entries are skipped.
 */
function parsePlanList(text: string, start: number): { names: string[]; end: number; safe: boolean } {
  const names: string[] = [];
  let name = "";
  let depth = 0;
  let closed = false;
  let safe = true;
  let index = start;
  for (; index < text.length; index++) {
    const character = text[index] ?? "";
    if (depth > 0) {
      if (character === "[") depth++;
      else if (character === "]" && --depth === 0) closed = true;
      continue;
    }
    if (character === "\n") break;
    const directiveEnd = text.startsWith("<{%", index) ? text.indexOf("%}>", index) : -1;
    if (directiveEnd >= 0) {
      index = directiveEnd + 2;
    } else if (character === "[") {
      // A second value after a value: the first one's brackets ended early.
      if (closed) safe = false;
      depth = 1;
    } else if (character === ",") {
      names.push(name.trim());
      name = "";
      closed = false;
    } else {
      // Text right after a value's closing bracket is the rest of a value with a stray "]".
      if (closed && character.trim() !== "") safe = false;
      name += character;
    }
  }
  if (name.trim() !== "") names.push(name.trim());
  return {
    names,
    end: index,
    safe: safe && depth === 0 && names.length > 0 && names.every((candidate) => PROPERTY_CHANGE.test(candidate)),
  };
}

/**
 * A "violates plan: properties changed: ~~subnets[{…}!={…}], +-tags[{…}]" message with the
 * values left out: "… properties changed: ~~subnets, +-tags (values withheld)". The engine
 * formats the values with Go's %v, secrets included, and a value can hold brackets, commas and
 * line breaks: a value over several lines is withheld whole, lines after the first included.
 * When the list cannot be split into names safely, no name is kept either, and nothing after it.
 * Text after the list (the next lines) is kept only when it holds no "]": every value the engine
 * prints ends with one, so a line with one may be the rest of a value.
 */
export function withholdPlanValues(message: string): string {
  let result = "";
  let from = 0;
  for (;;) {
    const found = message.indexOf(PLAN_VALUES_LEAD, from);
    if (found < 0) return result + message.slice(from);
    const start = found + PLAN_VALUES_LEAD.length;
    const { names, end, safe } = parsePlanList(message, start);
    result += `${message.slice(from, start)}${safe ? `${names.join(", ")} ` : ""}(values withheld)`;
    const next = message.indexOf(PLAN_VALUES_LEAD, end);
    const between = message.slice(end, next < 0 ? message.length : next);
    if (!safe || between.includes("]")) return result;
    result += between;
    from = end + between.length;
  }
}

function withheldEvent(event: EngineEvent): EngineEvent {
  const diagnostic = event.diagnosticEvent;
  if (diagnostic && diagnostic.message.includes("violates plan")) {
    return { ...event, diagnosticEvent: { ...diagnostic, message: withholdPlanValues(diagnostic.message) } };
  }
  return event;
}

/** Why the events say the update failed, in the engine's words where it gave some. */
function failureFromEvents(events: readonly EngineEvent[], reduction: PreviewReduction): string | undefined {
  const { report } = reduction;
  if (report.verdict === "fail") {
    const mandatory = report.violations.filter((violation) => violation.enforcementLevel === "mandatory");
    return `mandatory policy violations stopped it: ${mandatory.map((violation) => `${violation.policy} on ${violation.urn}: ${violation.message}`).join("; ")}`;
  }
  if (report.verdict === "pass") return undefined;
  const errors = reduction.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.message);
  if (errors.length > 0) return errors.join("\n");
  const summary = events.findLast((event) => event.summaryEvent)?.summaryEvent;
  if (!summary) return "it ended without a summary (the CLI stopped early)";
  if (summary.result === "canceled") return "it was canceled";
  const failed = events.flatMap((event) => (event.resOpFailedEvent ? [event.resOpFailedEvent.metadata.urn] : []));
  return failed.length > 0 ? `it failed at ${failed.join(", ")}` : "the engine reported a failure";
}

export async function runPulumiUp(options: PulumiUpOptions): Promise<PulumiUpResult> {
  // The CLI runs in workDir: a relative plan path is the caller's.
  const plan = path.resolve(options.plan);
  const run = await runSession(options, {
    name: "update",
    failureReason: "deploy-failed",
    whenLocked: WHEN_LOCKED,
    // `up --plan` needs it, whatever the caller passed.
    envVars: { PULUMI_EXPERIMENTAL: "true" },
    checkInputs: () => checkPlanFile(options.plan),
    // The CLI's output and the engine's "violates plan" messages can quote secrets.
    withhold: { text: withholdPlanValues, event: withheldEvent },
    run: (stack, onEvent) => stack.up({ plan, color: "never", userAgent: USER_AGENT, onEvent }),
  });

  const { reduction, exitCode, stderrTail } = run;
  /** What the events say happened until the failure travels with it: some resources may have changed. */
  const deployFailed = (failure: string): DeployFailedError => {
    const message = run.withStderr(`the update of ${run.where} failed: ${failure}`);
    const report = {
      ...reduction.report,
      verdict: "error" as const,
      failureReason: "deploy-failed" as const,
      error: { reason: "deploy-failed" as const, message },
    };
    return new DeployFailedError(message, run.project, { reduction: { ...reduction, report }, outputs: {}, exitCode, stderrTail });
  };
  const failure = failureFromEvents(run.events, reduction);
  if (failure !== undefined) throw deployFailed(failure);
  if (run.cliFailure) throw deployFailed(cliFailedAfterEngine(run.cliFailure));
  return { reduction, outputs: await safeOutputs(run.stack, run.result.outputs), exitCode, stderrTail };
}
