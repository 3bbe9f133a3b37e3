// Policy configuration in Pulumi's own format, so one file serves `pulumi preview
// --policy-pack-config` and the offline engine alike:
//   { "all": "<level>", "<policy>": "<level>" | { "enforcementLevel": "<level>", ...properties } }
// Like the engine, this applies each policy's schema defaults and validates the properties
// against its configSchema (with ajv) before the pack is configured. It also refuses what the
// schema lets through but cannot be meant, where Pulumi's engine would go on without a word:
//   - a property the policy's schema does not have (a misspelt limit would leave the default in
//     force): an error naming it and the nearest known property;
//   - bounds in the wrong order: a property schema may carry `"x-notAbove": "<other property>"`
//     (JSON Schema cannot compare two properties; validators ignore the keyword), and once the
//     defaults are applied its value must not be above the other's;
//   - properties given to "all": Pulumi applies only the enforcement level of "all", so they
//     would be lost; each policy must be given its own.
// The bundled pack checks the first two itself as well, for runs under the Pulumi CLI.

import { Ajv, type ErrorObject } from "ajv";
// The pack's own schema keyword and name suggestions: the gate refuses in the same words as the pack.
import { nearestName, NOT_ABOVE } from "../../policies/config.js";
import { configError, isLevel, quotedList, type EnforcementLevel, type PolicyConfigFile } from "./policy-config-file.js";

/** A policy as the pack describes itself (GetAnalyzerInfo). */
export interface PolicyDescription {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema: { readonly properties: Record<string, unknown>; readonly required: readonly string[] } | undefined;
}

export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** A value as messages show it: JSON, or "not set". */
function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

// ---- Properties: what the schema allows, and what it lets through but cannot be meant ----

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: "a number",
  integer: "a whole number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  null: "null",
};

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What an ajv error asks for, and the value given. */
function schemaProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const given = `it is ${shown(error.data)}`;
  switch (error.keyword) {
    case "type": {
      const types = String(params.type).split(",");
      return `must be ${types.map((type) => TYPE_NAMES[type] ?? type).join(" or ")}; ${given}`;
    }
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((allowed) => JSON.stringify(allowed)).join(", ")}; ${given}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}; ${given}`;
    case "minimum":
      return `must be at least ${String(params.limit)}; ${given}`;
    case "maximum":
      return `must be at most ${String(params.limit)}; ${given}`;
    case "exclusiveMinimum":
      return `must be above ${String(params.limit)}; ${given}`;
    case "exclusiveMaximum":
      return `must be below ${String(params.limit)}; ${given}`;
    case "multipleOf":
      return `must be a multiple of ${String(params.multipleOf)}; ${given}`;
    case "minLength":
      return `must have at least ${plural(Number(params.limit), "character", "characters")}; ${given}`;
    case "maxLength":
      return `must have at most ${plural(Number(params.limit), "character", "characters")}; ${given}`;
    case "minItems":
      return `must have at least ${plural(Number(params.limit), "item", "items")}; ${given}`;
    case "maxItems":
      return `must have at most ${plural(Number(params.limit), "item", "items")}; ${given}`;
    case "pattern":
      return `must match the pattern ${JSON.stringify(params.pattern)}; ${given}`;
    case "required":
      return "must be set; it is not set";
    case "additionalProperties":
      return `must not have the property ${JSON.stringify(params.additionalProperty)}`;
    default:
      return `${error.message ?? "is invalid"}; ${given}`;
  }
}

/** The property an ajv error is about, as the user wrote its path (allowedPolicies.0). */
function errorProperty(error: ErrorObject): string {
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty?: string }).missingProperty ?? "?";
    return error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, ".")}.${missing}` : missing;
  }
  return error.instancePath ? error.instancePath.slice(1).replace(/\//g, ".") : "?";
}

