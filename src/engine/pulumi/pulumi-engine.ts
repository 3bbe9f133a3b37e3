// The `pulumi` engine: the Pulumi CLI through the Automation API behind the gate's Engine
// interface. A real `pulumi preview` of a stack with the gate's policy packs (preview.ts), and
// the deploy of a plan that preview saved (up.ts); both run in one kind of CLI session
// (session.ts), which turns a run that never got to the engine into a GateError.

import { bundledPackIdentity } from "../bundled-pack.js";
import type { DeployRequest, DeployResult, Engine, PreviewRequest, PreviewResult } from "../engine.js";
import { withDeclarationSites } from "./declaration-sites.js";
import { runPulumiPreview } from "./preview.js";
import type { SessionOptions } from "./session.js";
import { runPulumiUp } from "./up.js";

/** Which stack, and which CLI: the same for a preview and a deploy. */
function sessionOptions(request: PreviewRequest | DeployRequest): SessionOptions {
  return {
    workDir: request.workDir,
    stackName: request.stack,
    pulumiVersion: request.pulumiVersion,
    pulumiCommandRoot: request.pulumiCommandRoot,
    ...(request.onSecrets ? { onSecrets: request.onSecrets } : {}),
  };
}

/** The Pulumi CLI through the Automation API: a real preview of the stack, and gated deploys. */
export const pulumiEngine: Engine = {
  stackNames: "qualified",
  async preview(request: PreviewRequest): Promise<PreviewResult> {
    const result = await runPulumiPreview({
      ...sessionOptions(request),
      packDirs: request.packDirs,
      // A pass needs proof that the pack the action ships ran; a deploy needs a pass (see up.ts).
      requiredPack: bundledPackIdentity(),
      policyConfigFile: request.policyConfigFile,
      refresh: request.refresh,
      ...(request.savePlanTo ? { plan: request.savePlanTo } : {}),
      ...(request.onProgress ? { onEvent: request.onProgress } : {}),
    });
    return {
      // Engine events carry no source positions: the program's own run places the violations.
      report: await withDeclarationSites(result.report, request.workDir, request.stack),
      changes: result.changes,
      // Each step (not only each resource's last one), so that a replacement keeps its reason.
      steps: result.steps,
      changeSummary: result.changeSummary,
      errors: result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((diagnostic) => diagnostic.message),
    };
  },
  async deploy(request: DeployRequest): Promise<DeployResult> {
    const result = await runPulumiUp({ ...sessionOptions(request), plan: request.plan });
    return { changeSummary: result.reduction.changeSummary, outputs: result.outputs };
  },
};
