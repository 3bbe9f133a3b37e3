// apigateway-domain-tls-1-2-minimum: custom domain names of REST APIs (securityPolicy) and of
// HTTP and WebSocket APIs (domainNameConfiguration.securityPolicy) require TLS 1.2 or newer.

import { describe, expect, it } from "vitest";
import { apiGatewayDomainTls12Minimum } from "../../policies/apigateway/apigateway-domain-tls-1-2-minimum.js";
import { UNKNOWN, declare, errorClassName, runResourcePolicy, schemaDefaults, validateResource, withProps, type TestResource, type Violation } from "./harness.js";

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
        { message: 'securityPolicy must allow nothing older than TLS 1.2, but "TLS_1_0" allows TLS 1.0: set it to "TLS_1_2".', urn: restDomain.urn },
      ]);
    });

    it("rejects a domain without securityPolicy", () => {
      expect(check(withProps(restDomain, { securityPolicy: undefined }))).toEqual([
        {
          message: 'securityPolicy must be set to a policy with TLS 1.2 or newer, but it is not set, so the TLS floor is left to AWS\'s default: set it to "TLS_1_2".',
          urn: restDomain.urn,
        },
      ]);
    });

    it.each([
      "SecurityPolicy_TLS13_1_3_2025_09",
      "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
      "SecurityPolicy_TLS13_1_2_2021_06",
      "SecurityPolicy_TLS13_1_2_PQ_2025_09",
      "SecurityPolicy_TLS13_2025_EDGE",
      "SecurityPolicy_TLS12_PFS_2025_EDGE",
    ])("accepts the enhanced policy %s", (securityPolicy) => {
      expect(check(withProps(restDomain, { securityPolicy }))).toEqual([]);
    });

    it("rejects an enhanced policy whose name gives TLS 1.0 after TLS13", () => {
      expect(check(withProps(restDomain, { securityPolicy: "SecurityPolicy_TLS13_1_0_2021_06" }))).toEqual([
        {
          message:
            'securityPolicy must allow nothing older than TLS 1.2, but "SecurityPolicy_TLS13_1_0_2021_06" allows TLS 1.0: set it to "TLS_1_2".',
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
          message: 'domainNameConfiguration.securityPolicy must allow nothing older than TLS 1.2, but "TLS_1_0" allows TLS 1.0: set it to "TLS_1_2".',
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
        message: 'securityPolicy must allow nothing older than TLS 1.3, but "TLS_1_2" allows TLS 1.2: set it to "SecurityPolicy_TLS13_1_3_2025_09".',
        urn: restDomain.urn,
      },
    ]);
  });

  it("with minimumVersion 1.3, accepts SecurityPolicy_TLS13_1_3_2025_09", () => {
    const domain = withProps(restDomain, { securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09" });
    expect(validateResource(apiGatewayDomainTls12Minimum, domain, { ...DEFAULTS, minimumVersion: "1.3" })).toEqual([]);
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
