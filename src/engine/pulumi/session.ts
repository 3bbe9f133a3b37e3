// One session of the Pulumi CLI through the Automation API, for a preview and an update alike:
// the inputs checked before the CLI runs, the CLI resolved, the stack selected, its config read
// (its secret values handed to the caller before the operation runs, and masked in all the session
// returns or throws), the operation run with every engine event collected and reduced. A run that
// never got to the engine is one GateError, classified the same way for both: a locked stack
// (stack-locked), a stack that does not exist or whose config cannot be read (config-error), a CLI
// that failed before the engine ran, or no events at all (the operation's failure reason). What
// the events say is the caller's to judge.

import path from "node:path";
import { ConcurrentUpdateError, LocalWorkspace, StackNotFoundError, type Stack } from "@pulumi/pulumi/automation/index.js";
import { GateError } from "../../gate/errors.js";
import { createMasker, NO_MASKING, secretConfigValues, type Masker } from "../../gate/masking.js";
import { bareStackName } from "../../gate/urn.js";
import { commandFailure, tail, type CommandFailure } from "./command-failure.js";
import type { EngineEvent } from "./engine-events.js";
import { EventCollector } from "./event-collector.js";
import { checkProjectAndStack } from "./inputs.js";
import { projectFromEvents, projectFromSettings } from "./project-name.js";
import { resolvePulumiCommand } from "./pulumi-command.js";
import { reduceEvents, type PreviewReduction } from "./reduce-events.js";

/** How the gate identifies itself to the CLI (`--exec-agent`). */
export const USER_AGENT = "pulumi-policy-gate";

// What the CLI prints for a locked stack (Pulumi Cloud; self-managed backends). The Automation
// API makes such a failure a ConcurrentUpdateError by these texts; they are checked here too, so
// that a lock is never reported as a failed run should the Automation API not classify it.
const LOCKED_TEXTS = ["[409] Conflict: Another update is currently in progress.", "the stack is currently locked by"];

export interface SessionOptions {
  /** The Pulumi project directory (with Pulumi.yaml). */
  readonly workDir: string;
  /** As `pulumi stack select` takes it: "dev", "org/dev" or "org/project/dev". */
  readonly stackName: string;
  /**
   * The exact CLI version to run. When the `pulumi` on PATH is another version (or missing), that
   * version is installed into RUNNER_TOOL_CACHE (else the temp dir) with PulumiCommand.install.
   */
  readonly pulumiVersion?: string;
  /** A directory whose bin/pulumi is the CLI to run (tests: the stand-in). */
  readonly pulumiCommandRoot?: string;
  /** Environment for the CLI (credentials, PULUMI_CONFIG_PASSPHRASE, …); never printed. */
  readonly envVars?: Readonly<Record<string, string>>;
  /** Sees every engine event as it arrives, before the run settles. */
  readonly onEvent?: (event: EngineEvent) => void;
  /** Given the stack's secret config values once read, before the operation runs: for the caller's masker. */
  readonly onSecrets?: (values: readonly string[]) => void;
}

/** What differs between a preview and an update; everything else is the session's. */
export interface Operation<Result> {
  readonly name: "preview" | "update";
  /** The reason of a run that failed before the engine ran, or reported no events. */
  readonly failureReason: "preview-failed" | "deploy-failed";
  /** What a locked stack means for this operation, after "<stack> is locked: ". */
  readonly whenLocked: string;
  /** Environment the operation needs, whatever the caller passed. */
  readonly envVars?: Readonly<Record<string, string>>;
  /** The inputs only this operation takes, checked after the project and the stack name. */
  readonly checkInputs?: () => void;
  /** Applied to the CLI's output and to the events before they are reduced. */
  readonly withhold?: { readonly text: (text: string) => string; readonly event: (event: EngineEvent) => EngineEvent };
  /** Runs the operation on the selected stack, each engine event to `onEvent`. */
  readonly run: (stack: Stack, onEvent: (event: unknown) => void) => Promise<Result>;
}

