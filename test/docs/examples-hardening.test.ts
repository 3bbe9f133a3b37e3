// The example workflows (shown verbatim in the README) follow GitHub's hardening guide: actions
// pinned by commit, no credentials left in .git, no install scripts, least privilege per job,
// secrets only in jobs that a protected environment guards, no expressions inside scripts.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../src/engine/bundled-pack.js";

const directory = path.join(packageRoot(), "examples");
const examples = readdirSync(directory).filter((name) => name.endsWith(".yml"));

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly environment?: unknown;
  readonly permissions?: Record<string, string>;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly permissions?: unknown;
  readonly jobs: Record<string, Job>;
}

describe.each(examples)("examples/%s", (name) => {
  const text = readFileSync(path.join(directory, name), "utf8");
  const workflow = parse(text) as Workflow;
  const jobs = Object.entries(workflow.jobs);
  const steps = jobs.flatMap(([, job]) => job.steps ?? []);

  it("pins every other action by its full commit SHA, with the version in a comment", () => {
    for (const line of text.split("\n").filter((item) => /^\s*(- )?uses:/.test(item))) {
      if (line.includes("pulumi-policy-gate/pulumi-policy-gate@")) continue;
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  it("checks out without persisting credentials and installs without running scripts", () => {
    for (const step of steps.filter((item) => item.uses?.startsWith("actions/checkout@")))
      expect(step.with?.["persist-credentials"]).toBe(false);
    for (const step of steps.filter((item) => item.run?.includes("npm ci"))) expect(step.run).toContain("--ignore-scripts");
    for (const step of steps.filter((item) => item.run !== undefined)) expect(step.run).not.toContain("${{");
  });

  it("grants nothing at the top and only what each job uses", () => {
    expect(workflow.permissions).toEqual({});
    for (const [, job] of jobs) {
      expect(job.permissions).toBeDefined();
      const gate = (job.steps ?? []).filter((step) => step.uses?.startsWith("pulumi-policy-gate/"));
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        if (scope === "contents") expect(level).toBe("read");
        else if (scope === "id-token") expect(steps.some((step) => step.uses?.startsWith("aws-actions/"))).toBe(true);
        else expect(gate.length, `${scope} without the gate`).toBeGreaterThan(0);
      }
    }
  });

  it("gives secrets only to jobs that a protected environment guards, deploys only behind one", () => {
    for (const [id, job] of jobs) {
      const usesSecrets = JSON.stringify(job.steps ?? []).includes("secrets.");
      const deploys = (job.steps ?? []).some((step) => step.with?.command === "up");
      if (usesSecrets) expect(job.environment, `job ${id}`).toBeDefined();
      if (deploys) expect(job.environment, `job ${id}`).toBe("production");
    }
  });
});
