// The action's SARIF log (output `sarif`), beside the JSON report: for a report with a verdict
// only, since an empty log uploaded after an error would close every open code-scanning alert.
// Paths in it are relative to the workspace, the repository's checkout.

import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gateVersion } from "../engine/bundled-pack.js";
import type { Report } from "../gate/report.js";
import { buildSarif, bundledRulePolicies, programFile } from "../report/sarif.js";
import type { Config } from "./inputs.js";
import type { RunContext } from "./run-context.js";

/** Writes `report.sarif` in `directory`; returns its path, or undefined when the run has no verdict. */
export function writeSarifLog(report: Report, config: Config | undefined, context: RunContext, directory: string): string | undefined {
  const file = path.join(directory, "report.sarif");
  if (report.verdict === "error" || config === undefined) {
    // An earlier run's log in the same place (one job, one key) is not this run's.
    rmSync(file, { force: true });
    return undefined;
  }
  const log = buildSarif(report, {
    policies: bundledRulePolicies(),
    fallbackFile: programFile(context.workspace, path.resolve(context.workspace, config.workDir)),
    toolVersion: gateVersion(),
  });
  // The report is masked field by field before it gets here: masking the JSON text could break it.
  writeFileSync(file, `${JSON.stringify(log, null, 2)}\n`);
  return file;
}
