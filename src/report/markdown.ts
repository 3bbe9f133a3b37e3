// The Markdown summary: the PR comment's body, the job summary and the --markdown file. The
// verdict and the counts come first, then the violations (mandatory first), each with its
// policy, resource and message. It never exceeds the length it is given: rows are dropped
// whole (never cut inside a table or a line) and a note says how many were left out. Untrusted
// text outside the rows (project, stack, error, notes) is clipped, so that none of it can push
// the verdict or the rows out.

import { escapeMarkdown } from "./untrusted-text.js";
import { countViolations, sortViolations, type Report, type Violation } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";

/** GitHub's limit for an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Hard upper bound on the length of the result. */
  readonly maxLength?: number;
  /** Where the full report can be read, named in the note when rows are left out. */
  readonly fullReportHint?: string;
}

const VERDICT_HEADLINE: Record<Report["verdict"], string> = {
  pass: "✅ Policy gate passed",
  fail: "❌ Policy gate failed",
  error: "⚠️ Policy gate could not evaluate",
};

/** "1 violation", "2 violations": the count and the noun, in the plural unless the count is 1. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Longest project or stack name the headline shows: a longer one must not push the verdict out. */
const NAME_LIMIT = 200;
/** Longest single note; the notes together get at most a quarter of the length. */
const NOTE_LIMIT = 1_000;
/** A message longer than this is shortened in its row, so that one row never crowds out the rest. */
const MESSAGE_LIMIT = 2_000;

function headline(report: Report, maxLength: number): string[] {
  const { mandatory, advisory } = countViolations(report.violations);
  const target = `${escapeMarkdown(report.project || "unknown project", NAME_LIMIT)} / ${escapeMarkdown(report.stack || "unknown stack", NAME_LIMIT)}`;
  const lines = [
    `### ${VERDICT_HEADLINE[report.verdict]}: ${target}`,
    "",
    `**${plural(mandatory, "mandatory violation")}**, ${plural(advisory, "advisory violation")}, ${plural(report.resources.length, "resource")} checked (engine \`${report.engine}\`).`,
  ];
  if (report.error) {
    lines.push("", `**Error (${report.error.reason}):** ${escapeMarkdown(report.error.message, Math.floor(maxLength / 4))}`);
  }
  return lines;
}

function row(violation: Violation): string {
  const level = violation.enforcementLevel === "mandatory" ? "🔴 mandatory" : "🟡 advisory";
  const severity = violation.severity ? ` (${violation.severity})` : "";
  return `| ${level}${severity} | ${escapeMarkdown(violation.policy, NAME_LIMIT)} | ${escapeMarkdown(nameFromUrn(violation.urn), NAME_LIMIT)} | ${escapeMarkdown(violation.resourceType, NAME_LIMIT)} | ${escapeMarkdown(violation.message, MESSAGE_LIMIT)} |`;
}

const TABLE_HEADER = ["| Level | Policy | Resource | Type | Message |", "| --- | --- | --- | --- | --- |"];

function omittedNote(omitted: number, hint: string | undefined): string {
  return `_${plural(omitted, "more violation")} not shown here to stay within GitHub's size limit${hint ? `; ${hint}` : ""}._`;
}

/**
 * The notes (warnings) in a collapsed section of at most `budget` characters: notes are dropped
 * whole, with a line saying how many, so the section always closes and never crowds out rows.
 */
function notesSection(warnings: readonly string[], budget: number): string {
  if (warnings.length === 0) return "";
  const frame = (items: readonly string[]): string => ["", "<details><summary>Notes</summary>", "", ...items, "", "</details>"].join("\n");
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

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const head = headline(report, maxLength).join("\n");
  const tailText = notesSection(report.warnings, Math.floor(maxLength / 4));
  const violations = sortViolations(report.violations);
  if (violations.length === 0) {
    return fit([head, tailText].filter(Boolean).join("\n"), maxLength);
  }

  // Rows are added while the whole, with the note that may be needed, still fits.
  const parts = [head, "", ...TABLE_HEADER];
  let length = parts.join("\n").length;
  const reserve = omittedNote(violations.length, options.fullReportHint).length + 2 + tailText.length + 1;
  let shown = 0;
  for (const violation of violations) {
    const line = row(violation);
    if (length + 1 + line.length + reserve > maxLength) break;
    parts.push(line);
    length += 1 + line.length;
    shown++;
  }
  if (shown < violations.length) parts.push("", omittedNote(violations.length - shown, options.fullReportHint));
  return fit([parts.join("\n"), tailText].filter(Boolean).join("\n"), maxLength);
}

/** A last guard for pathological inputs (a huge project name): cut at a line, with a note. */
function fit(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const note = "\n\n_Summary cut to stay within the size limit._";
  const cut = text.lastIndexOf("\n", maxLength - note.length);
  return `${text.slice(0, Math.max(0, cut))}${note}`.slice(0, maxLength);
}
