// The action: parse the inputs, run the gate (the Pulumi CLI or the offline engine), then
// report the one result everywhere: outputs, report files, job summary, annotations, the
// pull-request comment and the commit status. Reporting to GitHub never changes the verdict;
// an error anywhere still ends with every output set and the step failed (fail closed).

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@actions/core";
import { bundledPackDir } from "../engine/bundled-pack.js";
import { runOfflineCheck } from "../engine/offline/offline-engine.js";
import { readPolicyConfig } from "../engine/policy-config.js";
import { preparePolicyPack, runPulumiPreview } from "../engine/pulumi/pulumi-engine.js";
import { GateError } from "../gate-error.js";
import { createGitHubClient, type GitHubClient } from "../github/client.js";
import { setCommitStatus } from "../github/commit-status.js";
import { classifyGitHubError } from "../github/errors.js";
import { findPullRequestForCommit } from "../github/pull-requests.js";
import { upsertStickyComment } from "../github/sticky-comment.js";
import { countViolations, sortViolations, type FailureReason, type Report } from "../report/report.js";
import { renderText } from "../report/text.js";
import { plainLine } from "../report/untrusted-text.js";
import { renderComment, renderJobSummary, type GateOutcome } from "./gate-summary.js";
import { INPUT, inputsFromEnvironment, parseConfig, type Config } from "./inputs.js";
import { readRunContext, type RunContext } from "./run-context.js";

const MAX_ANNOTATIONS = 10;

/**
 * The action's own overhead, which every pull request pays: from the process starting to the
 * preview starting, and from the last engine event to the end. Printed as a debug line.
 */
const timings = { previewStartedAt: undefined as number | undefined, lastEventAt: undefined as number | undefined };
const DEFAULT_OFFLINE_STACK = "dev";

function stackOf(config: Config | undefined): string {
  return config?.stackName ?? DEFAULT_OFFLINE_STACK;
}

async function evaluate(config: Config, context: RunContext, env: NodeJS.ProcessEnv): Promise<GateOutcome> {
  if (config.command === "up") {
    throw new GateError("config-error", `input ${INPUT.command} is "up": gated deploys are not available in this version of the action; use "preview"`);
  }
  const workDir = path.resolve(context.workspace, config.workDir);
  const extraPacks = config.policyPacks.map((pack) => path.resolve(context.workspace, pack));
  const policyConfigFile = config.policyConfig ? path.resolve(context.workspace, config.policyConfig) : undefined;
  // On a runner the action has no node_modules: the pack's own dependencies are installed once
  // into the tool cache (npm ci from its lockfile), for both engines.
  const bundledPack = await preparePolicyPack(bundledPackDir(), env.RUNNER_TOOL_CACHE ?? context.tempDir);
  if (config.engine === "offline") {
    const policyConfig = policyConfigFile ? { file: readPolicyConfig(policyConfigFile), source: config.policyConfig ?? policyConfigFile } : undefined;
    const { report } = await runOfflineCheck({ programDir: workDir, stack: stackOf(config), packDirs: [bundledPack, ...extraPacks], policyConfig });
    return { report, changeSummary: undefined, changes: [], diagnostics: [], runUrl: context.runUrl };
  }
  timings.previewStartedAt = Date.now();
  const result = await runPulumiPreview({
    onEvent: () => {
      timings.lastEventAt = Date.now();
    },
    workDir,
    stackName: config.stackName ?? "",
    packDirs: [bundledPack, ...extraPacks],
    policyConfigFile,
    pulumiVersion: config.pulumiVersion,
    refresh: config.refresh,
  });
  return {
    report: result.report,
    changeSummary: result.changeSummary,
    changes: result.changes,
    diagnostics: result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.message),
    runUrl: context.runUrl,
  };
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
      annotation(plainLine(`${violation.urn.slice(violation.urn.lastIndexOf("::") + 2)}: ${violation.message}`), { title: plainLine(`${violation.policy} (${level})`) });
    }
    if (ofLevel.length > shown.length) annotation(`${ofLevel.length - shown.length} more ${level} violations: see the job summary.`, { title: `pulumi-policy-gate (${level})` });
  }
}

function statusOf(report: Report): { state: "success" | "failure" | "error"; description: string } {
  const { mandatory, advisory } = countViolations(report.violations);
  const counts = `${mandatory} mandatory, ${advisory} advisory policy violation${mandatory + advisory === 1 ? "" : "s"}`;
  if (report.verdict === "pass") return { state: "success", description: mandatory + advisory === 0 ? "No policy violations" : counts };
  if (report.verdict === "fail") return { state: "failure", description: counts };
  return { state: "error", description: `Could not evaluate: ${plainLine(report.error?.message ?? report.failureReason)}` };
}

