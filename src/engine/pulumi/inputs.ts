// The user's inputs to a preview or an update, checked before the CLI runs: what the CLI would
// refuse later, with a less helpful message, or what would make the run unsafe. Each error names
// the input it is about (its subject) and starts with the value as given; the front end puts its
// own name for the input in front (see GateError).

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { GateError, type GateSubject } from "../../gate/errors.js";
import { stackNameProblem } from "../../gate/stack-name.js";
import { readPolicyConfig } from "../policy-config-file.js";
import { checkPolicyPackDir } from "../policy-pack-install.js";

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];

function inputError(subject: GateSubject, message: string): GateError {
  return new GateError("config-error", message, { subject });
}

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** The Pulumi project directory, and the stack name as `pulumi stack select` takes it. */
export function checkProjectAndStack(workDir: string, stackName: string): void {
  if (!isDirectory(workDir)) throw inputError("program", `${workDir}: no such directory; expected the directory of a Pulumi project`);
  if (!PROJECT_FILES.some((name) => existsSync(path.join(workDir, name)))) {
    throw inputError("program", `${workDir} has no Pulumi.yaml; expected the directory of a Pulumi project`);
  }
  const problem = stackNameProblem(stackName, true);
  if (problem !== undefined) throw inputError("stack", `${JSON.stringify(stackName)}: not a valid stack name; ${problem}`);
}

/** The packs of a preview, each ready to start, and the one policy config file given to every pack. */
export function checkPolicyInputs(packDirs: readonly string[], policyConfigFile: string | undefined): void {
  // The front ends always put the bundled pack first: none at all is the gate's own bug.
  if (packDirs.length === 0) throw new GateError("config-error", "no policy pack was given; the bundled pack comes first");
  for (const packDir of packDirs) checkPolicyPackDir(packDir);
  // The offline engine's validator: one file means the same to both engines.
  if (policyConfigFile !== undefined) readPolicyConfig(policyConfigFile);
}

/** The plan an update is bound to: without a readable one, nothing is deployed. */
export function checkPlanFile(plan: string): void {
  const expected = "expected an update plan saved by `pulumi preview --save-plan`";
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(plan, "utf8"));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : `it is not readable JSON (${(error as Error).message})`;
    throw inputError("plan-file", `${plan}: ${why}; ${expected}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw inputError("plan-file", `${plan} is not a JSON object; ${expected}`);
  }
}
