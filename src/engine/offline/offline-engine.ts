// The offline engine: a preview with no Pulumi CLI and no cloud account. It runs the program
// under Pulumi's SDK with a recording monitor, serves the policy packs over the analyzer
// protocol as the CLI would, and reduces their diagnostics to a report. The packs start only
// once the program has finished: started alongside, an idle pack added about 150 MB to the
// peak memory of a 10,000-resource run, for about half a second saved on a small one.

import { GateError } from "../../gate-error.js";
import { decide, typeFromUrn, type PolicyPackSummary, type Report, type Violation } from "../../report/report.js";
import { PolicyPackProcess, ResourceMessages, type Diagnostic, type PackInfo } from "../analyzer/policy-pack.js";
import { resolvePolicyConfig, type PolicyConfigFile } from "../policy-config.js";
import { loadProgram } from "./project.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY } from "../wire-format.js";
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

/** Secrets shorter than this are not scrubbed from messages: they would match ordinary words. */
const MIN_SCRUBBED_SECRET_LENGTH = 4;

/**
 * A secret as it can appear in a message: as is, and escaped as inside a JSON string, the way
 * policies quote values (a secret with a quote, a backslash or a newline would otherwise leak).
 */
function addSecret(secret: string, into: Set<string>): void {
  if (secret.length < MIN_SCRUBBED_SECRET_LENGTH) return;
  into.add(secret);
  into.add(JSON.stringify(secret).slice(1, -1));
}

/** Every string held inside a secret anywhere in the inputs, in each form a message may show it. */
function collectSecrets(value: unknown, into: Set<string>, insideSecret = false): void {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    if (insideSecret) addSecret(String(value), into);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into, insideSecret);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const secret = insideSecret || record[SPECIAL_SIGNATURE_KEY] === SECRET_SIGNATURE;
    for (const item of Object.values(record)) collectSecrets(item, into, secret);
  }
}

function scrub(message: string, secrets: readonly string[]): string {
  let scrubbed = message;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join("[secret]");
  return scrubbed;
}

function rootStackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

function toViolations(diagnostics: readonly Diagnostic[], resources: ReadonlyMap<string, RecordedResource>, secrets: readonly string[]): Violation[] {
  return diagnostics.map((diagnostic) => ({
    policy: diagnostic.policyName,
    policyPack: diagnostic.policyPackName,
    enforcementLevel: diagnostic.enforcementLevel,
    ...(diagnostic.severity ? { severity: diagnostic.severity } : {}),
    urn: diagnostic.urn,
    resourceType: resources.get(diagnostic.urn)?.type ?? typeFromUrn(diagnostic.urn),
    message: scrub(reportedMessage(diagnostic.description, diagnostic.message), secrets),
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
    const warnings: string[] = [];
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
    const violations = toViolations(diagnostics, byUrn, [...secrets].sort((a, b) => b.length - a.length));
    const policyPacks: PolicyPackSummary[] = infos.map((info) => ({ name: info.name, version: info.version }));
    const invoked = outcome.invokes.map((invoke) => invoke.token);
    if (invoked.length > 0) {
      warnings.push(`offline lookups answered with stand-in values: ${invoked.join(", ")}`);
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
      throw new GateError(error.reason, error.message, program.project);
    }
    throw error;
  } finally {
    await Promise.all(packs.map((pack) => pack.shutdown()));
  }
}
