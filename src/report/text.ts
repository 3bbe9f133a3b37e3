// The readable summary the command line prints: verdict, counts, then each violation.

import { plural } from "./markdown.js";
import { countViolations, sortViolations, type Report } from "../gate/report.js";
import { nameFromUrn } from "../gate/urn.js";
import { plainLine } from "./untrusted-text.js";

const VERDICT_WORD: Record<Report["verdict"], string> = { pass: "PASS", fail: "FAIL", error: "ERROR" };

export function renderText(report: Report): string {
  const { mandatory, advisory } = countViolations(report.violations);
  const packs = report.policyPacks.map((pack) => `${pack.name}@${pack.version}`).join(", ");
  const lines = [
    `policy-gate: ${VERDICT_WORD[report.verdict]}  ${plainLine(report.project || "?")}/${plainLine(report.stack || "?")}  (engine ${report.engine}, ${plural(report.resources.length, "resource")}${packs ? `, ${plainLine(packs)}` : ""})`,
    `  ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")}`,
  ];
  const unchecked = report.uncheckedComponents?.length ?? 0;
  if (unchecked > 0) lines.push(`  WARNING: ${plural(unchecked, "component")} not checked inside (see the notes)`);
  // The message may quote the program's own output: its lines are kept, its escape sequences are not.
  if (report.error)
    lines.push(
      `  error (${report.error.reason}): ${report.error.message
        .split(/\r\n?|\n/)
        .map(plainLine)
        .join("\n    ")}`,
    );
  for (const violation of sortViolations(report.violations)) {
    lines.push(
      "",
      `  [${violation.enforcementLevel}${violation.severity ? `, ${violation.severity}` : ""}] ${plainLine(violation.policy)}  ${plainLine(nameFromUrn(violation.urn))} (${plainLine(violation.resourceType)})`,
      `      ${plainLine(violation.message)}`,
    );
  }
  for (const warning of report.warnings) lines.push(`  note: ${plainLine(warning)}`);
  return lines.join("\n");
}
