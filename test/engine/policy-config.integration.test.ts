// Policy configuration through the offline engine, end to end: the file the user writes (Pulumi's
// --policy-pack-config format) changes enforcement levels and bounds in the running pack, and a
// file the pack's schemas reject stops the check before any verdict.

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import {
  check,
  expectedForm,
  FIXTURES_DIR,
  gateErrorOf,
  ScratchPrograms,
  sortExpected,
  VIOLATION_FIXTURES_DIR,
  type ExpectedViolation,
} from "./offline/offline-check.js";

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
      'new aws.apigatewayv2.Stage("stage", {',
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
    const { report } = await check(path.join(FIXTURES_DIR, "apigw"), {
      policyConfig: { "apigateway-throttling-bounds": { minRateLimit: 20, minBurstLimit: 10 } },
    });
    expect(report).toMatchObject({ verdict: "fail", failureReason: "policy-violations", warnings: [] });
    expect(expectedForm(report)).toEqual([
      {
        policy: "apigateway-throttling-bounds",
        enforcementLevel: "mandatory",
        resource: "inference-stage",
        resourceType: "aws:apigatewayv2/stage:Stage",
        message:
          "defaultRouteSettings.throttlingBurstLimit must be a whole number from 10 to 5000 requests, but it is 5: set it to a value from 10 to 5000.",
      },
      {
        policy: "apigateway-throttling-bounds",
        enforcementLevel: "mandatory",
        resource: "inference-stage",
        resourceType: "aws:apigatewayv2/stage:Stage",
        message:
          "defaultRouteSettings.throttlingRateLimit must be from 20 to 10000 requests per second, but it is 10: set it to a value from 20 to 10000.",
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

  it("bounds up to the ceilings pass limits far above the defaults", async ({ expect }) => {
    const { report } = await check(throttledStage("ceilings", 900000, 400000), {
      policyConfig: { "apigateway-throttling-bounds": { maxRateLimit: 1000000, maxBurstLimit: 500000 } },
    });
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ verdict: "pass", warnings: [] });
  });
});

