// The README's table of the bundled policies, rendered from the policy objects themselves (name,
// description, enforcement level, configuration schema), as compliance-policies renders its docs
// from each policy's metadata: `npm run docs` rewrites it, and a test fails when it drifts.

import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { EnforcementLevel, Policy, PolicyPackArgs } from "@pulumi/policy";

/** What policies/index.ts gives its PolicyPack: the pack's name, default level and policies. */
export interface BundledPack {
  readonly name: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly policies: readonly Policy[];
}

type Serve = (name: string, version: string, enforcementLevel: EnforcementLevel, args: PolicyPackArgs) => void;

/**
 * Loads policies/index.ts as the Pulumi CLI would, except that the PolicyPack it constructs is
 * recorded instead of served: the constructor hands the pack to @pulumi/policy's `serve`, which
 * would start a gRPC server, so `serve` is swapped for a recorder while the module loads.
 */
export async function loadBundledPack(root: string): Promise<BundledPack> {
  const entry = path.join(root, "policies", "index.ts");
  // The @pulumi/policy that policies/index.ts itself resolves, so that the recorder replaces its `serve`.
  const server = createRequire(entry)("@pulumi/policy/server") as { serve: Serve };
  const serve = server.serve;
  let pack: BundledPack | undefined;
  server.serve = (name, _version, enforcementLevel, args) => {
    pack = { name, enforcementLevel, policies: args.policies };
  };
  try {
    await import(pathToFileURL(entry).href);
  } finally {
    server.serve = serve;
  }
  if (!pack) throw new Error(`${entry} constructed no PolicyPack (or was already loaded in this process)`);
  return pack;
}

/** Text for one Markdown table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

type PropertySchema = NonNullable<Policy["configSchema"]>["properties"][string];

function typeOf(schema: PropertySchema): string {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const items = schema.items;
  return types
    .map((type) =>
      type === "array" && items && !Array.isArray(items) && typeof items === "object" && typeof items.type === "string"
        ? `array of ${items.type}`
        : type,
    )
    .join(" or ");
}

function boundsOf(schema: PropertySchema): string[] {
  const bounds: string[] = [];
  if (schema.enum) bounds.push(`one of ${schema.enum.map(code).join(", ")}`);
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined) bounds.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) bounds.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) bounds.push(`matching \`${schema.pattern}\``);
  if (schema.minItems !== undefined) bounds.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) bounds.push(`at most ${schema.maxItems} items`);
  return bounds;
}

/** One configuration property: `name` (type, bounds, default): description. */
function renderProperty(name: string, schema: PropertySchema, required: boolean): string {
  const facts = [
    typeOf(schema),
    ...boundsOf(schema),
    schema.default === undefined ? (required ? "required" : "no default") : `default ${code(schema.default)}`,
  ];
  const description = schema.description ? `: ${schema.description}` : "";
  return `\`${name}\` (${facts.filter((fact) => fact !== "").join(", ")})${description}`;
}

function renderConfiguration(policy: Policy): string {
  const properties = Object.entries(policy.configSchema?.properties ?? {});
  if (properties.length === 0) return "none";
  const required = new Set(policy.configSchema?.required ?? []);
  return properties.map(([name, schema]) => cell(renderProperty(name, schema, required.has(name)))).join("<br>");
}

export function renderPoliciesTable(pack: BundledPack): string {
  const rows = pack.policies.map(
    (policy) =>
      `| \`${policy.name}\` | ${cell(policy.description)} | \`${policy.enforcementLevel ?? pack.enforcementLevel}\` | ${renderConfiguration(policy)} |`,
  );
  return ["| policy | checks | default level | configuration |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
