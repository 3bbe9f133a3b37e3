// The Pulumi project a run is about: from the workspace's Pulumi.yaml, else from the URNs in
// its engine events (urn:pulumi:<stack>::<project>::…).

import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { projectFromUrn } from "../../gate/urn.js";
import type { EngineEvent } from "./engine-events.js";

export async function projectFromSettings(stack: Stack): Promise<string | undefined> {
  try {
    const settings = await stack.workspace.projectSettings();
    return typeof settings.name === "string" && settings.name !== "" ? settings.name : undefined;
  } catch {
    return undefined;
  }
}

export function projectFromEvents(events: readonly EngineEvent[]): string | undefined {
  for (const event of events) {
    const urn =
      event.resourcePreEvent?.metadata.urn ??
      event.resOutputsEvent?.metadata.urn ??
      event.resOpFailedEvent?.metadata.urn ??
      event.policyEvent?.resourceUrn ??
      event.diagnosticEvent?.urn;
    const project = urn === undefined ? undefined : projectFromUrn(urn);
    if (project) return project;
  }
  return undefined;
}