interface SessionRunBase {
  readonly stack: Stack;
  /** The version of the CLI that ran, as it reported it; undefined when it did not say. */
  readonly cliVersion: string | undefined;
  readonly project: string;
  /** `stack "<name>" in <directory>`, for messages. */
  readonly where: string;
  /** Every engine event, as the engine sent it. */
  readonly events: readonly EngineEvent[];
  /** The events reduced; the report names the stack as given. */
  readonly reduction: PreviewReduction;
  /** The CLI's exit code: 0 when the run succeeded; undefined when there was none. */
  readonly exitCode: number | undefined;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** `message`, then the last lines the CLI wrote to stderr when it failed. */
  readonly withStderr: (message: string) => string;
}

/** How the CLI ended: with the operation's result, or failed after the engine ran. */
type CliOutcome<Result> =
  { readonly result: Result; readonly cliFailure: undefined } | { readonly result: undefined; readonly cliFailure: CommandFailure };

export type SessionRun<Result> = SessionRunBase & CliOutcome<Result>;

/** `message`, then the last lines the CLI wrote to stderr (passed through `withhold`), if any. */
function withStderr(message: string, failure: CommandFailure | undefined, withhold: (text: string) => string): string {
  const last = failure ? withhold(tail(failure.stderr, 10, 2000)) : "";
  return last ? `${message}\nThe Pulumi CLI wrote to stderr:\n${last}` : message;
}

/** A lock by the Automation API's classification or by the CLI's own words. */
export function isLocked(error: unknown, stderr: string): boolean {
  return error instanceof ConcurrentUpdateError || LOCKED_TEXTS.some((text) => stderr.includes(text));
}

/** The message of a run whose events said it succeeded while the CLI failed: never a success. */
export function cliFailedAfterEngine(failure: CommandFailure): string {
  return `the engine reported success, but the Pulumi CLI failed (${failure.how})`;
}

interface Context {
  readonly options: SessionOptions;
  readonly workDir: string;
  readonly where: string;
  readonly operation: Operation<unknown>;
  readonly quote: (message: string, failure: CommandFailure | undefined) => string;
}

/** Where a CLI command failed: selecting the stack, or running the operation before or after its first event. */
type Phase = "select" | "before-engine" | "after-engine";

/** The GateError of a failed CLI command; undefined for an operation whose events tell what happened. */
function sessionError(
  context: Context,
  error: unknown,
  failure: CommandFailure | undefined,
  phase: Phase,
  project?: string,
): GateError | undefined {
  const { options, workDir, where, operation, quote } = context;
  if (isLocked(error, failure?.stderr ?? ""))
    return new GateError("stack-locked", quote(`${where} is locked: ${operation.whenLocked}`, failure), { project });
  if (error instanceof StackNotFoundError) {
    const message = `${options.stackName}: no such stack for the Pulumi project in ${workDir}; check the stack name and the backend the CLI is logged in to, or create the stack with \`pulumi stack init ${options.stackName}\``;
    return new GateError("config-error", quote(message, failure), { project, subject: "stack" });
  }
  if (phase === "select") {
    const detail = failure ? `the Pulumi CLI failed (${failure.how})` : (error as Error).message;
    return new GateError("config-error", quote(`could not select ${where}: ${detail}`, failure));
  }
  if (phase === "after-engine" || !failure) return undefined;
  return new GateError(
    operation.failureReason,
    quote(`the ${operation.name} of ${where} failed before the engine ran (${failure.how})`, failure),
    { project },
  );
}

/**
 * The secret values of the stack's config (`pulumi config --show-secrets --json`). A config the CLI
 * cannot read is an error: its secrets could not be masked, and the operation could not read it either.
 */
async function secretConfigOf(context: Context, stack: Stack, project: string | undefined): Promise<string[]> {
  try {
    return secretConfigValues(await stack.getAllConfig());
  } catch (error) {
    const failure = commandFailure(error);
    const detail = failure ? `the Pulumi CLI failed (${failure.how})` : (error as Error).message;
    throw new GateError(
      "config-error",
      context.quote(`could not read the config of ${context.where}, whose secret values the gate masks: ${detail}`, failure),
      { project },
    );
  }
}

