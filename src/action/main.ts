// The action: parse the inputs, run the gate (the Pulumi CLI or the offline engine) and, for
// command "up", the gated deploy; then report the one result everywhere: outputs, report files,
// job summary, annotations, the pull-request comment and the commit status. Reporting to GitHub
// never changes the verdict; an error anywhere still ends with every output set and the step
// failed (fail closed), and any error before the update means no update.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@actions/core";
import { decideDeploy } from "../deploy/deploy-decision.js";
import { compareFingerprints, fingerprintMarker, fingerprintOf, readFingerprint, type ChangeFingerprint } from "../deploy/fingerprint.js";

import { bundledPackDir } from "../engine/bundled-pack.js";
import { runOfflineCheck } from "../engine/offline/offline-engine.js";
import { readPolicyConfig } from "../engine/policy-config.js";
import { DeployFailedError, preparePolicyPack, runPulumiPreview, runPulumiUp } from "../engine/pulumi/pulumi-engine.js";
import { GateError } from "../gate/errors.js";
import { countViolations, sortViolations, type FailureReason, type Report } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";
import { renderText } from "../report/text.js";
import { plainLine } from "../report/untrusted-text.js";
import { COMMENT_LENGTH, renderComment, renderJobSummary, type DeployState, type GateOutcome } from "./gate-summary.js";
import { GitHubReporter, warnAboutGitHub } from "./github-reporter.js";
import { INPUT, inputsFromEnvironment, parseConfig, type Config } from "./inputs.js";
import { readRunContext, type RunContext } from "./run-context.js";

const MAX_ANNOTATIONS = 10;
const DEFAULT_OFFLINE_STACK = "dev";
/** Events whose code has not been merged: a deploy never runs on it. */
const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"]);

/**
 * The action's own overhead, which every pull request pays: from the process starting to the
 * preview starting, and from the last engine event to the end. Printed as a debug line.
 */
const timings = { previewStartedAt: undefined as number | undefined, lastEventAt: undefined as number | undefined };

interface RunState {
  outcome: GateOutcome;
  /** The hidden fingerprint the comment carries (the reviewed plan). */
  fingerprint: ChangeFingerprint | undefined;
  deployed: boolean;
  commentUrl: string | undefined;
}

function stackOf(config: Config | undefined): string {
  return config?.stackName ?? DEFAULT_OFFLINE_STACK;
}

function commentKey(config: Config | undefined, report: Report): string {
  return config?.commentKey ?? `${report.project || "project"}/${report.stack || stackOf(config)}`;
}

/** The comment body: the fingerprint first (where the deploy reads it), then the summary. */
function commentBody(state: RunState): string {
  const marker = state.fingerprint ? `${fingerprintMarker(state.fingerprint)}\n\n` : "";
  return `${marker}${renderComment(state.outcome, COMMENT_LENGTH - marker.length)}`;
}

function statusOf(state: RunState): { state: "success" | "failure" | "error" | "pending"; description: string } {
  const { report, deploy } = state.outcome;
  if (deploy?.phase === "pending") return { state: "pending", description: "Deploy pending: checks passed" };
  if (deploy?.phase === "blocked" || deploy?.phase === "failed") return { state: "failure", description: `Deploy ${deploy.phase}: ${plainLine(deploy.message)}` };
  if (deploy?.phase === "deployed") return { state: "success", description: "Deployed" };
  const { mandatory, advisory } = countViolations(report.violations);
  const counts = `${mandatory} mandatory, ${advisory} advisory policy violation${mandatory + advisory === 1 ? "" : "s"}`;
  if (report.verdict === "pass") return { state: "success", description: mandatory + advisory === 0 ? "No policy violations" : counts };
  if (report.verdict === "fail") return { state: "failure", description: counts };
  return { state: "error", description: `Could not evaluate: ${plainLine(report.error?.message ?? report.failureReason)}` };
}

async function publish(state: RunState, config: Config | undefined, github: GitHubReporter | undefined): Promise<void> {
  if (!github) return;
  const key = commentKey(config, state.outcome.report);
  state.commentUrl = (await github.comment(key, commentBody(state))) ?? state.commentUrl;
  const { state: statusState, description } = statusOf(state);
  await github.status(state.outcome.report.stack || stackOf(config), statusState, description);
}

interface Paths {
  readonly workDir: string;
  readonly extraPacks: readonly string[];
  readonly policyConfigFile: string | undefined;
  readonly planFile: string | undefined;
}

