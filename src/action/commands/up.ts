// command "up": preview with a saved plan, decide, say on the pull request what is about to
// happen, then deploy that plan (or an earlier saved plan, once a fresh preview confirms it still
// matches). Any error before the deploy means no deploy.

import { existsSync } from "node:fs";
import path from "node:path";
import { decideDeploy } from "../../deploy/deploy-decision.js";
import { readFingerprint, type ChangeFingerprint } from "../../deploy/fingerprint.js";
import { planSha256, readPlanFingerprint } from "../../deploy/plan-file.js";
import { ENGINES } from "../../engine/engines.js";
import { errorMessage } from "../../gate/decisions.js";
import { GateError } from "../../gate/errors.js";
import type { DeployState } from "../../gate/outcome.js";
import { DEPLOY_EVENTS, deployingEngines, INPUT, INPUT_OF_SUBJECT } from "../inputs.js";
import { commentContextOf, publishToGitHub } from "../publish.js";
import { commentKey, stackOf, type RunResult } from "../run-result.js";
import { pathsOf, previewStack, type Command } from "./command.js";

function withDeploy(result: RunResult, deploy: DeployState): RunResult {
  return { ...result, outcome: { ...result.outcome, deploy } };
}

export const runUp: Command = async (command) => {
  const { config, context, github } = command;
  // An allow-list: an event nobody thought of (or an empty name) deploys nothing.
  const allowed = [...DEPLOY_EVENTS, ...config.deployEvents];
  if (!allowed.includes(context.eventName)) {
    throw new GateError(
      "config-error",
      `input ${INPUT.command} is "up" on a ${JSON.stringify(context.eventName)} event: a deploy runs only on ${allowed.join(", ")} (merged or explicitly dispatched code); add an event to input ${INPUT.deployEvents} to allow it`,
    );
  }
  const paths = pathsOf(config, context);
  const freshPlan = path.join(context.tempDir, "pulumi-policy-gate", "plans", `${Date.now()}-${process.pid}.json`);
  const { outcome, steps, fingerprint: current } = await previewStack(command, paths, freshPlan);
  const deploy = ENGINES[config.engine].deploy;
  if (!current || !deploy) throw new GateError("config-error", `a deploy needs ${deployingEngines()}`);

  // What was reviewed: the fingerprint saved with the earlier plan, or the pull request's comment.
  let reviewed: ChangeFingerprint | undefined;
  let planFile: { sha256: string; recorded: string | undefined } | undefined;
  if (paths.planFile) {
    if (!existsSync(paths.planFile)) {
      throw new GateError(
        "config-error",
        `input ${INPUT.planFile} is ${JSON.stringify(config.planFile)}; no such file: expected a plan saved by a preview with ${INPUT.planFile}`,
      );
    }
    const saved = readPlanFingerprint(paths.planFile);
    reviewed = saved.fingerprint;
    planFile = { sha256: planSha256(paths.planFile), recorded: saved.planSha256 };
  } else {
    // Read also when not required: the comment is updated below and must keep what was reviewed.
    const body = await github?.reviewedCommentBody(commentKey(config, outcome.report));
    reviewed = body === undefined ? undefined : readFingerprint(body);
  }
  // The comment keeps the reviewed fingerprint: the deploy's own must never become "reviewed".
  const previewed: RunResult = { outcome, fingerprint: reviewed, commentUrl: undefined };

  const decision = decideDeploy({
    verdict: outcome.report.verdict,
    failureReason: outcome.report.failureReason,
    changes: steps,
    allowDestroy: config.allowDestroy,
    requireReviewedPlan: config.requireReviewedPlan || paths.planFile !== undefined,
    reviewed,
    current,
    // A comment's fingerprint must be of the pull request's last head commit; a saved plan is bound by its sha256.
    pullRequestHead: paths.planFile ? undefined : (github?.pullRequest?.headSha ?? ""),
    planFile,
  });
  if (!decision.go)
    return withDeploy(previewed, {
      phase: "blocked",
      reason: decision.reason,
      message: decision.message,
      // An edited comment reads as no reviewed plan: say why.
      details: github?.distrust === undefined ? decision.details : [github.distrust, ...decision.details],
    });

  const pendingMessage = "The policies passed; the update runs now with the saved plan, and this comment shows its result.";
  let pending = withDeploy(previewed, { phase: "pending", message: pendingMessage, details: [] });
  pending = { ...pending, commentUrl: await publishToGitHub(pending, config, github, command.masker, commentContextOf(command.context)) };
  try {
    const result = await deploy({
      workDir: paths.workDir,
      stack: stackOf(config),
      plan: paths.planFile ?? freshPlan,
      pulumiVersion: config.pulumiVersion,
      onSecrets: command.addSecrets,
    });
    return withDeploy(pending, {
      phase: "deployed",
      message: "",
      details: [],
      changeSummary: result.changeSummary,
      outputs: result.outputs,
    });
  } catch (error) {
    const reason = error instanceof GateError ? error.reason : "deploy-failed";
    const details = error instanceof GateError ? error.details.slice(-10) : [];
    return withDeploy(pending, { phase: "failed", reason, message: errorMessage(error, INPUT_OF_SUBJECT), details });
  }
};
