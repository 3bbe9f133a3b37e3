// Runs one policy of the pack directly, with arguments built the way @pulumi/policy's analyzer
// server builds them (server.js, makeAnalyzeRpcFun and makeAnalyzeStackRpcFun): properties travel
// as a protobuf Struct, are deserialized by the SDK and wrapped in its unknown-checking proxy, so
// a value unknown during preview throws the SDK's own UnknownValueError when a policy reads it.
// Stack resources get their dependencies and propertyDependencies as resource objects, and
// getConfig returns what the test passes, as the engine passes a policy's configuration.

import { createRequire } from "node:module";
import type {
  PolicyConfigSchema,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";

// deserialize and proxy are internal modules of @pulumi/policy: they ship without type
// declarations, so they are loaded with require and given the shape server.js relies on.
const require = createRequire(import.meta.url);
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties: (properties: structProto.Struct, proxySecrets: boolean) => Record<string, unknown>;
};
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy: <T extends object>(properties: T) => T;
};

/** The wire sentinel of a string the engine does not know during preview (an ARN, an id). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Readonly<Record<string, unknown>>;

export interface Violation {
  readonly message: string;
  readonly urn: string;
}

/** A resource as the engine describes it to a policy pack. */
export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Props;
  /** For each input, the URNs of the resources it was computed from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::policy-gate-test::${type}::${name}`;
}

/** Declares a resource; `dependsOn` names, per input, the resources that input comes from. */
export function declare(
  type: string,
  name: string,
  props: Props,
  dependsOn: Readonly<Record<string, TestResource | readonly TestResource[]>> = {},
): TestResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [property, from] of Object.entries(dependsOn)) {
    propertyDependencies[property] = (Array.isArray(from) ? from : [from]).map((resource: TestResource) => resource.urn);
  }
  return { type, name, urn: urnOf(type, name), props, propertyDependencies };
}

/** The same resource with some properties changed; a property set to undefined is left out. */
export function withProps(resource: TestResource, changes: Props): TestResource {
  return { ...resource, props: { ...resource.props, ...changes } };
}

/** The same resource declared with another type token (aws:lb/… or aws:alb/…). */
export function asType(resource: TestResource, type: string): TestResource {
  return { ...resource, type, urn: urnOf(type, resource.name) };
}

