// The policy configuration file, in Pulumi's --policy-pack-config format, read and matched
// against a pack's policies as pure functions: no pack process, descriptions as the pack
// would give them.

import { describe, expect, it } from "vitest";
import { parsePolicyConfig, type PolicyConfigFile } from "../../src/engine/policy-config-file.js";
import { resolvePolicyConfig, type PolicyDescription } from "../../src/engine/policy-config.js";
import { GateError } from "../../src/gate/errors.js";

const SOURCE = "policy-config.json";
const PACK = "pulumi-policy-gate";

/** Like the real apigateway-throttling-bounds: numbers with defaults, ceilings and an order. */
const throttling: PolicyDescription = {
  name: "apigateway-throttling-bounds",
  description: "API Gateway stages must be throttled.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minRateLimit: { type: "number", minimum: 0, maximum: 1000000, "x-notAbove": "maxRateLimit", default: 1 },
      maxRateLimit: { type: "number", minimum: 0, maximum: 1000000, default: 10000 },
      maxBurstLimit: { type: "integer", minimum: 0, maximum: 500000, default: 5000 },
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
    const text = JSON.stringify({
      "apigateway-throttling-bounds": { enforcementLevel: "advisory", maxRateLimit: 500 },
      "lb-tls-1-2-minimum": { minimumVersion: "1.3" },
    });
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it("accepts an empty object", () => {
    expect(parse("{}")).toEqual({});
  });

  it.each([
    ["", "line 1, column 1: the file is empty"],
    ["   \n", "line 1, column 1: the file is empty"],
    ["{ all: mandatory }", "line 1, column 3: 'a' where a property name in double quotes is expected"],
    ['{"all": "mandatory",}', "line 1, column 21: '}' where a property name in double quotes is expected"],
    [
      '{\n  "all": "mandatory"\n  "lb-tls-1-2-minimum": "advisory"\n}',
      "line 3, column 3: '\"' where ',' or '}' is expected after a property value",
    ],
    ['{"all": mandatory}', "line 1, column 9: 'm' where a value is expected"],
    ['{"all" "mandatory"}', "line 1, column 8: '\"' where ':' is expected after the property name"],
    ['{"all": "mandatory"', "line 1, column 20: the end of the file where ',' or '}' is expected after a property value"],
    ['{"all": "mandatory}', "line 1, column 9: a string that is never closed"],
    ['{"lb-tls-1-2-minimum": {"allowedPolicies": ["a" "b"]}}', "line 1, column 49: '\"' where ',' or ']' is expected after a list item"],
    ['{"apigateway-throttling-bounds": {"maxRateLimit": 01}}', "line 1, column 51: an invalid number"],
    ['{"all": "mandatory"} x', "line 1, column 22: 'x' after the end of the JSON value"],
    ['\ufeff{"all": "mandatory"}', "line 1, column 1: the character U+FEFF where a value is expected"],
    ['{"all": "mand\tatory"}', "line 1, column 14: a line break or control character inside a string"],
    ['{"all": "\\x"}', "line 1, column 10: an invalid escape in a string"],
  ])("rejects %j as not JSON, giving the line and column and what was expected there", (text, where) => {
    const error = gateError(() => parse(text));
    expect(error.reason).toBe("config-error");
    expect(error.subject).toBe("policy-config");
    expect(error.message).toBe(`${SOURCE}: not valid JSON at ${where}; expected Pulumi's policy pack config format`);
  });

  it("counts columns from the start of the line where the fault is", () => {
    const text = ["{", '  "all": "mandatory",', '  "lb-tls-1-2-minimum": { "minimumVersion": "1.3", }', "}"].join("\n");
    expect(gateError(() => parse(text)).message).toBe(
      `${SOURCE}: not valid JSON at line 3, column 52: '}' where a property name in double quotes is expected; expected Pulumi's policy pack config format`,
    );
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
    [{ all: ["mandatory"] }, '"all" is ["mandatory"]'],
    [{ all: { enforcementLevel: "strict" } }, '"all".enforcementLevel is "strict"'],
    [{ "lb-tls-1-2-minimum": "Mandatory" }, '"lb-tls-1-2-minimum" is "Mandatory"'],
    [{ "lb-tls-1-2-minimum": { enforcementLevel: "block" } }, '"lb-tls-1-2-minimum".enforcementLevel is "block"'],
    [{ "lb-tls-1-2-minimum": { enforcementLevel: null } }, '"lb-tls-1-2-minimum".enforcementLevel is null'],
  ])("rejects a bad level in %j, quoting it and listing the levels", (config, quoted) => {
    const error = gateError(() => parse(JSON.stringify(config)));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(`${SOURCE}: ${quoted}; expected one of "advisory", "mandatory", "remediate", "disabled"`);
  });

  it("accepts all as an object with only a level, as Pulumi does", () => {
    expect(parse(JSON.stringify({ all: { enforcementLevel: "advisory" } }))).toEqual({ all: { enforcementLevel: "advisory" } });
  });

  it("rejects properties given to all, which Pulumi would drop, naming them and saying where they go", () => {
    const error = gateError(() => parse(JSON.stringify({ all: { enforcementLevel: "mandatory", unknownValues: "mandatory" } })));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(
      `${SOURCE}: "all" has the property "unknownValues"; expected only enforcementLevel, because Pulumi applies no other property of "all": set "unknownValues" on each policy instead`,
    );
  });

  it("names every property given to all", () => {
    expect(gateError(() => parse(JSON.stringify({ all: { unknownValues: "mandatory", maxRateLimit: 100 } }))).message).toBe(
      `${SOURCE}: "all" has the properties "unknownValues", "maxRateLimit"; expected only enforcementLevel, because Pulumi applies no other property of "all": set "unknownValues", "maxRateLimit" on each policy instead`,
    );
  });

  it.each([[true], [3], [null], [["mandatory"]]])("rejects a policy entry %j that is neither a level nor an object", (value) => {
    const error = gateError(() => parse(JSON.stringify({ "lb-tls-1-2-minimum": value })));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(
      `${SOURCE}: "lb-tls-1-2-minimum" is ${JSON.stringify(value)}; expected an enforcement level or an object of properties`,
    );
  });
});

