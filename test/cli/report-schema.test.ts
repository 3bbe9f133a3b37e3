// The JSON report's schema (report.schema.json, which the README points to) admits what the
// report model holds: a violation's and a resource's source location included, and nothing else.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/gate/report.js";

const schema = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const URN = "urn:pulumi:dev::alb::aws:lb/listener:Listener::http";

function report(location: unknown): Report {
  return {
    verdict: "fail",
    failureReason: "policy-violations",
    engine: "offline",
    project: "alb",
    stack: "dev",
    policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
    resources: [{ urn: URN, type: "aws:lb/listener:Listener", name: "http", location } as Report["resources"][number]],
    violations: [
      {
        policy: "alb-http-redirects-to-https",
        policyPack: "pulumi-policy-gate",
        enforcementLevel: "mandatory",
        urn: URN,
        resourceType: "aws:lb/listener:Listener",
        message: 'defaultActions[0].type must be "redirect", but it is "forward": redirect HTTP to HTTPS.',
        location,
      } as Report["violations"][number],
    ],
    warnings: [],
  };
}

describe("report.schema.json", () => {
  it("admits a violation's and a resource's location: file, line, and a column when known", () => {
    for (const location of [
      { file: "index.ts", line: 42 },
      { file: "infra/web.ts", line: 1, column: 5 },
    ]) {
      expect(validate(JSON.parse(JSON.stringify(report(location)))), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("refuses a location without a file or a line, with a line of 0, or with other properties", () => {
    for (const location of [
      { line: 3 },
      { file: "index.ts" },
      { file: "index.ts", line: 0 },
      { file: "index.ts", line: 2, absolute: "/x" },
    ]) {
      expect(validate(JSON.parse(JSON.stringify(report(location))))).toBe(false);
    }
  });
});
