// The `pulumi` engine: a real `pulumi preview` of a stack through the Automation API, with the
// gate's policy packs, reduced to the gate's report. The verdict comes from the engine events
// only (reduceEvents); the CLI's exit code and output are kept for diagnostics. Failing to run
// the preview at all (no CLI, no such stack, a locked stack, no events) is a GateError.
//
// Callers pass packs ready to start: for the bundled pack on a fresh runner, preparePolicyPack
// (re-exported here) gives a folder with its dependencies installed.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConcurrentUpdateError, LocalWorkspace, StackNotFoundError, type Stack } from "@pulumi/pulumi/automation/index.js";
import { projectFromEvents, projectFromSettings } from "./project-name.js";
import { GateError } from "../../gate/errors.js";
import type { Report } from "../../gate/report.js";
import { commandFailure, tail, type CommandFailure } from "./command-failure.js";
import type { EngineEvent } from "./engine-events.js";
import { resolvePulumiCommand } from "./pulumi-command.js";
import { reduceEvents, type PreviewReduction } from "./reduce-events.js";
import { checkProjectAndStack, EventCollector, USER_AGENT, withStderr } from "./cli-session.js";
import type { DeployRequest, DeployResult, Engine, PreviewRequest, PreviewResult } from "../engine.js";

import { runPulumiUp } from "./up.js";

export { preparePolicyPack } from "../policy-pack-install.js";
export { pulumiInstallRoot } from "./pulumi-command.js";
export { DeployFailedError, runPulumiUp, withholdPlanValues, type PulumiUpOptions, type PulumiUpResult, type StackOutput } from "./up.js";

