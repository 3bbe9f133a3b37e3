// The Pulumi project a run is about: from the workspace's Pulumi.yaml, else from the URNs in
// its engine events (urn:pulumi:<stack>::<project>::…).

import type { Stack } from "@pulumi/pulumi/automation/index.js";
import type { EngineEvent } from "./engine-events.js";

export async function projectFromSettings(stack: Stack): Promise<string | undefined> {
  try {
    const settings = await stack.workspace.projectSettings();
    return typeof settings.name === "string" && settings.name !== "" ? settings.name : undefined;
  } catch {
    return undefined;
  }
}

/** urn:pulumi:<stack>::<project>::<type>::<name> */
export function projectFromEvents(events: readonly EngineEvent[]): string | undefined {
  for (const event of events) {
    const urn =
      event.resourcePreEvent?.metadata.urn ??
      event.resOutputsEvent?.metadata.urn ??
      event.resOpFailedEvent?.metadata.urn ??
      event.policyEvent?.resourceUrn ??
      event.diagnosticEvent?.urn;
    const project = urn?.startsWith("urn:pulumi:") ? urn.split("::")[1] : undefined;
    if (project) return project;
  }
  return undefined;
}
