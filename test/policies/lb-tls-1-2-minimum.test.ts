// lb-tls-1-2-minimum: HTTPS and TLS listeners name a known security policy allowing nothing
// older than TLS 1.2 (or 1.3 when configured).

import { describe, expect, it } from "vitest";
import { knownElbSecurityPolicies } from "../../policies/lb/elb-security-policies.js";
import { lbTls12Minimum } from "../../policies/lb/lb-tls-1-2-minimum.js";
import { PolicyConfigurationError } from "../../policies/config.js";
import {
  UNKNOWN,
  asType,
  declare,
  errorClassName,
  runResourcePolicy,
  schemaDefaults,
  validateResource,
  withProps,
  type TestResource,
} from "./harness.js";

const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

// An HTTPS listener as a program creates it: its load balancer and certificate do not exist yet.
const httpsListener = declare("aws:lb/listener:Listener", "https", {
  loadBalancerArn: UNKNOWN,
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  certificateArn: UNKNOWN,
  defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
});

const tlsListener = declare("aws:lb/listener:Listener", "tls", {
  loadBalancerArn: UNKNOWN,
  port: 443,
  protocol: "TLS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  certificateArn: UNKNOWN,
  defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
});

const missingPolicy = (protocol: string, recommended = "ELBSecurityPolicy-TLS13-1-2-2021-06", minimum = "1.2"): string =>
  `sslPolicy must be set on ${protocol === "HTTPS" ? "an HTTPS" : "a TLS"} listener, but it is not set, so AWS applies "ELBSecurityPolicy-2016-08", which allows TLS 1.0: set sslPolicy to "${recommended}" or another policy with TLS ${minimum} or newer.`;

const tooOld = (name: string, allows: string): string =>
  `sslPolicy must allow nothing older than TLS 1.2, but "${name}" allows TLS ${allows}: set it to "ELBSecurityPolicy-TLS13-1-2-2021-06".`;

