// The Markdown summary: the PR comment's body, the job summary and the --markdown file. What a
// reviewer needs first comes first: the verdict, the counts and what the plan destroys, then one
// line per policy that fired (with its fix, once), then the violations grouped by policy (a
// group of more than ten resources collapsed), the checks that could not run during preview in
// one collapsed note, and the notes. An error shows what failed once, in one block.
//
// It never exceeds the length it is given: rows are dropped whole, shared fairly between the
// policies, and a note says how many of each policy were left out and where to read them.
// Untrusted text is escaped, or shown as code (names, property paths, values, locations), where
// GitHub links and mentions nothing; inside HTML (a <summary>) it is HTML-escaped code.

import type { ChangeSummary, ResourceChange } from "../gate/outcome.js";
import { countViolations, sortViolations, type Report, type Violation } from "../gate/report.js";
import { messageMarkdown, splitMessage } from "./policy-message.js";
import { ComponentParents, resourceName, resourceType, shortType } from "./resource-label.js";
import { locationMarkdown, type SourceLinks } from "./source-link.js";
import { codeSpan, escapeMarkdown, fencedBlock, htmlCode } from "./untrusted-text.js";

/** GitHub's limit for an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What the plan would do, for engines that know the stack's state. */
export interface PlanSummary {
  /** op → count; undefined when the engine knows no stack state (offline): then nothing is said. */
  readonly changeSummary: ChangeSummary | undefined;
  /** One entry per resource: its last step. */
  readonly changes: readonly ResourceChange[];
}

export interface MarkdownOptions {
  /** Hard upper bound on the length of the result. */
  readonly maxLength?: number;
  /** Markdown (the caller's own, not untrusted text) saying where the full report is, ending the note on what was left out. */
  readonly fullReportHint?: string;
  /** For links from a violation's location to its line at the commit under review. */
  readonly source?: SourceLinks;
  /** The runner's workspace (GITHUB_WORKSPACE): taken off the paths in messages, which then read relative to the repository. */
  readonly workspace?: string;
  readonly plan?: PlanSummary;
  /** The engine's last diagnostics of a run that ended in an error. */
  readonly diagnostics?: readonly string[];
}

const VERDICT_HEADLINE: Record<Report["verdict"], string> = {
  pass: "✅ Policy gate passed",
  fail: "❌ Policy gate failed",
  error: "⚠️ Policy gate could not evaluate",
};

/** "1 violation", "2 violations": the count and the noun, in the plural unless the count is 1. */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** Longest project or stack name the headline shows: a longer one must not push the verdict out. */
const NAME_LIMIT = 200;
/** Longest single note; the notes together get at most a quarter of the length. */
const NOTE_LIMIT = 1_000;
/** A message longer than this is shortened in its row, so that one row never crowds out the rest. */
const MESSAGE_LIMIT = 2_000;
/** A fix longer than this is shortened in its policy's line. */
const FIX_LIMIT = 300;
/** A policy with more resources than this has its violations collapsed. */
export const COLLAPSE_AFTER = 10;
/** Resources named in the line on destructive changes; the rest are counted. */
const DESTRUCTIVE_NAMES = 5;
/** Resources named per policy in the note on checks that could not run during preview. */
const UNKNOWN_NAMES = 10;
const DIAGNOSTIC_LINES = 40;
const DIAGNOSTIC_CHARACTERS = 6_000;
/** A hard line break: the summary's lines stay one paragraph, without a gap between them. */
const BREAK = "\\\n";

/** An advisory CrossGuard adds when a policy read a value the preview does not know: not a finding about the resource. */
const UNKNOWN_DURING_PREVIEW = /^can't run policy .* during preview\b|can't be known during preview/;

export function isUnknownDuringPreview(violation: Violation): boolean {
  return violation.enforcementLevel === "advisory" && UNKNOWN_DURING_PREVIEW.test(violation.message);
}

/** Paths under the runner's workspace made relative to it (the repository root), in any text. */
export function relativeToWorkspace(text: string, workspace: string | undefined): string {
  const root = workspace?.replace(/[\\/]+$/, "");
  // A root that is no absolute directory of its own ("", "/") would take every slash away.
  if (!root || !/^(?:\/|[A-Za-z]:[\\/])./.test(root)) return text;
  return text.split(`${root}/`).join("").split(`${root}\\`).join("").split(root).join(".");
}

