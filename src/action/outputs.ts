// The action's outputs, named in one map beside the inputs' (action.yml declares the same
// names; a test keeps them in step), computed from the run's one result.

import { failureReasonOf } from "../gate/decisions.js";
import { hasChanges } from "../gate/outcome.js";
import { countViolations } from "../gate/report.js";
import type { RunResult } from "./run-result.js";

export const OUTPUT = {
  verdict: "verdict",
  failureReason: "failure-reason",
  mandatoryViolations: "mandatory-violations",
  advisoryViolations: "advisory-violations",
  hasChanges: "has-changes",
  changeSummary: "change-summary",
  commentUrl: "comment-url",
  report: "report",
  summary: "summary",
  sarif: "sarif",
  deployed: "deployed",
} as const;

export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

/** Where the run's files were written; undefined when they could not be. */
export interface ReportFiles {
  readonly report: string;
  readonly summary: string;
  /** The SARIF log: only for a run with a verdict (see sarif-log.ts). */
  readonly sarif?: string | undefined;
}

export function outputsOf(result: RunResult, files: ReportFiles | undefined): Record<OutputName, string> {
  const { report, changeSummary, deploy } = result.outcome;
  const { mandatory, advisory } = countViolations(report.violations);
  return {
    [OUTPUT.verdict]: report.verdict,
    [OUTPUT.failureReason]: failureReasonOf(result.outcome),
    [OUTPUT.mandatoryViolations]: String(mandatory),
    [OUTPUT.advisoryViolations]: String(advisory),
    [OUTPUT.hasChanges]: String(hasChanges(changeSummary) ?? "unknown"),
    [OUTPUT.changeSummary]: JSON.stringify(changeSummary ?? {}),
    [OUTPUT.commentUrl]: result.commentUrl ?? "",
    [OUTPUT.report]: files?.report ?? "",
    [OUTPUT.summary]: files?.summary ?? "",
    [OUTPUT.sarif]: files?.sarif ?? "",
    [OUTPUT.deployed]: String(deploy?.phase === "deployed"),
  };
}
