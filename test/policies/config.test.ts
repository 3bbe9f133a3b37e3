// What every policy's configuration shares (policies/config.ts): the pack-wide unknownValues
// property on every schema, and the refusal of what a schema cannot mean, which the policies
// apply themselves because the Pulumi CLI lets it through.

import { describe, expect, it } from "vitest";
import { checkedConfig, nearestName, packConfigSchema, PolicyConfigurationError, unknownValuesSetting } from "../../policies/config.js";
import { apiGatewayDomainTls12Minimum } from "../../policies/apigateway/apigateway-domain-tls-1-2-minimum.js";
import { apiGatewayThrottlingBounds } from "../../policies/apigateway/apigateway-throttling-bounds.js";
import { albHttpRedirectsToHttps } from "../../policies/lb/alb-http-redirects-to-https.js";
import { lbTls12Minimum } from "../../policies/lb/lb-tls-1-2-minimum.js";
import { targetGroupHealthCheck } from "../../policies/lb/target-group-health-check.js";

// policies/index.ts would serve the pack on import; the policies are taken one by one.
const policies = [
  albHttpRedirectsToHttps,
  lbTls12Minimum,
  apiGatewayDomainTls12Minimum,
  targetGroupHealthCheck,
  apiGatewayThrottlingBounds,
];

const SCHEMA = packConfigSchema({
  minLimit: { type: "number", minimum: 0, "x-notAbove": "maxLimit", default: 1 },
  maxLimit: { type: "number", minimum: 0, default: 100 },
});

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but nothing was thrown");
}

describe("every policy of the pack", () => {
  it.each(policies.map((policy) => [policy.name, policy] as const))(
    "%s takes unknownValues, advisory by default, and nothing undeclared",
    (_name, policy) => {
      expect(policy.configSchema?.properties.unknownValues).toMatchObject({
        type: "string",
        enum: ["advisory", "mandatory"],
        default: "advisory",
      });
      expect(policy.configSchema).toMatchObject({ additionalProperties: false });
    },
  );
});

describe("unknownValuesSetting", () => {
  it.each([
    [{}, "advisory"],
    [{ unknownValues: "advisory" }, "advisory"],
    [{ unknownValues: "mandatory" }, "mandatory"],
  ])("reads %j as %s", (config, setting) => {
    expect(unknownValuesSetting(config)).toBe(setting);
  });
});

describe("checkedConfig", () => {
  it("returns the configuration when every property is known and the bounds are in order", () => {
    const config = { minLimit: 5, maxLimit: 5, unknownValues: "mandatory" };
    expect(checkedConfig("example", SCHEMA, config)).toBe(config);
  });

  it("accepts an empty configuration (the schema defaults apply)", () => {
    expect(checkedConfig("example", SCHEMA, {})).toEqual({});
  });

  it("refuses a misspelt property, naming the policy, the property and the nearest known one", () => {
    expect(thrown(() => checkedConfig("example", SCHEMA, { maxLimt: 50 }))).toEqual(
      new PolicyConfigurationError(
        'policy "example" has no property "maxLimt"; did you mean "maxLimit"? (known: maxLimit, minLimit, unknownValues)',
      ),
    );
  });

  it("refuses a property with no known one near it, naming the known ones", () => {
    expect(thrown(() => checkedConfig("example", SCHEMA, { path: "/" }))).toEqual(
      new PolicyConfigurationError('policy "example" has no property "path" (known: maxLimit, minLimit, unknownValues)'),
    );
  });

  it("refuses a minimum above its maximum", () => {
    expect(thrown(() => checkedConfig("example", SCHEMA, { minLimit: 500, maxLimit: 100 }))).toEqual(
      new PolicyConfigurationError('policy "example", property "minLimit": must not be above maxLimit (100); it is 500'),
    );
  });

  it("compares with the schema default of a bound that is not given", () => {
    expect(thrown(() => checkedConfig("example", SCHEMA, { maxLimit: 0.5 }))).toEqual(
      new PolicyConfigurationError('policy "example", property "minLimit": must not be above maxLimit (0.5); it is 1 (the default)'),
    );
  });

  it("names every problem at once", () => {
    expect(thrown(() => checkedConfig("example", SCHEMA, { minLimt: 1, minLimit: 500, maxLimit: 100 }))).toEqual(
      new PolicyConfigurationError(
        'policy "example" has no property "minLimt"; did you mean "minLimit"? (known: maxLimit, minLimit, unknownValues); policy "example", property "minLimit": must not be above maxLimit (100); it is 500',
      ),
    );
  });
});

describe("nearestName", () => {
  it.each([
    ["maxRateLimt", "maxRateLimit"],
    ["maxratelimit", "maxRateLimit"],
    ["minRateLimit", "minRateLimit"],
    ["maxBurst", undefined],
    ["unknownValue", "unknownValues"],
  ])("takes %s for %s", (name, meant) => {
    expect(nearestName(name, ["minRateLimit", "maxRateLimit", "minBurstLimit", "maxBurstLimit", "unknownValues"])).toBe(meant);
  });
});
