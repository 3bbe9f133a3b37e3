// Reduces a `pulumi preview` event stream to the gate's report. The verdict comes from the
// events only, never from the CLI's exit code or the Automation API's error: a mandatory policy
// event fails the gate; an error diagnostic, a failed step, a failed or canceled summary without
// mandatory violations, or a stream that never reached its summary is an error.

import { hasChanges as summaryHasChanges, isOperation, type ChangeSummary, type ResourceChange } from "../../gate/outcome.js";
import { decide, type Report, type Violation } from "../../gate/report.js";
import { reportedMessage } from "../violation-message.js";
import { nameFromUrn, rootStackUrn, typeFromUrn } from "../../gate/urn.js";
import { inputDigestsOf } from "../../deploy/input-digests.js";
import { stripColorDirectives, type EngineEvent, type PolicyEventPayload, type StepMetadata } from "./engine-events.js";

export interface PreviewReduction {
  readonly report: Report;
  /** op → number of resources, as the engine's summary counts them. */
  readonly changeSummary: ChangeSummary;
  /** One entry per resource: its last step. */
  readonly changes: readonly ResourceChange[];
  /** One entry per step (resource, operation): a replacement keeps the properties that force it. */
  readonly steps: readonly ResourceChange[];
  /** Error and warning diagnostics, colour directives removed, oldest first. */
  readonly diagnostics: readonly { readonly severity: string; readonly message: string; readonly urn?: string }[];
  readonly hasChanges: boolean;
}

const SEVERITIES = new Set(["low", "medium", "high", "critical"]);

function toViolation(event: PolicyEventPayload, rootUrn: string, types: ReadonlyMap<string, string>): Violation {
  const urn = event.resourceUrn || rootUrn;
  const severity = event.severity && SEVERITIES.has(event.severity) ? (event.severity as Violation["severity"]) : undefined;
  return {
    policy: event.policyName,
    policyPack: event.policyPackName,
    // Remediations are reported as mandatory by the engine; anything but advisory fails.
    enforcementLevel: event.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    ...(severity ? { severity } : {}),
    urn,
    resourceType: types.get(urn) ?? typeFromUrn(urn),
    message: reportedMessage(stripColorDirectives(event.message)),
  };
}

/** The properties a step changes: the detailed diff's paths, else the engine's list of diffs. */
function changedPaths(metadata: StepMetadata): string[] {
  const detailed = metadata.detailedDiff ? Object.keys(metadata.detailedDiff) : [];
  return detailed.length > 0 ? detailed : [...(metadata.diffs ?? [])];
}

/** A step as a change; undefined for an operation the gate does not know (the caller fails closed). */
function toChange(metadata: StepMetadata, paths: Iterable<string>): ResourceChange | undefined {
  if (!isOperation(metadata.op)) return undefined;
  const inputDigests = inputDigestsOf(metadata.new?.inputs);
  return {
    urn: metadata.urn,
    type: metadata.type,
    name: nameFromUrn(metadata.urn),
    op: metadata.op,
    changedProperties: [...new Set(paths)].sort(),
    ...(inputDigests ? { inputDigests } : {}),
  };
}

/**
 * Every step of a preview as a change, one per (resource, operation). The reduction keeps one
 * entry per resource, the last step seen: for a replacement that is usually delete-replaced,
 * which carries no diff, so "replace [port]" would reach a fingerprint as a bare "replace".
 */
export function stepChanges(events: readonly EngineEvent[]): ResourceChange[] {
  const steps = new Map<string, { metadata: StepMetadata; paths: Set<string> }>();
  for (const event of events) {
    const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
    if (!metadata) continue;
    // The pre and outputs events of one step describe it twice.
    const key = JSON.stringify([metadata.urn, metadata.op]);
    const step = steps.get(key) ?? { metadata, paths: new Set<string>() };
    // The pre event's new inputs are the planned ones, whichever event came first.
    if (event.resourcePreEvent) step.metadata = metadata;
    for (const path of changedPaths(metadata)) step.paths.add(path);
    steps.set(key, step);
  }
  return [...steps.values()].flatMap(({ metadata, paths }) => toChange(metadata, paths) ?? []);
}