/** Payloads whose text the reduction reports (messages); steps and the summary are left as they are. */
const TEXT_PAYLOADS = ["diagnosticEvent", "policyEvent", "errorEvent"] as const;

/** `event` with the text of its messages masked. */
function maskedText(event: EngineEvent, masker: Masker): EngineEvent {
  if (masker.secrets.length === 0) return event;
  const key = TEXT_PAYLOADS.find((name) => event[name] !== undefined);
  return key ? { ...event, [key]: masker.maskDeep(event[key]) } : event;
}

async function selectStack(context: Context, envVars: Record<string, string>): Promise<{ stack: Stack; cliVersion: string | undefined }> {
  const { options, workDir } = context;
  const pulumiCommand = await resolvePulumiCommand({ root: options.pulumiCommandRoot, version: options.pulumiVersion });
  try {
    const stack = await LocalWorkspace.selectStack({ stackName: options.stackName, workDir }, { pulumiCommand, envVars });
    return { stack, cliVersion: pulumiCommand.version?.format() };
  } catch (error) {
    throw sessionError(context, error, commandFailure(error), "select") ?? error;
  }
}

export async function runSession<Result extends { readonly stdout: string; readonly stderr: string }>(
  options: SessionOptions,
  operation: Operation<Result>,
): Promise<SessionRun<Result>> {
  checkProjectAndStack(options.workDir, options.stackName);
  operation.checkInputs?.();
  const workDir = path.resolve(options.workDir);
  const withheld = operation.withhold?.text ?? ((text: string) => text);
  // The stack's secret config values, once read: masked in all the session returns or throws.
  let secrets: Masker = NO_MASKING;
  const withhold = (text: string): string => secrets.mask(withheld(text));
  const context: Context = {
    options,
    workDir,
    where: `stack "${options.stackName}" in ${workDir}`,
    operation,
    quote: (message, failure) => withStderr(message, failure, withhold),
  };
  const { stack, cliVersion } = await selectStack(context, { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars, ...operation.envVars });
  const settingsProject = await projectFromSettings(stack);
  const secretValues = await secretConfigOf(context, stack, settingsProject);
  secrets = createMasker(secretValues);
  // Before the operation runs, so that the caller masks them in anything it writes meanwhile.
  options.onSecrets?.(secretValues);

  const collector = new EventCollector(options.onEvent);
  const { events } = collector;
  let outcome: CliOutcome<Result>;
  try {
    outcome = { result: await operation.run(stack, collector.onEvent), cliFailure: undefined };
  } catch (error) {
    // A rejected run is not an error by itself: policy violations, program errors and failed
    // steps are in the events. Only a run that never got to the engine is.
    const cliFailure = commandFailure(error);
    if (!cliFailure) throw error;
    const failure = sessionError(context, error, cliFailure, events.length === 0 ? "before-engine" : "after-engine", settingsProject);
    if (failure) throw failure;
    outcome = { result: undefined, cliFailure };
  }
  collector.rethrow();
  if (events.length === 0) {
    throw new GateError(
      operation.failureReason,
      `the ${operation.name} of ${context.where} reported no engine events, so it cannot be judged`,
      { project: settingsProject },
    );
  }

  const project = settingsProject ?? projectFromEvents(events) ?? path.basename(workDir);
  // URNs carry the bare stack name, also when the stack is given as org/project/stack.
  const reduced = reduceEvents(
    (operation.withhold ? events.map(operation.withhold.event) : events).map((event) => maskedText(event, secrets)),
    project,
    bareStackName(options.stackName),
    { operation: operation.name },
  );
  const output = outcome.cliFailure ?? outcome.result;
  return {
    ...outcome,
    stack,
    cliVersion,
    project,
    where: context.where,
    events,
    reduction: { ...reduced, report: { ...reduced.report, stack: options.stackName } },
    exitCode: outcome.cliFailure ? outcome.cliFailure.exitCode : 0,
    stdoutTail: withhold(tail(output.stdout)),
    stderrTail: withhold(tail(output.stderr)),
    withStderr: (message) => context.quote(message, outcome.cliFailure),
  };
}