function pathsOf(config: Config, context: RunContext): Paths {
  return {
    workDir: path.resolve(context.workspace, config.workDir),
    extraPacks: config.policyPacks.map((pack) => path.resolve(context.workspace, pack)),
    policyConfigFile: config.policyConfig ? path.resolve(context.workspace, config.policyConfig) : undefined,
    planFile: config.planFile ? path.resolve(context.workspace, config.planFile) : undefined,
  };
}

/** Where a saved plan's fingerprint is kept, beside the plan (both go into the artifact). */
function fingerprintFileOf(planFile: string): string {
  return `${planFile}.fingerprint.json`;
}

async function preview(config: Config, context: RunContext, env: NodeJS.ProcessEnv, paths: Paths, savePlanTo: string | undefined) {
  // On a runner the action has no node_modules: the pack's own dependencies are installed once
  // into the tool cache (npm ci from its lockfile), for both engines.
  const bundledPack = await preparePolicyPack(bundledPackDir(), env.RUNNER_TOOL_CACHE ?? context.tempDir);
  if (config.engine === "offline") {
    const policyConfig = paths.policyConfigFile ? { file: readPolicyConfig(paths.policyConfigFile), source: config.policyConfig ?? paths.policyConfigFile } : undefined;
    const { report } = await runOfflineCheck({ programDir: paths.workDir, stack: stackOf(config), packDirs: [bundledPack, ...paths.extraPacks], policyConfig });
    return { outcome: { report, changeSummary: undefined, changes: [], diagnostics: [], runUrl: context.runUrl } satisfies GateOutcome, steps: [], fingerprint: undefined };
  }
  if (savePlanTo) mkdirSync(path.dirname(savePlanTo), { recursive: true });
  timings.previewStartedAt = Date.now();
  const result = await runPulumiPreview({
    onEvent: () => {
      timings.lastEventAt = Date.now();
    },
    workDir: paths.workDir,
    stackName: config.stackName ?? "",
    packDirs: [bundledPack, ...paths.extraPacks],
    policyConfigFile: paths.policyConfigFile,
    pulumiVersion: config.pulumiVersion,
    refresh: config.refresh,
    ...(savePlanTo ? { plan: savePlanTo } : {}),
  });
  const outcome: GateOutcome = {
    report: result.report,
    changeSummary: result.changeSummary,
    changes: result.changes,
    diagnostics: result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.message),
    runUrl: context.runUrl,
  };
  // Each step (not only each resource's last one), so that a replacement keeps its reason.
  const steps = result.steps;
  return { outcome, steps, fingerprint: fingerprintOf(config.stackName ?? "", steps) };
}

async function runPreviewCommand(config: Config, context: RunContext, env: NodeJS.ProcessEnv): Promise<RunState> {
  const paths = pathsOf(config, context);
  const { outcome, fingerprint } = await preview(config, context, env, paths, paths.planFile);
  // A saved plan (for a later deploy job) keeps the fingerprint of what this preview proposed.
  if (paths.planFile && fingerprint && existsSync(paths.planFile)) writeFileSync(fingerprintFileOf(paths.planFile), `${JSON.stringify(fingerprint)}\n`);
  return { outcome, fingerprint, deployed: false, commentUrl: undefined };
}

function blocked(state: RunState, reason: FailureReason, message: string, details: readonly string[] = []): RunState {
  const deploy: DeployState = { phase: "blocked", reason, message, details };
  return { ...state, outcome: { ...state.outcome, deploy } };
}

function readFingerprintFile(file: string): ChangeFingerprint | undefined {
  try {
    return readFingerprint(fingerprintMarker(JSON.parse(readFileSync(file, "utf8")) as ChangeFingerprint));
  } catch {
    return undefined;
  }
}

/**
 * command "up": preview with a saved plan, decide, say what is about to happen on the pull
 * request, then update with that plan (or with an earlier saved plan, once a fresh preview
 * confirms it still matches). Any error before the update means no update.
 */