describe.concurrent("unknownValues", () => {
  const unknownMessage = (property: string): string =>
    `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;
  const STRICT = { unknownValues: "mandatory" };

  it('"mandatory" on each policy turns the preview advisories into violations on the resource, naming the property', async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, {
      policyConfig: {
        "alb-http-redirects-to-https": STRICT,
        "lb-tls-1-2-minimum": STRICT,
        "apigateway-domain-tls-1-2-minimum": STRICT,
        "target-group-health-check": STRICT,
        "apigateway-throttling-bounds": STRICT,
      },
    });
    const known = expectedViolations(UNKNOWN_DURING_PREVIEW).filter((violation) => violation.enforcementLevel === "mandatory");
    expect(expectedForm(report)).toEqual(
      sortExpected([
        ...known,
        {
          policy: "alb-http-redirects-to-https",
          enforcementLevel: "mandatory",
          resource: "api-secure",
          resourceType: "aws:lb/listener:Listener",
          message: unknownMessage("protocol"),
        },
        {
          policy: "lb-tls-1-2-minimum",
          enforcementLevel: "mandatory",
          resource: "api-secure",
          resourceType: "aws:lb/listener:Listener",
          message: unknownMessage("protocol"),
        },
      ]),
    );
    expect(report).toMatchObject({ verdict: "fail", failureReason: "policy-violations", warnings: [] });
  });

  it('"mandatory" on one policy leaves the other policies\' advisories as they are', async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, { policyConfig: { "lb-tls-1-2-minimum": STRICT } });
    expect(expectedForm(report)).toEqual(
      sortExpected([
        ...expectedViolations(UNKNOWN_DURING_PREVIEW).filter(
          (violation) => violation.policy !== "lb-tls-1-2-minimum" || violation.enforcementLevel === "mandatory",
        ),
        {
          policy: "lb-tls-1-2-minimum",
          enforcementLevel: "mandatory",
          resource: "api-secure",
          resourceType: "aws:lb/listener:Listener",
          message: unknownMessage("protocol"),
        },
      ]),
    );
  });

  it('"advisory", the default, keeps CrossGuard\'s advisory', async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, { policyConfig: { "lb-tls-1-2-minimum": { unknownValues: "advisory" } } });
    expect(expectedForm(report)).toEqual(expectedViolations(UNKNOWN_DURING_PREVIEW));
  });

  it("is the policy's violation: a policy lowered to advisory reports it as advisory", async ({ expect }) => {
    const { report } = await check(UNKNOWN_DURING_PREVIEW, {
      policyConfig: { "lb-tls-1-2-minimum": { enforcementLevel: "advisory", ...STRICT } },
    });
    expect(expectedForm(report).filter((violation) => violation.policy === "lb-tls-1-2-minimum")).toEqual(
      sortExpected([
        { ...expectedViolations(UNKNOWN_DURING_PREVIEW)[0]!, enforcementLevel: "advisory" },
        {
          policy: "lb-tls-1-2-minimum",
          enforcementLevel: "advisory",
          resource: "api-secure",
          resourceType: "aws:lb/listener:Listener",
          message: unknownMessage("protocol"),
        },
      ]),
    );
  });
});

describe.concurrent("a policy config the pack rejects", () => {
  /** The error a config stops the check with, as reason, subject and message. */
  const rejected = async (policyConfig: unknown): Promise<string> => {
    // A file that does not parse stops check() before it starts; the error is the same.
    const error = await gateErrorOf(Promise.resolve().then(() => check(path.join(FIXTURES_DIR, "apigw"), { policyConfig })));
    return `${error.reason} (${error.subject ?? "no subject"}) ${error.message}`;
  };

  it("a value of the wrong type is a config error naming the policy, the property, what it must be and what it is", async ({ expect }) => {
    expect(await rejected({ "apigateway-throttling-bounds": { maxRateLimit: "lots" } })).toBe(
      'config-error (policy-config) policy-config.json: policy "apigateway-throttling-bounds", property "maxRateLimit": must be a number; it is "lots"',
    );
  });

  it("a value outside the allowed ones names them", async ({ expect }) => {
    expect(await rejected({ "lb-tls-1-2-minimum": { minimumVersion: "1.4" } })).toBe(
      'config-error (policy-config) policy-config.json: policy "lb-tls-1-2-minimum", property "minimumVersion": must be one of "1.2", "1.3"; it is "1.4"',
    );
  });

  it("a misspelt property is a config error naming it and the nearest known one, instead of leaving the default in force", async ({
    expect,
  }) => {
    expect(await rejected({ "apigateway-throttling-bounds": { maxRateLimit: 15000, maxBurstLimt: 8000 } })).toBe(
      'config-error (policy-config) policy-config.json: policy "apigateway-throttling-bounds" has no property "maxBurstLimt"; did you mean "maxBurstLimit"? (known: maxBurstLimit, maxRateLimit, minBurstLimit, minRateLimit, unknownValues)',
    );
  });

  it("a minimum above its maximum is a config error, instead of failing every stage", async ({ expect }) => {
    expect(await rejected({ "apigateway-throttling-bounds": { minRateLimit: 5000, maxRateLimit: 100 } })).toBe(
      'config-error (policy-config) policy-config.json: policy "apigateway-throttling-bounds", property "minRateLimit": must not be above maxRateLimit (100); it is 5000',
    );
  });

  it.for([
    [{ maxRateLimit: 99999999 }, 'property "maxRateLimit": must be at most 1000000; it is 99999999'],
    [{ maxBurstLimit: 1.5 }, 'property "maxBurstLimit": must be a whole number; it is 1.5'],
  ] as const)("a bound AWS cannot mean, %j, is a config error", async ([bounds, problem], { expect }) => {
    expect(await rejected({ "apigateway-throttling-bounds": bounds })).toBe(
      `config-error (policy-config) policy-config.json: policy "apigateway-throttling-bounds", ${problem}`,
    );
  });

  it("unknownValues given to all, which Pulumi would drop, is a config error", async ({ expect }) => {
    expect(await rejected({ all: { unknownValues: "mandatory" } })).toBe(
      'config-error (policy-config) policy-config.json: "all" has the property "unknownValues"; expected only enforcementLevel, because Pulumi applies no other property of "all": set "unknownValues" on each policy instead',
    );
  });

  it("a policy the pack does not have is a config error naming it", async ({ expect }) => {
    expect(await rejected({ "alb-https-only": "mandatory" })).toContain(
      'config-error (policy-config) policy-config.json: "alb-https-only" is not a policy of pack "pulumi-policy-gate"',
    );
  });
});
