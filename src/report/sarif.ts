// The report as a SARIF 2.1.0 log, for GitHub code scanning (github/codeql-action/upload-sarif)
// and any other SARIF viewer: one rule per policy (its description, how to fix a violation, its
// configuration), one result per violation at the resource's declaration site.
//
// - GitHub needs a location for every result. A violation whose resource has no known
//   declaration site is shown at line 1 of the program's Pulumi.yaml (`fallbackFile`), and its
//   message says so: the file that made the program what it is, never a made-up line of code.
// - A log is written only for a report with a verdict: an empty log uploaded after an error
//   would close every open alert as if it were fixed. The front ends decide that; this builds.
// - Messages are plain text in SARIF, but viewers make "[text](target)" an embedded link, and
//   GitHub links URLs, @mentions and #references in what it shows: untrusted text (resource
//   names, policy messages, names from other packs) is broken up where it could become one.
// - Each result carries a fingerprint of pack, policy and resource (not of the file and line,
//   which can be the same fallback for many resources), so that code scanning keeps one alert per
//   violated policy and resource across runs.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { policies as bundledPolicies, POLICY_PACK_NAME } from "../../policies/catalog.js";
import { sortViolations, type Report, type SourceLocation, type Violation } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";
import { propertyFacts, type PolicyConfigJSONSchema } from "./policy-configuration.js";
import { escapeMarkdown, plainLine } from "./untrusted-text.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const TOOL_NAME = "pulumi-policy-gate";
/** The base the result paths are relative to: the repository root, as code scanning reads it. */
const SOURCE_ROOT = "%SRCROOT%";

/** A policy a rule describes: from the pack's own metadata (name, description, config schema). */
export interface RulePolicy {
  readonly pack: string;
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel?: string | undefined;
  readonly configSchema?:
    | { readonly properties: Readonly<Record<string, PolicyConfigJSONSchema>>; readonly required?: readonly string[] | undefined }
    | undefined;
}

/** The bundled pack's policies, read from the policy objects themselves. */
export function bundledRulePolicies(): RulePolicy[] {
  return bundledPolicies.map((policy) => ({
    pack: POLICY_PACK_NAME,
    name: policy.name,
    description: policy.description,
    enforcementLevel: policy.enforcementLevel,
    configSchema: policy.configSchema,
  }));
}

export interface SarifOptions {
  /** One rule each; a violated policy not among them gets a rule naming only its pack. */
  readonly policies: readonly RulePolicy[];
  /** Where a violation without a location is shown, relative to the repository root: the program's Pulumi.yaml. */
  readonly fallbackFile: string;
  readonly toolVersion: string;
}

// ---- The SARIF objects this log uses (a subset of the 2.1.0 schema) ----

export interface SarifMessage {
  readonly text: string;
  readonly markdown?: string;
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: SarifMessage;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[]; readonly policyPack: string };
}

export type SarifLevel = "none" | "note" | "warning" | "error";

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly [
    {
      readonly physicalLocation: {
        readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
        readonly region: { readonly startLine: number; readonly startColumn?: number };
      };
      readonly logicalLocations: readonly [{ readonly name: string; readonly fullyQualifiedName: string; readonly kind: "resource" }];
    },
  ];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: {
    readonly policyPack: string;
    readonly resourceType: string;
    readonly urn: string;
    readonly enforcementLevel: Violation["enforcementLevel"];
    readonly severity?: NonNullable<Violation["severity"]>;
    readonly locationKnown: boolean;
  };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: string;
          readonly version: string;
          readonly semanticVersion?: string;
          readonly rules: SarifRule[];
        };
      };
      readonly automationDetails: { readonly id: string };
      readonly invocations: readonly [
        {
          readonly executionSuccessful: boolean;
          readonly toolExecutionNotifications: readonly { readonly level: SarifLevel; readonly message: SarifMessage }[];
        },
      ];
      readonly columnKind: "utf16CodeUnits";
      readonly results: SarifResult[];
    },
  ];
}

// ---- Untrusted text ----

/**
 * Untrusted text as one line of a SARIF plain-text message: no line breaks or invisible
 * characters, no "](" that would close an embedded link's text, and a zero-width space after
 * "@" and "#" before a name and inside "://", which GitHub would otherwise link.
 */