// ---------------------------------------------------------------------------------------------
// The first lines: verdict, counts, destructive changes, the plan.

const OP_ORDER = ["create", "update", "replace", "create-replacement", "delete-replaced", "delete", "import", "read", "refresh", "same"];
const PLAN_WORDS: Readonly<Record<string, string>> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  import: "to import",
  same: "unchanged",
};
// The destructive operations (DESTRUCTIVE_OPERATIONS in gate/outcome.ts), as a reviewer reads them.
/** Steps of a replacement: the resource is replaced. */
const REPLACING: ReadonlySet<string> = new Set([
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
  "discard-replaced",
]);
/** Steps that take the resource away. */
const DELETING: ReadonlySet<string> = new Set(["delete", "discard", "remove-pending-replace"]);

/** The entry of a fixed table for a key from outside, never one of Object's own ("constructor"). */
function lookup(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Where an operation sorts: creates first, unchanged last. */
export function opRank(op: string): number {
  const index = OP_ORDER.indexOf(op);
  return index < 0 ? OP_ORDER.length : index;
}

/** A count from the engine: a non-negative integer as digits, anything else as escaped text. */
export function countText(count: unknown): string {
  return typeof count === "number" && Number.isSafeInteger(count) && count >= 0 ? String(count) : escapeMarkdown(String(count), 200);
}

function planLine(plan: PlanSummary | undefined): string | undefined {
  if (!plan?.changeSummary) return undefined;
  const entries = Object.entries(plan.changeSummary)
    .filter(([, count]) => count !== 0)
    .sort(([a], [b]) => opRank(a) - opRank(b));
  if (entries.every(([op]) => op === "same")) return "Plan: no changes.";
  const shown = entries.slice(0, 20).map(([op, count]) => `${countText(count)} ${lookup(PLAN_WORDS, op) ?? escapeMarkdown(op, 100)}`);
  return `Plan: ${shown.join(", ")}${entries.length > shown.length ? ", …" : ""}.`;
}

/** The resources the plan replaces or deletes, from its changes, else counted from its summary. */
function destructiveLine(plan: PlanSummary | undefined): string | undefined {
  if (!plan) return undefined;
  const byUrn = new Map<string, { change: ResourceChange; kind: "replaced" | "deleted" }>();
  for (const change of plan.changes) {
    const kind = REPLACING.has(change.op) ? "replaced" : DELETING.has(change.op) ? "deleted" : undefined;
    if (!kind) continue;
    if (byUrn.get(change.urn)?.kind !== "replaced") byUrn.set(change.urn, { change, kind });
  }
  const rank = (kind: "replaced" | "deleted"): number => (kind === "replaced" ? 0 : 1);
  const destructive = [...byUrn.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || a.change.urn.localeCompare(b.change.urn));
  let replaces = destructive.filter((item) => item.kind === "replaced").length;
  let deletes = destructive.length - replaces;
  if (destructive.length === 0 && plan.changeSummary) {
    const count = (op: string): number => {
      const value = plan.changeSummary?.[op];
      return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : 0;
    };
    replaces = count("replace");
    deletes = count("delete");
  }
  if (replaces + deletes === 0) return undefined;
  const counts = [replaces > 0 ? plural(replaces, "replace") : "", deletes > 0 ? plural(deletes, "delete") : ""].filter(Boolean).join(", ");
  const names = destructive
    .slice(0, DESTRUCTIVE_NAMES)
    .map(({ change, kind }) => `${resourceName(change.urn)} (${resourceType(change.type, change.urn)}) ${kind}`);
  if (destructive.length > names.length) names.push(`and ${destructive.length - names.length} more`);
  return `**⚠️ Destructive: ${counts}**${names.length > 0 ? `: ${names.join(", ")}` : ""}`;
}

function countsLine(report: Report, groups: readonly PolicyGroup[], unknowns: readonly Violation[]): string {
  const { mandatory, advisory } = countViolations(report.violations);
  const resources = new Set(groups.flatMap((group) => group.violations.map((violation) => violation.urn))).size;
  const policies = new Set(groups.map((group) => JSON.stringify([group.policyPack, group.policy]))).size;
  const spread = groups.length > 0 ? ` · ${plural(policies, "policy", "policies")} fired on ${plural(resources, "resource")}` : "";
  const notRun = unknowns.length > 0 ? ` · ${plural(unknowns.length, "check")} could not run during preview` : "";
  const unchecked = report.uncheckedComponents?.length ?? 0;
  // Not folded into the notes: a pass that did not see inside a component must say so up front.
  const unseen = unchecked > 0 ? ` · **⚠️ ${plural(unchecked, "component")} not checked inside** (see Notes)` : "";
  return `**${plural(mandatory, "mandatory violation")}**, ${plural(advisory - unknowns.length, "advisory violation")}${spread} · ${plural(report.resources.length, "resource")} checked (engine \`${report.engine}\`)${notRun}${unseen}`;
}

const ERROR_WHAT: Readonly<Record<string, string>> = {
  "config-error": "the configuration is not valid",
  "preview-failed": "the preview failed",
  "policy-pack-failed": "a policy pack failed",
  "stack-locked": "the stack is locked by another update",
  "deploy-failed": "the deploy failed",
  "internal-error": "the gate failed (a bug)",
};

/** What failed, and how far the run got: the resources the program registered, when the report has them. */
function errorLine(report: Report): string {
  const reason = report.error?.reason ?? report.failureReason;
  const what = lookup(ERROR_WHAT, reason) ?? "the gate could not evaluate";
  const registered = report.resources.length > 0 ? ` after ${plural(report.resources.length, "resource")} had been registered` : "";
  return `**Error (${reason}):** ${what}${registered}; no policy verdict.`;
}

/** What failed, once: the error's message, then the diagnostics it does not already hold, in one code block. */
function errorBlock(report: Report, options: MarkdownOptions, maxLength: number): string {
  const message = relativeToWorkspace(report.error?.message ?? "", options.workspace)
    .replace(/\r\n?/g, "\n")
    .trimEnd();
  const extra = (options.diagnostics ?? [])
    .map((diagnostic) => relativeToWorkspace(diagnostic, options.workspace).replace(/\r\n?/g, "\n").trimEnd())
    .filter((diagnostic) => diagnostic !== "" && !message.includes(diagnostic));
  const diagnostics = extra.join("\n").split("\n").slice(-DIAGNOSTIC_LINES).join("\n").slice(-DIAGNOSTIC_CHARACTERS);
  const text = [message, diagnostics].filter(Boolean).join("\n\n").replace(/\t/g, "  ");
  if (text === "") return "";
  const room = Math.max(0, maxLength - 20);
  return fencedBlock(text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text);
}

// ---------------------------------------------------------------------------------------------
// The violations, grouped by policy.

interface PolicyGroup {
  readonly policy: string;
  readonly policyPack: string;
  readonly enforcementLevel: Violation["enforcementLevel"];
  readonly violations: readonly Violation[];
  readonly resources: number;
  /** The fix most of its violations share, shown once. */
  readonly fix: string | undefined;
  /** The problem (the message without its fix) that two or more of its violations share, shown once. */
  readonly problem: string | undefined;
  /** How many violations have that problem. */
  readonly problemCount: number;
  /** The short type, when all its resources have the same one. */
  readonly type: string | undefined;
  readonly severity: Violation["severity"];
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

function severityRank(severity: string | undefined): number {
  return severity !== undefined && Object.hasOwn(SEVERITY_RANK, severity) ? (SEVERITY_RANK[severity] ?? 4) : 4;
}

/** The entry with the highest count (the first in text order among equals). */
function mostCommon(counts: ReadonlyMap<string, number>): [string, number] | undefined {
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
}

function groupByPolicy(violations: readonly Violation[]): PolicyGroup[] {
  const groups = new Map<string, Violation[]>();
  // In a group, the order of the source when the engine knows it: a reviewer reads file by file.
  const bySource = (a: Violation, b: Violation): number =>
    (a.location ? 0 : 1) - (b.location ? 0 : 1) ||
    (a.location?.file ?? "").localeCompare(b.location?.file ?? "") ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0);
  for (const violation of sortViolations(violations).sort(bySource)) {
    const key = JSON.stringify([violation.enforcementLevel, violation.policyPack, violation.policy]);
    const group = groups.get(key);
    if (group) group.push(violation);
    else groups.set(key, [violation]);
  }
  return [...groups.values()]
    .map((members): PolicyGroup => {
      const first = members[0] as Violation;
      const fixes = new Map<string, number>();
      const problems = new Map<string, number>();
      for (const member of members) {
        const { problem, fix } = splitMessage(member.message);
        if (fix) fixes.set(fix, (fixes.get(fix) ?? 0) + 1);
        problems.set(problem, (problems.get(problem) ?? 0) + 1);
      }
      const fix = mostCommon(fixes)?.[0];
      const [problem, problemCount = 0] = mostCommon(problems) ?? [];
      const types = new Set(members.map((member) => member.resourceType));
      const severities = new Set(members.map((member) => member.severity));
      return {
        policy: first.policy,
        policyPack: first.policyPack,
        enforcementLevel: first.enforcementLevel,
        violations: members,
        resources: new Set(members.map((member) => member.urn)).size,
        fix,
        ...(problemCount >= 2 ? { problem, problemCount } : { problem: undefined, problemCount: 0 }),
        type: types.size === 1 ? first.resourceType : undefined,
        severity: severities.size === 1 ? first.severity : undefined,
      };
    })
    .sort(
      (a, b) =>
        (a.enforcementLevel === "mandatory" ? 0 : 1) - (b.enforcementLevel === "mandatory" ? 0 : 1) ||
        severityRank(a.severity) - severityRank(b.severity) ||
        b.resources - a.resources ||
        a.policy.localeCompare(b.policy) ||
        a.policyPack.localeCompare(b.policyPack),
    );
}

function levelMark(group: PolicyGroup): string {
  return group.enforcementLevel === "mandatory" ? "🔴" : "🟡";
}

/** The policy's name, with its pack's when several packs reported. */
function policyName(group: PolicyGroup, severalPacks: boolean, code: (text: string, maxLength: number) => string): string {
  const pack = severalPacks ? ` (${code(group.policyPack, NAME_LIMIT)})` : "";
  return `${code(group.policy, NAME_LIMIT)}${pack}`;
}

/** The policy's line at the top: level, name, resources, severity, and its fix once. */
function policyLine(group: PolicyGroup, severalPacks: boolean): string {
  const level = [group.enforcementLevel === "advisory" ? "advisory" : "", group.severity ?? ""].filter(Boolean).join(", ");
  const type = group.type ? ` ${codeSpan(shortType(group.type), NAME_LIMIT)}` : "";
  const fix = group.fix ? ` · fix: ${messageMarkdown(group.fix, FIX_LIMIT)}` : "";
  return `- ${levelMark(group)} **${policyName(group, severalPacks, codeSpan)}**${level ? ` (${level})` : ""}: ${plural(group.resources, "resource")}${type}${fix}`;
}

interface RowContext {
  readonly parents: ComponentParents;
  readonly source: SourceLinks | undefined;
}

/**
 * One violation: the resource (and its component), its type unless the group has one, its
 * location, and what the group does not already say of it: its problem unless it is the group's,
 * its fix unless it is the group's.
 */
function row(violation: Violation, group: PolicyGroup, context: RowContext): string {
  const parent = context.parents.describe(violation.urn);
  const type = group.type ? "" : ` · ${resourceType(violation.resourceType, violation.urn)}`;
  const location = locationMarkdown(violation.location, context.source);
  const { problem, fix } = splitMessage(violation.message);
  const sameProblem = group.problem !== undefined && problem === group.problem;
  const sameFix = fix === group.fix;
  const shown = sameProblem && sameFix ? "" : sameFix && fix !== undefined ? problem : violation.message;
  const message = shown ? `: ${messageMarkdown(shown, MESSAGE_LIMIT)}` : "";
  return `- ${resourceName(violation.urn)}${parent ? ` ${parent}` : ""}${type}${location ? ` · ${location}` : ""}${message}`;
}

function groupBlock(group: PolicyGroup, rows: readonly string[], severalPacks: boolean): string {
  const omitted = group.violations.length - rows.length;
  const cut = omitted > 0 ? `, ${omitted} not shown here` : "";
  const open = group.resources <= COLLAPSE_AFTER ? " open" : "";
  const type = group.type ? ` ${htmlCode(shortType(group.type), NAME_LIMIT)}` : "";
  const summary = `${levelMark(group)} ${policyName(group, severalPacks, htmlCode)}: ${plural(group.resources, "resource")}${type}${cut}`;
  const all = group.problemCount === group.violations.length;
  const common =
    group.problem === undefined
      ? []
      : [`${all ? "Each of these" : `${group.problemCount} of these`}: ${messageMarkdown(group.problem, MESSAGE_LIMIT)}`, ""];
  return [`<details${open}><summary>${summary}</summary>`, "", ...common, ...rows, "", "</details>"].join("\n");
}

/** Room a group's frame takes besides its rows, with its summary's "N not shown here". */
function frameLength(group: PolicyGroup, severalPacks: boolean): number {
  return groupBlock(group, [], severalPacks).length + 40;
}

/**
 * Rows for each group within `budget` characters, shared fairly: one row per group at a time,
 * in order, while the next fits. A group that gets no row is not shown at all.
 */
function allocateRows(
  groups: readonly PolicyGroup[],
  rows: readonly (readonly string[])[],
  budget: number,
  severalPacks: boolean,
): number[] {
  const taken = groups.map(() => 0);
  let used = 0;
  let progress = true;
  while (progress) {
    progress = false;
    for (const [index, group] of groups.entries()) {
      const next = rows[index]?.[taken[index] ?? 0];
      if (next === undefined) continue;
      const cost = next.length + 1 + ((taken[index] ?? 0) === 0 ? frameLength(group, severalPacks) + 2 : 0);
      if (used + cost > budget) continue;
      used += cost;
      taken[index] = (taken[index] ?? 0) + 1;
      progress = true;
    }
  }
  return taken;
}

/** The note on what was left out: how many of each policy, and where to read them. */
function omittedNote(groups: readonly PolicyGroup[], taken: readonly number[], hint: string | undefined, severalPacks: boolean): string {
  const left = groups
    .map((group, index) => ({ group, omitted: group.violations.length - (taken[index] ?? 0) }))
    .filter((item) => item.omitted > 0);
  const total = left.reduce((sum, item) => sum + item.omitted, 0);
  if (total === 0) return "";
  const named = left.slice(0, 10).map(({ group, omitted }) => `${omitted} of ${policyName(group, severalPacks, codeSpan)}`);
  if (left.length > named.length) named.push(`${left.length - named.length} more policies`);
  return `_${plural(total, "more violation")} not shown here to stay within GitHub's size limit (${named.join(", ")})${hint ? `; ${hint}` : ""}._`;
}

/** The longest omitted note for these groups (every violation left out). */
function omittedReserve(groups: readonly PolicyGroup[], hint: string | undefined, severalPacks: boolean): number {
  return omittedNote(groups, [], hint, severalPacks).length + 2;
}

// ---------------------------------------------------------------------------------------------
// Collapsed notes: checks that could not run during preview, and warnings.

function unknownsSection(unknowns: readonly Violation[], budget: number): string {
  if (unknowns.length === 0) return "";
  const byPolicy = new Map<string, Violation[]>();
  for (const violation of sortViolations(unknowns)) {
    const list = byPolicy.get(violation.policy) ?? [];
    list.push(violation);
    byPolicy.set(violation.policy, list);
  }
  const open = `<details><summary>ℹ️ ${plural(unknowns.length, "policy check")} could not run during preview: ${plural(byPolicy.size, "policy", "policies")} read values known only once the update runs</summary>`;
  const items = [...byPolicy.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([policy, list]) => {
      const urns = [...new Set(list.map((violation) => violation.urn))];
      const names = urns.slice(0, UNKNOWN_NAMES).map(resourceName);
      if (urns.length > names.length) names.push(`and ${urns.length - names.length} more`);
      const properties = [...new Set(list.flatMap((violation) => /value at (\S+) can't be known/.exec(violation.message)?.[1] ?? []))];
      const unknown =
        properties.length > 0
          ? ` (unknown: ${properties
              .slice(0, 5)
              .map((property) => codeSpan(property, 200))
              .join(", ")})`
          : "";
      return `- ${codeSpan(policy, NAME_LIMIT)} on ${names.join(", ")}${unknown}`;
    });
  const frame = (lines: readonly string[]): string => [open, "", ...lines, "", "</details>"].join("\n");
  const lines: string[] = [];
  for (const [index, item] of items.entries()) {
    const rest = `- ${plural(items.length - index, "more policy", "more policies")} not shown`;
    if (frame([...lines, item, rest]).length > budget) {
      lines.push(rest);
      break;
    }
    lines.push(item);
  }
  const text = frame(lines);
  return text.length <= budget ? text : "";
}

/**
 * The notes (warnings) in a collapsed section of at most `budget` characters: notes are dropped
 * whole, with a line saying how many, so the section always closes and never crowds out rows.
 */
function notesSection(warnings: readonly string[], budget: number): string {
  if (warnings.length === 0) return "";
  const frame = (items: readonly string[]): string => ["<details><summary>Notes</summary>", "", ...items, "", "</details>"].join("\n");
  const omission = (count: number): string => `- ${plural(count, "more note")} not shown`;
  const items: string[] = [];
  let length = frame([]).length;
  for (const [index, warning] of warnings.entries()) {
    const item = `- ${escapeMarkdown(warning, NOTE_LIMIT)}`;
    const last = index === warnings.length - 1;
    if (length + item.length + 1 + (last ? 0 : omission(warnings.length).length + 1) > budget) break;
    items.push(item);
    length += item.length + 1;
  }
  if (items.length < warnings.length) items.push(omission(warnings.length - items.length));
  return frame(items);
}

// ---------------------------------------------------------------------------------------------

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const unknowns = report.violations.filter(isUnknownDuringPreview);
  // A violation without a location of its own is at its resource's, when the engine knows that.
  const locations = new Map(
    report.resources.flatMap((resource) => (resource.location ? [[resource.urn, resource.location] as const] : [])),
  );
  const findings = report.violations
    .filter((violation) => !isUnknownDuringPreview(violation))
    .map((violation) => {
      // Messages may name the runner's paths: they read relative to the repository.
      const location = violation.location ?? locations.get(violation.urn);
      const message = relativeToWorkspace(violation.message, options.workspace);
      return { ...violation, message, ...(location ? { location } : {}) };
    });
  const groups = groupByPolicy(findings);
  const severalPacks = new Set(groups.map((group) => group.policyPack)).size > 1;

  const target = `${escapeMarkdown(report.project || "unknown project", NAME_LIMIT)} / ${escapeMarkdown(report.stack || "unknown stack", NAME_LIMIT)}`;
  const summaryLines = [
    report.verdict === "error" ? errorLine(report) : countsLine(report, groups, unknowns),
    destructiveLine(options.plan),
    planLine(options.plan),
  ].filter((line): line is string => line !== undefined);
  const head = [`### ${VERDICT_HEADLINE[report.verdict]}: ${target}`, summaryLines.join(BREAK)].join("\n\n");
  const error = report.verdict === "error" || report.error ? errorBlock(report, options, Math.floor(maxLength / 4)) : "";

  // One line per policy, dropped whole past a quarter of the room.
  const policyLines: string[] = [];
  let policyLength = 0;
  for (const [index, group] of groups.entries()) {
    const line = policyLine(group, severalPacks);
    const rest = `- … ${plural(groups.length - index, "more policy", "more policies")}`;
    if (policyLength + line.length + rest.length + 2 > Math.floor(maxLength / 4)) {
      policyLines.push(rest);
      break;
    }
    policyLines.push(line);
    policyLength += line.length + 1;
  }

  const unknownText = unknownsSection(
    unknowns.map((violation) => ({ ...violation, message: relativeToWorkspace(violation.message, options.workspace) })),
    Math.floor(maxLength / 8),
  );
  const notesText = notesSection(
    report.warnings.map((warning) => relativeToWorkspace(warning, options.workspace)),
    Math.floor(maxLength / 4),
  );
  const fixed = [head, error, policyLines.join("\n"), unknownText, notesText].filter(Boolean);
  const fixedLength = fixed.join("\n\n").length + 2 * 4;

  const context: RowContext = {
    parents: new ComponentParents(report.resources),
    source: options.source,
  };
  const rows = groups.map((group) => group.violations.map((violation) => row(violation, group, context)));
  const budget = maxLength - fixedLength - omittedReserve(groups, options.fullReportHint, severalPacks) - 4;
  const taken = allocateRows(groups, rows, budget, severalPacks);
  const blocks = groups.flatMap((group, index) => {
    const count = taken[index] ?? 0;
    return count > 0 ? [groupBlock(group, rows[index]?.slice(0, count) ?? [], severalPacks)] : [];
  });
  const note = omittedNote(groups, taken, options.fullReportHint, severalPacks);

  const parts = [head, error, policyLines.join("\n"), ...blocks, note, unknownText, notesText].filter(Boolean);
  return fit(parts.join("\n\n"), maxLength);
}

/** A last guard for pathological inputs (a huge project name): cut at a line, with a note. */
function fit(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const note = "\n\n_Summary cut to stay within the size limit._";
  const cut = text.lastIndexOf("\n", maxLength - note.length);
  return `${text.slice(0, Math.max(0, cut))}${note}`.slice(0, maxLength);
}
