// What every policy of the bundled pack comes with, so that a new policy cannot arrive without
// it: a unit test named after it under test/policies, a violating fixture under
// fixtures/violations whose expected violations name it, and its row in the README's table.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBundledPack } from "../scripts/policy-docs.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pack = await loadBundledPack(root);
const names = pack.policies.map((policy) => policy.name);

/** The files below `directory`, by path relative to it. */
function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

const policyTests = filesUnder(path.join(root, "test", "policies"));

const violationsDir = path.join(root, "fixtures", "violations");
/** Per violating fixture, the policies its expected-violations.json names. */
const fixturePolicies = new Map(
  readdirSync(violationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(violationsDir, entry.name, "expected-violations.json")))
    .map((entry) => {
      const expected = JSON.parse(readFileSync(path.join(violationsDir, entry.name, "expected-violations.json"), "utf8")) as {
        policy: string;
      }[];
      return [entry.name, new Set(expected.map((violation) => violation.policy))] as const;
    }),
);

/** The policy names in the first column of the README's generated policy table. */
function readmeTableRows(): string[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("<!-- policies:start -->");
  const end = readme.indexOf("<!-- policies:end -->");
  if (start < 0 || end < start) return [];
  return [...readme.slice(start, end).matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? "");
}

const readmeRows = readmeTableRows();

describe("the bundled pack", () => {
  it("has policies, each named once", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(names)("policy %s", (name) => {
  it(`has its unit tests in test/policies/…/${name}.test.ts`, () => {
    expect(policyTests.map((file) => path.basename(file))).toContain(`${name}.test.ts`);
  });

  it("has a fixture under fixtures/violations whose expected violations name it", () => {
    const fixtures = [...fixturePolicies].filter(([, policies]) => policies.has(name)).map(([fixture]) => fixture);
    expect(fixtures, `no fixtures/violations/*/expected-violations.json names ${name}`).not.toEqual([]);
  });

  it("has its row in the README's policy table", () => {
    expect(readmeRows).toContain(name);
  });
});
