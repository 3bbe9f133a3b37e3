// Where the program declares each resource, for engine `pulumi`: the CLI's engine events carry no
// source positions, so when a preview has violations to place, the program is run once more the
// offline engine's way, registration only (no policy pack, stand-in lookups, its own process
// under the same rules), time-boxed, and each violation gets the position the SDK recorded for
// its URN. When that run fails, the report says so and the violations stay without a location.

import type { Report, SourceLocation } from "../../gate/report.js";
import { sourceLocation } from "../offline/offline-engine.js";
import { readableRoot } from "../offline/program-permissions.js";
import { loadProgram } from "../offline/project.js";
import { runProgram } from "../offline/run-program.js";

const DEFAULT_TIMEOUT_MS = 60_000;

/** The stack's own name, as URNs carry it: "org/project/dev" → "dev". */
function bareStack(stack: string): string {
  return stack.slice(stack.lastIndexOf("/") + 1);
}

export async function withDeclarationSites(
  report: Report,
  workDir: string,
  stack: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Report> {
  if (report.violations.length === 0) return report;
  const sites = new Map<string, SourceLocation>();
  try {
    const program = loadProgram(workDir, bareStack(stack));
    const { outcome } = await runProgram(program, bareStack(stack), { timeoutMs });
    const root = readableRoot(program.directory);
    for (const resource of outcome.resources) {
      const site = sourceLocation(resource, root);
      if (site) sites.set(resource.urn, site);
    }
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    return {
      ...report,
      warnings: [
        ...report.warnings,
        `violations carry no file and line: the registration-only run of the program that finds them failed: ${why}`,
      ],
    };
  }
  const located = <T extends { readonly urn: string }>(item: T): T => {
    const site = sites.get(item.urn);
    return site ? { ...item, location: site } : item;
  };
  return { ...report, violations: report.violations.map(located), resources: report.resources.map(located) };
}