export function sarifText(text: string): string {
  return plainLine(text)
    .replace(/\]\(/g, "] (")
    .replace(/([@#])(?=[\p{L}\p{N}_-])/gu, "$1\u200b")
    .replace(/:\/\//g, ":/\u200b/");
}

// ---- Rules ----

function levelOf(enforcementLevel: string | undefined): SarifLevel {
  switch (enforcementLevel) {
    case "advisory":
      return "warning";
    case "disabled":
      return "none";
    default:
      // mandatory and remediate (a mandatory check that fixes what it can), and the pack default
      return "error";
  }
}

const json = (value: unknown): string => JSON.stringify(value);
const codeSpan = (value: unknown): string => `\`${JSON.stringify(value)}\``;

/** The policy configuration file entry that sets every property to its default: a template to edit. */
function configurationExample(policy: RulePolicy): string {
  const settings: Record<string, unknown> = { enforcementLevel: policy.enforcementLevel === "advisory" ? "advisory" : "mandatory" };
  for (const [name, schema] of Object.entries(policy.configSchema?.properties ?? {}))
    if (schema.default !== undefined) settings[name] = schema.default;
  return JSON.stringify({ [policy.name]: settings });
}

const WHERE_CONFIGURED =
  "in the policy configuration file (the action's policy-config input, or policy-gate check --policy-config; Pulumi's --policy-pack-config format)";
const HOW_TO_FIX =
  "change the resource as the alert's message says (it names the property, its value and what to set instead), then run the gate again; or lower the policy's enforcement level or change its properties";

function ruleOf(policy: RulePolicy, id: string): SarifRule {
  const properties = Object.entries(policy.configSchema?.properties ?? {});
  const required = new Set(policy.configSchema?.required ?? []);
  const level = policy.enforcementLevel ?? "mandatory";
  const textProperties = properties.map(([name, schema]) => {
    const facts = propertyFacts(schema, required.has(name), json).join(", ");
    return `- ${name} (${facts})${schema.description ? `: ${schema.description}` : ""}`;
  });
  const markdownProperties = properties.map(([name, schema]) => {
    const facts = propertyFacts(schema, required.has(name), codeSpan, (pattern) => codeSpan(pattern)).join(", ");
    return `- \`${name}\` (${facts})${schema.description ? `: ${escapeMarkdown(schema.description)}` : ""}`;
  });
  const example = configurationExample(policy);
  const description = sarifText(policy.description);
  const text = [
    description,
    "",
    `How to fix: ${HOW_TO_FIX}.`,
    "",
    `Configuration, ${WHERE_CONFIGURED}: enforcementLevel ("advisory", "mandatory" or "disabled", default ${json(level)})${properties.length ? ", and:" : "; no other properties."}`,
    ...textProperties,
    "",
    `Example: ${example}`,
  ].join("\n");
  const markdown = [
    escapeMarkdown(policy.description),
    "",
    `**How to fix:** ${escapeMarkdown(HOW_TO_FIX)}.`,
    "",
    `**Configuration**, ${escapeMarkdown(WHERE_CONFIGURED)}: \`enforcementLevel\` (\`"advisory"\`, \`"mandatory"\` or \`"disabled"\`, default ${codeSpan(level)})${properties.length ? ", and:" : "; no other properties."}`,
    "",
    ...markdownProperties,
    ...(properties.length ? [""] : []),
    "Example:",
    "",
    "```json",
    example,
    "```",
  ].join("\n");
  return {
    id,
    name: id,
    shortDescription: { text: description },
    fullDescription: { text: description },
    help: { text, markdown },
    defaultConfiguration: { level: levelOf(level) },
    properties: { tags: ["pulumi", "policy-as-code"], policyPack: sarifText(policy.pack) },
  };
}

/** A rule for a policy of a pack the gate has no metadata for (a pack given besides its own). */
function ruleOfUnknown(pack: string, name: string, id: string): SarifRule {
  const description = `Policy ${sarifText(name)} of the policy pack ${sarifText(pack)}.`;
  const help = `A policy of the pack ${sarifText(pack)}, which ran besides the gate's own: its documentation says what it checks. How to fix: ${HOW_TO_FIX}.`;
  return {
    id,
    name: id,
    shortDescription: { text: description },
    fullDescription: { text: description },
    help: { text: help, markdown: escapeMarkdown(help) },
    defaultConfiguration: { level: "warning" },
    properties: { tags: ["pulumi", "policy-as-code"], policyPack: sarifText(pack) },
  };
}

/** Rules keyed by pack and policy; the id is the policy's name, or pack/name when another pack has that name. */
class Rules {
  readonly list: SarifRule[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly ids = new Set<string>();

  add(pack: string, name: string, make: (id: string) => SarifRule): void {
    const key = `${pack}\u0000${name}`;
    if (this.indexByKey.has(key)) return;
    const plain = sarifText(name);
    const id = this.ids.has(plain) ? `${sarifText(pack)}/${plain}` : plain;
    this.ids.add(id);
    this.indexByKey.set(key, this.list.length);
    this.list.push(make(id));
  }

  indexOf(pack: string, name: string): number {
    const index = this.indexByKey.get(`${pack}\u0000${name}`);
    if (index === undefined) throw new Error(`no rule for policy ${name} of pack ${pack}`);
    return index;
  }
}

// ---- Results ----

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A repository-relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(file: string): string {
  return (
    file
      .replace(/\\/g, "/")
      .replace(/^(\.\/)+/, "")
      .split("/")
      // Empty segments ("a//b", a leading "/") would make it a network-path or absolute reference.
      .filter((segment) => segment !== "")
      // A lone surrogate (no character at all) cannot be percent-encoded: it becomes U+FFFD.
      .map((segment) => encodeURIComponent(segment.replace(LONE_SURROGATE, "\ufffd")))
      .join("/")
  );
}

function usableLocation(location: SourceLocation | undefined): SourceLocation | undefined {
  if (!location || location.file === "" || path.isAbsolute(location.file) || relativeUri(location.file) === "") return undefined;
  if (!Number.isInteger(location.line) || location.line < 1) return undefined;
  return location;
}

function fingerprint(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/**
 * The program's project file (Pulumi.yaml, or Pulumi.yml when only that exists) relative to the
 * repository root, with forward slashes: where violations without a location are shown.
 */
export function programFile(repositoryRoot: string, programDir: string, exists: (file: string) => boolean = existsSync): string {
  const name = !exists(path.join(programDir, "Pulumi.yaml")) && exists(path.join(programDir, "Pulumi.yml")) ? "Pulumi.yml" : "Pulumi.yaml";
  return path.relative(path.resolve(repositoryRoot), path.resolve(programDir, name)).split(path.sep).join("/");
}

export function buildSarif(report: Report, options: SarifOptions): SarifLog {
  const rules = new Rules();
  for (const policy of options.policies) rules.add(policy.pack, policy.name, (id) => ruleOf(policy, id));
  const violations = sortViolations(report.violations);
  for (const violation of violations)
    rules.add(violation.policyPack, violation.policy, (id) => ruleOfUnknown(violation.policyPack, violation.policy, id));

  const seen = new Map<string, number>();
  const results = violations.map((violation): SarifResult => {
    const ruleIndex = rules.indexOf(violation.policyPack, violation.policy);
    const rule = rules.list[ruleIndex] as SarifRule;
    const location = usableLocation(violation.location);
    const resource = nameFromUrn(violation.urn);
    const fallbackNote = location ? "" : ` (where the program declares this resource is not known: shown at ${options.fallbackFile})`;
    // Two violations of one policy on one resource (two properties wrong) stay two alerts.
    const key = fingerprint([violation.policyPack, violation.policy, violation.urn]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      ruleId: rule.id,
      ruleIndex,
      level: violation.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: sarifText(`${resource} (${violation.resourceType}): ${violation.message}${fallbackNote}`) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(location?.file ?? options.fallbackFile), uriBaseId: SOURCE_ROOT },
            region: {
              startLine: location?.line ?? 1,
              ...(location?.column !== undefined && Number.isInteger(location.column) && location.column >= 1
                ? { startColumn: location.column }
                : {}),
            },
          },
          logicalLocations: [{ name: sarifText(resource), fullyQualifiedName: sarifText(violation.urn), kind: "resource" }],
        },
      ],
      partialFingerprints: { "pulumiPolicyViolation/v1": occurrence === 0 ? key : `${key}:${occurrence}` },
      properties: {
        policyPack: sarifText(violation.policyPack),
        resourceType: sarifText(violation.resourceType),
        urn: sarifText(violation.urn),
        enforcementLevel: violation.enforcementLevel,
        ...(violation.severity ? { severity: violation.severity } : {}),
        locationKnown: location !== undefined,
      },
    };
  });

  const semanticVersion = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(options.toolVersion)
    ? options.toolVersion
    : undefined;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: TOOL_NAME, version: options.toolVersion, ...(semanticVersion ? { semanticVersion } : {}), rules: rules.list },
        },
        // One category per project and stack: uploads from a matrix over stacks do not replace each other's alerts.
        automationDetails: { id: `${TOOL_NAME}/${sarifText(report.project || "unknown")}/${sarifText(report.stack || "unknown")}/` },
        invocations: [
          {
            executionSuccessful: report.verdict !== "error",
            toolExecutionNotifications: [
              ...report.warnings.map((warning) => ({ level: "warning" as const, message: { text: sarifText(warning) } })),
              ...(report.error ? [{ level: "error" as const, message: { text: sarifText(report.error.message) } }] : []),
            ],
          },
        ],
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}