const TRAPS: readonly (readonly [string, string])[] = [
  ["ELBSecurityPolicy-2016-08", "1.0"],
  ["ELBSecurityPolicy-2015-05", "1.0"],
  ["ELBSecurityPolicy-TLS-1-0-2015-04", "1.0"],
  ["ELBSecurityPolicy-TLS-1-1-2017-01", "1.1"],
  ["ELBSecurityPolicy-FS-2018-06", "1.0"],
  ["ELBSecurityPolicy-FS-1-1-2019-08", "1.1"],
  ["ELBSecurityPolicy-TLS13-1-0-2021-06", "1.0"],
  ["ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"],
  ["ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "1.0"],
  ["ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "1.1"],
  ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "1.0"],
  ["ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "1.0"],
  ["ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09", "1.1"],
];

const TLS_1_2_POLICIES = knownElbSecurityPolicies().filter((name) => name.includes("-1-2-"));
const TLS_1_3_POLICIES = knownElbSecurityPolicies().filter((name) => name.includes("-1-3-"));

describe.each([
  { configuration: "the schema defaults (as the engine applies them)", config: schemaDefaults(lbTls12Minimum.configSchema) },
  { configuration: "an empty configuration", config: {} },
])("lb-tls-1-2-minimum with $configuration", ({ config }) => {
  const check = (resource: TestResource): ReturnType<typeof validateResource> => validateResource(lbTls12Minimum, resource, config);

  describe.each(LISTENER_TYPES)("on %s", (type) => {
    const https = asType(httpsListener, type);

    it("accepts an HTTPS listener with a TLS 1.2 policy", () => {
      expect(check(https)).toEqual([]);
    });

    it("rejects an HTTPS listener without sslPolicy: AWS applies ELBSecurityPolicy-2016-08", () => {
      expect(check(withProps(https, { sslPolicy: undefined }))).toEqual([{ message: missingPolicy("HTTPS"), urn: https.urn }]);
    });

    it("rejects a TLS 1.0 policy", () => {
      expect(check(withProps(https, { sslPolicy: "ELBSecurityPolicy-2016-08" }))).toEqual([
        { message: tooOld("ELBSecurityPolicy-2016-08", "1.0"), urn: https.urn },
      ]);
    });
  });

  it("treats an empty sslPolicy as not set", () => {
    expect(check(withProps(httpsListener, { sslPolicy: "" }))).toEqual([{ message: missingPolicy("HTTPS"), urn: httpsListener.urn }]);
  });

  it("checks a lowercase https listener, naming its protocol in capitals", () => {
    expect(check(withProps(httpsListener, { protocol: "https", sslPolicy: undefined }))).toEqual([
      { message: missingPolicy("HTTPS"), urn: httpsListener.urn },
    ]);
  });

  it("accepts a network load balancer's TLS listener with a TLS 1.2 policy", () => {
    expect(check(tlsListener)).toEqual([]);
  });

  it("rejects a network load balancer's TLS listener without sslPolicy", () => {
    expect(check(withProps(tlsListener, { sslPolicy: undefined }))).toEqual([{ message: missingPolicy("TLS"), urn: tlsListener.urn }]);
  });

  it("rejects a network load balancer's tls listener (lowercase) with a TLS 1.1 policy", () => {
    expect(check(withProps(tlsListener, { protocol: "tls", sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }))).toEqual([
      { message: tooOld("ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"), urn: tlsListener.urn },
    ]);
  });

  it.each(TRAPS)("rejects %s, which allows TLS %s", (name, allows) => {
    expect(check(withProps(httpsListener, { sslPolicy: name }))).toEqual([{ message: tooOld(name, allows), urn: httpsListener.urn }]);
  });

  it.each(TLS_1_2_POLICIES)("accepts %s", (name) => {
    expect(check(withProps(httpsListener, { sslPolicy: name }))).toEqual([]);
  });

  it.each(TLS_1_3_POLICIES)("accepts %s", (name) => {
    expect(check(withProps(httpsListener, { sslPolicy: name }))).toEqual([]);
  });

  it("rejects a policy name it does not know, pointing at allowedPolicies", () => {
    expect(check(withProps(httpsListener, { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" }))).toEqual([
      {
        message:
          'sslPolicy must name a predefined security policy whose TLS versions are known, but "ELBSecurityPolicy-TLS13-1-2-2099-01" is not one: set it to "ELBSecurityPolicy-TLS13-1-2-2021-06", or add the name to allowedPolicies in this policy\'s configuration.',
        urn: httpsListener.urn,
      },
    ]);
  });

  it("rejects an sslPolicy that is not a name", () => {
    expect(check(withProps(httpsListener, { sslPolicy: 12 }))).toEqual([
      {
        message: 'sslPolicy must be the name of a security policy, but it is 12: set it to "ELBSecurityPolicy-TLS13-1-2-2021-06".',
        urn: httpsListener.urn,
      },
    ]);
  });

  it.each([
    ["an HTTP listener", { protocol: "HTTP" }],
    ["a listener without protocol (HTTP on an application load balancer)", { protocol: undefined }],
    ["a TCP listener", { protocol: "TCP" }],
    ["a UDP listener", { protocol: "UDP" }],
  ])("ignores %s without sslPolicy", (_, changes) => {
    expect(check(withProps(httpsListener, { ...changes, sslPolicy: undefined }))).toEqual([]);
  });

  it("ignores resources other than listeners", () => {
    const loadBalancer = declare("aws:lb/loadBalancer:LoadBalancer", "web", { loadBalancerType: "application", protocol: "HTTPS" });
    expect(check(loadBalancer)).toEqual([]);
  });
});

describe("lb-tls-1-2-minimum configured", () => {
  const configured = (changes: Record<string, unknown>): Record<string, unknown> => ({
    ...schemaDefaults(lbTls12Minimum.configSchema),
    ...changes,
  });

  it("accepts a name it does not know when allowedPolicies lists it", () => {
    const listener = withProps(httpsListener, { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" });
    expect(validateResource(lbTls12Minimum, listener, configured({ allowedPolicies: ["ELBSecurityPolicy-TLS13-1-2-2099-01"] }))).toEqual(
      [],
    );
  });

  it("still requires sslPolicy when allowedPolicies lists names", () => {
    const listener = withProps(httpsListener, { sslPolicy: undefined });
    expect(validateResource(lbTls12Minimum, listener, configured({ allowedPolicies: ["ELBSecurityPolicy-TLS13-1-2-2099-01"] }))).toEqual([
      { message: missingPolicy("HTTPS"), urn: httpsListener.urn },
    ]);
  });

  it("with minimumVersion 1.3, rejects a TLS 1.2 policy", () => {
    expect(validateResource(lbTls12Minimum, httpsListener, configured({ minimumVersion: "1.3" }))).toEqual([
      {
        message:
          'sslPolicy must allow nothing older than TLS 1.3, but "ELBSecurityPolicy-TLS13-1-2-2021-06" allows TLS 1.2: set it to "ELBSecurityPolicy-TLS13-1-3-2021-06".',
        urn: httpsListener.urn,
      },
    ]);
  });

  it("with minimumVersion 1.3, accepts a TLS 1.3 policy", () => {
    const listener = withProps(httpsListener, { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    expect(validateResource(lbTls12Minimum, listener, configured({ minimumVersion: "1.3" }))).toEqual([]);
  });

  it("with minimumVersion 1.3, recommends a TLS 1.3 policy for a listener without one", () => {
    const listener = withProps(httpsListener, { sslPolicy: undefined });
    expect(validateResource(lbTls12Minimum, listener, { minimumVersion: "1.3" })).toEqual([
      { message: missingPolicy("HTTPS", "ELBSecurityPolicy-TLS13-1-3-2021-06", "1.3"), urn: httpsListener.urn },
    ]);
  });
});

describe("lb-tls-1-2-minimum during preview", () => {
  it("does not read the unknown load balancer, certificate or target group", () => {
    expect(validateResource(lbTls12Minimum, httpsListener)).toEqual([]);
  });

  it("throws CrossGuard's UnknownValueError when sslPolicy is unknown", () => {
    const outcome = runResourcePolicy(lbTls12Minimum, withProps(httpsListener, { sslPolicy: UNKNOWN }));
    expect(outcome.violations).toEqual([]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("throws CrossGuard's UnknownValueError when the protocol is unknown", () => {
    const outcome = runResourcePolicy(lbTls12Minimum, withProps(httpsListener, { protocol: UNKNOWN }));
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

describe("lb-tls-1-2-minimum with unknownValues mandatory", () => {
  const strict = { ...schemaDefaults(lbTls12Minimum.configSchema), unknownValues: "mandatory" };
  const unknownMessage = (property: string): string =>
    `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;

  it("reports a listener whose protocol is unknown as a violation on it, naming the property", () => {
    expect(validateResource(lbTls12Minimum, withProps(httpsListener, { protocol: UNKNOWN }), strict)).toEqual([
      { message: unknownMessage("protocol"), urn: httpsListener.urn },
    ]);
  });

  it("reports an unknown sslPolicy on an HTTPS listener", () => {
    expect(validateResource(lbTls12Minimum, withProps(httpsListener, { sslPolicy: UNKNOWN }), strict)).toEqual([
      { message: unknownMessage("sslPolicy"), urn: httpsListener.urn },
    ]);
  });

  it("still does not read the unknown load balancer, certificate or target group", () => {
    expect(validateResource(lbTls12Minimum, httpsListener, strict)).toEqual([]);
  });

  it("still judges what is known", () => {
    expect(validateResource(lbTls12Minimum, withProps(httpsListener, { sslPolicy: undefined }), strict)).toEqual([
      { message: missingPolicy("HTTPS"), urn: httpsListener.urn },
    ]);
  });
});

describe("lb-tls-1-2-minimum refuses a configuration it cannot mean", () => {
  it("refuses a misspelt property on every resource it sees, before judging it", () => {
    const outcome = runResourcePolicy(lbTls12Minimum, httpsListener, {
      ...schemaDefaults(lbTls12Minimum.configSchema),
      allowedPolicy: ["x"],
    });
    expect(outcome.violations).toEqual([]);
    expect(outcome.thrown).toEqual(
      new PolicyConfigurationError(
        'policy "lb-tls-1-2-minimum" has no property "allowedPolicy"; did you mean "allowedPolicies"? (known: allowedPolicies, minimumVersion, unknownValues)',
      ),
    );
  });
});

// Where public rule sets disagree with this policy, and this policy is right (see
// /work/shared/reference/policy-facts.md): kept as regression tests.
describe("lb-tls-1-2-minimum where peer rule sets go wrong", () => {
  const check = (sslPolicy: string | undefined): ReturnType<typeof validateResource> =>
    validateResource(lbTls12Minimum, withProps(httpsListener, { sslPolicy }), schemaDefaults(lbTls12Minimum.configSchema));

  // Checkov CKV_AWS_103 accepts any name starting ELBSecurityPolicy-TLS13; these allow TLS 1.0 and 1.1.
  it.each([
    ["ELBSecurityPolicy-TLS13-1-0-2021-06", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"],
  ])("rejects %s despite TLS13 in its name", (name, allows) => {
    expect(check(name)).toEqual([{ message: tooOld(name, allows), urn: httpsListener.urn }]);
  });

  // Trivy AWS-0047 is a deny-list that misses the FIPS and post-quantum 1.0/1.1 variants.
  it.each([
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "1.0"],
  ])("rejects %s, which a deny-list misses", (name, allows) => {
    expect(check(name)).toEqual([{ message: tooOld(name, allows), urn: httpsListener.urn }]);
  });

  // Trivy AWS-0047 passes a listener without ssl_policy; AWS then applies ELBSecurityPolicy-2016-08 (TLS 1.0).
  it("rejects a listener without sslPolicy", () => {
    expect(check(undefined)).toEqual([{ message: missingPolicy("HTTPS"), urn: httpsListener.urn }]);
  });

  // A deny-list passes any name it has not heard of; this policy cannot verify one, so it refuses it.
  it("rejects a future name it cannot verify", () => {
    expect(check("ELBSecurityPolicy-TLS13-1-0-2030-01")).toHaveLength(1);
  });
});
