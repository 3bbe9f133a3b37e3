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
// Secrets stay secret: stack outputs are returned with every secret value, at any depth,
// replaced by "[secret]". Values in "violates plan" messages (which the engine prints in plain
// text, secrets included) are withheld; the property names are kept.

import { readFileSync } from "node:fs";
import path from "node:path";
import { ConcurrentUpdateError, LocalWorkspace, StackNotFoundError, type OutputMap, type Stack } from "@pulumi/pulumi/automation/index.js";
import { projectFromEvents, projectFromSettings } from "./project-name.js";
import { GateError } from "../../gate/errors.js";
import { commandFailure, tail, type CommandFailure } from "./command-failure.js";
import { stripColorDirectives, type EngineEvent } from "./engine-events.js";
import { resolvePulumiCommand } from "./pulumi-command.js";
import { reduceEvents, type PreviewReduction } from "./reduce-events.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY } from "../wire-format.js";
import { checkProjectAndStack, EventCollector, USER_AGENT, withStderr as withStderrAsIs } from "./cli-session.js";

export interface PulumiUpOptions {
  /** The Pulumi project directory (with Pulumi.yaml). */
  readonly workDir: string;
  /** As `pulumi stack select` takes it: "dev", "org/dev" or "org/project/dev". */
  readonly stackName: string;
  /** The update plan saved by the preview (`preview --save-plan`): the update cannot stray from it. */
  readonly plan: string;
  /** The exact CLI version to run (see PulumiPreviewOptions.pulumiVersion). */
  readonly pulumiVersion?: string;
  /** A directory whose bin/pulumi is the CLI to run (tests: the stand-in). */
  readonly pulumiCommandRoot?: string;
  /** Environment for the CLI (credentials, PULUMI_CONFIG_PASSPHRASE, …); never printed. */
  readonly envVars?: Readonly<Record<string, string>>;
  /** Sees every engine event as it arrives, before the update settles. */
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface StackOutput {
  /** The value, with every secret in it replaced by "[secret]". */
  readonly value: unknown;
  /** The value is, or contains, a secret (or its secrecy could not be checked). */
  readonly secret: boolean;
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

export const SECRET_PLACEHOLDER = "[secret]";
// What the CLI prints for a locked stack (Pulumi Cloud; self-managed backends), as the
// Automation API recognizes it: also checked here, should a CommandError not be classified.
const LOCKED_TEXTS = ["[409] Conflict: Another update is currently in progress.", "the stack is currently locked by"];
const PROPERTY_CHANGE = /^[~+=-]{1,2}[A-Za-z0-9_$.-]+$/;

/**
 * A "violates plan: properties changed: ~~subnets[{…}!={…}], +-tags[{…}]" message with the
 * values left out: "… properties changed: ~~subnets, +-tags (values withheld)". The engine
 * formats the values with Go's %v, secrets included, and a value can hold brackets or commas:
 * when the list cannot be split into names safely, no name is kept either.
 */
export function withholdPlanValues(message: string): string {
  return message.replace(/(violates plan: properties changed: )([^\n]*)/g, (_match, lead: string, list: string) => {
    const names: string[] = [];
    let depth = 0;
    let name = "";
    for (const character of stripColorDirectives(list)) {
      if (depth > 0) {
        if (character === "[") depth++;
        else if (character === "]") depth--;
      } else if (character === "[") {
        depth = 1;
      } else if (character === ",") {
        names.push(name.trim());
        name = "";
      } else {
        name += character;
      }
    }
    if (name.trim() !== "") names.push(name.trim());
    const safe = depth === 0 && names.length > 0 && names.every((candidate) => PROPERTY_CHANGE.test(candidate));
    return `${lead}${safe ? `${names.join(", ")} ` : ""}(values withheld)`;
  });
}

function withheldEvent(event: EngineEvent): EngineEvent {
  const diagnostic = event.diagnosticEvent;
  if (diagnostic && diagnostic.message.includes("violates plan")) {
    return { ...event, diagnosticEvent: { ...diagnostic, message: withholdPlanValues(diagnostic.message) } };
  }
  return event;
}

/** Fail closed: what would make the update unsafe or pointless is refused before the CLI runs. */
function checkInputs(workDir: string, stackName: string, plan: string): void {
  checkProjectAndStack(workDir, stackName);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(plan, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : `it is not readable JSON (${(error as Error).message})`;
    throw new GateError("config-error", `plan file ${plan}: ${why}; expected an update plan saved by \`pulumi preview --save-plan\``);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new GateError("config-error", `plan file ${plan} is not a JSON object; expected an update plan saved by \`pulumi preview --save-plan\``);
  }
}

/** The CLI's stderr can quote a plan violation's values, secrets included: they are withheld. */
function withStderr(message: string, failure: CommandFailure | undefined): string {
  return withStderrAsIs(message, failure, withholdPlanValues);
}

function isLocked(error: unknown, failure: CommandFailure | undefined): boolean {
  return error instanceof ConcurrentUpdateError || (failure !== undefined && LOCKED_TEXTS.some((text) => failure.stderr.includes(text)));
}

function lockedMessage(where: string, failure: CommandFailure | undefined): string {
  return withStderr(
    `${where} is locked: another update is in progress, so this one did not start and is not retried. Run the deploy again once that update has finished, or cancel it with \`pulumi cancel\` if it is stuck`,
    failure,
  );
}

async function selectStack(options: PulumiUpOptions, workDir: string, envVars: Record<string, string>): Promise<Stack> {
  const pulumiCommand = await resolvePulumiCommand({ root: options.pulumiCommandRoot, version: options.pulumiVersion });
  const where = `stack "${options.stackName}" in ${workDir}`;
  try {
    return await LocalWorkspace.selectStack({ stackName: options.stackName, workDir }, { pulumiCommand, envVars });
  } catch (error) {
    const failure = commandFailure(error);
    if (error instanceof StackNotFoundError) {
      throw new GateError("config-error", withStderr(`${where} was not found: check the stack name and the backend the CLI is logged in to`, failure));
    }
    if (isLocked(error, failure)) throw new GateError("stack-locked", lockedMessage(where, failure));
    const detail = failure ? `the Pulumi CLI failed (${failure.how})` : (error as Error).message;
    throw new GateError("config-error", withStderr(`could not select ${where}: ${detail}`, failure));
  }
}


function isSecretValue(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SPECIAL_SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** `value` with every engine-marked secret replaced by "[secret]", and whether there was one. */
function maskSecrets(value: unknown): StackOutput {
  if (isSecretValue(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(maskSecrets);
    return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, maskSecrets(item)] as const);
    return { value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])), secret: entries.some(([, item]) => item.secret) };
  }
  return { value, secret: false };
}