/** Properties whose schema names another they must not be above, checked once defaults apply. */
function boundsProblems(
  schemaProperties: Record<string, unknown>,
  given: Record<string, unknown>,
  values: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(schemaProperties)) {
    const limitKey = schema !== null && typeof schema === "object" ? (schema as Record<string, unknown>)[NOT_ABOVE] : undefined;
    if (typeof limitKey !== "string") continue;
    const value = values[key];
    const limit = values[limitKey];
    if (typeof value === "number" && typeof limit === "number" && value > limit) {
      const defaulted = (name: string): string => (Object.hasOwn(given, name) ? "" : " (the default)");
      problems.push(`property "${key}": must not be above ${limitKey} (${limit}${defaulted(limitKey)}); it is ${value}${defaulted(key)}`);
    }
  }
  return problems;
}

export interface ConfigResolution {
  readonly config: ReadonlyMap<string, ResolvedPolicyConfig>;
  readonly warnings: readonly string[];
}

/**
 * Each policy of a pack with its enforcement level (the policy's own entry, else "all", else the
 * policy's default) and its properties (schema defaults applied, then validated).
 */
export function resolvePolicyConfig(
  file: PolicyConfigFile,
  source: string,
  packName: string,
  policies: readonly PolicyDescription[],
  otherPackPolicies: ReadonlySet<string> = new Set(),
): ConfigResolution {
  const known = new Set(policies.map((policy) => policy.name));
  for (const key of Object.keys(file)) {
    if (key !== "all" && !known.has(key) && !otherPackPolicies.has(key)) {
      throw configError(`${source}: "${key}" is not a policy of pack "${packName}"; expected one of ${quotedList([...known])}`);
    }
  }
  const all = file.all;
  const allLevel = typeof all === "object" ? all.enforcementLevel : all;
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false, verbose: true });
  const warnings: string[] = [];
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const entry = file[policy.name];
    const { enforcementLevel: ownLevel, ...properties } = typeof entry === "object" ? entry : { enforcementLevel: entry };
    const enforcementLevel = ownLevel ?? (isLevel(allLevel) ? allLevel : undefined) ?? policy.enforcementLevel;
    const values: Record<string, unknown> = structuredClone(properties);
    if (!policy.configSchema) {
      // Pulumi checks nothing for a policy without a schema and hands it what it is given.
      for (const key of Object.keys(properties)) {
        warnings.push(
          `${source}: policy "${policy.name}" declares no configuration schema, so its property "${key}" is passed to it unchecked`,
        );
      }
      resolved.set(policy.name, { enforcementLevel, properties: values });
      continue;
    }
    const schemaProperties = policy.configSchema.properties;
    // Sorted: the order of a schema's properties does not survive the analyzer protocol.
    const knownProperties = Object.keys(schemaProperties).sort();
    const problems: string[] = [];
    for (const key of Object.keys(properties)) {
      if (Object.hasOwn(schemaProperties, key)) continue;
      const nearest = nearestName(key, knownProperties);
      problems.push(
        `${source}: policy "${policy.name}" has no property "${key}"${nearest ? `; did you mean "${nearest}"?` : ""} (known: ${knownProperties.join(", ") || "none"})`,
      );
    }
    const validate = ajv.compile({ type: "object", properties: schemaProperties, required: [...policy.configSchema.required] });
    if (!validate(values)) {
      const described = new Set<string>();
      for (const error of validate.errors ?? []) {
        const property = errorProperty(error);
        // One problem per property: a value of the wrong type fails its enum and range too.
        if (described.has(property)) continue;
        described.add(property);
        problems.push(`${source}: policy "${policy.name}", property "${property}": ${schemaProblem(error)}`);
      }
    } else {
      problems.push(
        ...boundsProblems(schemaProperties, properties, values).map((problem) => `${source}: policy "${policy.name}", ${problem}`),
      );
    }
    if (problems.length > 0) throw configError(problems.join("; "));
    resolved.set(policy.name, { enforcementLevel, properties: values });
  }
  return { config: resolved, warnings };
}