function warnAboutGitHub(what: string, error: unknown): void {
  const { kind, message } = classifyGitHubError(error);
  const explanation =
    kind === "read-only-token"
      ? "the token is read-only (a pull request from a fork gets one); the result is in the job summary, the outputs and the exit code"
      : message;
  core.warning(`pulumi-policy-gate: could not ${what}: ${explanation}`);
}

interface GitHubReport {
  commentUrl: string | undefined;
}

async function reportToGitHub(outcome: GateOutcome, config: Config | undefined, context: RunContext, key: string): Promise<GitHubReport> {
  const token = config?.githubToken;
  const { owner, repo } = context;
  if (!token || !owner || !repo) {
    core.info("pulumi-policy-gate: no GitHub token or repository: no comment and no commit status.");
    return { commentUrl: undefined };
  }
  const client: GitHubClient = createGitHubClient({ token, baseUrl: context.apiUrl, log: (message) => core.info(message) });
  let pullRequest = context.pullRequest;
  if (!pullRequest && context.sha) {
    try {
      const found = await findPullRequestForCommit(client, { owner, repo, sha: context.sha });
      if (found) pullRequest = { number: found.number, headSha: found.headSha, fromFork: found.fromFork };
    } catch (error) {
      warnAboutGitHub(`find the pull request of commit ${context.sha}`, error);
    }
  }

  let commentUrl: string | undefined;
  if (pullRequest && config.commentOnPr) {
    try {
      const result = await upsertStickyComment(client, { owner, repo, issueNumber: pullRequest.number, key, body: renderComment(outcome) });
      commentUrl = result.url;
      core.info(`pulumi-policy-gate: comment ${result.action} on pull request #${pullRequest.number}: ${result.url}`);
    } catch (error) {
      warnAboutGitHub(`comment on pull request #${pullRequest.number}`, error);
    }
  } else if (!pullRequest) {
    core.info("pulumi-policy-gate: no pull request for this run: no comment.");
  }

  const sha = pullRequest?.headSha ?? context.sha;
  if (sha) {
    const { state, description } = statusOf(outcome.report);
    try {
      await setCommitStatus(client, {
        owner,
        repo,
        sha,
        state,
        context: config.statusContext ?? `pulumi-policy-gate/${outcome.report.stack || stackOf(config)}`,
        description,
        ...(context.runUrl ? { targetUrl: context.runUrl } : {}),
      });
    } catch (error) {
      warnAboutGitHub(`set the commit status on ${sha}`, error);
    }
  }
  return { commentUrl };
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.debug(`pulumi-policy-gate loaded ${Math.round(performance.now())} ms after the process started`);
  const context = readRunContext(env);
  let config: Config | undefined;
  let outcome: GateOutcome;
  try {
    config = parseConfig(inputsFromEnvironment(env));
    if (config.githubToken) core.setSecret(config.githubToken);
    outcome = applyFailOn(await evaluate(config, context, env), config.failOn);
  } catch (error) {
    if (!(error instanceof GateError)) core.error(error instanceof Error && error.stack ? error.stack : String(error));
    outcome = errorOutcome(error, config, context);
  }
  const { report } = outcome;
  core.info(renderText(report));

  const key = config?.commentKey ?? `${report.project || "project"}/${report.stack || stackOf(config)}`;
  let files: { report: string; summary: string } | undefined;
  try {
    files = writeReportFiles(outcome, context, key);
  } catch (error) {
    core.warning(`pulumi-policy-gate: could not write the report files: ${(error as Error).message}`);
  }
  try {
    await core.summary.addRaw(renderJobSummary(outcome), true).write();
  } catch (error) {
    core.warning(`pulumi-policy-gate: could not write the job summary: ${(error as Error).message}`);
  }
  annotate(report);
  let github: GitHubReport = { commentUrl: undefined };
  try {
    github = await reportToGitHub(outcome, config, context, key);
  } catch (error) {
    warnAboutGitHub("report to GitHub", error);
  }

  const { mandatory, advisory } = countViolations(report.violations);
  core.setOutput("verdict", report.verdict);
  core.setOutput("failure-reason", report.failureReason);
  core.setOutput("mandatory-violations", String(mandatory));
  core.setOutput("advisory-violations", String(advisory));
  core.setOutput("has-changes", outcome.changeSummary === undefined ? "unknown" : String(Object.entries(outcome.changeSummary).some(([op, count]) => op !== "same" && count > 0)));
  core.setOutput("change-summary", JSON.stringify(outcome.changeSummary ?? {}));
  core.setOutput("comment-url", github.commentUrl ?? "");
  core.setOutput("report", files?.report ?? "");
  core.setOutput("summary", files?.summary ?? "");

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
  }
}
