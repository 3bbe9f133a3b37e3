// Policy configuration through the offline engine, end to end: the file the user writes (Pulumi's
// --policy-pack-config format) changes enforcement levels and bounds in the running pack, and a
// file the pack's schemas reject stops the check before any verdict.

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import { check, expectedForm, FIXTURES_DIR, gateErrorOf, ScratchPrograms, VIOLATION_FIXTURES_DIR, type ExpectedViolation } from "./offline-check.js";

const LB_TLS = path.join(VIOLATION_FIXTURES_DIR, "lb-tls-1-2-minimum");
const UNKNOWN_DURING_PREVIEW = path.join(VIOLATION_FIXTURES_DIR, "unknown-during-preview");

function expectedViolations(fixtureDir: string): ExpectedViolation[] {
  return JSON.parse(readFileSync(path.join(fixtureDir, "expected-violations.json"), "utf8")) as ExpectedViolation[];
}

const scratch = new ScratchPrograms();
afterAll(() => scratch.remove());

/** An HTTP API stage with the given limits, alone in its program. */
function throttledStage(name: string, rate: number, burst: number): string {
  return scratch.program(
    name,
    [
      'import * as aws from "@pulumi/aws";',
      "",
      'const api = new aws.apigatewayv2.Api("api", { protocolType: "HTTP" });',
      "new aws.apigatewayv2.Stage(\"stage\", {",
      "  apiId: api.id,",
      '  name: "prod",',
      `  defaultRouteSettings: { throttlingRateLimit: ${rate}, throttlingBurstLimit: ${burst} },`,
      "});",
      "",
    ].join("\n"),
  );
}

describe.concurrent("enforcement levels", () => {
  it("advisory lowers a policy: its violations are reported as advisory and the check passes", async ({ expect }) => {
    const { report } = await check(LB_TLS, { policyConfig: { "lb-tls-1-2-minimum": "advisory" } });
    expect(expectedForm(report)).toEqual(expectedViolations(LB_TLS).map((violation) => ({ ...violation, enforcementLevel: "advisory" })));
    expect(report).toMatchObject({ verdict: "pass", failureReason: "none" });
  });

  it("disabled silences a policy", async ({ expect }) => {
    const { report } = await check(LB_TLS, { policyConfig: { "lb-tls-1-2-minimum": { enforcementLevel: "disabled" } } });
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ verdict: "pass", failureReason: "none" });
  });

  it("all sets every policy's level, and a policy's own entry overrides it", async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, { policyConfig: { all: "advisory", "target-group-health-check": "mandatory" } });
    expect(expectedForm(report)).toEqual(
      expectedViolations(UNKNOWN_DURING_PREVIEW).map((violation) => ({
        ...violation,
        enforcementLevel: violation.policy === "target-group-health-check" ? "mandatory" : "advisory",
      })),
    );
    expect(report).toMatchObject({ verdict: "fail", failureReason: "policy-violations" });
  });

  it("all: disabled runs no policy, so not even the preview advisories remain", async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, { policyConfig: { all: "disabled" } });
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ verdict: "pass", failureReason: "none" });
  });
});

describe.concurrent("apigateway-throttling-bounds bounds", () => {
  it("raised minimums fail a stage that passes by default", async ({ expect }) => {
    const { report } = await check(path.join(FIXTURES_DIR, "apigw"), { policyConfig: { "apigateway-throttling-bounds": { minRateLimit: 20, minBurstLimit: 10 } } });
    expect(report).toMatchObject({ verdict: "fail", failureReason: "policy-violations", warnings: [] });
    expect(expectedForm(report)).toEqual([
      {
        policy: "apigateway-throttling-bounds",
        enforcementLevel: "mandatory",
        resource: "inference-stage",
        resourceType: "aws:apigatewayv2/stage:Stage",
        message: "defaultRouteSettings.throttlingBurstLimit must be a whole number from 10 to 5000 requests, but it is 5: set it to a value from 10 to 5000.",
      },
      {
        policy: "apigateway-throttling-bounds",
        enforcementLevel: "mandatory",
        resource: "inference-stage",
        resourceType: "aws:apigatewayv2/stage:Stage",
        message: "defaultRouteSettings.throttlingRateLimit must be from 20 to 10000 requests per second, but it is 10: set it to a value from 20 to 10000.",
      },
    ]);
  });

  it("raised maximums pass limits above the defaults", async ({ expect }) => {
    const { report } = await check(throttledStage("raised-maximums", 12000, 6000), {
      policyConfig: { "apigateway-throttling-bounds": { maxRateLimit: 15000, maxBurstLimit: 8000 } },
    });
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ verdict: "pass", warnings: [] });
  });

  it("a misspelt maximum leaves the default in force and is named in a warning", async ({ expect }) => {
    const { report } = await check(throttledStage("misspelt-maximum", 12000, 6000), {
      policyConfig: { "apigateway-throttling-bounds": { maxRateLimit: 15000, maxBurstLimt: 8000 } },
    });
    expect(report.violations.map((violation) => violation.message)).toEqual([
      "defaultRouteSettings.throttlingBurstLimit must be a whole number from 1 to 5000 requests, but it is 6000: set it to a value from 1 to 5000.",
    ]);
    expect(report.verdict).toBe("fail");
    expect(report.warnings).toEqual([expect.stringContaining('policy "apigateway-throttling-bounds" has no property "maxBurstLimt"')]);
  });
});

describe.concurrent("a policy config the pack rejects", () => {
  it("a value of the wrong type is a config error naming the policy and the property", async ({ expect }) => {
    const error = await gateErrorOf(check(path.join(FIXTURES_DIR, "apigw"), { policyConfig: { "apigateway-throttling-bounds": { maxRateLimit: "lots" } } }));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe('--policy-config policy-config.json: policy "apigateway-throttling-bounds", property "maxRateLimit": must be number');
  });

  it("a policy the pack does not have is a config error naming it", async ({ expect }) => {
    const error = await gateErrorOf(check(path.join(FIXTURES_DIR, "apigw"), { policyConfig: { "alb-https-only": "mandatory" } }));
    expect(error.reason).toBe("config-error");
    expect(error.message).toContain('--policy-config policy-config.json: "alb-https-only" is not a policy of pack "pulumi-policy-gate"');
  });
});
