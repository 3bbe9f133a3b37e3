// The policy configuration file, in Pulumi's --policy-pack-config format, read and matched
// against a pack's policies as pure functions: no pack process, descriptions as the pack
// would give them.

import { describe, expect, it } from "vitest";
import { parsePolicyConfig, resolvePolicyConfig, type PolicyConfigFile, type PolicyDescription } from "../../src/engine/policy-config.js";
import { GateError } from "../../src/gate/errors.js";

const SOURCE = "policy-config.json";
const PACK = "pulumi-policy-gate";

/** Like the real apigateway-throttling-bounds: numbers with defaults. */
const throttling: PolicyDescription = {
  name: "apigateway-throttling-bounds",
  description: "API Gateway stages must be throttled.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minRateLimit: { type: "number", minimum: 0, default: 1 },
      maxRateLimit: { type: "number", minimum: 0, default: 10000 },
      maxBurstLimit: { type: "integer", minimum: 0, default: 5000 },
    },
    required: [],
  },
};

/** Like the real lb-tls-1-2-minimum: an enum and a list. */
const tlsMinimum: PolicyDescription = {
  name: "lb-tls-1-2-minimum",
  description: "Listeners must use TLS 1.2 or newer.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumVersion: { type: "string", enum: ["1.2", "1.3"], default: "1.2" },
      allowedPolicies: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
    },
    required: [],
  },
};

const healthCheck: PolicyDescription = {
  name: "target-group-health-check",
  description: "Target groups must check health.",
  enforcementLevel: "advisory",
  configSchema: undefined,
};

const POLICIES = [throttling, tlsMinimum, healthCheck];

function parse(text: string): PolicyConfigFile {
  return parsePolicyConfig(text, SOURCE);
}

function resolve(config: object, policies: readonly PolicyDescription[] = POLICIES, others: ReadonlySet<string> = new Set()) {
  return resolvePolicyConfig(parse(JSON.stringify(config)), SOURCE, PACK, policies, others);
}

/** The GateError a call throws (failing the test when it throws something else or nothing). */
function gateError(call: () => unknown): GateError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    return error as GateError;
  }
  throw new Error("expected a GateError, but nothing was thrown");
}