async function runUpCommand(config: Config, context: RunContext, env: NodeJS.ProcessEnv, github: GitHubReporter | undefined): Promise<RunState> {
  if (PULL_REQUEST_EVENTS.has(context.eventName)) {
    throw new GateError(
      "config-error",
      `input ${INPUT.command} is "up" on a ${context.eventName} event: a deploy runs only on merged or dispatched code (push, workflow_dispatch), never on a pull request's`,
    );
  }
  const paths = pathsOf(config, context);
  const freshPlan = path.join(context.tempDir, "pulumi-policy-gate", "plans", `${Date.now()}-${process.pid}.json`);
  const { outcome, steps, fingerprint: current } = await preview(config, context, env, paths, freshPlan);
  let state: RunState = { outcome, fingerprint: undefined, deployed: false, commentUrl: undefined };
  if (!current) throw new GateError("config-error", "a deploy needs engine \"pulumi\"");

  // What was reviewed: the fingerprint saved with the earlier plan, or the pull request's comment.
  const key = commentKey(config, outcome.report);
  let reviewed: ChangeFingerprint | undefined;
  if (paths.planFile) {
    if (!existsSync(paths.planFile)) throw new GateError("config-error", `input ${INPUT.planFile} is ${JSON.stringify(config.planFile)}; no such file: expected a plan saved by a preview with ${INPUT.planFile}`);
    reviewed = readFingerprintFile(fingerprintFileOf(paths.planFile));
  } else {
    // Read also when not required: the comment is updated below and must keep what was reviewed.
    const body = await github?.commentBody(key);
    reviewed = body === undefined ? undefined : readFingerprint(body);
  }
  // The comment keeps the reviewed fingerprint: the deploy's own must never become "reviewed".
  state.fingerprint = reviewed;

  const decision = decideDeploy({
    verdict: outcome.report.verdict,
    failureReason: outcome.report.failureReason,
    changes: steps,
    allowDestroy: config.allowDestroy,
    requireReviewedPlan: config.requireReviewedPlan || paths.planFile !== undefined,
    reviewed,
    current,
  });
  if (!decision.go) {
    const details = decision.reason === "plan-changed" && reviewed ? compareFingerprints(reviewed, current).map((difference) => `${difference.urn}: reviewed ${difference.reviewed ?? "no change"}, now ${difference.now ?? "no change"}`) : decision.details;
    return blocked(state, decision.reason, decision.message, details);
  }

  state = { ...state, outcome: { ...outcome, deploy: { phase: "pending", message: "The policies passed; the update runs now with the saved plan, and this comment shows its result.", details: [] } } };
  await publish(state, config, github);
  try {
    const result = await runPulumiUp({ workDir: paths.workDir, stackName: config.stackName ?? "", plan: paths.planFile ?? freshPlan, pulumiVersion: config.pulumiVersion });
    const deploy: DeployState = { phase: "deployed", message: "", details: [], changeSummary: result.reduction.changeSummary, outputs: result.outputs };
    return { ...state, deployed: true, outcome: { ...state.outcome, deploy } };
  } catch (error) {
    const reason: FailureReason = error instanceof GateError ? error.reason : "deploy-failed";
    const message = error instanceof Error ? error.message : String(error);
    const diagnostics = error instanceof DeployFailedError ? error.result.reduction.diagnostics.map((diagnostic) => diagnostic.message) : [];
    const deploy: DeployState = { phase: "failed", reason, message, details: diagnostics.slice(-10) };
    return { ...state, outcome: { ...state.outcome, deploy } };
  }
}

function errorOutcome(error: unknown, config: Config | undefined, context: RunContext): GateOutcome {
  const reason: FailureReason = error instanceof GateError ? error.reason : "internal-error";
  const message = error instanceof Error ? error.message : String(error);
  const report: Report = {
    verdict: "error",
    failureReason: reason,
    engine: config?.engine ?? "pulumi",
    project: error instanceof GateError && error.project ? error.project : "",
    stack: config?.stackName ?? "",
    policyPacks: [],
    resources: [],
    violations: [],
    warnings: [],
    error: { reason, message },
  };
  return { report, changeSummary: undefined, changes: [], diagnostics: message.includes("\n") ? [message] : [], runUrl: context.runUrl };
}

/** fail-on "advisory" makes any violation fail the gate; the other levels keep the engine's verdict. */
function applyFailOn(outcome: GateOutcome, failOn: Config["failOn"]): GateOutcome {
  const { report } = outcome;
  if (failOn !== "advisory" || report.verdict !== "pass" || report.violations.length === 0) return outcome;
  return { ...outcome, report: { ...report, verdict: "fail", failureReason: "policy-violations" } };
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100) || "default";
}

function writeReportFiles(outcome: GateOutcome, context: RunContext, key: string): { report: string; summary: string } {
  const directory = path.join(context.tempDir, "pulumi-policy-gate", fileSafe(key));
  mkdirSync(directory, { recursive: true });
  const report = path.join(directory, "report.json");
  const summary = path.join(directory, "summary.md");
  writeFileSync(report, `${JSON.stringify(outcome.report, null, 2)}\n`);
  writeFileSync(summary, `${renderComment(outcome)}\n`);
  return { report, summary };
}

