// What every command of the action gets, and what it shares: the preview of the stack with the
// policy packs, through the engine the user chose.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { fingerprintOf, type ChangeFingerprint } from "../../deploy/fingerprint.js";
import { bundledPackDir } from "../../engine/bundled-pack.js";
import { ENGINES } from "../../engine/engines.js";
import { preparePolicyPack } from "../../engine/policy-pack-install.js";
import type { GateOutcome, ResourceChange } from "../../gate/outcome.js";
import type { GitHubReporter } from "../github-reporter.js";
import type { Config } from "../inputs.js";
import { pluginDownloadOf, unbuiltComponentsOf } from "../plugin-download.js";
import type { RunContext } from "../run-context.js";
import { stackOf, type RunResult } from "../run-result.js";
import type { Timings } from "../timings.js";
import type { Masker } from "../../gate/masking.js";

export interface CommandContext {
  readonly config: Config;
  readonly context: RunContext;
  readonly env: NodeJS.ProcessEnv;
  readonly github: GitHubReporter | undefined;
  readonly timings: Timings;
  /** Masks this run's secrets in everything published mid-run (a deploy's "pending" comment). */
  readonly masker: Masker;
  /** Adds secrets the engine found (the stack's secret config) to the run's masker and the runner's. */
  readonly addSecrets: (values: readonly string[]) => void;
}

export type Command = (command: CommandContext) => Promise<RunResult>;

/** The user's paths, resolved against the workspace. */
export interface Paths {
  readonly workDir: string;
  readonly extraPacks: readonly string[];
  readonly policyConfigFile: string | undefined;
  readonly planFile: string | undefined;
}

export function pathsOf(config: Config, context: RunContext): Paths {
  return {
    workDir: path.resolve(context.workspace, config.workDir),
    extraPacks: config.policyPacks.map((pack) => path.resolve(context.workspace, pack)),
    policyConfigFile: config.policyConfig ? path.resolve(context.workspace, config.policyConfig) : undefined,
    planFile: config.planFile ? path.resolve(context.workspace, config.planFile) : undefined,
  };
}

export interface StackPreview {
  readonly outcome: GateOutcome;
  /** Every step, so that a replacement keeps its reason. */
  readonly steps: readonly ResourceChange[];
  /** Undefined when the engine knows no stack state (offline): nothing to review or deploy. */
  readonly fingerprint: ChangeFingerprint | undefined;
}

/** The preview with the bundled pack first, then the user's packs; with a saved plan when asked. */
export async function previewStack(
  { config, context, env, timings, addSecrets, masker }: CommandContext,
  paths: Paths,
  savePlanTo: string | undefined,
): Promise<StackPreview> {
  const engine = ENGINES[config.engine];
  // On a runner the action has no node_modules: the pack's own dependencies are installed once
  // into the tool cache (npm ci from its lockfile), for every engine.
  const bundledPack = await preparePolicyPack(bundledPackDir(), env.RUNNER_TOOL_CACHE ?? context.tempDir);
  if (savePlanTo) mkdirSync(path.dirname(savePlanTo), { recursive: true });
  timings.previewStarts();
  const result = await engine.preview({
    workDir: paths.workDir,
    stack: stackOf(config),
    packDirs: [bundledPack, ...paths.extraPacks],
    policyConfigFile: paths.policyConfigFile,
    refresh: config.refresh,
    typeCheck: config.typeCheck,
    pluginDownload: pluginDownloadOf(config, context, env, masker),
    unbuiltComponents: unbuiltComponentsOf(config),
    pulumiVersion: config.pulumiVersion,
    savePlanTo,
    onProgress: timings.onProgress,
    onSecrets: addSecrets,
  });
  const outcome: GateOutcome = {
    report: result.report,
    changeSummary: result.changeSummary,
    changes: result.changes,
    diagnostics: result.errors,
    runUrl: context.runUrl,
  };
  const fingerprint = result.changeSummary === undefined ? undefined : fingerprintOf(stackOf(config), result.steps);
  return { outcome, steps: result.steps, fingerprint };
}
