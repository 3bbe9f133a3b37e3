// The README's tables of the action's inputs and outputs, rendered from action.yml, so that the
// two cannot drift apart: `npx tsx scripts/action-docs.ts` (`npm run docs`) rewrites them in
// README.md, with the table of policies (scripts/policy-docs.ts), and a test fails when README.md
// differs from what this renders.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { loadBundledPack, renderPoliciesTable } from "./policy-docs.js";

interface ActionManifest {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

function cell(text: string): string {
  return text
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

export function renderInputsTable(actionYaml: string): string {
  const manifest = parse(actionYaml) as ActionManifest;
  const rows = Object.entries(manifest.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${cell(input.description ?? "")} | ${input.default === undefined ? "" : `\`${cell(String(input.default))}\``} |`,
  );
  return ["| input | description | default |", "| --- | --- | --- |", ...rows].join("\n");
}

export function renderOutputsTable(actionYaml: string): string {
  const manifest = parse(actionYaml) as ActionManifest;
  const rows = Object.entries(manifest.outputs ?? {}).map(([name, output]) => `| \`${name}\` | ${cell(output.description ?? "")} |`);
  return ["| output | description |", "| --- | --- |", ...rows].join("\n");
}

/** README.md with the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced. */
export function replaceSection(readme: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}

export function renderReadme(readme: string, actionYaml: string): string {
  return replaceSection(replaceSection(readme, "inputs", renderInputsTable(actionYaml)), "outputs", renderOutputsTable(actionYaml));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const readmePath = path.join(root, "README.md");
  const readme = renderReadme(readFileSync(readmePath, "utf8"), readFileSync(path.join(root, "action.yml"), "utf8"));
  writeFileSync(readmePath, replaceSection(readme, "policies", renderPoliciesTable(await loadBundledPack(root))));
}