function annotate(report: Report): void {
  const sorted = sortViolations(report.violations);
  for (const level of ["mandatory", "advisory"] as const) {
    const ofLevel = sorted.filter((violation) => violation.enforcementLevel === level);
    const shown = ofLevel.length > MAX_ANNOTATIONS ? ofLevel.slice(0, MAX_ANNOTATIONS - 1) : ofLevel;
    const annotation = level === "mandatory" ? core.error : core.warning;
    for (const violation of shown) {
      annotation(plainLine(`${nameFromUrn(violation.urn)}: ${violation.message}`), { title: plainLine(`${violation.policy} (${level})`) });
    }
    if (ofLevel.length > shown.length) annotation(`${ofLevel.length - shown.length} more ${level} violations: see the job summary.`, { title: `pulumi-policy-gate (${level})` });
  }
}

/** The failure reason a workflow branches on: a deploy's own when it did not happen. */
function failureReasonOf(state: RunState): FailureReason {
  const deploy = state.outcome.deploy;
  if (deploy && (deploy.phase === "blocked" || deploy.phase === "failed")) return deploy.reason ?? "deploy-failed";
  return state.outcome.report.failureReason;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.debug(`pulumi-policy-gate loaded ${Math.round(performance.now())} ms after the process started`);
  const context = readRunContext(env);
  let config: Config | undefined;
  let github: GitHubReporter | undefined;
  let state: RunState;
  try {
    config = parseConfig(inputsFromEnvironment(env));
    if (config.githubToken) core.setSecret(config.githubToken);
    github = await GitHubReporter.connect(config, context);
    state = config.command === "up" ? await runUpCommand(config, context, env, github) : await runPreviewCommand(config, context, env);
    state = { ...state, outcome: applyFailOn(state.outcome, config.failOn) };
  } catch (error) {
    if (!(error instanceof GateError)) core.error(error instanceof Error && error.stack ? error.stack : String(error));
    state = { outcome: errorOutcome(error, config, context), fingerprint: undefined, deployed: false, commentUrl: undefined };
    if (config && !github) {
      try {
        github = await GitHubReporter.connect(config, context);
      } catch (connectError) {
        warnAboutGitHub("connect to GitHub", connectError);
      }
    }
  }
  const { report } = state.outcome;
  core.info(renderText(report));
  if (state.outcome.deploy) core.info(`deploy ${state.outcome.deploy.phase}${state.outcome.deploy.message ? `: ${plainLine(state.outcome.deploy.message)}` : ""}`);

  const key = commentKey(config, report);
  let files: { report: string; summary: string } | undefined;
  try {
    files = writeReportFiles(state.outcome, context, key);
  } catch (error) {
    core.warning(`pulumi-policy-gate: could not write the report files: ${(error as Error).message}`);
  }
  try {
    await core.summary.addRaw(renderJobSummary(state.outcome), true).write();
  } catch (error) {
    core.warning(`pulumi-policy-gate: could not write the job summary: ${(error as Error).message}`);
  }
  annotate(report);
  try {
    await publish(state, config, github);
  } catch (error) {
    warnAboutGitHub("report to GitHub", error);
  }

  const { mandatory, advisory } = countViolations(report.violations);
  const failureReason = failureReasonOf(state);
  core.setOutput("verdict", report.verdict);
  core.setOutput("failure-reason", failureReason);
  core.setOutput("mandatory-violations", String(mandatory));
  core.setOutput("advisory-violations", String(advisory));
  core.setOutput("has-changes", state.outcome.changeSummary === undefined ? "unknown" : String(Object.entries(state.outcome.changeSummary).some(([op, count]) => op !== "same" && count > 0)));
  core.setOutput("change-summary", JSON.stringify(state.outcome.changeSummary ?? {}));
  core.setOutput("comment-url", state.commentUrl ?? "");
  core.setOutput("report", files?.report ?? "");
  core.setOutput("summary", files?.summary ?? "");
  core.setOutput("deployed", String(state.deployed));

  const end = Date.now();
  if (timings.previewStartedAt !== undefined) {
    const before = Math.round(timings.previewStartedAt - performance.timeOrigin);
    const after = timings.lastEventAt === undefined ? "n/a" : `${end - timings.lastEventAt} ms`;
    core.debug(`pulumi-policy-gate timings: process start to preview start ${before} ms; last engine event to end ${after}`);
  }
  if (report.verdict === "error") {
    core.setFailed(`pulumi-policy-gate: ${report.failureReason}: ${plainLine(report.error?.message ?? "the gate could not evaluate")}`);
  } else if (report.verdict === "fail" && config?.failOn !== "never") {
    core.setFailed(`pulumi-policy-gate: ${mandatory} mandatory and ${advisory} advisory policy violations`);
  } else if (config?.command === "up" && !state.deployed) {
    core.setFailed(`pulumi-policy-gate: not deployed: ${failureReason}: ${plainLine(state.outcome.deploy?.message ?? "")}`);
  }
}
