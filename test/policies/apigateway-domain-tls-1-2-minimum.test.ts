// apigateway-domain-tls-1-2-minimum: custom domain names of REST APIs (securityPolicy) and of
// HTTP and WebSocket APIs (domainNameConfiguration.securityPolicy) require TLS 1.2 or newer.

import { describe, expect, it } from "vitest";
import { apiGatewayDomainTls12Minimum } from "../../policies/apigateway/apigateway-domain-tls-1-2-minimum.js";
import {
  apiGatewaySecurityPolicyMinimumTls,
  knownApiGatewaySecurityPolicies,
} from "../../policies/apigateway/apigateway-security-policies.js";
import { PolicyConfigurationError } from "../../policies/config.js";
import {
  UNKNOWN,
  declare,
  errorClassName,
  runResourcePolicy,
  schemaDefaults,
  validateResource,
  withProps,
  type TestResource,
  type Violation,
} from "./harness.js";

const restDomain = declare("aws:apigateway/domainName:DomainName", "rest-domain", {
  domainName: "api.example.com",
  regionalCertificateArn: UNKNOWN,
  endpointConfiguration: { types: "REGIONAL" },
  securityPolicy: "TLS_1_2",
});

const httpDomain = declare("aws:apigatewayv2/domainName:DomainName", "http-domain", {
  domainName: "inference.example.com",
  domainNameConfiguration: { certificateArn: UNKNOWN, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
});

const withHttpSecurityPolicy = (securityPolicy: unknown): TestResource =>
  withProps(httpDomain, { domainNameConfiguration: { certificateArn: UNKNOWN, endpointType: "REGIONAL", securityPolicy } });

const DEFAULTS = schemaDefaults(apiGatewayDomainTls12Minimum.configSchema);

/**
 * Every name AWS's API Reference lists for a domain name's or REST API's securityPolicy, with the
 * oldest TLS version it accepts, as policies/apigateway/apigateway-security-policies.ts records
 * it (and the source of each there).
 */
const AWS_POLICIES: readonly (readonly [string, string])[] = [
  ["TLS_1_0", "1.0"],
  ["TLS_1_2", "1.2"],
  ["SecurityPolicy_TLS13_1_3_2025_09", "1.3"],
  ["SecurityPolicy_TLS13_1_3_FIPS_2025_09", "1.3"],
  ["SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "1.2"],
  ["SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09", "1.2"],
  ["SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09", "1.2"],
  ["SecurityPolicy_TLS13_1_2_PQ_2025_09", "1.2"],
  ["SecurityPolicy_TLS13_1_2_2021_06", "1.2"],
  // Unconfirmed, recorded as the older candidate (see the table's comment).
  ["SecurityPolicy_TLS13_2025_EDGE", "1.2"],
  ["SecurityPolicy_TLS12_PFS_2025_EDGE", "1.2"],
  ["SecurityPolicy_TLS12_2018_EDGE", "1.2"],
];

const TLS_1_2_OR_NEWER = AWS_POLICIES.filter(([, minimum]) => minimum !== "1.0").map(([name]) => name);

describe("the API Gateway security policy table", () => {
  it("holds exactly the names AWS lists, each with its oldest TLS version", () => {
    expect(Object.fromEntries(knownApiGatewaySecurityPolicies().map((name) => [name, apiGatewaySecurityPolicyMinimumTls(name)]))).toEqual(
      Object.fromEntries(AWS_POLICIES),
    );
  });

  it("gives every TLS13_1_N and TLS12 name the version its name says", () => {
    for (const name of knownApiGatewaySecurityPolicies()) {
      const versioned = /^SecurityPolicy_TLS13_1_([23])_/.exec(name) ?? (/^SecurityPolicy_TLS12_/.test(name) ? [name, "2"] : undefined);
      if (versioned) expect(apiGatewaySecurityPolicyMinimumTls(name), name).toBe(`1.${versioned[1]}`);
    }
  });

  it("knows no name that is not AWS's, nor one of Object's own properties", () => {
    for (const name of ["SecurityPolicy_TLS13_1_0_2021_06", "TLS_1_3", "constructor", "toString", ""]) {
      expect(apiGatewaySecurityPolicyMinimumTls(name), name).toBeUndefined();
    }
  });
});

describe.each([
  { configuration: "the schema defaults (as the engine applies them)", config: DEFAULTS },
  { configuration: "an empty configuration", config: {} },
])("apigateway-domain-tls-1-2-minimum with $configuration", ({ config }) => {
  const check = (resource: TestResource): Violation[] => validateResource(apiGatewayDomainTls12Minimum, resource, config);

  describe("a REST API domain (securityPolicy)", () => {
    it("accepts TLS_1_2", () => {
      expect(check(restDomain)).toEqual([]);
    });

    it("rejects TLS_1_0", () => {
      expect(check(withProps(restDomain, { securityPolicy: "TLS_1_0" }))).toEqual([
        {
          message: 'securityPolicy must allow nothing older than TLS 1.2, but "TLS_1_0" allows TLS 1.0: set it to "TLS_1_2".',
          urn: restDomain.urn,
        },
      ]);
    });

    it("rejects a domain without securityPolicy", () => {
      expect(check(withProps(restDomain, { securityPolicy: undefined }))).toEqual([
        {
          message:
            'securityPolicy must be set to a policy with TLS 1.2 or newer, but it is not set, so the TLS floor is left to AWS\'s default: set it to "TLS_1_2".',
          urn: restDomain.urn,
        },
      ]);
    });

    it.each(TLS_1_2_OR_NEWER)("accepts %s, which allows nothing older than TLS 1.2", (securityPolicy) => {
      expect(check(withProps(restDomain, { securityPolicy }))).toEqual([]);
    });

    // The trap the pattern this table replaced fell into: a name that merely looks like an
    // enhanced policy. AWS has no SecurityPolicy_TLS13_1_0_*; a name the table lacks is refused.
    it("rejects a name that looks like an enhanced policy but is not one AWS lists", () => {
      expect(check(withProps(restDomain, { securityPolicy: "SecurityPolicy_TLS13_1_0_2021_06" }))).toEqual([
        {
          message:
            'securityPolicy must name an API Gateway security policy whose TLS versions are known, but it is "SecurityPolicy_TLS13_1_0_2021_06": set it to "TLS_1_2", or add the name to allowedPolicies in this policy\'s configuration.',
          urn: restDomain.urn,
        },
      ]);
    });

    it("rejects a policy name in another case, which AWS does not accept", () => {
      expect(check(withProps(restDomain, { securityPolicy: "tls_1_2" }))).toEqual([
        {
          message:
            'securityPolicy must name an API Gateway security policy whose TLS versions are known, but it is "tls_1_2": set it to "TLS_1_2", or add the name to allowedPolicies in this policy\'s configuration.',
          urn: restDomain.urn,
        },
      ]);
    });

    it("rejects a name it does not know, pointing at allowedPolicies", () => {
      expect(check(withProps(restDomain, { securityPolicy: "TLS_1_3" }))).toEqual([
        {
          message:
            'securityPolicy must name an API Gateway security policy whose TLS versions are known, but it is "TLS_1_3": set it to "TLS_1_2", or add the name to allowedPolicies in this policy\'s configuration.',
          urn: restDomain.urn,
        },
      ]);
    });
  });

  describe("an HTTP or WebSocket API domain (domainNameConfiguration.securityPolicy)", () => {
    it("accepts TLS_1_2", () => {
      expect(check(httpDomain)).toEqual([]);
    });

    it("rejects TLS_1_0", () => {
      expect(check(withHttpSecurityPolicy("TLS_1_0"))).toEqual([
        {
          message:
            'domainNameConfiguration.securityPolicy must allow nothing older than TLS 1.2, but "TLS_1_0" allows TLS 1.0: set it to "TLS_1_2".',
          urn: httpDomain.urn,
        },
      ]);
    });

    it("rejects a domain without securityPolicy in its configuration", () => {
      expect(check(withHttpSecurityPolicy(undefined))).toEqual([
        {
          message:
            'domainNameConfiguration.securityPolicy must be set to a policy with TLS 1.2 or newer, but it is not set, so the TLS floor is left to AWS\'s default: set it to "TLS_1_2".',
          urn: httpDomain.urn,
        },
      ]);
    });

    it("rejects a domain without domainNameConfiguration", () => {
      expect(check(withProps(httpDomain, { domainNameConfiguration: undefined }))).toEqual([
        {
          message:
            'domainNameConfiguration.securityPolicy must be set to a policy with TLS 1.2 or newer, but it is not set, so the TLS floor is left to AWS\'s default: set it to "TLS_1_2".',
          urn: httpDomain.urn,
        },
      ]);
    });
  });

  it("ignores resources other than domain names", () => {
    const api = declare("aws:apigateway/restApi:RestApi", "rest", { name: "inference", securityPolicy: "TLS_1_0" });
    expect(check(api)).toEqual([]);
  });
});

describe("apigateway-domain-tls-1-2-minimum configured", () => {
  it("accepts a name it does not know when allowedPolicies lists it", () => {
    const domain = withProps(restDomain, { securityPolicy: "TLS_1_3" });
    expect(validateResource(apiGatewayDomainTls12Minimum, domain, { ...DEFAULTS, allowedPolicies: ["TLS_1_3"] })).toEqual([]);
  });

  it("with minimumVersion 1.3, rejects TLS_1_2", () => {
    expect(validateResource(apiGatewayDomainTls12Minimum, restDomain, { ...DEFAULTS, minimumVersion: "1.3" })).toEqual([
      {
        message:
          'securityPolicy must allow nothing older than TLS 1.3, but "TLS_1_2" allows TLS 1.2: set it to "SecurityPolicy_TLS13_1_3_2025_09".',
        urn: restDomain.urn,
      },
    ]);
  });

  it.each(["SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_3_FIPS_2025_09"])(
    "with minimumVersion 1.3, accepts %s",
    (securityPolicy) => {
      const domain = withProps(restDomain, { securityPolicy });
      expect(validateResource(apiGatewayDomainTls12Minimum, domain, { ...DEFAULTS, minimumVersion: "1.3" })).toEqual([]);
    },
  );

  it.each(["SecurityPolicy_TLS13_1_2_PQ_2025_09", "SecurityPolicy_TLS13_1_2_2021_06"])(
    "with minimumVersion 1.3, rejects %s, which has TLS13 in its name and still allows TLS 1.2",
    (securityPolicy) => {
      expect(
        validateResource(apiGatewayDomainTls12Minimum, withProps(restDomain, { securityPolicy }), { ...DEFAULTS, minimumVersion: "1.3" }),
      ).toEqual([
        {
          message: `securityPolicy must allow nothing older than TLS 1.3, but "${securityPolicy}" allows TLS 1.2: set it to "SecurityPolicy_TLS13_1_3_2025_09".`,
          urn: restDomain.urn,
        },
      ]);
    },
  );

  it("with minimumVersion 1.3, does not pass SecurityPolicy_TLS13_2025_EDGE on an unconfirmed fact, and allowedPolicies can", () => {
    const domain = withProps(restDomain, { securityPolicy: "SecurityPolicy_TLS13_2025_EDGE", endpointConfiguration: { types: "EDGE" } });
    expect(validateResource(apiGatewayDomainTls12Minimum, domain, { ...DEFAULTS, minimumVersion: "1.3" })).toEqual([
      {
        message:
          'securityPolicy must allow nothing older than TLS 1.3, but "SecurityPolicy_TLS13_2025_EDGE" allows TLS 1.2: set it to "SecurityPolicy_TLS13_1_3_2025_09".',
        urn: restDomain.urn,
      },
    ]);
    const allowed = { ...DEFAULTS, minimumVersion: "1.3", allowedPolicies: ["SecurityPolicy_TLS13_2025_EDGE"] };
    expect(validateResource(apiGatewayDomainTls12Minimum, domain, allowed)).toEqual([]);
  });

  it("refuses a property it does not have, before checking anything (the Pulumi CLI lets it through)", () => {
    const outcome = runResourcePolicy(apiGatewayDomainTls12Minimum, restDomain, { ...DEFAULTS, minimumVersoin: "1.3" });
    expect(outcome.violations).toEqual([]);
    expect(outcome.thrown).toEqual(
      new PolicyConfigurationError(
        'policy "apigateway-domain-tls-1-2-minimum" has no property "minimumVersoin"; did you mean "minimumVersion"? (known: allowedPolicies, minimumVersion, unknownValues)',
      ),
    );
  });
});

describe("apigateway-domain-tls-1-2-minimum during preview", () => {
  it("does not read the unknown certificate", () => {
    expect(validateResource(apiGatewayDomainTls12Minimum, httpDomain)).toEqual([]);
  });

  it("throws CrossGuard's UnknownValueError when securityPolicy is unknown", () => {
    const outcome = runResourcePolicy(apiGatewayDomainTls12Minimum, withProps(restDomain, { securityPolicy: UNKNOWN }));
    expect(outcome.violations).toEqual([]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("throws CrossGuard's UnknownValueError when domainNameConfiguration.securityPolicy is unknown", () => {
    const outcome = runResourcePolicy(apiGatewayDomainTls12Minimum, withHttpSecurityPolicy(UNKNOWN));
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

describe("apigateway-domain-tls-1-2-minimum with unknownValues mandatory", () => {
  const strict = { ...DEFAULTS, unknownValues: "mandatory" };

  it("reports an unknown securityPolicy as a violation on the domain, naming the property", () => {
    expect(validateResource(apiGatewayDomainTls12Minimum, withProps(restDomain, { securityPolicy: UNKNOWN }), strict)).toEqual([
      {
        message:
          'securityPolicy must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.',
        urn: restDomain.urn,
      },
    ]);
  });

  it("names the nested property of an HTTP API domain", () => {
    expect(validateResource(apiGatewayDomainTls12Minimum, withHttpSecurityPolicy(UNKNOWN), strict)).toEqual([
      {
        message:
          'domainNameConfiguration.securityPolicy must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.',
        urn: httpDomain.urn,
      },
    ]);
  });

  it("still does not read the unknown certificate", () => {
    expect(validateResource(apiGatewayDomainTls12Minimum, httpDomain, strict)).toEqual([]);
  });
});
