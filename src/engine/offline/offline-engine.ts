// The offline engine: a preview with no Pulumi CLI and no cloud account. It runs the program
// under Pulumi's SDK with a recording monitor, serves the policy packs over the analyzer
// protocol as the CLI would, and reduces their diagnostics to a report. The packs start only
// once the program has finished: started alongside, an idle pack added about 150 MB to the
// peak memory of a 10,000-resource run, for about half a second saved on a small one.

import { GateError } from "../../gate/errors.js";
import { decide, type PolicyPackSummary, type Report, type Violation } from "../../gate/report.js";
import { collectSecrets, scrubSecrets } from "../../gate/secrets.js";
import { rootStackUrn, typeFromUrn } from "../../gate/urn.js";
import type { Engine, PreviewRequest, PreviewResult } from "../engine.js";
import { ResourceMessages } from "./analyzer/messages.js";
import { PolicyPackProcess, type Diagnostic, type PackInfo } from "./analyzer/policy-pack.js";
import { readPolicyConfig, type PolicyConfigFile } from "../policy-config-file.js";
import { resolvePolicyConfig } from "../policy-config.js";
import { loadProgram } from "./project.js";
import type { RecordedResource } from "./records.js";
import { runProgram } from "./run-program.js";
import { reportedMessage } from "../violation-message.js";

export interface OfflineCheckOptions {
  readonly programDir: string;
  readonly stack: string;
  readonly packDirs: readonly string[];
  readonly policyConfig?: { readonly file: PolicyConfigFile; readonly source: string };
  readonly timeoutMs?: number;
}

export interface OfflineCheckResult {
  readonly report: Report;
  /** The program's console output (bounded), for diagnosing a failed run. */
  readonly programOutput: string;
}

function toViolations(
  diagnostics: readonly Diagnostic[],
  resources: ReadonlyMap<string, RecordedResource>,
  secrets: readonly string[],
): Violation[] {
  return diagnostics.map((diagnostic) => ({
    policy: diagnostic.policyName,
    policyPack: diagnostic.policyPackName,
    enforcementLevel: diagnostic.enforcementLevel,
    ...(diagnostic.severity ? { severity: diagnostic.severity } : {}),
    urn: diagnostic.urn,
    resourceType: resources.get(diagnostic.urn)?.type ?? typeFromUrn(diagnostic.urn),
    message: scrubSecrets(reportedMessage(diagnostic.message, diagnostic.description), secrets),
  }));
}

export async function runOfflineCheck(options: OfflineCheckOptions): Promise<OfflineCheckResult> {
  const program = loadProgram(options.programDir, options.stack);
  const packs: PolicyPackProcess[] = [];
  try {
    const { outcome, output } = await runProgram(program, options.stack, { timeoutMs: options.timeoutMs });
    const launches = options.packDirs.map((directory) => PolicyPackProcess.launch(directory));
    const launched = await Promise.allSettled(launches);
    for (const result of launched) if (result.status === "fulfilled") packs.push(result.value);
    const failedLaunch = launched.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failedLaunch) throw failedLaunch.reason;

    const infos: PackInfo[] = [];
    for (const pack of packs) infos.push(await pack.info());
    const warnings: string[] = [...program.warnings];
    const allPolicies = new Set(infos.flatMap((info) => info.policies.map((policy) => policy.name)));
    for (const [index, pack] of packs.entries()) {
      const info = infos[index];
      if (!info) continue;
      const { config, warnings: configWarnings } = resolvePolicyConfig(
        options.policyConfig?.file ?? {},
        options.policyConfig?.source ?? "",
        info.name,
        info.policies,
        allPolicies,
      );
      warnings.push(...configWarnings);
      await pack.configure(config);
    }

    // Policies judge what the program declares. A `.get()` read of an existing resource is not
    // analyzed by the Pulumi CLI either, and offline its state is a stand-in: a verdict on it would
    // be made up (an existing target group "without" a health check). Reads stay in the report.
    const messages = new ResourceMessages(outcome.resources.filter((resource) => resource.op !== "read"));
    const diagnostics: Diagnostic[] = [];
    for (const pack of packs) {
      diagnostics.push(...(await pack.analyzeEach(messages)));
      diagnostics.push(...(await pack.analyzeStack(messages, rootStackUrn(program.project, options.stack))));
    }

    const byUrn = new Map(outcome.resources.map((resource) => [resource.urn, resource]));
    const secrets = new Set<string>();
    for (const resource of outcome.resources) collectSecrets(resource.inputs, secrets);
    const violations = toViolations(diagnostics, byUrn, [...secrets]);
    const policyPacks: PolicyPackSummary[] = infos.map((info) => ({ name: info.name, version: info.version }));
    const invoked = outcome.invokes.map((invoke) => invoke.token);
    if (invoked.length > 0) {
      warnings.push(`offline lookups answered with stand-in values: ${invoked.join(", ")}`);
    }
    const reads = outcome.resources.filter((resource) => resource.op === "read").map(({ type, name }) => `${type} '${name}'`);
    if (reads.length > 0) {
      warnings.push(`offline .get() reads answered with stand-in state: ${reads.join(", ")}`);
    }
    return {
      report: {
        ...decide(violations),
        engine: "offline",
        project: program.project,
        stack: options.stack,
        policyPacks,
        resources: outcome.resources.map(({ urn, type, name }) => ({ urn, type, name })),
        violations,
        warnings,
      },
      programOutput: output,
    };
  } catch (error) {
    if (error instanceof GateError) {
      // A program that fails without its stack's config was most likely run as the wrong stack:
      // the warning that says so goes with the error, which is all an error report shows.
      const failed =
        error.reason === "preview-failed" && program.warnings.length > 0
          ? new GateError(error.reason, `${error.message}\n${program.warnings.join("\n")}`, { details: error.details })
          : error;
      throw failed.withProject(program.project);
    }
    throw error;
  } finally {
    await Promise.all(packs.map((pack) => pack.shutdown()));
  }
}

/**
 * The offline engine: no Pulumi CLI, no cloud account, no stack state (so no change summary and
 * no deploys). The policy config file is read here, and named in errors as the user gave it.
 */
export const offlineEngine: Engine = {
  stackNames: "bare",
  async preview(request: PreviewRequest): Promise<PreviewResult> {
    const { policyConfigFile } = request;
    const policyConfig =
      policyConfigFile === undefined ? undefined : { file: readPolicyConfig(policyConfigFile), source: policyConfigFile };
    const { report } = await runOfflineCheck({
      programDir: request.workDir,
      stack: request.stack,
      packDirs: request.packDirs,
      policyConfig,
    });
    return { report, changes: [], steps: [], changeSummary: undefined, errors: [] };
  },
};