/** Is the step's resource a custom one (the engine leaves `custom` out when it is false)? */
function isCustom(metadata: StepMetadata): boolean {
  return metadata.new?.custom === true || (metadata.new == null && metadata.old?.custom === true);
}

/**
 * The steps that started and did not finish, per URN: a URN can have several steps (a
 * replacement is create-replacement, replace and delete-replaced), so every resourcePreEvent needs
 * its own outcome, a resOutputsEvent or a resOpFailedEvent of the same URN.
 *
 * A preview reports an outcome for every step that succeeded (previewActions.OnResourceStepPost
 * always sends resOutputsEvent), and an error diagnostic for one that failed: there, a step
 * without an outcome is one that never ended. An update sends resOutputsEvent after a step only
 * for custom resources and deletes (updateActions.OnResourceStepPost); a component's outputs come
 * when the program registers them, and a component that registers none sends no outcome at all
 * (the recorded streams: the root stack's "same" gets its outputs late, after its children).
 * So for an update, only steps of custom resources and deletes must have finished.
 */
export function unfinishedSteps(events: readonly EngineEvent[], operation: "preview" | "update"): string[] {
  const started = new Map<string, StepMetadata[]>();
  const finished = new Map<string, number>();
  for (const event of events) {
    const pre = event.resourcePreEvent?.metadata;
    if (pre) started.set(pre.urn, [...(started.get(pre.urn) ?? []), pre]);
    const outcome = event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
    if (outcome) finished.set(outcome.urn, (finished.get(outcome.urn) ?? 0) + 1);
  }
  const unfinished: string[] = [];
  for (const [urn, steps] of started) {
    const mustFinish = operation === "preview" ? steps : steps.filter((step) => isCustom(step) || step.op === "delete");
    const missing = mustFinish.length - (finished.get(urn) ?? 0);
    if (missing > 0) unfinished.push(...mustFinish.slice(-missing).map((step) => `${step.op} ${urn}`));
  }
  return unfinished;
}

export interface ReduceOptions {
  /** Which operation streamed the events: a preview is held to every step finishing. Default "preview". */
  readonly operation?: "preview" | "update";
}

