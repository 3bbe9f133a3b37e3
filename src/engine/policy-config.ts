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

import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { GateError } from "../gate/errors.js";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The keyword of a property schema that names the property it must not be above. */
const NOT_ABOVE = "x-notAbove";

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
export type PolicyConfigFile = Readonly<
  Record<string, EnforcementLevel | { readonly enforcementLevel?: EnforcementLevel; readonly [property: string]: unknown }>
>;

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

const LEVEL_LIST = LEVELS.map((level) => `"${level}"`).join(", ");

/** A fault in the policy configuration: the message starts with where it came from (the file). */
function configError(message: string): GateError {
  return new GateError("config-error", message, { subject: "policy-config" });
}

/** A value as messages show it: JSON, or "not set". */
function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

function quotedList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(", ");
}

// ---- JSON syntax: where the file stops being JSON ----

interface SyntaxProblem {
  readonly offset: number;
  readonly problem: string;
}

class SyntaxFault extends Error {
  constructor(readonly syntax: SyntaxProblem) {
    super(syntax.problem);
  }
}

/**
 * The first place where `text` is not JSON, and why. JSON.parse says where only in some cases and
 * in words that change between Node.js versions; this follows the grammar to the first fault.
 */
function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  let at = 0;
  const fail = (problem: string, offset = at): never => {
    throw new SyntaxFault({ offset, problem });
  };
  const found = (): string => {
    const char = text[at];
    if (char === undefined) return "the end of the file";
    return /[\x20-\x7e]/.test(char) ? `'${char}'` : `the character U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}`;
  };
  const skipSpace = (): void => {
    while (at < text.length && " \t\n\r".includes(text[at] ?? "")) at++;
  };
  const string = (): void => {
    const start = at;
    at++;
    while (at < text.length) {
      const char = text[at] ?? "";
      if (char === '"') {
        at++;
        return;
      }
      if (char === "\\") {
        const next = text[at + 1] ?? "";
        if ('"\\/bfnrt'.includes(next) && next !== "") at += 2;
        else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else fail("an invalid escape in a string");
        continue;
      }
      if (char < " ") fail("a line break or control character inside a string");
      at++;
    }
    fail("a string that is never closed", start);
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === "{") return object();
    if (char === "[") return array();
    if (char === '"') return string();
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
      const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      number.lastIndex = at;
      const match = number.exec(text);
      if (!match || /[\d.eE+-]/.test(text[at + match[0].length] ?? "")) fail("an invalid number");
      at += match?.[0].length ?? 0;
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    fail(`${found()} where a value is expected`);
  };
  const object = (): void => {
    at++;
    skipSpace();
    if (text[at] === "}") {
      at++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail(`${found()} where a property name in double quotes is expected`);
      string();
      skipSpace();
      if (text[at] !== ":") fail(`${found()} where ':' is expected after the property name`);
      at++;
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "}") {
        at++;
        return;
      }
      fail(`${found()} where ',' or '}' is expected after a property value`);
    }
  };
  const array = (): void => {
    at++;
    skipSpace();
    if (text[at] === "]") {
      at++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "]") {
        at++;
        return;
      }
      fail(`${found()} where ',' or ']' is expected after a list item`);
    }
  };
  try {
    if (text.trim() === "") return { offset: 0, problem: "the file is empty" };
    value();
    skipSpace();
    if (at < text.length) fail(`${found()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFault) return error.syntax;
    throw error;
  }
}

/** Line and column (both from 1) of an offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export function parsePolicyConfig(text: string, source: string): PolicyConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const syntax = jsonSyntaxProblem(text);
    const where = syntax
      ? (({ line, column }) => `at line ${line}, column ${column}: ${syntax.problem}`)(lineAndColumn(text, syntax.offset))
      : `(${(error as Error).message})`;
    throw configError(`${source}: not valid JSON ${where}; expected Pulumi's policy pack config format`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw configError(
      `${source}: the file holds ${Array.isArray(parsed) ? "a list" : JSON.stringify(parsed)}; expected an object of policy names`,
    );
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === "string") {
      if (!isLevel(value)) throw configError(`${source}: "${key}" is ${JSON.stringify(value)}; expected one of ${LEVEL_LIST}`);
    } else if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw configError(
        key === "all"
          ? `${source}: "all" is ${JSON.stringify(value)}; expected one of ${LEVEL_LIST}`
          : `${source}: "${key}" is ${JSON.stringify(value)}; expected an enforcement level or an object of properties`,
      );
    } else {
      const entry = value as Record<string, unknown>;
      if ("enforcementLevel" in entry && !isLevel(entry.enforcementLevel)) {
        throw configError(
          `${source}: "${key}".enforcementLevel is ${JSON.stringify(entry.enforcementLevel)}; expected one of ${LEVEL_LIST}`,
        );
      }
      const properties = Object.keys(entry).filter((property) => property !== "enforcementLevel");
      if (key === "all" && properties.length > 0) {
        const names = quotedList(properties);
        throw configError(
          `${source}: "all" has the ${properties.length === 1 ? "property" : "properties"} ${names}; expected only enforcementLevel, because Pulumi applies no other property of "all": set ${names} on each policy instead`,
        );
      }
    }
  }
  return parsed as PolicyConfigFile;
}

export function readPolicyConfig(file: string): PolicyConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw configError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a JSON file`,
    );
  }
  return parsePolicyConfig(text, file);
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