export interface PulumiPreviewOptions {
  /** The Pulumi project directory (with Pulumi.yaml). */
  readonly workDir: string;
  /** As `pulumi stack select` takes it: "dev", "org/dev" or "org/project/dev". */
  readonly stackName: string;
  /** The bundled pack first, then the user's packs; each must be ready to start. */
  readonly packDirs: readonly string[];
  /**
   * A `--policy-pack-config` file (Pulumi's format). It is given to every pack, as the offline
   * engine applies it to every pack: the engine applies "all" to each pack and ignores entries
   * that name policies of other packs.
   */
  readonly policyConfigFile?: string;
  /**
   * The exact CLI version to run. When the `pulumi` on PATH is another version (or missing), that
   * version is installed into RUNNER_TOOL_CACHE (else the temp dir) with PulumiCommand.install.
   */
  readonly pulumiVersion?: string;
  /** A directory whose bin/pulumi is the CLI to run (tests: the stand-in). */
  readonly pulumiCommandRoot?: string;
  /** `--refresh`: refresh the state before the preview. */
  readonly refresh?: boolean;
  /** `--save-plan`: where to write the update plan (only written when the preview succeeds). */
  readonly plan?: string;
  /** Environment for the CLI (credentials, PULUMI_CONFIG_PASSPHRASE, …); never printed. */
  readonly envVars?: Readonly<Record<string, string>>;
  /** Sees every engine event as it arrives, before the preview settles. */
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface PulumiPreviewResult extends PreviewReduction {
  readonly project: string;
  readonly events: readonly EngineEvent[];
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** The CLI's exit code: 0 when the preview succeeded; undefined when there was none. */
  readonly exitCode: number | undefined;
}

/** What the CLI would refuse with a less helpful message, checked up front. */
function checkInputs(workDir: string, stackName: string, packDirs: readonly string[], policyConfigFile: string | undefined): void {
  checkProjectAndStack(workDir, stackName);
  if (packDirs.length === 0) throw new GateError("config-error", "no policy pack was given; the bundled pack comes first");
  for (const packDir of packDirs) {
    if (!existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
      throw new GateError("config-error", `policy pack ${packDir} has no PulumiPolicy.yaml; expected the directory of a policy pack`);
    }
  }
  if (policyConfigFile !== undefined) checkPolicyConfigFile(policyConfigFile);
}

/** The shape only: the engine validates the levels and each policy's properties itself. */
function checkPolicyConfigFile(file: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : `it is not readable JSON (${(error as Error).message})`;
    throw new GateError("config-error", `policy config file ${file}: ${why}; expected a JSON object in Pulumi's --policy-pack-config format`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new GateError("config-error", `policy config file ${file}: it is ${Array.isArray(parsed) ? "an array" : JSON.stringify(parsed)}; expected a JSON object in Pulumi's --policy-pack-config format`);
  }
}

async function selectStack(options: PulumiPreviewOptions, workDir: string, envVars: Record<string, string>): Promise<Stack> {
  const pulumiCommand = await resolvePulumiCommand({ root: options.pulumiCommandRoot, version: options.pulumiVersion });
  try {
    return await LocalWorkspace.selectStack({ stackName: options.stackName, workDir }, { pulumiCommand, envVars });
  } catch (error) {
    const failure = commandFailure(error);
    if (error instanceof StackNotFoundError) {
      throw new GateError(
        "config-error",
        withStderr(
          `stack "${options.stackName}" was not found for the Pulumi project in ${workDir}: check the stack name and the backend the CLI is logged in to, or create the stack with \`pulumi stack init ${options.stackName}\``,
          failure,
        ),
      );
    }
    if (failure) {
      throw new GateError("config-error", withStderr(`could not select stack "${options.stackName}" in ${workDir}: the Pulumi CLI failed (${failure.how})`, failure));
    }
    throw new GateError("config-error", `could not select stack "${options.stackName}" in ${workDir}: ${(error as Error).message}`);
  }
}


function asErrorReport(report: Report, message: string): Report {
  return { ...report, verdict: "error", failureReason: "preview-failed", error: { reason: "preview-failed", message } };
}

export async function runPulumiPreview(options: PulumiPreviewOptions): Promise<PulumiPreviewResult> {
  const workDir = path.resolve(options.workDir);
  // The CLI runs in workDir: relative paths are the caller's, so they are made absolute here.
  const packDirs = options.packDirs.map((packDir) => path.resolve(packDir));
  const policyConfigFile = options.policyConfigFile === undefined ? undefined : path.resolve(options.policyConfigFile);
  const plan = options.plan === undefined ? undefined : path.resolve(options.plan);
  checkInputs(workDir, options.stackName, packDirs, policyConfigFile);
  const where = `stack "${options.stackName}" in ${workDir}`;

  const envVars = { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars };
  const stack = await selectStack(options, workDir, envVars);
  const settingsProject = await projectFromSettings(stack);

  const collector = new EventCollector(options.onEvent);
  const { events } = collector;
  let stdout = "";
  let stderr = "";
  let exitCode: number | undefined;
  let cliFailure: CommandFailure | undefined;
  try {
    const result = await stack.preview({
      policyPacks: [...packDirs],
      ...(policyConfigFile ? { policyPackConfigs: packDirs.map(() => policyConfigFile) } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      ...(plan ? { plan } : {}),
      color: "never",
      userAgent: USER_AGENT,
      onEvent: collector.onEvent,
    });
    ({ stdout, stderr } = result);
    exitCode = 0;
  } catch (error) {
    // A rejected preview is not an error by itself: policy violations and program errors are in
    // the events. Only a run that never got to the engine is.
    cliFailure = commandFailure(error);
    if (!cliFailure) throw error;
    if (error instanceof ConcurrentUpdateError) {
      throw new GateError(
        "stack-locked",
        withStderr(`${where} is locked: another update or preview is in progress. Wait for it to finish, or cancel it with \`pulumi cancel\` if it is stuck`, cliFailure),
        { project: settingsProject },
      );
    }
    if (error instanceof StackNotFoundError) {
      throw new GateError("config-error", withStderr(`${where} was not found when the preview started`, cliFailure), { project: settingsProject });
    }
    ({ stdout, stderr, exitCode } = cliFailure);
    if (events.length === 0) {
      throw new GateError("preview-failed", withStderr(`the preview of ${where} failed before the engine ran (${cliFailure.how})`, cliFailure), { project: settingsProject });
    }
  }
  collector.rethrow();
  if (events.length === 0) {
    throw new GateError("preview-failed", `the preview of ${where} reported no engine events, so it cannot be judged`, { project: settingsProject });
  }

  const project = settingsProject ?? projectFromEvents(events) ?? path.basename(workDir);
  // URNs carry the bare stack name, also when the stack is given as org/project/stack.
  const urnStack = options.stackName.split("/").at(-1) ?? options.stackName;
  const reduction = reduceEvents(events, project, urnStack);
  let report: Report = { ...reduction.report, stack: options.stackName };
  // The events say the preview passed, but the CLI failed after them (a plan it could not save,
  // a backend that did not answer): fail closed rather than pass on half a run.
  if (report.verdict === "pass" && cliFailure) {
    report = asErrorReport(report, withStderr(`the engine reported success, but the Pulumi CLI failed (${cliFailure.how})`, cliFailure));
  }
  return { ...reduction, report, project, events, stdoutTail: tail(stdout), stderrTail: tail(stderr), exitCode };
}

/** The Pulumi CLI through the Automation API: a real preview of the stack, and gated deploys. */
export const pulumiEngine: Engine = {
  async preview(request: PreviewRequest): Promise<PreviewResult> {
    const result = await runPulumiPreview({
      workDir: request.workDir,
      stackName: request.stack,
      packDirs: request.packDirs,
      policyConfigFile: request.policyConfigFile,
      pulumiVersion: request.pulumiVersion,
      pulumiCommandRoot: request.pulumiCommandRoot,
      refresh: request.refresh,
      ...(request.savePlanTo ? { plan: request.savePlanTo } : {}),
      ...(request.onProgress ? { onEvent: request.onProgress } : {}),
    });
    return {
      report: result.report,
      changes: result.changes,
      // Each step (not only each resource's last one), so that a replacement keeps its reason.
      steps: result.steps,
      changeSummary: result.changeSummary,
      errors: result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.message),
    };
  },
  async deploy(request: DeployRequest): Promise<DeployResult> {
    const result = await runPulumiUp({
      workDir: request.workDir,
      stackName: request.stack,
      plan: request.plan,
      pulumiVersion: request.pulumiVersion,
      pulumiCommandRoot: request.pulumiCommandRoot,
    });
    return { changeSummary: result.reduction.changeSummary, outputs: result.outputs };
  },
};
