// What every policy's configuration shares: the schema helper that adds the pack-wide setting
// `unknownValues`, and the check that refuses a configuration the schema cannot mean.
//
// `unknownValues` ("advisory", the default, or "mandatory") decides what a value unknown during
// preview costs: CrossGuard's advisory "can't run policy … during preview", or a violation of the
// policy on the resource, naming the property (see preview.ts). It is a property of every policy
// and is set per policy. "For all policies at once" cannot be offered: Pulumi applies only the
// enforcement level of an "all" entry, never its properties (applyConfig in pulumi's
// pkg/resource/analyzer/config.go), so it would work under the gate and silently not under
// `pulumi preview --policy-pack-config`. Setting it on each policy works under both.
//
// What a schema cannot refuse is refused here: a property the policy does not have (a misspelt
// limit would otherwise leave the default in force without a word), and bounds in the wrong order.
// The gate checks both before the pack runs (src/engine/policy-config.ts). The Pulumi CLI checks
// each policy's properties against its schema, but receives only `properties` and `required`
// from the pack (@pulumi/policy's protoutil sends nothing else), so `additionalProperties: false`
// never reaches it, and JSON Schema cannot compare two properties at all: each policy therefore
// checks both itself before it judges anything, and a preview under the CLI fails with the same
// words.

import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export type UnknownValues = "advisory" | "mandatory";

/**
 * A keyword of this pack's schemas: the property must not be above the one it names (min ≤ max).
 * JSON Schema has no keyword for it; validators ignore keywords they do not know, and the gate's
 * own configuration check and `checkedConfig` below apply it.
 */
export const NOT_ABOVE = "x-notAbove";

export type PropertySchema = PolicyConfigJSONSchema & { readonly [NOT_ABOVE]?: string };

/** A policy's configuration schema: its properties, `unknownValues`, and nothing else. */
export interface PackConfigSchema extends PolicyConfigSchema {
  readonly properties: Record<string, PropertySchema>;
  /** Declared for readers and for engines that honour it; the checks above enforce it. */
  readonly additionalProperties: false;
}

export const UNKNOWN_VALUES_PROPERTY: PropertySchema = {
  type: "string",
  enum: ["advisory", "mandatory"],
  default: "advisory",
  description:
    'What a value unknown during preview costs: "advisory" leaves CrossGuard\'s advisory that the policy cannot run; "mandatory" reports a violation on the resource, naming the unknown property.',
};

export function packConfigSchema(properties: Record<string, PropertySchema> = {}): PackConfigSchema {
  return { properties: { ...properties, unknownValues: UNKNOWN_VALUES_PROPERTY }, additionalProperties: false };
}

/** The setting from a policy's configuration; anything but "mandatory" is the default. */
export function unknownValuesSetting(config: Record<string, unknown>): UnknownValues {
  return config.unknownValues === "mandatory" ? "mandatory" : "advisory";
}

/** A configuration the policy refuses to run with: the message says which property and why. */
export class PolicyConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigurationError";
  }
}

/** Edit distance with transpositions (optimal string alignment), ignoring case. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= y.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[x.length]?.[y.length] ?? 0;
}

/** The known name a misspelling most likely meant, if one is close enough to suggest. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let nearest: string | undefined;
  let nearestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const candidateDistance = distance(name, candidate);
    if (candidateDistance < nearestDistance) {
      nearest = candidate;
      nearestDistance = candidateDistance;
    }
  }
  return nearest;
}

/**
 * What is wrong with the given properties, each to follow `policy "<name>"`, in the words the gate
 * uses for the same faults.
 */
export function configurationProblems(schema: PackConfigSchema, config: Record<string, unknown>): string[] {
  // Sorted, as the gate names them: the order of a schema's properties does not survive the analyzer protocol.
  const known = Object.keys(schema.properties).sort();
  const problems: string[] = [];
  for (const key of Object.keys(config)) {
    if (known.includes(key)) continue;
    const nearest = nearestName(key, known);
    problems.push(` has no property "${key}"${nearest ? `; did you mean "${nearest}"?` : ""} (known: ${known.join(", ")})`);
  }
  for (const [key, property] of Object.entries(schema.properties)) {
    const limitKey = property[NOT_ABOVE];
    const limitSchema = limitKey === undefined ? undefined : schema.properties[limitKey];
    if (limitKey === undefined || limitSchema === undefined) continue;
    const value = key in config ? config[key] : property.default;
    const limit = limitKey in config ? config[limitKey] : limitSchema.default;
    if (typeof value === "number" && typeof limit === "number" && value > limit) {
      const defaulted = (name: string): string => (name in config ? "" : " (the default)");
      problems.push(`, property "${key}": must not be above ${limitKey} (${limit}${defaulted(limitKey)}); it is ${value}${defaulted(key)}`);
    }
  }
  return problems;
}

/**
 * A policy's configuration as the engine passed it, once it is known to mean something: unknown
 * properties and bounds in the wrong order throw, naming the policy and the property.
 */
export function checkedConfig(policy: string, schema: PackConfigSchema, config: Record<string, unknown>): Record<string, unknown> {
  const problems = configurationProblems(schema, config);
  if (problems.length > 0) {
    throw new PolicyConfigurationError(problems.map((problem) => `policy "${policy}"${problem}`).join("; "));
  }
  return config;
}
