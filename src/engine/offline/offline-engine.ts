// The offline engine: a preview with no Pulumi CLI and no cloud account. It runs the program
// under Pulumi's own Node.js runner against a monitor the gate serves (run-program.ts), serves
// the policy packs over the analyzer protocol as the CLI would, and reduces their diagnostics
// to a report.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { GateError } from "../../gate/errors.js";
import { decide, type PolicyPackSummary, type Report, type SourceLocation, type Violation } from "../../gate/report.js";
import { collectSecrets, scrubSecrets } from "../../gate/secrets.js";
import { rootStackUrn, typeFromUrn } from "../../gate/urn.js";
import type { Engine, PluginDownload, PreviewRequest, PreviewResult, UnbuiltComponents } from "../engine.js";
import { ResourceMessages } from "./analyzer/messages.js";
import { PolicyPackProcess, ResourceAnalysis, type Diagnostic, type PackInfo } from "./analyzer/policy-pack.js";
import { readPolicyConfig, type PolicyConfigFile } from "../policy-config-file.js";
import { resolvePolicyConfig } from "../policy-config.js";
import { loadProgram } from "./project.js";
import type { RecordedResource } from "./records.js";
import { readableRoot } from "./program-permissions.js";
import { runProgram } from "./run-program.js";
import { STACK_REFERENCE_TYPE } from "./stand-in-values.js";
import { reportedMessage } from "../violation-message.js";

const MAX_PROGRAM_WARNINGS = 10;

export interface OfflineCheckOptions {
  readonly programDir: string;
  readonly stack: string;
  readonly packDirs: readonly string[];
  readonly policyConfig?: { readonly file: PolicyConfigFile; readonly source: string };
  readonly timeoutMs?: number;
  /** Type-check TypeScript as `pulumi preview` does (slower); by default it is only transpiled. */
  readonly typeCheck?: boolean;
  /** Run the program without Node.js's permission model. */
  readonly unrestricted?: boolean;
  /** Download a remote component's plugin that is not installed; default: never. */
  readonly pluginDownload?: PluginDownload | undefined;
  /** What a remote component whose plugin is not available does; default: the check is an error. */
  readonly unbuiltComponents?: UnbuiltComponents | undefined;
}

export interface OfflineCheckResult {
  readonly report: Report;
  /** The program's console output (bounded), for diagnosing a failed run. */
  readonly programOutput: string;
}

