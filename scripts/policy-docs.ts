// The README's table of the bundled policies, rendered from the policy objects themselves (name,
// description, enforcement level, configuration schema), as compliance-policies renders its docs
// from each policy's metadata: `npm run docs` rewrites it, and a test fails when it drifts.

import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { EnforcementLevel, Policy, PolicyPackArgs } from "@pulumi/policy";
import { propertyFacts } from "../src/report/policy-configuration.js";

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

/** One configuration property: `name` (type, bounds, default): description. */
function renderProperty(name: string, schema: PropertySchema, required: boolean): string {
  const facts = propertyFacts(schema, required, code, (pattern) => `\`${pattern}\``);
  const description = schema.description ? `: ${schema.description}` : "";
  return `\`${name}\` (${facts.join(", ")})${description}`;
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