export function reduceEvents(
  events: readonly EngineEvent[],
  project: string,
  stack: string,
  options: ReduceOptions = {},
): PreviewReduction {
  const operation = options.operation ?? "preview";
  const rootUrn = rootStackUrn(project, stack);
  const steps = new Map<string, StepMetadata>();
  const failedSteps: string[] = [];
  const policyEvents: PolicyEventPayload[] = [];
  const diagnostics: { severity: string; message: string; urn?: string }[] = [];
  let summary: EngineEvent["summaryEvent"];
  let summaries = 0;
  let canceled = false;

  for (const event of events) {
    if (event.resourcePreEvent) {
      steps.set(event.resourcePreEvent.metadata.urn, event.resourcePreEvent.metadata);
    } else if (event.resOutputsEvent) {
      steps.set(event.resOutputsEvent.metadata.urn, event.resOutputsEvent.metadata);
    } else if (event.resOpFailedEvent) {
      failedSteps.push(event.resOpFailedEvent.metadata.urn);
    } else if (event.policyEvent) policyEvents.push(event.policyEvent);
    else if (event.diagnosticEvent) {
      const { severity, message, urn, ephemeral } = event.diagnosticEvent;
      if (!ephemeral && (severity === "error" || severity === "warning")) {
        diagnostics.push({ severity, message: stripColorDirectives(message).trim(), ...(urn ? { urn } : {}) });
      }
    } else if (event.summaryEvent) {
      summary = event.summaryEvent;
      summaries++;
    } else if (event.errorEvent)
      diagnostics.push({ severity: "error", message: stripColorDirectives(event.errorEvent.error ?? "engine error").trim() });
    else if (event.cancelEvent && !summary) canceled = true;
  }

  const types = new Map([...steps].map(([urn, metadata]) => [urn, metadata.type]));
  const violations = policyEvents.map((event) => toViolation(event, rootUrn, types));
  const changes = [...steps.values()].flatMap((metadata) => toChange(metadata, changedPaths(metadata)) ?? []);
  // An operation the gate does not know could be anything, a delete included: fail closed. Every
  // step counts, not only each resource's last one (a replacement has several).
  const unknownOperations = new Map<string, StepMetadata>();
  for (const event of events) {
    const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
    if (metadata && !isOperation(metadata.op)) unknownOperations.set(JSON.stringify([metadata.urn, metadata.op]), metadata);
  }
  for (const metadata of unknownOperations.values())
    diagnostics.push({
      severity: "error",
      message: `the engine reported a step the gate does not know: ${JSON.stringify(metadata.op)} on ${metadata.urn}`,
    });
  const changeSummary = { ...(summary?.resourceChanges ?? {}) };
  const hasChanges = summaryHasChanges(changeSummary) ?? false;
  const policyPacks = Object.entries(summary?.PolicyPacks ?? {}).map(([name, version]) => ({ name: name.split("|")[0] ?? name, version }));

  const decision = decide(violations);
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const unfinished = unfinishedSteps(events, operation);
  let error: string | undefined;
  if (decision.verdict === "pass") {
    if (!summary) error = canceled ? "the preview was canceled" : "the preview ended without a summary (the CLI stopped early)";
    else if (summaries > 1) error = `the engine sent ${summaries} summaries for one run, so none of them can be believed`;
    else if (summary.result === "canceled") error = "the preview was canceled";
    // Only the exact success value passes: "partial", "skipped", "", null or any other word is not one.
    else if ("result" in summary && summary.result !== "succeeded" && summary.result !== "failed")
      error = `the engine's summary says ${JSON.stringify(summary.result)}, not "succeeded"`;
    // A failed step of a preview is an error diagnostic, not an outcome: the engine says what failed.
    else if (errors.length > 0 || failedSteps.length > 0 || summary.result === "failed") {
      error =
        errors.length > 0
          ? errors.map((diagnostic) => diagnostic.message).join("\n")
          : `the preview failed${failedSteps.length ? ` at ${failedSteps.join(", ")}` : ""}`;
    }
    // Every step that started must have finished, whatever the summary says: one that did not is
    // an interrupted run (the CLIs that send no result show no other sign of it).
    else if (unfinished.length > 0)
      error = `the run was interrupted: ${unfinished.length} step${unfinished.length === 1 ? "" : "s"} started and did not finish (${unfinished.join(", ")})`;
    // CLIs before pulumi/pulumi#22883 (May 2026) send no result: their clean run is one with no
    // result at all, no error diagnostic, no failed or unfinished step (above), and an engine that
    // does not call its own state into question. The CLI's exit code 0 is the session's to require.
    else if (!("result" in summary) && summary.maybeCorrupt === true)
      error = "the engine's summary says the stack's state may be corrupt (maybeCorrupt), and it reports no result";
  }

  const report: Report = {
    ...(error ? { verdict: "error" as const, failureReason: "preview-failed" as const } : decision),
    engine: "pulumi",
    project,
    stack,
    policyPacks,
    resources: changes.map(({ urn, type, name }) => ({ urn, type, name })),
    violations,
    warnings: diagnostics.filter((diagnostic) => diagnostic.severity === "warning").map((diagnostic) => diagnostic.message),
    ...(error ? { error: { reason: "preview-failed" as const, message: error } } : {}),
  };
  return { report, changeSummary, changes, steps: stepChanges(events), diagnostics, hasChanges };
}