/** The declaration site the SDK recorded, relative to the repository root; undefined outside it. */
export function sourceLocation(resource: RecordedResource, repositoryRoot: string): SourceLocation | undefined {
  if (!resource.source || resource.source.line <= 0) return undefined;
  let file: string;
  try {
    file = resource.source.uri.startsWith("file:") ? fileURLToPath(resource.source.uri) : resource.source.uri;
  } catch {
    return undefined;
  }
  const relative = path.relative(repositoryRoot, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  // A position inside a library (the SDK's own stack resource) is not where the program declared it.
  if (relative.split(path.sep).includes("node_modules")) return undefined;
  return {
    file: relative.split(path.sep).join("/"),
    line: resource.source.line,
    ...(resource.source.column > 0 ? { column: resource.source.column } : {}),
  };
}

function toViolations(
  diagnostics: readonly Diagnostic[],
  resources: ReadonlyMap<string, RecordedResource>,
  secrets: readonly string[],
  locations: ReadonlyMap<string, SourceLocation>,
): Violation[] {
  return diagnostics.map((diagnostic) => ({
    policy: diagnostic.policyName,
    policyPack: diagnostic.policyPackName,
    enforcementLevel: diagnostic.enforcementLevel,
    ...(diagnostic.severity ? { severity: diagnostic.severity } : {}),
    urn: diagnostic.urn,
    resourceType: resources.get(diagnostic.urn)?.type ?? typeFromUrn(diagnostic.urn),
    message: scrubSecrets(reportedMessage(diagnostic.message, diagnostic.description), secrets),
    ...(locations.has(diagnostic.urn) ? { location: locations.get(diagnostic.urn) } : {}),
  }));
}

export async function runOfflineCheck(options: OfflineCheckOptions): Promise<OfflineCheckResult> {
  const program = loadProgram(options.programDir, options.stack);
  const packs: PolicyPackProcess[] = [];
  try {
    // The packs start while the program runs, and are configured and sent each resource as the
    // program registers it, as the CLI does: the program's run and the analysis overlap instead
    // of adding up. A resource registered before the packs are ready waits for them.
    const launching = Promise.allSettled(options.packDirs.map((directory) => PolicyPackProcess.launch(directory)));
    // Policies judge what the program declares. A `.get()` read of an existing resource is not
    // analyzed by the Pulumi CLI either, and offline its state is a stand-in: a verdict on it would
    // be made up (an existing target group "without" a health check). Reads stay in the report.
    const messages = new ResourceMessages();
    let analyses: ResourceAnalysis[] = [];
    const warnings: string[] = [...program.warnings];
    const ready = (async () => {
      const launched = await launching;
      const failedLaunch = launched.find((result): result is PromiseRejectedResult => result.status === "rejected");
      if (failedLaunch) throw failedLaunch.reason;
      const started = launched.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      const infos: PackInfo[] = [];
      for (const pack of started) infos.push(await pack.info());
      const allPolicies = new Set(infos.flatMap((info) => info.policies.map((policy) => policy.name)));
      for (const [index, pack] of started.entries()) {
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
      analyses = started.map((pack) => new ResourceAnalysis(pack, messages));
      for (const analysis of analyses) analysis.pump();
      return infos;
    })();
    // Settled here too: when the program fails first, the packs' own failure is not the error.
    ready.catch(() => undefined);
    let run: Awaited<ReturnType<typeof runProgram>>;
    try {
      run = await runProgram(program, options.stack, {
        timeoutMs: options.timeoutMs,
        typeCheck: options.typeCheck,
        unrestricted: options.unrestricted,
        onResource: (resource) => {
          if (resource.op === "read") return;
          messages.add(resource);
          for (const analysis of analyses) analysis.pump();
        },
        pluginDownload: options.pluginDownload,
        unbuiltComponents: options.unbuiltComponents,
      });
    } finally {
      for (const result of await launching) if (result.status === "fulfilled") packs.push(result.value);
    }
    const { outcome, output } = run;
    const infos = await ready;

    const diagnostics: Diagnostic[] = [];
    for (const [index, pack] of packs.entries()) {
      const analysis = analyses[index];
      if (!analysis) continue;
      diagnostics.push(...(await analysis.drained()));
      diagnostics.push(...(await pack.analyzeStack(messages, rootStackUrn(program.project, options.stack))));
    }

    // The answers count only if they came from the packs the gate started, still running now.
    for (const pack of packs) {
      if (pack.endedEarly !== undefined) {
        throw new GateError(
          "policy-pack-failed",
          `the policy pack in ${pack.directory} ended before the check finished (${pack.endedEarly}); its answers cannot be trusted`,
        );
      }
    }
    const byUrn = new Map(outcome.resources.map((resource) => [resource.urn, resource]));
    const secrets = new Set<string>();
    for (const resource of outcome.resources) collectSecrets(resource.inputs, secrets);
    const root = readableRoot(program.directory);
    const locations = new Map<string, SourceLocation>();
    for (const resource of outcome.resources) {
      const location = sourceLocation(resource, root);
      if (location) locations.set(resource.urn, location);
    }
    const violations = toViolations(diagnostics, byUrn, [...secrets], locations);
    const policyPacks: PolicyPackSummary[] = infos.map((info) => ({ name: info.name, version: info.version }));
    // First among the notes: what the check did not see at all.
    warnings.push(...outcome.unbuiltComponents.map((component) => component.warning));
    const invoked = outcome.invokes.map((invoke) => invoke.token);
    if (invoked.length > 0) {
      warnings.push(`offline lookups answered with stand-in values: ${invoked.join(", ")}`);
    }
    const readResources = outcome.resources.filter((resource) => resource.op === "read");
    const reads = readResources.filter(({ type }) => type !== STACK_REFERENCE_TYPE).map(({ type, name }) => `${type} '${name}'`);
    if (reads.length > 0) {
      warnings.push(`offline .get() reads answered with stand-in state: ${reads.join(", ")}`);
    }
    const references = readResources.filter(({ type }) => type === STACK_REFERENCE_TYPE).map(({ name }) => `'${name}'`);
    if (references.length > 0) {
      warnings.push(`offline stack references answered with unknown outputs: ${references.join(", ")}`);
    }
    // What Pulumi's runner or the program warned about through the engine, as the CLI shows it.
    for (const warning of outcome.loggedWarnings.slice(0, MAX_PROGRAM_WARNINGS)) warnings.push(`the program warned: ${warning}`);
    if (outcome.loggedWarnings.length > MAX_PROGRAM_WARNINGS) {
      warnings.push(`the program warned ${outcome.loggedWarnings.length - MAX_PROGRAM_WARNINGS} more times (see its output)`);
    }
    return {
      report: {
        ...decide(violations),
        engine: "offline",
        project: program.project,
        stack: options.stack,
        policyPacks,
        resources: outcome.resources.map(({ urn, type, name }) => ({
          urn,
          type,
          name,
          ...(locations.has(urn) ? { location: locations.get(urn) } : {}),
        })),
        violations,
        warnings,
        ...(outcome.unbuiltComponents.length > 0
          ? { uncheckedComponents: outcome.unbuiltComponents.map((component) => component.urn) }
          : {}),
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
      typeCheck: request.typeCheck,
      unrestricted: request.unrestricted,
      pluginDownload: request.pluginDownload,
      unbuiltComponents: request.unbuiltComponents,
    });
    return { report, changes: [], steps: [], changeSummary: undefined, errors: [] };
  },
};