/** The root stack's outputs as the state holds them, secrets still marked; undefined if unreadable. */
async function markedStackOutputs(stack: Stack): Promise<Record<string, unknown> | undefined> {
  try {
    const exported = await stack.exportStack();
    const resources: unknown = (exported.deployment as { resources?: unknown } | undefined)?.resources;
    if (!Array.isArray(resources)) return undefined;
    const root = (resources as { type?: unknown; outputs?: unknown }[]).find((resource) => resource.type === "pulumi:pulumi:Stack");
    const outputs = root?.outputs;
    return outputs !== null && typeof outputs === "object" && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/**
 * The Automation API flags an output as secret only when the whole value is one: a secret nested
 * in an object or a list arrives in plain text with secret: false. Such values are taken from the
 * exported state instead, where the engine marks every secret; when that cannot be read, they are
 * withheld.
 */
async function safeOutputs(stack: Stack, outputs: OutputMap): Promise<Record<string, StackOutput>> {
  const safe: Record<string, StackOutput> = {};
  const nested: string[] = [];
  for (const [key, output] of Object.entries(outputs)) {
    if (output.secret) safe[key] = { value: SECRET_PLACEHOLDER, secret: true };
    else if (output.value !== null && typeof output.value === "object") nested.push(key);
    else safe[key] = { value: output.value as unknown, secret: false };
  }
  if (nested.length === 0) return safe;
  const marked = await markedStackOutputs(stack);
  for (const key of nested) {
    const masked = marked && key in marked ? maskSecrets(marked[key]) : undefined;
    safe[key] = masked === undefined ? { value: SECRET_PLACEHOLDER, secret: true } : masked.secret ? masked : { value: outputs[key]?.value as unknown, secret: false };
  }
  return safe;
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
  const workDir = path.resolve(options.workDir);
  // The CLI runs in workDir: a relative plan path is the caller's.
  const plan = path.resolve(options.plan);
  checkInputs(workDir, options.stackName, plan);
  const where = `stack "${options.stackName}" in ${workDir}`;

  // PULUMI_EXPERIMENTAL last: `up --plan` needs it, whatever the caller passed.
  const envVars = { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars, PULUMI_EXPERIMENTAL: "true" };
  const stack = await selectStack(options, workDir, envVars);
  const settingsProject = await projectFromSettings(stack);

  const collector = new EventCollector(options.onEvent);
  const { events } = collector;
  let stderr = "";
  let exitCode: number | undefined;
  let cliFailure: CommandFailure | undefined;
  let rawOutputs: OutputMap = {};
  try {
    const result = await stack.up({
      plan,
      color: "never",
      userAgent: USER_AGENT,
      onEvent: collector.onEvent,
    });
    ({ stderr, outputs: rawOutputs } = result);
    exitCode = 0;
  } catch (error) {
    cliFailure = commandFailure(error);
    if (!cliFailure) throw error;
    if (isLocked(error, cliFailure)) throw new GateError("stack-locked", lockedMessage(where, cliFailure), { project: settingsProject });
    if (error instanceof StackNotFoundError) {
      throw new GateError("config-error", withStderr(`${where} was not found when the update started`, cliFailure), { project: settingsProject });
    }
    ({ stderr, exitCode } = cliFailure);
    if (events.length === 0) {
      throw new GateError("deploy-failed", withStderr(`the update of ${where} failed before the engine ran (${cliFailure.how})`, cliFailure), { project: settingsProject });
    }
  }
  collector.rethrow();

  const project = settingsProject ?? projectFromEvents(events) ?? path.basename(workDir);
  const urnStack = options.stackName.split("/").at(-1) ?? options.stackName;
  const reduced = reduceEvents(events.map(withheldEvent), project, urnStack);
  const stderrTail = withholdPlanValues(tail(stderr));

  let failure = events.length === 0 ? "the update reported no engine events, so it cannot be confirmed" : failureFromEvents(events, reduced);
  if (failure === undefined && cliFailure) failure = `the engine reported success, but the Pulumi CLI failed (${cliFailure.how})`;
  if (failure !== undefined) {
    const message = withStderr(`the update of ${where} failed: ${failure}`, cliFailure);
    const report = { ...reduced.report, stack: options.stackName, verdict: "error" as const, failureReason: "deploy-failed" as const, error: { reason: "deploy-failed" as const, message } };
    throw new DeployFailedError(message, project, { reduction: { ...reduced, report }, outputs: {}, exitCode, stderrTail });
  }

  const outputs = await safeOutputs(stack, rawOutputs);
  return { reduction: { ...reduced, report: { ...reduced.report, stack: options.stackName } }, outputs, exitCode, stderrTail };
}
