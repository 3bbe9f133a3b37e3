// The offline engine on real Pulumi programs: the example fixtures, and every program under
// fixtures/violations against the violations its expected-violations.json declares (a new
// directory there is tested without touching this file). A fixture with a KNOWN-BUG.md declares
// what the gate should report and does not yet: its comparisons are expected to fail until the
// bug is fixed, and then fail loudly so that the file is removed.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { OfflineCheckResult } from "../../../src/engine/offline/offline-engine.js";
import { sortViolations, type Violation } from "../../../src/gate/report.js";
import {
  check,
  concurrencyLimit,
  expectedForm,
  FIXTURES_DIR,
  REPO_ROOT,
  sortExpected,
  VIOLATION_FIXTURES_DIR,
  type ExpectedViolation,
} from "./offline-check.js";

const PACK = "pulumi-policy-gate";
const EXAMPLES = ["alb", "apigw", "apigw-as-designed"].map((name) => path.join(FIXTURES_DIR, name));
const VIOLATION_FIXTURES = readdirSync(VIOLATION_FIXTURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// One run per fixture, shared by its tests; two at a time (each is a program and a pack process).
const runs = new Map<string, Promise<OfflineCheckResult>>();
const limited = concurrencyLimit(2);

function resultOf(programDir: string): Promise<OfflineCheckResult> {
  let run = runs.get(programDir);
  if (!run) {
    run = limited(() => check(programDir));
    // Each test awaits the run itself; this only keeps an early failure from going unhandled.
    run.catch(() => undefined);
    runs.set(programDir, run);
  }
  return run;
}

beforeAll(() => {
  for (const programDir of [...EXAMPLES, ...VIOLATION_FIXTURES.map((name) => path.join(VIOLATION_FIXTURES_DIR, name))])
    void resultOf(programDir);
});

/** The default provider's name, as the engine names it for the installed @pulumi/aws. */
function defaultAwsProviderName(): string {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/aws/package.json"), "utf8")) as {
    version: string;
  };
  return `default_${version.replace(/[.+-]/g, "_")}`;
}

describe("fixtures/alb", () => {
  const programDir = path.join(FIXTURES_DIR, "alb");

  it("passes without any violation", async () => {
    const { report } = await resultOf(programDir);
    expect(report).toMatchObject({ verdict: "pass", failureReason: "none", engine: "offline", project: "alb", stack: "dev" });
    expect(report.violations).toEqual([]);
    expect(report.policyPacks).toEqual([{ name: PACK, version: "0.1.0" }]);
  });

  it("records the root stack, the default AWS provider and every resource under its URN", async () => {
    const { report } = await resultOf(programDir);
    const urn = (type: string, name: string): string => `urn:pulumi:dev::alb::${type}::${name}`;
    expect(report.resources.map((resource) => resource.urn).sort()).toEqual(
      [
        urn("pulumi:pulumi:Stack", "alb-dev"),
        urn("pulumi:providers:aws", defaultAwsProviderName()),
        urn("aws:ec2/securityGroup:SecurityGroup", "alb-sg"),
        urn("aws:lb/loadBalancer:LoadBalancer", "inference-alb"),
        urn("aws:lb/targetGroup:TargetGroup", "inference-tg"),
        urn("aws:lb/listener:Listener", "http"),
        urn("aws:lb/listener:Listener", "https"),
        urn("aws:lb/listenerRule:ListenerRule", "api"),
      ].sort(),
    );
    for (const resource of report.resources) expect(resource.urn).toBe(urn(resource.type, resource.name));
  });

  it("warns that its lookups were answered with stand-in values", async () => {
    const { report } = await resultOf(programDir);
    expect(report.warnings).toHaveLength(1);
    for (const token of ["aws:ec2/getVpc:getVpc", "aws:ec2/getSubnets:getSubnets", "aws:acm/getCertificate:getCertificate"]) {
      expect(report.warnings[0]).toContain(token);
    }
  });
});

describe("fixtures/apigw", () => {
  it("passes without any violation or warning", async () => {
    const { report } = await resultOf(path.join(FIXTURES_DIR, "apigw"));
    expect(report).toMatchObject({ verdict: "pass", failureReason: "none", project: "apigw", violations: [], warnings: [] });
    expect(report.resources.map((resource) => resource.type)).toEqual(
      expect.arrayContaining(["pulumi:pulumi:Stack", "pulumi:providers:aws", "aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage"]),
    );
  });
});

