// Every step of a preview as a change, one per (resource, operation). reduceEvents keeps one
// entry per resource, the last step seen: for a replacement that is usually delete-replaced,
// which carries no diff, so "replace [port]" would reach the fingerprint as a bare "replace".
// Fingerprints are made from these steps instead, which keep the properties that force it.

import type { EngineEvent, StepMetadata } from "../engine/pulumi/engine-events.js";
import type { ResourceChange } from "../engine/pulumi/reduce-events.js";
import { nameFromUrn } from "../report/report.js";

/** As reduceEvents reads them: the detailed diff's paths, else the engine's list of diffs. */
function changedPaths(metadata: StepMetadata): string[] {
  const detailed = metadata.detailedDiff ? Object.keys(metadata.detailedDiff) : [];
  return detailed.length > 0 ? detailed : [...(metadata.diffs ?? [])];
}

export function stepChanges(events: readonly EngineEvent[]): ResourceChange[] {
  const steps = new Map<string, { metadata: StepMetadata; paths: Set<string> }>();
  for (const event of events) {
    const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
    if (!metadata) continue;
    // The pre and outputs events of one step describe it twice.
    const key = JSON.stringify([metadata.urn, metadata.op]);
    const step = steps.get(key) ?? { metadata, paths: new Set<string>() };
    for (const path of changedPaths(metadata)) step.paths.add(path);
    steps.set(key, step);
  }
  return [...steps.values()].map(({ metadata, paths }) => ({
    urn: metadata.urn,
    type: metadata.type,
    name: nameFromUrn(metadata.urn),
    op: metadata.op,
    changedProperties: [...paths].sort(),
  }));
}
