// The Markdown the action posts: the pull-request comment and the job summary, rendered once
// from the gate's outcome. Verdict and counts first, then the violations, then the change
// summary, then every resource change collapsed. The comment stays under GitHub's comment limit
// (leaving room for the hidden marker) and points to the job summary when it leaves things out.

import type { DeployState, GateOutcome, ResourceChange } from "../gate/outcome.js";
import { renderMarkdown } from "./markdown.js";
import { escapeMarkdown, fencedBlock } from "./untrusted-text.js";

/** Room left under GitHub's 65,536-character limit for the hidden marker and its separators. */
export const COMMENT_LENGTH = 65_536 - 512;
/** GitHub drops a job summary over 1 MiB; characters can take several bytes. */
export const JOB_SUMMARY_LENGTH = 250_000;

const DIAGNOSTIC_LINES = 40;
const DIAGNOSTIC_CHARACTERS = 6_000;
const OP_ORDER = ["create", "update", "replace", "create-replacement", "delete-replaced", "delete", "import", "read", "refresh", "same"];

function opRank(op: string): number {
  const index = OP_ORDER.indexOf(op);
  return index < 0 ? OP_ORDER.length : index;
}

/** A count from the engine: a non-negative integer as digits, anything else as escaped text. */
function countText(count: unknown): string {
  return typeof count === "number" && Number.isSafeInteger(count) && count >= 0 ? String(count) : escapeMarkdown(String(count), 200);
}

function changeSummarySection(outcome: GateOutcome): string {
  if (!outcome.changeSummary) {
    return "#### Changes\n\nThe offline engine has no stack state, so it cannot say what would change.";
  }
  const entries = Object.entries(outcome.changeSummary).sort(([a], [b]) => opRank(a) - opRank(b));
  if (entries.every(([op, count]) => op === "same" || count === 0)) return "#### Changes\n\nNo changes.";
  return [
    "#### Changes",
    "",
    "| Operation | Resources |",
    "| --- | --- |",
    ...entries.map(([op, count]) => `| ${escapeMarkdown(op, 100)} | ${countText(count)} |`),
  ].join("\n");
}

function diagnosticsSection(outcome: GateOutcome): string {
  if (outcome.report.verdict !== "error" || outcome.diagnostics.length === 0) return "";
  const lines = outcome.diagnostics.join("\n").split("\n").slice(-DIAGNOSTIC_LINES).join("\n");
  return ["#### Last diagnostics", "", fencedBlock(lines.slice(-DIAGNOSTIC_CHARACTERS))].join("\n");
}

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

function footer(outcome: GateOutcome): string {
  return outcome.runUrl ? `<sub>pulumi-policy-gate · [workflow run](${outcome.runUrl})</sub>` : "<sub>pulumi-policy-gate</sub>";
}

function render(outcome: GateOutcome, maxLength: number, hint: string): string {
  const head = deploySection(outcome.deploy);
  const tail = [changeSummarySection(outcome), diagnosticsSection(outcome)].filter(Boolean);
  const end = footer(outcome);
  const fixed = head.length + tail.join("\n\n").length + end.length + 20;
  // The verdict and the violations come first and may use most of the room; the details get the rest.
  const main = renderMarkdown(outcome.report, { maxLength: Math.max(1_000, maxLength - fixed - 2_000), fullReportHint: hint });
  const used = main.length + fixed;
  const details = detailsSection(outcome, maxLength - used - 8, hint);
  const text = [head, main, ...tail, details, end].filter(Boolean).join("\n\n");
  return text.length <= maxLength ? text : [head, main, end].filter(Boolean).join("\n\n").slice(0, maxLength);
}

export function renderComment(outcome: GateOutcome, maxLength = COMMENT_LENGTH): string {
  return render(outcome, maxLength, "see the job summary of the workflow run");
}

export function renderJobSummary(outcome: GateOutcome, maxLength = JOB_SUMMARY_LENGTH): string {
  return render(outcome, maxLength, "see the JSON report (output `report`)");
}