describe("resolvePolicyConfig", () => {
  it("gives each policy its own default level and its schema defaults when the file is empty", () => {
    const { config, warnings } = resolve({});
    expect(warnings).toEqual([]);
    expect(Object.fromEntries(config)).toEqual({
      "apigateway-throttling-bounds": {
        enforcementLevel: "mandatory",
        properties: { minRateLimit: 1, maxRateLimit: 10000, maxBurstLimit: 5000 },
      },
      "lb-tls-1-2-minimum": { enforcementLevel: "mandatory", properties: { minimumVersion: "1.2", allowedPolicies: [] } },
      "target-group-health-check": { enforcementLevel: "advisory", properties: {} },
    });
  });

  it("takes a policy's own level over all, and all over the policy's default", () => {
    const { config } = resolve({
      all: "advisory",
      "lb-tls-1-2-minimum": "disabled",
      "apigateway-throttling-bounds": { enforcementLevel: "remediate" },
    });
    expect(config.get("lb-tls-1-2-minimum")?.enforcementLevel).toBe("disabled");
    expect(config.get("apigateway-throttling-bounds")?.enforcementLevel).toBe("remediate");
    expect(config.get("target-group-health-check")?.enforcementLevel).toBe("advisory");
    expect(resolve({ all: "mandatory" }).config.get("target-group-health-check")?.enforcementLevel).toBe("mandatory");
  });

  it("takes the level of all written as an object", () => {
    expect(resolve({ all: { enforcementLevel: "mandatory" } }).config.get("target-group-health-check")?.enforcementLevel).toBe("mandatory");
  });

  it("keeps the given properties, fills in the missing ones from the schema defaults, and leaves the level out of them", () => {
    const { config } = resolve({ "apigateway-throttling-bounds": { enforcementLevel: "advisory", maxRateLimit: 500 } });
    expect(config.get("apigateway-throttling-bounds")).toEqual({
      enforcementLevel: "advisory",
      properties: { minRateLimit: 1, maxRateLimit: 500, maxBurstLimit: 5000 },
    });
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

  describe("a value the schema does not allow: the allowed values and the value given", () => {
    it.each([
      [
        { "apigateway-throttling-bounds": { maxRateLimit: "500" } },
        "apigateway-throttling-bounds",
        "maxRateLimit",
        'must be a number; it is "500"',
      ],
      [
        { "apigateway-throttling-bounds": { maxBurstLimit: 2.5 } },
        "apigateway-throttling-bounds",
        "maxBurstLimit",
        "must be a whole number; it is 2.5",
      ],
      [
        { "apigateway-throttling-bounds": { minRateLimit: -1 } },
        "apigateway-throttling-bounds",
        "minRateLimit",
        "must be at least 0; it is -1",
      ],
      [
        { "apigateway-throttling-bounds": { maxRateLimit: 99999999 } },
        "apigateway-throttling-bounds",
        "maxRateLimit",
        "must be at most 1000000; it is 99999999",
      ],
      [
        { "apigateway-throttling-bounds": { maxBurstLimit: 500001 } },
        "apigateway-throttling-bounds",
        "maxBurstLimit",
        "must be at most 500000; it is 500001",
      ],
      [
        { "apigateway-throttling-bounds": { maxRateLimit: null } },
        "apigateway-throttling-bounds",
        "maxRateLimit",
        "must be a number; it is null",
      ],
      [
        { "lb-tls-1-2-minimum": { minimumVersion: "1.4" } },
        "lb-tls-1-2-minimum",
        "minimumVersion",
        'must be one of "1.2", "1.3"; it is "1.4"',
      ],
      [
        { "lb-tls-1-2-minimum": { minimumVersion: "1.1" } },
        "lb-tls-1-2-minimum",
        "minimumVersion",
        'must be one of "1.2", "1.3"; it is "1.1"',
      ],
      [{ "lb-tls-1-2-minimum": { minimumVersion: 1.3 } }, "lb-tls-1-2-minimum", "minimumVersion", "must be a string; it is 1.3"],
      [
        { "lb-tls-1-2-minimum": { allowedPolicies: "TLS_1_2" } },
        "lb-tls-1-2-minimum",
        "allowedPolicies",
        'must be a list; it is "TLS_1_2"',
      ],
      [
        { "lb-tls-1-2-minimum": { allowedPolicies: [""] } },
        "lb-tls-1-2-minimum",
        "allowedPolicies.0",
        'must have at least 1 character; it is ""',
      ],
    ])("rejects %j, naming the policy and the property", (config, policy, property, problem) => {
      const error = gateError(() => resolve(config));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(`${SOURCE}: policy "${policy}", property "${property}": ${problem}`);
    });

    it("accepts the ceilings themselves", () => {
      expect(
        resolve({ "apigateway-throttling-bounds": { minRateLimit: 1000000, maxRateLimit: 1000000, maxBurstLimit: 500000 } }).config.get(
          "apigateway-throttling-bounds",
        )?.properties,
      ).toEqual({
        minRateLimit: 1000000,
        maxRateLimit: 1000000,
        maxBurstLimit: 500000,
      });
    });

    it("accepts a fractional rate, which AWS takes (a double), and refuses a fractional burst, which it does not (an integer)", () => {
      expect(
        resolve({ "apigateway-throttling-bounds": { minRateLimit: 0.5, maxRateLimit: 1.5 } }).config.get("apigateway-throttling-bounds")
          ?.properties.maxRateLimit,
      ).toBe(1.5);
      expect(gateError(() => resolve({ "apigateway-throttling-bounds": { maxBurstLimit: 1.5 } })).message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds", property "maxBurstLimit": must be a whole number; it is 1.5`,
      );
    });

    it("names a required property that is missing", () => {
      const strict: PolicyDescription = { ...throttling, configSchema: { properties: { owner: { type: "string" } }, required: ["owner"] } };
      const error = gateError(() => resolve({}, [strict]));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(`${SOURCE}: policy "apigateway-throttling-bounds", property "owner": must be set; it is not set`);
    });

    it("reports every wrong property at once, one problem per property", () => {
      const error = gateError(() => resolve({ "apigateway-throttling-bounds": { minRateLimit: "1", maxRateLimit: "2" } }));
      expect(error.message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds", property "minRateLimit": must be a number; it is "1"; ${SOURCE}: policy "apigateway-throttling-bounds", property "maxRateLimit": must be a number; it is "2"`,
      );
    });
  });

  describe("bounds in the wrong order", () => {
    it("rejects a minimum above the maximum, naming both and their values", () => {
      const error = gateError(() => resolve({ "apigateway-throttling-bounds": { minRateLimit: 5000, maxRateLimit: 100 } }));
      expect(error.reason).toBe("config-error");
      expect(error.message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds", property "minRateLimit": must not be above maxRateLimit (100); it is 5000`,
      );
    });

    it("compares with the default when only one bound is given", () => {
      expect(gateError(() => resolve({ "apigateway-throttling-bounds": { maxRateLimit: 0.5 } })).message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds", property "minRateLimit": must not be above maxRateLimit (0.5); it is 1 (the default)`,
      );
      expect(gateError(() => resolve({ "apigateway-throttling-bounds": { minRateLimit: 20000 } })).message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds", property "minRateLimit": must not be above maxRateLimit (10000 (the default)); it is 20000`,
      );
    });

    it("accepts equal bounds", () => {
      expect(
        resolve({ "apigateway-throttling-bounds": { minRateLimit: 100, maxRateLimit: 100 } }).config.get("apigateway-throttling-bounds")
          ?.properties,
      ).toMatchObject({
        minRateLimit: 100,
        maxRateLimit: 100,
      });
    });
  });

  describe("a property the policy does not have", () => {
    it("is an error naming the property, the nearest known one and all known ones", () => {
      const error = gateError(() => resolve({ "apigateway-throttling-bounds": { maxRateLimt: 2500 } }));
      expect(error.reason).toBe("config-error");
      expect(error.subject).toBe("policy-config");
      expect(error.message).toBe(
        `${SOURCE}: policy "apigateway-throttling-bounds" has no property "maxRateLimt"; did you mean "maxRateLimit"? (known: maxBurstLimit, maxRateLimit, minRateLimit)`,
      );
    });

    it.each([
      ["minimumVersoin", "minimumVersion"],
      ["MinimumVersion", "minimumVersion"],
      ["allowedPolicy", "allowedPolicies"],
      ["allowed_policies", "allowedPolicies"],
    ])("suggests %s → %s", (misspelt, meant) => {
      expect(gateError(() => resolve({ "lb-tls-1-2-minimum": { [misspelt]: "1.3" } })).message).toBe(
        `${SOURCE}: policy "lb-tls-1-2-minimum" has no property "${misspelt}"; did you mean "${meant}"? (known: allowedPolicies, minimumVersion)`,
      );
    });

    it("suggests nothing when no known property is near", () => {
      expect(gateError(() => resolve({ "lb-tls-1-2-minimum": { path: "/healthz" } })).message).toBe(
        `${SOURCE}: policy "lb-tls-1-2-minimum" has no property "path" (known: allowedPolicies, minimumVersion)`,
      );
    });

    it("is reported beside the wrong values of the same policy", () => {
      expect(gateError(() => resolve({ "lb-tls-1-2-minimum": { minimumVersoin: "1.3", minimumVersion: "1.4" } })).message).toBe(
        `${SOURCE}: policy "lb-tls-1-2-minimum" has no property "minimumVersoin"; did you mean "minimumVersion"? (known: allowedPolicies, minimumVersion); ${SOURCE}: policy "lb-tls-1-2-minimum", property "minimumVersion": must be one of "1.2", "1.3"; it is "1.4"`,
      );
    });

    it("includes a property named like an object built-in", () => {
      const error = gateError(() => resolve(JSON.parse('{"lb-tls-1-2-minimum": {"constructor": 1, "toString": 2}}') as object));
      expect(error.message).toBe(
        `${SOURCE}: policy "lb-tls-1-2-minimum" has no property "constructor" (known: allowedPolicies, minimumVersion); ${SOURCE}: policy "lb-tls-1-2-minimum" has no property "toString" (known: allowedPolicies, minimumVersion)`,
      );
    });

    it("is a warning for a policy that declares no schema, which Pulumi hands its properties unchecked", () => {
      const { config, warnings } = resolve({ "target-group-health-check": { enforcementLevel: "mandatory", path: "/healthz" } });
      expect(warnings).toEqual([
        `${SOURCE}: policy "target-group-health-check" declares no configuration schema, so its property "path" is passed to it unchecked`,
      ]);
      expect(config.get("target-group-health-check")).toEqual({ enforcementLevel: "mandatory", properties: { path: "/healthz" } });
    });
  });
});
