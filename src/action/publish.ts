// Publishing the run's one result, everywhere, in one place: the log, the report files, the job
// summary, annotations, the pull-request comment, the commit status and the outputs. Publishing
// never changes the verdict: a failure here is a warning.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@actions/core";
import { fingerprintMarker } from "../deploy/fingerprint.js";
import { commitStatusOf } from "../gate/decisions.js";
import type { GateOutcome } from "../gate/outcome.js";
import { sortViolations, type Report, type SourceLocation } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";
import { COMMENT_LENGTH, renderComment, renderJobSummary, type CommentContext } from "../report/comment.js";
import { renderText } from "../report/text.js";
import { logSafe, plainLine } from "../report/untrusted-text.js";
import type { Masker } from "../gate/masking.js";
import { warnAboutGitHub, type GitHubReporter } from "./github-reporter.js";
import type { Config } from "./inputs.js";
import { outputsOf, type ReportFiles } from "./outputs.js";
import type { RunContext } from "./run-context.js";
import { commentKey, stackOf, type RunResult } from "./run-result.js";
import { writeSarifLog } from "./sarif-log.js";

const MAX_ANNOTATIONS = 10;

/** The log, through the masker and without workflow commands: every line the action writes goes here. */
export function logOf(masker: Masker): { info: (text: string) => void; warning: typeof core.warning; error: typeof core.error } {
  const safe = (text: string): string => logSafe(masker.mask(text));
  const props = (properties: core.AnnotationProperties = {}): core.AnnotationProperties => ({
    ...properties,
    ...(properties.title === undefined ? {} : { title: safe(properties.title) }),
    ...(properties.file === undefined ? {} : { file: safe(properties.file) }),
  });
  return {
    info: (text) => core.info(safe(text)),
    warning: (message, properties) => core.warning(safe(message instanceof Error ? message.message : message), props(properties)),
    error: (message, properties) => core.error(safe(message instanceof Error ? message.message : message), props(properties)),
  };
}

/**
 * What the comment's links and paths need: the repository and the commit under review (a pull
 * request's head, not the merge commit GITHUB_SHA is then), and the workspace to take off paths.
 */
export function commentContextOf(context: RunContext): CommentContext {
  const sha = context.pullRequest?.headSha ?? context.sha;
  const repositoryUrl =
    context.owner && context.repo ? `${context.serverUrl.replace(/\/+$/, "")}/${context.owner}/${context.repo}` : undefined;
  return { ...(repositoryUrl && sha ? { source: { repositoryUrl, sha } } : {}), workspace: context.workspace };
}

/** The comment body: the fingerprint first (where the deploy reads it), then the summary. */
function commentBody(result: RunResult, context: CommentContext): string {
  const marker = result.fingerprint ? `${fingerprintMarker(result.fingerprint)}\n\n` : "";
  return `${marker}${renderComment(result.outcome, COMMENT_LENGTH - marker.length, context)}`;
}

/** The comment and the commit status; returns the comment's URL (the earlier one if none was written). */
export async function publishToGitHub(
  result: RunResult,
  config: Config | undefined,
  github: GitHubReporter | undefined,
  masker: Masker,
  commentContext: CommentContext,
): Promise<string | undefined> {
  if (!github) return result.commentUrl;
  const masked = { ...result, outcome: masker.maskDeep(result.outcome) };
  const url =
    (await github.comment(commentKey(config, result.outcome.report), masker.mask(commentBody(masked, commentContext)))) ??
    result.commentUrl;
  const { state, description } = commitStatusOf(result.outcome);
  await github.status(result.outcome.report.stack || stackOf(config), state, masker.mask(description));
  return url;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100) || "default";
}