describe("fixtures/apigw-as-designed", () => {
  it("fails with the two violations of its misplaced throttling", async () => {
    const { report } = await resultOf(path.join(FIXTURES_DIR, "apigw-as-designed"));
    expect(report).toMatchObject({ verdict: "fail", failureReason: "policy-violations" });
    const stage = "urn:pulumi:dev::apigw-as-designed::aws:apigatewayv2/stage:Stage::inference-stage";
    const violation = (message: string): Violation => ({
      policy: "apigateway-throttling-bounds",
      policyPack: PACK,
      enforcementLevel: "mandatory",
      urn: stage,
      resourceType: "aws:apigatewayv2/stage:Stage",
      message,
      location: { file: "fixtures/apigw-as-designed/index.ts", line: 19, column: 15 },
    });
    expect(sortViolations(report.violations)).toEqual(
      sortViolations([
        violation(
          "defaultRouteSettings must set throttlingRateLimit and throttlingBurstLimit, but it is not set, so only the account quota limits this stage: add defaultRouteSettings with throttlingRateLimit from 1 to 10000 and throttlingBurstLimit from 1 to 5000.",
        ),
        violation(
          'routeSettings must be a list of settings, one per routeKey, but it is an object with the keys "defaultRouteSettings": put stage-wide limits in defaultRouteSettings and per-route limits in routeSettings entries with a routeKey.',
        ),
      ]),
    );
  });
});

function readExpected(fixtureDir: string): ExpectedViolation[] {
  return JSON.parse(readFileSync(path.join(fixtureDir, "expected-violations.json"), "utf8")) as ExpectedViolation[];
}

describe.each(VIOLATION_FIXTURES)("fixtures/violations/%s", (name) => {
  const fixtureDir = path.join(VIOLATION_FIXTURES_DIR, name);
  const expected = readExpected(fixtureDir);
  const knownBug = existsSync(path.join(fixtureDir, "KNOWN-BUG.md"));
  const itUnlessKnownBug = knownBug ? it.fails : it;

  it("declares its expected violations well-formed and in order", () => {
    expect(existsSync(path.join(fixtureDir, "Pulumi.yaml"))).toBe(true);
    expect(expected.length).toBeGreaterThan(0);
    for (const violation of expected) {
      expect(Object.keys(violation).sort()).toEqual(["enforcementLevel", "message", "policy", "resource", "resourceType"]);
      expect(["mandatory", "advisory"]).toContain(violation.enforcementLevel);
    }
    expect(expected).toEqual(sortExpected(expected));
  });

  itUnlessKnownBug("reports exactly the violations of expected-violations.json", async () => {
    const { report } = await resultOf(fixtureDir);
    expect(expectedForm(report)).toEqual(expected);
  });

  itUnlessKnownBug("fails when a violation is mandatory, and passes otherwise", async () => {
    const { report } = await resultOf(fixtureDir);
    const mandatory = expected.some((violation) => violation.enforcementLevel === "mandatory");
    expect(report).toMatchObject(
      mandatory ? { verdict: "fail", failureReason: "policy-violations" } : { verdict: "pass", failureReason: "none" },
    );
  });

  it("reports each violation on a resource it recorded, with that resource's type, from the bundled pack", async () => {
    const { report } = await resultOf(fixtureDir);
    const types = new Map(report.resources.map((resource) => [resource.urn, resource.type]));
    for (const violation of report.violations) {
      expect(types.get(violation.urn), violation.urn).toBe(violation.resourceType);
      expect(violation.policyPack).toBe(PACK);
    }
  });

  it("has resources that pass beside those that violate", async () => {
    const { report } = await resultOf(fixtureDir);
    const violating = new Set(report.violations.map((violation) => violation.urn));
    const checked = report.resources.filter((resource) => resource.type.startsWith("aws:"));
    expect(checked.filter((resource) => !violating.has(resource.urn)).length).toBeGreaterThan(0);
  });
});

describe("fixtures/violations/component-parents", () => {
  it("names resources inside nested components by URNs that carry the parent type chain", async () => {
    const { report } = await resultOf(path.join(VIOLATION_FIXTURES_DIR, "component-parents"));
    const prefix = "urn:pulumi:dev::component-parents::";
    expect(report.resources.map((resource) => resource.urn)).toEqual(
      expect.arrayContaining([
        `${prefix}acme:index:Platform::inference`,
        `${prefix}acme:index:Platform$acme:index:Edge::inference-edge`,
        `${prefix}acme:index:Platform$acme:index:Edge$aws:lb/loadBalancer:LoadBalancer::inference-edge-alb`,
        `${prefix}acme:index:Platform$acme:index:Edge$aws:lb/listener:Listener::inference-edge-http`,
      ]),
    );
    expect(report.violations.map((violation) => [violation.urn, violation.resourceType])).toEqual([
      [`${prefix}acme:index:Platform$acme:index:Edge$aws:lb/listener:Listener::inference-edge-https`, "aws:lb/listener:Listener"],
    ]);
  });
});
