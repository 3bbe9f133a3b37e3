// The documentation is checked against what it documents: action.yml against the inputs the
// action reads and the outputs it sets, the README's tables against action.yml and the bundled
// policies, every example workflow against GitHub's own workflow parser and the action's inputs,
// and the repository's own workflows against the same parser.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderReadme, replaceSection } from "../../scripts/action-docs.js";
import { loadBundledPack, renderPoliciesTable } from "../../scripts/policy-docs.js";
import { INPUT } from "../../src/action/inputs.js";
import { OUTPUT } from "../../src/action/outputs.js";
import { packageRoot } from "../../src/engine/bundled-pack.js";

const root = packageRoot();
const read = (file: string): string => readFileSync(path.join(root, file), "utf8");
const actionYaml = read("action.yml");
const action = parse(actionYaml) as {
  runs: { using: string; main: string };
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const readme = read("README.md");
const examples = readdirSync(path.join(root, "examples")).filter((name) => name.endsWith(".yml"));
const workflows = readdirSync(path.join(root, ".github", "workflows")).filter((name) => /\.ya?ml$/.test(name));

function parserErrors(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}

describe("action.yml", () => {
  it("runs dist/index.js on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(() => read("dist/index.js")).not.toThrow();
  });

  it("declares exactly the inputs the action reads", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUT).sort());
  });

  it("declares exactly the outputs the action sets", () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUT).sort());
  });
});

describe("README.md", () => {
  it("has the inputs and outputs tables of action.yml (npx tsx scripts/action-docs.ts rewrites them)", () => {
    expect(readme).toBe(renderReadme(readme, actionYaml));
  });

  it("has the table of the bundled policies (npm run docs rewrites it)", async () => {
    expect(readme).toBe(replaceSection(readme, "policies", renderPoliciesTable(await loadBundledPack(root))));
  });

  it.each(examples)("shows examples/%s exactly", (name) => {
    expect(readme).toContain(`\`examples/${name}\``);
    expect(readme).toContain("```yaml\n" + read(`examples/${name}`) + "```");
  });
});

describe.each(examples)("examples/%s", (name) => {
  const content = read(`examples/${name}`);

  it("is a valid workflow for GitHub's workflow parser", () => {
    expect(parserErrors(name, content)).toEqual([]);
  });

  it("gives the action only inputs that it has", () => {
    const workflow = parse(content) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
    const ours = steps.filter((step) => step.uses?.startsWith("pulumi-policy-gate/pulumi-policy-gate@"));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
  });
});

describe.each(workflows)(".github/workflows/%s", (name) => {
  const content = read(`.github/workflows/${name}`);

  it("is a valid workflow for GitHub's workflow parser", () => {
    expect(parserErrors(name, content)).toEqual([]);
  });

  it("gives the action (uses: ./) only inputs that it has", () => {
    const workflow = parse(content) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    const ours = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).filter((step) => step.uses === "./"));
    for (const step of ours) for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
  });
});
