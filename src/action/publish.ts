// Publishing the run's one result, everywhere, in one place: the log, the report files, the job
// summary, annotations, the pull-request comment, the commit status and the outputs. Publishing
// never changes the verdict: a failure here is a warning.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@actions/core";
import { fingerprintMarker } from "../deploy/fingerprint.js";
import { commitStatusOf } from "../gate/decisions.js";
import type { GateOutcome } from "../gate/outcome.js";
import { sortViolations, type Report } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";
import { COMMENT_LENGTH, renderComment, renderJobSummary } from "../report/comment.js";
import { renderText } from "../report/text.js";
import { plainLine } from "../report/untrusted-text.js";
import { warnAboutGitHub, type GitHubReporter } from "./github-reporter.js";
import type { Config } from "./inputs.js";
import { outputsOf, type ReportFiles } from "./outputs.js";
import type { RunContext } from "./run-context.js";
import { commentKey, stackOf, type RunResult } from "./run-result.js";

const MAX_ANNOTATIONS = 10;

/** The comment body: the fingerprint first (where the deploy reads it), then the summary. */
function commentBody(result: RunResult): string {
  const marker = result.fingerprint ? `${fingerprintMarker(result.fingerprint)}\n\n` : "";
  return `${marker}${renderComment(result.outcome, COMMENT_LENGTH - marker.length)}`;
}

/** The comment and the commit status; returns the comment's URL (the earlier one if none was written). */
export async function publishToGitHub(
  result: RunResult,
  config: Config | undefined,
  github: GitHubReporter | undefined,
): Promise<string | undefined> {
  if (!github) return result.commentUrl;
  const url = (await github.comment(commentKey(config, result.outcome.report), commentBody(result))) ?? result.commentUrl;
  const { state, description } = commitStatusOf(result.outcome);
  await github.status(result.outcome.report.stack || stackOf(config), state, description);
  return url;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100) || "default";
}

function writeReportFiles(outcome: GateOutcome, context: RunContext, key: string): ReportFiles {
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
    if (ofLevel.length > shown.length)
      annotation(`${ofLevel.length - shown.length} more ${level} violations: see the job summary.`, {
        title: `pulumi-policy-gate (${level})`,
      });
  }
}

/** Tries `write`; a failure is a warning naming what could not be written. */
async function orWarn<T>(what: string, write: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    core.warning(`pulumi-policy-gate: could not write ${what}: ${(error as Error).message}`);
    return undefined;
  }
}

export async function publish(
  result: RunResult,
  config: Config | undefined,
  context: RunContext,
  github: GitHubReporter | undefined,
): Promise<void> {
  const { report, deploy } = result.outcome;
  core.info(renderText(report));
  if (deploy) core.info(`deploy ${deploy.phase}${deploy.message ? `: ${plainLine(deploy.message)}` : ""}`);

  const files = await orWarn("the report files", () => writeReportFiles(result.outcome, context, commentKey(config, report)));
  await orWarn("the job summary", () => core.summary.addRaw(renderJobSummary(result.outcome), true).write());
  annotate(report);
  let commentUrl = result.commentUrl;
  try {
    commentUrl = await publishToGitHub(result, config, github);
  } catch (error) {
    warnAboutGitHub("report to GitHub", error);
  }
  for (const [name, value] of Object.entries(outputsOf({ ...result, commentUrl }, files))) core.setOutput(name, value);
}