describe("parsePolicyConfig", () => {
  it("accepts every enforcement level, for a policy and for all", () => {
    for (const level of ["advisory", "mandatory", "remediate", "disabled"]) {
      expect(parse(JSON.stringify({ all: level, "lb-tls-1-2-minimum": level }))).toEqual({ all: level, "lb-tls-1-2-minimum": level });
    }
  });

  it("accepts the object form with a level and properties, and without a level", () => {
    const text = JSON.stringify({ "apigateway-throttling-bounds": { enforcementLevel: "advisory", maxRateLimit: 500 }, "lb-tls-1-2-minimum": { minimumVersion: "1.3" } });
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it("accepts an empty object", () => {
    expect(parse("{}")).toEqual({});
  });

  it.each([
    ["", /not valid JSON/],
    ["{ all: mandatory }", /not valid JSON/],
    ['{"all": "mandatory",}', /not valid JSON/],
  ])("rejects %j as not JSON, naming the file and the expected format", (text, pattern) => {
    const error = gateError(() => parse(text));
    expect(error.reason).toBe("config-error");
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain(`${SOURCE}`);
    expect(error.message).toContain("expected Pulumi's policy pack config format");
  });

  it.each([
    ["[]", "the file holds a list"],
    ["null", "the file holds null"],
    ["42", "the file holds 42"],
    ['"mandatory"', 'the file holds "mandatory"'],
  ])("rejects %s, which is not an object of policy names", (text, holds) => {
    const error = gateError(() => parse(text));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: ${holds}; expected an object of policy names`);
  });

  it.each([
    [{ all: "strict" }, '"all" is "strict"'],
    [{ all: { enforcementLevel: "mandatory" } }, '"all" is {"enforcementLevel":"mandatory"}'],
    [{ "lb-tls-1-2-minimum": "Mandatory" }, '"lb-tls-1-2-minimum" is "Mandatory"'],
    [{ "lb-tls-1-2-minimum": { enforcementLevel: "block" } }, '"lb-tls-1-2-minimum".enforcementLevel is "block"'],
    [{ "lb-tls-1-2-minimum": { enforcementLevel: null } }, '"lb-tls-1-2-minimum".enforcementLevel is null'],
  ])("rejects a bad level in %j, quoting it and listing the levels", (config, quoted) => {
    const error = gateError(() => parse(JSON.stringify(config)));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: ${quoted}; expected one of "advisory", "mandatory", "remediate", "disabled"`);
  });

  it.each([[true], [3], [null], [["mandatory"]]])("rejects a policy entry %j that is neither a level nor an object", (value) => {
    const error = gateError(() => parse(JSON.stringify({ "lb-tls-1-2-minimum": value })));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: "lb-tls-1-2-minimum" is ${JSON.stringify(value)}; expected an enforcement level or an object of properties`);
  });
});

describe("resolvePolicyConfig", () => {
  it("gives each policy its own default level and its schema defaults when the file is empty", () => {
    const { config, warnings } = resolve({});
    expect(warnings).toEqual([]);
    expect(Object.fromEntries(config)).toEqual({
      "apigateway-throttling-bounds": { enforcementLevel: "mandatory", properties: { minRateLimit: 1, maxRateLimit: 10000, maxBurstLimit: 5000 } },
      "lb-tls-1-2-minimum": { enforcementLevel: "mandatory", properties: { minimumVersion: "1.2", allowedPolicies: [] } },
      "target-group-health-check": { enforcementLevel: "advisory", properties: {} },
    });
  });

  it("takes a policy's own level over all, and all over the policy's default", () => {
    const { config } = resolve({ all: "advisory", "lb-tls-1-2-minimum": "disabled", "apigateway-throttling-bounds": { enforcementLevel: "remediate" } });
    expect(config.get("lb-tls-1-2-minimum")?.enforcementLevel).toBe("disabled");
    expect(config.get("apigateway-throttling-bounds")?.enforcementLevel).toBe("remediate");
    expect(config.get("target-group-health-check")?.enforcementLevel).toBe("advisory");
    expect(resolve({ all: "mandatory" }).config.get("target-group-health-check")?.enforcementLevel).toBe("mandatory");
  });

  it("keeps the given properties, fills in the missing ones from the schema defaults, and leaves the level out of them", () => {
    const { config } = resolve({ "apigateway-throttling-bounds": { enforcementLevel: "advisory", maxRateLimit: 500 } });
    expect(config.get("apigateway-throttling-bounds")).toEqual({ enforcementLevel: "advisory", properties: { minRateLimit: 1, maxRateLimit: 500, maxBurstLimit: 5000 } });
  });

  it("does not change the parsed file when applying defaults", () => {
    const file = parse(JSON.stringify({ "lb-tls-1-2-minimum": { minimumVersion: "1.3" } }));
    const { config } = resolvePolicyConfig(file, SOURCE, PACK, POLICIES);
    expect(config.get("lb-tls-1-2-minimum")?.properties).toEqual({ minimumVersion: "1.3", allowedPolicies: [] });
    expect(file).toEqual({ "lb-tls-1-2-minimum": { minimumVersion: "1.3" } });
  });

  it("rejects an unknown policy name, naming it, the pack and the policies it has", () => {
    const error = gateError(() => resolve({ "lb-tls-minimum": "mandatory" }));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(
      `${SOURCE}: "lb-tls-minimum" is not a policy of pack "${PACK}"; expected one of "apigateway-throttling-bounds", "lb-tls-1-2-minimum", "target-group-health-check"`,
    );
  });

  it("accepts a policy of another pack that runs alongside", () => {
    const { config } = resolve({ "other-pack-policy": "advisory" }, POLICIES, new Set(["other-pack-policy"]));
    expect(config.has("other-pack-policy")).toBe(false);
  });

  it.each([
    [{ "apigateway-throttling-bounds": { maxRateLimit: "500" } }, "apigateway-throttling-bounds", "maxRateLimit", "must be number"],
    [{ "apigateway-throttling-bounds": { maxBurstLimit: 2.5 } }, "apigateway-throttling-bounds", "maxBurstLimit", "must be integer"],
    [{ "apigateway-throttling-bounds": { minRateLimit: -1 } }, "apigateway-throttling-bounds", "minRateLimit", "must be >= 0"],
    [{ "lb-tls-1-2-minimum": { minimumVersion: "1.1" } }, "lb-tls-1-2-minimum", "minimumVersion", "must be equal to one of the allowed values"],
    [{ "lb-tls-1-2-minimum": { allowedPolicies: [""] } }, "lb-tls-1-2-minimum", "allowedPolicies.0", "must NOT have fewer than 1 characters"],
  ])("rejects %j, naming the policy and the property", (config, policy, property, problem) => {
    const error = gateError(() => resolve(config));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: policy "${policy}", property "${property}": ${problem}`);
  });

  it("names a required property that is missing", () => {
    const strict: PolicyDescription = { ...throttling, configSchema: { properties: { owner: { type: "string" } }, required: ["owner"] } };
    const error = gateError(() => resolve({}, [strict]));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: policy "apigateway-throttling-bounds", property "owner": must have required property 'owner'`);
  });

  it("reports every wrong property at once", () => {
    const error = gateError(() => resolve({ "apigateway-throttling-bounds": { minRateLimit: "1", maxRateLimit: "2" } }));
    expect(error.message.split("; ")).toHaveLength(2);
    expect(error.message).toContain('property "minRateLimit"');
    expect(error.message).toContain('property "maxRateLimit"');
  });

  it("warns about an unknown property, naming the policy, the property and the known ones, and otherwise goes on", () => {
    const { config, warnings } = resolve({ "lb-tls-1-2-minimum": { minimumVersoin: "1.3" } });
    expect(warnings).toEqual([
      `${SOURCE}: policy "lb-tls-1-2-minimum" has no property "minimumVersoin"; it is ignored (known: minimumVersion, allowedPolicies)`,
    ]);
    expect(config.get("lb-tls-1-2-minimum")?.properties.minimumVersion).toBe("1.2");
  });

  it("warns about a property named like an object built-in", () => {
    const { warnings } = resolve(JSON.parse('{"lb-tls-1-2-minimum": {"constructor": 1, "toString": 2}}') as object);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('has no property "constructor"');
  });

  it("warns about a property given to a policy that takes none", () => {
    const { warnings } = resolve({ "target-group-health-check": { enforcementLevel: "mandatory", path: "/healthz" } });
    expect(warnings).toEqual([`${SOURCE}: policy "target-group-health-check" has no property "path"; it is ignored (known: none)`]);
  });
});
