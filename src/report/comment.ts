// The Markdown the action posts: the pull-request comment and the job summary, rendered once
// from the gate's outcome. A deploy's state first, then the summary (verdict, counts, what the
// plan destroys, the violations by policy; markdown.ts), then every resource change collapsed.
// The comment stays under GitHub's comment limit (leaving room for the hidden marker) and links
// to the job summary when it leaves things out.

import type { DeployState, GateOutcome, ResourceChange } from "../gate/outcome.js";
import { countText, opRank, renderMarkdown } from "./markdown.js";
import type { SourceLinks } from "./source-link.js";
import { escapeMarkdown } from "./untrusted-text.js";

/** Room left under GitHub's 65,536-character limit for the hidden marker and its separators. */
export const COMMENT_LENGTH = 65_536 - 512;
/** GitHub drops a job summary over 1 MiB; characters can take several bytes. */
export const JOB_SUMMARY_LENGTH = 250_000;

const DEPLOY_DETAILS = 50;

function deploySection(state: DeployState | undefined): string {
  if (!state) return "";
  const details = state.details.slice(0, DEPLOY_DETAILS).map((detail) => `- ${escapeMarkdown(detail, 500)}`);
  if (state.details.length > DEPLOY_DETAILS) details.push(`- … ${state.details.length - DEPLOY_DETAILS} more`);
  const list = details.length > 0 ? `\n\n${details.join("\n")}` : "";
  switch (state.phase) {
    case "pending":
      return `### 🚀 Deploy pending: checks passed\n\n${escapeMarkdown(state.message)}${list}`;
    case "blocked":
      return `### ⛔ Deploy blocked (${state.reason ?? "blocked"}): ${escapeMarkdown(state.message, 1_000)}${list}`;
    case "failed":
      return `### ❌ Deploy failed (${state.reason ?? "deploy-failed"}): ${escapeMarkdown(state.message, 2_000)}${list}`;
    case "deployed": {
      const changes = Object.entries(state.changeSummary ?? {})
        .filter(([op]) => op !== "same")
        .map(([op, count]) => `${countText(count)} ${escapeMarkdown(op, 100)}`)
        .join(", ");
      const outputs = Object.entries(state.outputs ?? {}).map(
        ([name, output]) =>
          `| ${escapeMarkdown(name, 200)} | ${output.secret ? "\\[secret\\]" : escapeMarkdown(JSON.stringify(output.value) ?? "", 500)} |`,
      );
      const table = outputs.length > 0 ? `\n\n| Stack output | Value |\n| --- | --- |\n${outputs.join("\n")}` : "";
      return `### ✅ Deployed: ${changes || "no changes"}${list}${table}`;
    }
  }
}

function changeLine(change: ResourceChange): string {
  const properties = change.changedProperties.length > 0 ? ` (${escapeMarkdown(change.changedProperties.join(", "), 300)})` : "";
  return `- ${escapeMarkdown(change.op)}: ${escapeMarkdown(change.name, 200)} · ${escapeMarkdown(change.type, 200)}${properties}`;
}

/** The collapsed list of every resource change, cut (whole lines) to `budget` characters. */
function detailsSection(outcome: GateOutcome, budget: number, hint: string): string {
  const changes = [...outcome.changes]
    .filter((change) => change.op !== "same")
    .sort((a, b) => opRank(a.op) - opRank(b.op) || a.urn.localeCompare(b.urn));
  if (changes.length === 0) return "";
  const open = `<details><summary>Resource changes (${changes.length})</summary>\n`;
  const close = "\n</details>";
  const lines: string[] = [];
  let length = open.length + close.length + 120;
  for (const change of changes) {
    const line = changeLine(change);
    if (length + line.length + 1 > budget) break;
    lines.push(line);
    length += line.length + 1;
  }
  if (lines.length === 0 && budget < open.length + close.length + 120) return "";
  const omitted = changes.length - lines.length;
  if (omitted > 0) lines.push(`- … ${omitted} more not shown here; ${hint}.`);
  return `${open}\n${lines.join("\n")}${close}`;
}

/** Where the comment is rendered: what links and paths need. */
export interface CommentContext {
  /** The repository and the commit under review: locations link to their line there. */
  readonly source?: SourceLinks;
  /** The runner's workspace (GITHUB_WORKSPACE), taken off the paths in messages. */
  readonly workspace?: string;
}

/** The run's page, when it is a URL a Markdown link can hold as it is. */
function linkableRunUrl(outcome: GateOutcome): string | undefined {
  const url = outcome.runUrl;
  return url && /^https?:\/\/[^\s()<>[\]]+$/.test(url) ? url : undefined;
}

function footer(outcome: GateOutcome): string {
  const url = linkableRunUrl(outcome);
  return url ? `<sub>pulumi-policy-gate · [workflow run](${url})</sub>` : "<sub>pulumi-policy-gate</sub>";
}

function render(outcome: GateOutcome, maxLength: number, hint: string, context: CommentContext): string {
  const head = deploySection(outcome.deploy);
  const end = footer(outcome);
  const fixed = head.length + end.length + 20;
  // The summary comes first and may use most of the room; the resource changes get the rest.
  const main = renderMarkdown(outcome.report, {
    maxLength: Math.max(1_000, maxLength - fixed - 2_000),
    fullReportHint: hint,
    plan: { changeSummary: outcome.changeSummary, changes: outcome.changes },
    diagnostics: outcome.diagnostics,
    ...(context.source ? { source: context.source } : {}),
    ...(context.workspace ? { workspace: context.workspace } : {}),
  });
  const used = main.length + fixed;
  const details = detailsSection(outcome, maxLength - used - 8, hint);
  const text = [head, main, details, end].filter(Boolean).join("\n\n");
  return text.length <= maxLength ? text : [head, main, end].filter(Boolean).join("\n\n").slice(0, maxLength);
}

export function renderComment(outcome: GateOutcome, maxLength = COMMENT_LENGTH, context: CommentContext = {}): string {
  const url = linkableRunUrl(outcome);
  return render(outcome, maxLength, url ? `see the [job summary](${url})` : "see the job summary of the workflow run", context);
}

export function renderJobSummary(outcome: GateOutcome, maxLength = JOB_SUMMARY_LENGTH, context: CommentContext = {}): string {
  return render(outcome, maxLength, "see the JSON report (output `report`)", context);
}
