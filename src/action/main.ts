// The action: parse the inputs, run the command (preview, or the gated deploy up), then publish
// the one result everywhere. Reporting never changes the verdict; an error anywhere still ends
// with every output set and the step failed (fail closed), and any error before the update
// means no update.

import * as core from "@actions/core";
import { applyFailOn, errorReport, stepFailure } from "../gate/decisions.js";
import { GateError } from "../gate/errors.js";
import type { GateOutcome } from "../gate/outcome.js";
import type { Command } from "./commands/command.js";
import { runPreview } from "./commands/preview.js";
import { runUp } from "./commands/up.js";
import { GitHubReporter, warnAboutGitHub } from "./github-reporter.js";
import { DEFAULT_ENGINE, INPUT_OF_SUBJECT, inputsFromEnvironment, parseConfig, type Config } from "./inputs.js";
import { createGrowingMasker, secretsOfEnvironment, type GrowingMasker, type Masker } from "../gate/masking.js";
import { logOf, publish } from "./publish.js";
import { readRunContext, type RunContext } from "./run-context.js";
import type { RunResult } from "./run-result.js";
import { Timings } from "./timings.js";

const COMMANDS: Readonly<Record<Config["command"], Command>> = { preview: runPreview, up: runUp };

function errorOutcome(error: unknown, config: Config | undefined, context: RunContext): GateOutcome {
  const report = errorReport(error, INPUT_OF_SUBJECT, {
    engine: config?.engine ?? DEFAULT_ENGINE,
    project: "",
    stack: config?.stackName ?? "",
  });
  // The error's message is shown whole, once, in the comment's error block: no diagnostics repeat it.
  return { report, changeSummary: undefined, changes: [], diagnostics: [], runUrl: context.runUrl };
}

/** GitHub, for reporting an error: connecting may fail too, and that is only a warning. */
async function connectForError(config: Config, context: RunContext, masker: Masker): Promise<GitHubReporter | undefined> {
  try {
    return await GitHubReporter.connect(config, context, masker);
  } catch (error) {
    warnAboutGitHub("connect to GitHub", error, logOf(masker));
    return undefined;
  }
}

/** Registers secrets with the runner, line by line (it masks lines). */
function registerWithRunner(secrets: readonly string[]): void {
  for (const secret of secrets) for (const line of secret.split(/\r?\n/)) if (line.trim() !== "") core.setSecret(line);
}

/** The masker of this run's secrets, each also registered with the runner; the stack's secret config joins it once read. */
function maskerOf(env: NodeJS.ProcessEnv): GrowingMasker {
  const masker = createGrowingMasker(secretsOfEnvironment(env));
  registerWithRunner(masker.secrets);
  return masker;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.debug(`pulumi-policy-gate loaded ${Math.round(performance.now())} ms after the process started`);
  const context = readRunContext(env);
  const masker = maskerOf(env);
  const timings = new Timings();
  let config: Config | undefined;
  let github: GitHubReporter | undefined;
  let result: RunResult;
  try {
    config = parseConfig(inputsFromEnvironment(env));
    // The token reaches the action as an input, so the masker normally has it already; registered once.
    if (config.githubToken && !masker.secrets.includes(config.githubToken)) core.setSecret(config.githubToken);
    github = await GitHubReporter.connect(config, context, masker);
    const addSecrets = (values: readonly string[]): void => registerWithRunner(masker.add(values));
    result = await COMMANDS[config.command]({ config, context, env, github, timings, masker, addSecrets });
    result = { ...result, outcome: applyFailOn(result.outcome, config.failOn) };
  } catch (error) {
    if (!(error instanceof GateError)) logOf(masker).error(error instanceof Error && error.stack ? error.stack : String(error));
    result = { outcome: errorOutcome(error, config, context), fingerprint: undefined, commentUrl: undefined };
    if (config && !github) github = await connectForError(config, context, masker);
  }
  await publish(result, config, context, github, masker);

  const timing = timings.describe();
  if (timing) core.debug(timing);
  const failure = stepFailure(result.outcome, config?.failOn, config?.command === "up");
  if (failure) core.setFailed(failure);
}
