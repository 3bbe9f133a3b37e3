// Policy configuration in Pulumi's own format, so one file serves `pulumi preview
// --policy-pack-config` and the offline engine alike:
//   { "all": "<level>", "<policy>": "<level>" | { "enforcementLevel": "<level>", ...properties } }
// Like the engine, this applies each policy's schema defaults and validates the properties
// against its configSchema (with ajv) before the pack is configured.

import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { GateError } from "../gate/errors.js";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

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

/** The user's file, parsed and checked for shape, not yet matched against a pack. */
export type PolicyConfigFile = Readonly<Record<string, EnforcementLevel | { readonly enforcementLevel?: EnforcementLevel; readonly [property: string]: unknown }>>;

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

const LEVEL_LIST = LEVELS.map((level) => `"${level}"`).join(", ");

/** A fault in the policy configuration: the message starts with where it came from (the file). */
function configError(message: string): GateError {
  return new GateError("config-error", message, { subject: "policy-config" });
}

export function parsePolicyConfig(text: string, source: string): PolicyConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw configError(`${source}: not valid JSON (${(error as Error).message}); expected Pulumi's policy pack config format`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw configError(`${source}: the file holds ${Array.isArray(parsed) ? "a list" : JSON.stringify(parsed)}; expected an object of policy names`);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "all" || typeof value === "string") {
      if (!isLevel(value)) {
        throw configError(`${source}: "${key}" is ${JSON.stringify(value)}; expected one of ${LEVEL_LIST}`);
      }
    } else if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw configError(`${source}: "${key}" is ${JSON.stringify(value)}; expected an enforcement level or an object of properties`);
    } else if ("enforcementLevel" in value && !isLevel((value as Record<string, unknown>).enforcementLevel)) {
      throw configError(`${source}: "${key}".enforcementLevel is ${JSON.stringify((value as Record<string, unknown>).enforcementLevel)}; expected one of ${LEVEL_LIST}`,
      );
    }
  }
  return parsed as PolicyConfigFile;
}

export function readPolicyConfig(file: string): PolicyConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw configError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a JSON file`);
  }
  return parsePolicyConfig(text, file);
}

function describeSchemaError(error: ErrorObject, policy: string, source: string): string {
  const property = error.instancePath ? error.instancePath.slice(1).replace(/\//g, ".") : (error.params as { missingProperty?: string }).missingProperty;
  return `${source}: policy "${policy}", property "${property ?? "?"}": ${error.message ?? "is invalid"}`;
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
      throw configError(`${source}: "${key}" is not a policy of pack "${packName}"; expected one of ${[...known].map((name) => `"${name}"`).join(", ")}`,
      );
    }
  }
  const all = file.all;
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
  const warnings: string[] = [];
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const entry = file[policy.name];
    const { enforcementLevel: ownLevel, ...properties } = typeof entry === "object" ? entry : { enforcementLevel: entry };
    const enforcementLevel = ownLevel ?? (isLevel(all) ? all : undefined) ?? policy.enforcementLevel;
    const values: Record<string, unknown> = structuredClone(properties);
    // A policy without a schema takes no properties: what it is given is unknown too.
    const schemaProperties = policy.configSchema?.properties ?? {};
    if (policy.configSchema) {
      const validate = ajv.compile({ type: "object", properties: schemaProperties, required: [...policy.configSchema.required] });
      if (!validate(values)) {
        throw configError((validate.errors ?? []).map((error) => describeSchemaError(error, policy.name, source)).join("; "));
      }
    }
    for (const key of Object.keys(properties)) {
      if (!Object.hasOwn(schemaProperties, key)) {
        warnings.push(`${source}: policy "${policy.name}" has no property "${key}"; it is ignored (known: ${Object.keys(schemaProperties).join(", ") || "none"})`);
      }
    }
    resolved.set(policy.name, { enforcementLevel, properties: values });
  }
  return { config: resolved, warnings };
}
