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

export function reduceEvents(events: readonly EngineEvent[], project: string, stack: string): PreviewReduction {
  const rootUrn = rootStackUrn(project, stack);
  const steps = new Map<string, StepMetadata>();
  const startedSteps = new Set<string>();
  const finishedSteps = new Set<string>();
  const failedSteps: string[] = [];
  const policyEvents: PolicyEventPayload[] = [];
  const diagnostics: { severity: string; message: string; urn?: string }[] = [];
  let summary: EngineEvent["summaryEvent"];
  let summaries = 0;
  let canceled = false;

  for (const event of events) {
    if (event.resourcePreEvent) {
      steps.set(event.resourcePreEvent.metadata.urn, event.resourcePreEvent.metadata);
      startedSteps.add(event.resourcePreEvent.metadata.urn);
    } else if (event.resOutputsEvent) {
      steps.set(event.resOutputsEvent.metadata.urn, event.resOutputsEvent.metadata);
      finishedSteps.add(event.resOutputsEvent.metadata.urn);
    } else if (event.resOpFailedEvent) {
      failedSteps.push(event.resOpFailedEvent.metadata.urn);
      finishedSteps.add(event.resOpFailedEvent.metadata.urn);
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
  let error: string | undefined;
  if (decision.verdict === "pass") {
    if (!summary) error = canceled ? "the preview was canceled" : "the preview ended without a summary (the CLI stopped early)";
    else if (summaries > 1) error = `the engine sent ${summaries} summaries for one run, so none of them can be believed`;
    else if (summary.result === "canceled") error = "the preview was canceled";
    // Only the exact success value passes: "partial", "skipped", "" or any other word is not one.
    else if (summary.result !== undefined && summary.result !== "succeeded" && summary.result !== "failed")
      error = `the engine's summary says ${JSON.stringify(summary.result)}, not "succeeded"`;
    // Old CLIs send no result; steps that started and never finished mean an interrupted run.
    else if (summary.result === undefined && [...startedSteps].some((urn) => !finishedSteps.has(urn))) {
      const unfinished = [...startedSteps].filter((urn) => !finishedSteps.has(urn));
      error = `the run was interrupted: ${unfinished.length} step${unfinished.length === 1 ? "" : "s"} started and did not finish (${unfinished.join(", ")})`;
    } else if (errors.length > 0 || failedSteps.length > 0 || summary.result === "failed") {
      error =
        errors.length > 0
          ? errors.map((diagnostic) => diagnostic.message).join("\n")
          : `the preview failed${failedSteps.length ? ` at ${failedSteps.join(", ")}` : ""}`;
    }
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
