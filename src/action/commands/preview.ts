// command "preview": the policy check of a pull request. A saved plan (input plan-file, for a
// later deploy job) keeps beside it the fingerprint of what this preview proposed.

import { savePlanFingerprint } from "../../deploy/plan-file.js";
import { pathsOf, previewStack, type Command } from "./command.js";

export const runPreview: Command = async (command) => {
  const paths = pathsOf(command.config, command.context);
  const { outcome, fingerprint } = await previewStack(command, paths, paths.planFile);
  if (paths.planFile && fingerprint) savePlanFingerprint(paths.planFile, fingerprint);
  return { outcome, fingerprint, commentUrl: undefined };
};
