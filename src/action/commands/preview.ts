// command "preview": the policy check of a pull request. Its fingerprint records the pull
// request's head commit and this run, so that a deploy can check it reviewed the right commit.
// A saved plan (input plan-file, for a later deploy job) keeps beside it that fingerprint and
// the plan's sha256.

import { savePlanFingerprint } from "../../deploy/plan-file.js";
import { pathsOf, previewStack, type Command } from "./command.js";

export const runPreview: Command = async (command) => {
  const { context } = command;
  const paths = pathsOf(command.config, command.context);
  const preview = await previewStack(command, paths, paths.planFile);
  // Only a pull request's own run reviews its head: a push run that finds the merged pull
  // request previews other code, so its fingerprint names no head and never passes for reviewed.
  const headSha = context.pullRequest?.headSha;
  const fingerprint = preview.fingerprint && {
    ...preview.fingerprint,
    ...(headSha ? { headSha } : {}),
    ...(context.runId ? { runId: context.runId } : {}),
  };
  if (paths.planFile && fingerprint) savePlanFingerprint(paths.planFile, fingerprint);
  return { outcome: preview.outcome, fingerprint, commentUrl: undefined };
};
