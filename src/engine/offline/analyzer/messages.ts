// The analyzer protocol's messages, as the Pulumi engine builds them: each recorded resource
// as an AnalyzeRequest (its properties, options, provider and dependencies), the whole stack as
// an AnalyzeStackRequest, and enforcement levels and severities to and from the wire.

import analyzerProto from "@pulumi/pulumi/proto/analyzer_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import type { EnforcementLevel } from "../../policy-config-file.js";
import type { RecordedResource } from "../records.js";

export type Severity = "low" | "medium" | "high" | "critical";

export const LEVEL_FROM_WIRE: Record<number, EnforcementLevel> = {
  [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
  [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
};

export function levelToWire(level: EnforcementLevel): analyzerProto.EnforcementLevel {
  switch (level) {
    case "advisory":
      return analyzerProto.EnforcementLevel.ADVISORY;
    case "mandatory":
      return analyzerProto.EnforcementLevel.MANDATORY;
    case "disabled":
      return analyzerProto.EnforcementLevel.DISABLED;
    case "remediate":
      return analyzerProto.EnforcementLevel.REMEDIATE;
  }
}

export function severityFromWire(severity: analyzerProto.PolicySeverity): Severity | undefined {
  switch (severity) {
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_LOW:
      return "low";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_MEDIUM:
      return "medium";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_HIGH:
      return "high";
    case analyzerProto.PolicySeverity.POLICY_SEVERITY_CRITICAL:
      return "critical";
    default:
      return undefined;
  }
}

/** Remediations run as mandatory checks when nothing can be changed, as in the engine. */
export function reportedLevel(level: analyzerProto.EnforcementLevel): "advisory" | "mandatory" {
  return level === analyzerProto.EnforcementLevel.ADVISORY ? "advisory" : "mandatory";
}

function toResourceOptions(resource: RecordedResource): analyzerProto.AnalyzerResourceOptions {
  const options = new analyzerProto.AnalyzerResourceOptions();
  options.setProtect(resource.options.protect);
  options.setIgnorechangesList([...resource.options.ignoreChanges]);
  options.setDeletebeforereplacedefined(resource.options.deleteBeforeReplace !== undefined);
  options.setDeletebeforereplace(resource.options.deleteBeforeReplace ?? false);
  options.setAdditionalsecretoutputsList([...resource.options.additionalSecretOutputs]);
  options.setParent(resource.parent);
  const timeouts = resource.options.customTimeouts;
  if (timeouts) {
    const message = new analyzerProto.AnalyzerResourceOptions.CustomTimeouts();
    message.setCreate(Number.parseFloat(timeouts.create) || 0);
    message.setUpdate(Number.parseFloat(timeouts.update) || 0);
    message.setDelete(Number.parseFloat(timeouts.delete) || 0);
    options.setCustomtimeouts(message);
  }
  return options;
}

/**
 * The wire form of every resource, built once and shared by Analyze and AnalyzeStack. Resources
 * are added as the program registers them (a provider before the resources it serves, as the SDK
 * registers them).
 */
export class ResourceMessages {
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly properties = new Map<string, structProto.Struct>();
  private readonly added: RecordedResource[] = [];

  constructor(resources: readonly RecordedResource[] = []) {
    for (const resource of resources) this.add(resource);
  }

  get resources(): readonly RecordedResource[] {
    return this.added;
  }

  add(resource: RecordedResource): void {
    this.added.push(resource);
    this.byUrn.set(resource.urn, resource);
  }

  private propertiesOf(resource: RecordedResource): structProto.Struct {
    let struct = this.properties.get(resource.urn);
    if (!struct) {
      struct = structProto.Struct.fromJavaScript(resource.inputs as Record<string, structProto.JavaScriptValue>);
      this.properties.set(resource.urn, struct);
    }
    return struct;
  }

  private providerOf(resource: RecordedResource): analyzerProto.AnalyzerProviderResource | undefined {
    if (!resource.provider) return undefined;
    const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const provider = this.byUrn.get(urn);
    if (!provider) return undefined;
    const message = new analyzerProto.AnalyzerProviderResource();
    message.setType(provider.type);
    message.setUrn(provider.urn);
    message.setName(provider.name);
    message.setProperties(this.propertiesOf(provider));
    return message;
  }

  analyzeRequest(resource: RecordedResource): analyzerProto.AnalyzeRequest {
    const request = new analyzerProto.AnalyzeRequest();
    request.setType(resource.type);
    request.setUrn(resource.urn);
    request.setName(resource.name);
    request.setProperties(this.propertiesOf(resource));
    request.setOptions(toResourceOptions(resource));
    const provider = this.providerOf(resource);
    if (provider) request.setProvider(provider);
    return request;
  }

  analyzeStackRequest(): analyzerProto.AnalyzeStackRequest {
    const request = new analyzerProto.AnalyzeStackRequest();
    request.setResourcesList(
      this.resources.map((resource) => {
        const message = new analyzerProto.AnalyzerResource();
        message.setType(resource.type);
        message.setUrn(resource.urn);
        message.setName(resource.name);
        message.setProperties(this.propertiesOf(resource));
        message.setOptions(toResourceOptions(resource));
        message.setParent(resource.parent);
        message.setDependenciesList([...resource.dependencies]);
        const provider = this.providerOf(resource);
        if (provider) message.setProvider(provider);
        const dependencies = message.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
          const entry = new analyzerProto.AnalyzerPropertyDependencies();
          entry.setUrnsList([...urns]);
          dependencies.set(key, entry);
        }
        return message;
      }),
    );
    return request;
  }
}
