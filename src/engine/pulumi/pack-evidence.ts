// Evidence that the gate's own policy pack ran: a pass of the `pulumi` engine (and so any deploy)
// needs the engine's word that the pack the action ships analyzed the stack, at the version the
// action ships. What the gate did not positively see checked is not a pass.
//
// What counts as that word, read from the engine's events:
// - The summary event's `PolicyPacks` (name → version, local packs keyed "<name>|local|<path>")
//   lists the pack at the expected version. The engine fills it in from the pack's own answer to
//   GetAnalyzerInfo once it has loaded it (engine.installAndLoadPolicyPlugins), and a pack that
//   cannot be loaded or configured fails the run before the program starts.
// - Every policy event and per-resource analysis of that pack name carries that version.
// - Per resource: the engine calls Analyze on every pack for every resource the program
//   registers (stepGenerator.generateSteps: custom resources, components, the root stack,
//   providers), before the resource's step, and fails the step when Analyze fails. Reads, imports
//   and deletes are not analyzed. CLIs with pulumi/pulumi#20493 (merged September 2025) report
//   each of those calls as a policyAnalyzeSummaryEvent (resource, pack, version, passed and
//   failed policies): then every analyzed resource of the run must have one from the pack.
// - Older CLIs report no per-resource analysis at all. For them the positive evidence is the
//   PolicyPacks entry in a run that is otherwise clean (exactly one summary, a success, every
//   step finished: reduceEvents): the engine analyzed every registration with every loaded pack
//   or failed the step. A stream that reports no analysis at all from a CLI that sends them
//   (ANALYZE_SUMMARIES_SINCE on) is not taken for an old CLI's.

import { SemVer } from "semver";
import type { EngineEvent } from "./engine-events.js";

/** A policy pack as the engine names it: its name and version (GetAnalyzerInfo). */
export interface PackIdentity {
  readonly name: string;
  readonly version: string;
}

/**
 * From this CLI version on, a run's missing per-resource analysis is missing evidence. A bound
 * safely after the releases of September 2025 that started sending policyAnalyzeSummaryEvent; a
 * CLI between those and this that sends them is held to them all the same (below).
 */
export const ANALYZE_SUMMARIES_SINCE = "3.200.0";

/** The step operations whose resource the engine analyzed: those of a registration. */
const ANALYZED_OPERATIONS = new Set(["same", "create", "update", "replace", "create-replacement"]);

interface AnalyzeSummaryPayload {
  readonly resourceUrn?: string;
  readonly policyPackName?: string;
  readonly policyPackVersion?: string;
}

function packName(key: string): string {
  return key.split("|")[0] ?? key;
}

function describePacks(packs: Readonly<Record<string, string>>): string {
  const entries = Object.entries(packs);
  if (entries.length === 0) return "no policy packs";
  return entries.map(([key, version]) => `${JSON.stringify(packName(key))} at ${JSON.stringify(version)}`).join(", ");
}

function sendsAnalyzeSummaries(cliVersion: string | undefined): boolean {
  if (cliVersion === undefined) return true;
  try {
    return new SemVer(cliVersion.replace(/^v/, "")).compare(ANALYZE_SUMMARIES_SINCE) >= 0;
  } catch {
    // A version the gate cannot read is not taken for an old one.
    return true;
  }
}

function listed(urns: readonly string[]): string {
  const shown = urns.slice(0, 5).join(", ");
  return urns.length > 5 ? `${shown} and ${urns.length - 5} more` : shown;
}

/**
 * Why the events do not prove that `pack` ran on the stack, or undefined when they do. Meant for a
 * run the reduction found clean (one summary, a success, every step finished).
 * `cliVersion` is the version of the CLI that ran (undefined when unknown: held to the newest rules).
 */
export function packEvidenceProblem(
  events: readonly EngineEvent[],
  pack: PackIdentity,
  cliVersion: string | undefined,
): string | undefined {
  const expected = `policy pack "${pack.name}" ${pack.version}`;
  const summary = events.findLast((event) => event.summaryEvent)?.summaryEvent;
  const packs = summary?.PolicyPacks ?? {};
  const reported = Object.entries(packs).filter(([key]) => packName(key) === pack.name);
  if (reported.length === 0) return `the ${expected} did not run: the Pulumi CLI reported ${describePacks(packs)}`;
  const otherVersion = reported.find(([, version]) => version !== pack.version);
  if (otherVersion)
    return `the ${expected} did not run: the Pulumi CLI reported it at version ${JSON.stringify(otherVersion[1])}, expected ${JSON.stringify(pack.version)}`;

  const analyses: AnalyzeSummaryPayload[] = [];
  for (const event of events) {
    const analysis = event.policyAnalyzeSummaryEvent as AnalyzeSummaryPayload | undefined;
    if (analysis) analyses.push(analysis);
    const policy = event.policyEvent;
    const version = policy?.policyPackName === pack.name ? policy.policyPackVersion : undefined;
    if (version && version !== pack.version)
      return `the ${expected} did not run: policy ${policy?.policyName ?? ""} reported it at version ${JSON.stringify(version)}`;
  }
  const ours = analyses.filter((analysis) => analysis.policyPackName === pack.name);
  const stray = ours.find((analysis) => analysis.policyPackVersion !== pack.version);
  if (stray)
    return `the ${expected} did not run: its analysis of ${stray.resourceUrn ?? "a resource"} reported version ${JSON.stringify(stray.policyPackVersion ?? "")}`;
  if (analyses.length === 0 && !sendsAnalyzeSummaries(cliVersion)) return undefined;

  const analyzed = new Set(ours.map((analysis) => analysis.resourceUrn));
  const unanalyzed = new Set<string>();
  for (const event of events) {
    const step = event.resourcePreEvent?.metadata;
    if (step && ANALYZED_OPERATIONS.has(step.op) && !analyzed.has(step.urn)) unanalyzed.add(step.urn);
  }
  if (unanalyzed.size === 0) return undefined;
  const urns = [...unanalyzed];
  return `the ${expected} did not analyze ${urns.length} resource${urns.length === 1 ? "" : "s"} the engine registered (${listed(urns)}): no analysis of ${urns.length === 1 ? "it" : "them"} from the pack in the engine's events`;
}
