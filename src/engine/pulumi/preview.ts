// The preview: `pulumi preview` of a stack with the gate's policy packs, through the session,
// reduced to the gate's report. The verdict comes from the engine events only (reduceEvents); the
// CLI's exit code and output are kept for diagnostics. Failing to run the preview at all is a
// GateError (see session.ts).
//
// Callers pass packs ready to start: for the bundled pack on a fresh runner, preparePolicyPack
// (policy-pack-install.ts) gives a folder with its dependencies installed.

import path from "node:path";
import { GateError } from "../../gate/errors.js";
import type { Report } from "../../gate/report.js";
import type { EngineEvent } from "./engine-events.js";
import { checkPolicyInputs } from "./inputs.js";
import { packEvidenceProblem, type PackIdentity } from "./pack-evidence.js";
import type { PreviewReduction } from "./reduce-events.js";
import { cliFailedAfterEngine, runSession, USER_AGENT, type SessionOptions } from "./session.js";

export interface PulumiPreviewOptions extends SessionOptions {
  /** The bundled pack first, then the user's packs; each must be ready to start. */
  readonly packDirs: readonly string[];
  /**
   * A `--policy-pack-config` file (Pulumi's format). It is given to every pack, as the offline
   * engine applies it to every pack: the engine applies "all" to each pack and ignores entries
   * that name policies of other packs.
   */
  readonly policyConfigFile?: string;
  /** `--refresh`: refresh the state before the preview. */
  readonly refresh?: boolean;
  /** `--save-plan`: where to write the update plan (only written when the preview succeeds). */
  readonly plan?: string;
  /**
   * The pack a pass needs proof of (the bundled one, at the version the action ships): a preview
   * whose events do not show it analyzing the stack is a GateError (policy-pack-failed).
   */
  readonly requiredPack: PackIdentity;
}

export interface PulumiPreviewResult extends PreviewReduction {
  readonly project: string;
  readonly events: readonly EngineEvent[];
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** The CLI's exit code: 0 when the preview succeeded; undefined when there was none. */
  readonly exitCode: number | undefined;
}

const WHEN_LOCKED = "another update or preview is in progress. Wait for it to finish, or cancel it with `pulumi cancel` if it is stuck";

export async function runPulumiPreview(options: PulumiPreviewOptions): Promise<PulumiPreviewResult> {
  // The CLI runs in workDir: relative paths are the caller's, so they are made absolute here.
  const packDirs = options.packDirs.map((packDir) => path.resolve(packDir));
  const policyConfigFile = options.policyConfigFile === undefined ? undefined : path.resolve(options.policyConfigFile);
  const plan = options.plan === undefined ? undefined : path.resolve(options.plan);
  const run = await runSession(options, {
    name: "preview",
    failureReason: "preview-failed",
    whenLocked: WHEN_LOCKED,
    checkInputs: () => checkPolicyInputs(options.packDirs, options.policyConfigFile),
    run: (stack, onEvent) =>
      stack.preview({
        policyPacks: [...packDirs],
        ...(policyConfigFile ? { policyPackConfigs: packDirs.map(() => policyConfigFile) } : {}),
        ...(options.refresh ? { refresh: true } : {}),
        ...(plan ? { plan } : {}),
        color: "never",
        userAgent: USER_AGENT,
        onEvent,
      }),
  });

  let report: Report = run.reduction.report;
  // The events say the preview passed, but the CLI failed after them (a plan it could not save,
  // a backend that did not answer): fail closed rather than pass on half a run.
  if (report.verdict === "pass" && run.cliFailure) {
    const message = run.withStderr(cliFailedAfterEngine(run.cliFailure));
    report = { ...report, verdict: "error", failureReason: "preview-failed", error: { reason: "preview-failed", message } };
  }
  // A pass needs the engine's word that the gate's own pack analyzed the stack (pack-evidence.ts).
  const missingEvidence = report.verdict === "pass" ? packEvidenceProblem(run.events, options.requiredPack, run.cliVersion) : undefined;
  if (missingEvidence !== undefined) throw new GateError("policy-pack-failed", run.withStderr(missingEvidence), { project: run.project });
  const { project, events, stdoutTail, stderrTail, exitCode } = run;
  return { ...run.reduction, report, project, events, stdoutTail, stderrTail, exitCode };
}
