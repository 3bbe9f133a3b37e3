// Nothing secret and nothing live reaches what the action publishes: a secret planted in the
// environment and echoed back by a policy, an error and a warning, in several forms, is found in
// none of the log, the annotations, the report files, the job summary and the outputs; and no
// logged line can be read by the runner as a workflow command.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { publish } from "../../src/action/publish.js";
import type { RunContext } from "../../src/action/run-context.js";
import { createMasker, secretsOfEnvironment } from "../../src/gate/masking.js";
import type { GateOutcome } from "../../src/gate/outcome.js";

const SECRET = "AKIAsecretvalue-7731xq";
const FORMS = [SECRET, SECRET.toUpperCase(), `${SECRET.slice(0, 10)}\n${SECRET.slice(10)}`, SECRET.slice(2, 14)];

function outcome(): GateOutcome {
  return {
    report: {
      verdict: "error",
      failureReason: "preview-failed",
      engine: "pulumi",
      project: "inference",
      stack: "prod",
      policyPacks: [],
      resources: [],
      violations: FORMS.map((form, index) => ({
        policy: "lb-tls-1-2-minimum",
        policyPack: "pulumi-policy-gate",
        enforcementLevel: "mandatory" as const,
        urn: `urn:pulumi:prod::inference::aws:lb/listener:Listener::web-${index}`,
        resourceType: "aws:lb/listener:Listener",
        message: `sslPolicy must not be "${form}"\n::stop-commands::endtoken\n  ::error::forged ##[error]forged`,
      })),
      warnings: [`the key was ${SECRET.toUpperCase()}`],
      error: { reason: "preview-failed", message: `the CLI said: ${SECRET}\n   ::warning::forged` },
    },
    changeSummary: { create: 1 },
    changes: [],
    diagnostics: [`line with ${SECRET.slice(4)}`],
    runUrl: undefined,
  };
}

describe("publish", () => {
  const saved = { ...process.env };
  let directory = "";
  let logged = "";

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), "published-secrets-"));
    for (const file of ["summary.md", "output.txt"]) writeFileSync(path.join(directory, file), "");
    process.env.GITHUB_STEP_SUMMARY = path.join(directory, "summary.md");
    process.env.GITHUB_OUTPUT = path.join(directory, "output.txt");
    logged = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      logged += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it("masks the environment's secrets in every form, everywhere, and logs no workflow command", async () => {
    const masker = createMasker(secretsOfEnvironment({ AWS_SECRET_ACCESS_KEY: SECRET }));
    const context = { tempDir: directory } as RunContext;
    await publish({ outcome: outcome(), fingerprint: undefined, commentUrl: undefined }, undefined, context, undefined, masker);

    const reportFile = path.join(directory, "pulumi-policy-gate", "inference_prod", "report.json");
    const written = {
      log: logged,
      summary: readFileSync(path.join(directory, "summary.md"), "utf8"),
      outputs: readFileSync(path.join(directory, "output.txt"), "utf8"),
      report: readFileSync(reportFile, "utf8"),
      summaryFile: readFileSync(path.join(path.dirname(reportFile), "summary.md"), "utf8"),
    };
    for (const [where, text] of Object.entries(written)) {
      const flat = text.toLowerCase().replace(/[\s\\]/g, "");
      for (const piece of ["secretva", "alue-773", "7731xq", "akiasecr"]) expect(flat, `${where}: ${piece}`).not.toContain(piece);
    }
    expect(written.report).toContain("[secret]");
    expect(written.log).toContain("[secret]");
    // The only workflow commands are the action's own annotations (in whose data "::" is text).
    const commands = logged.split("\n").filter((line) => /^\s*::/.test(line) || line.includes("##["));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(/^::(error|warning) title=/);
    expect(logged).not.toContain("##[");
    expect(logged).toMatch(/\n\| +::warning::forged/);
  });
});