function writeReportFiles(outcome: GateOutcome, context: RunContext, key: string, masker: Masker): ReportFiles {
  const directory = path.join(context.tempDir, "pulumi-policy-gate", fileSafe(key));
  mkdirSync(directory, { recursive: true });
  const report = path.join(directory, "report.json");
  const summary = path.join(directory, "summary.md");
  // The report is masked field by field (the caller's maskDeep): masking the JSON text could break it.
  writeFileSync(report, `${JSON.stringify(outcome.report, null, 2)}\n`);
  writeFileSync(summary, `${masker.mask(renderComment(outcome, COMMENT_LENGTH, commentContextOf(context)))}\n`);
  return { report, summary };
}

/**
 * Where an annotation points: the file (relative to the repository root, as the runner wants it)
 * and line, so that it shows in the pull request's "Files changed" at the declaration.
 */
function annotationLocation(location: SourceLocation | undefined): core.AnnotationProperties {
  if (!location || typeof location.file !== "string" || location.file === "" || !Number.isSafeInteger(location.line) || location.line < 1)
    return {};
  const column =
    location.column !== undefined && Number.isSafeInteger(location.column) && location.column > 0 ? { startColumn: location.column } : {};
  return { file: plainLine(location.file), startLine: location.line, ...column };
}

function annotate(report: Report, log: ReturnType<typeof logOf>): void {
  const sorted = sortViolations(report.violations);
  for (const level of ["mandatory", "advisory"] as const) {
    const ofLevel = sorted.filter((violation) => violation.enforcementLevel === level);
    const shown = ofLevel.length > MAX_ANNOTATIONS ? ofLevel.slice(0, MAX_ANNOTATIONS - 1) : ofLevel;
    const annotation = level === "mandatory" ? log.error : log.warning;
    for (const violation of shown) {
      annotation(plainLine(`${nameFromUrn(violation.urn)}: ${violation.message}`), {
        title: plainLine(`${violation.policy} (${level})`),
        ...annotationLocation(violation.location),
      });
    }
    if (ofLevel.length > shown.length)
      annotation(`${ofLevel.length - shown.length} more ${level} violations: see the job summary.`, {
        title: `pulumi-policy-gate (${level})`,
      });
  }
}

/** Tries `write`; a failure is a warning naming what could not be written. */
async function orWarn<T>(what: string, write: () => T | Promise<T>, log: ReturnType<typeof logOf>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    log.warning(`pulumi-policy-gate: could not write ${what}: ${(error as Error).message}`);
    return undefined;
  }
}

export async function publish(
  result: RunResult,
  config: Config | undefined,
  context: RunContext,
  github: GitHubReporter | undefined,
  masker: Masker,
): Promise<void> {
  // The one choke point: every string of the outcome is masked before anything is rendered, and
  // every rendered text again (a secret may be spread over two fields, or over a rendering).
  const outcome = masker.maskDeep(result.outcome);
  const { report, deploy } = outcome;
  const log = logOf(masker);
  log.info(renderText(report));
  if (deploy) log.info(`deploy ${deploy.phase}${deploy.message ? `: ${plainLine(deploy.message)}` : ""}`);

  const files = await orWarn(
    "the report files",
    () => writeReportFiles(outcome, context, commentKey(config, result.outcome.report), masker),
    log,
  );
  const sarif = files && (await orWarn("the SARIF log", () => writeSarifLog(report, config, context, path.dirname(files.report)), log));
  const commentContext = commentContextOf(context);
  await orWarn(
    "the job summary",
    () => core.summary.addRaw(masker.mask(renderJobSummary(outcome, undefined, commentContext)), true).write(),
    log,
  );
  annotate(report, log);
  let commentUrl = result.commentUrl;
  try {
    commentUrl = await publishToGitHub(result, config, github, masker, commentContext);
  } catch (error) {
    warnAboutGitHub("report to GitHub", error, log);
  }
  for (const [name, value] of Object.entries(outputsOf({ ...result, outcome, commentUrl }, files && { ...files, sarif })))
    core.setOutput(name, masker.mask(value));
}