/** The configuration the engine passes when the stack configures nothing: the schema's defaults. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property.default !== undefined) defaults[key] = property.default;
  }
  return defaults;
}

// The engine omits inputs without a value; a Struct cannot hold undefined at all.
function wireValue(value: unknown): structProto.JavaScriptValue {
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : wireValue(item)));
  if (value !== null && typeof value === "object") return wireObject(value as Props);
  return value as structProto.JavaScriptValue;
}

function wireObject(props: Props): Record<string, structProto.JavaScriptValue> {
  const result: Record<string, structProto.JavaScriptValue> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) result[key] = wireValue(value);
  }
  return result;
}

/** The props a policy sees: serialized, deserialized by the SDK, behind its unknown-checking proxy. */
function policyProps(props: Props): Record<string, unknown> {
  const struct = structProto.Struct.fromJavaScript(wireObject(props));
  return unknownCheckingProxy(deserializeProperties(struct, false));
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const NO_STACK_TAGS: ReadonlyMap<string, string> = new Map();

function notApplicable(reason?: string): never {
  throw new Error(`the policy reported itself not applicable: ${reason ?? "no reason given"}`);
}

function isTypeFunction(type: string): (resourceClass: object) => boolean {
  return (resourceClass) => (resourceClass as { __pulumiType?: unknown }).__pulumiType === type;
}

export interface Outcome {
  readonly violations: Violation[];
  /** What the policy threw, after reporting `violations`; undefined when it returned. */
  readonly thrown: unknown;
}

function collect(defaultUrn: string | undefined, run: (report: (message: string, urn?: string) => void) => unknown): Outcome {
  const violations: Violation[] = [];
  const report = (message: string, urn?: string): void => {
    const at = urn ?? defaultUrn;
    if (at === undefined) throw new Error(`a stack policy reported a violation without a URN: ${message}`);
    violations.push({ message, urn: at });
  };
  try {
    const result = run(report);
    // The pack's policies are synchronous; a promise here would escape these tests' checks.
    if (result !== undefined) throw new Error("the policy returned a value: this harness runs synchronous policies only");
    return { violations, thrown: undefined };
  } catch (error) {
    return { violations, thrown: error };
  }
}

/** Runs a resource policy on one resource: what it reported and what it threw. */
export function runResourcePolicy(policy: ResourceValidationPolicy, resource: TestResource, config: object = {}): Outcome {
  const props = policyProps(resource.props);
  const args: ResourceValidationArgs = {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: OPTIONS,
    stackTags: NO_STACK_TAGS,
    isType: isTypeFunction(resource.type),
    // The SDK types asType by the resource class's args; at run time it is the same props object.
    asType: (resourceClass) => (isTypeFunction(resource.type)(resourceClass) ? (props as never) : undefined),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const validations =
    policy.validateResource === undefined
      ? []
      : Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
  return collect(resource.urn, (report) => {
    for (const validation of validations) {
      const result = validation(args, report);
      if (result !== undefined) return result;
    }
    return undefined;
  });
}

/** Runs a stack policy on a whole stack: what it reported and what it threw. */
export function runStackPolicy(policy: StackValidationPolicy, resources: readonly TestResource[], config: object = {}): Outcome {
  const byUrn = new Map<string, PolicyResource>();
  const built = resources.map((resource) => {
    const props = policyProps(resource.props);
    const policyResource: PolicyResource = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: isTypeFunction(resource.type),
      // The SDK types asType by the resource class's args; at run time it is the same props object.
      asType: (resourceClass) => (isTypeFunction(resource.type)(resourceClass) ? (props as never) : undefined),
    };
    byUrn.set(resource.urn, policyResource);
    return { resource, policyResource };
  });
  // As server.js does: URNs become resource objects, and URNs outside the stack are dropped.
  const resolve = (urns: readonly string[]): PolicyResource[] =>
    urns.map((urn) => byUrn.get(urn)).filter((found): found is PolicyResource => found !== undefined);
  for (const { resource, policyResource } of built) {
    const all = new Set<string>();
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
      policyResource.propertyDependencies[property] = resolve(urns);
      for (const urn of urns) all.add(urn);
    }
    // The engine lists every dependency of a resource; here they are those of its inputs.
    policyResource.dependencies = resolve([...all]);
  }
  const args: StackValidationArgs = {
    resources: built.map(({ policyResource }) => policyResource),
    getConfig: <T extends object>() => config as T,
    stackTags: NO_STACK_TAGS,
    notApplicable,
  };
  return collect(undefined, (report) => policy.validateStack(args, report));
}

function violationsOf(outcome: Outcome): Violation[] {
  if (outcome.thrown instanceof Error) throw outcome.thrown;
  if (outcome.thrown !== undefined) throw new Error(`the policy threw ${JSON.stringify(outcome.thrown)}`);
  return outcome.violations;
}

/** The violations a resource policy reports; throws what the policy throws. */
export function validateResource(policy: ResourceValidationPolicy, resource: TestResource, config: object = {}): Violation[] {
  return violationsOf(runResourcePolicy(policy, resource, config));
}

/** The violations a stack policy reports; throws what the policy throws. */
export function validateStack(policy: StackValidationPolicy, resources: readonly TestResource[], config: object = {}): Violation[] {
  return violationsOf(runStackPolicy(policy, resources, config));
}

/** The name of the class of what was thrown: "UnknownValueError" for an unknown value. */
export function errorClassName(thrown: unknown): string | undefined {
  return thrown instanceof Error ? thrown.constructor.name : undefined;
}
