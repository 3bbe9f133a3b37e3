// The command line's outputs (stdout, stderr, --json, --markdown) carry no secret of the
// environment, even when the error it reports quotes one.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const SECRET = "pulumi-token-9d2f71c0aa";

describe("policy-gate", () => {
  it("masks the environment's secrets in what it prints and writes", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "cli-secrets-"));
    const json = path.join(directory, "report.json");
    const markdown = path.join(directory, "summary.md");
    const printed: string[] = [];
    const io = { stdout: (text: string) => printed.push(text), stderr: (text: string) => printed.push(text) };
    const code = await main([`${SECRET}\n${SECRET.toUpperCase()}`, "--json", json, "--markdown", markdown], io, {
      PULUMI_ACCESS_TOKEN: SECRET,
    });
    expect(code).toBe(2);
    const report = readFileSync(json, "utf8");
    expect(JSON.parse(report)).toMatchObject({ verdict: "error" });
    for (const text of [printed.join("\n"), report, readFileSync(markdown, "utf8")]) {
      expect(text).toMatch(/\\?\[secret\\?\]/);
      expect(text.toLowerCase()).not.toContain("9d2f71c0");
    }
  });
});
