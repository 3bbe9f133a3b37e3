// target-group-health-check: every target group defines an enabled health check, with a path
// where the check speaks HTTP (or gRPC), and with values inside AWS's ranges.

import { describe, expect, it } from "vitest";
import { PolicyConfigurationError } from "../../policies/config.js";
import { targetGroupHealthCheck } from "../../policies/lb/target-group-health-check.js";
import {
  UNKNOWN,
  asType,
  declare,
  errorClassName,
  runResourcePolicy,
  schemaDefaults,
  validateResource,
  withProps,
  type Props,
  type TestResource,
  type Violation,
} from "./harness.js";

const HEALTH_CHECK = {
  enabled: true,
  path: "/health",
  protocol: "HTTP",
  port: "traffic-port",
  healthyThreshold: 3,
  unhealthyThreshold: 3,
  interval: 30,
  timeout: 5,
  matcher: "200-299",
};

// An application load balancer's target group, in a VPC that does not exist yet.
const targetGroup = declare("aws:lb/targetGroup:TargetGroup", "api", {
  port: 8080,
  protocol: "HTTP",
  targetType: "ip",
  vpcId: UNKNOWN,
  healthCheck: HEALTH_CHECK,
});

/** The target group with some health check settings changed; undefined leaves one out. */
const withHealthCheck = (changes: Props, base: TestResource = targetGroup): TestResource =>
  withProps(base, { healthCheck: { ...(base.props.healthCheck as Props), ...changes } });

// A network load balancer's target group: its health check speaks TCP, so it has no path.
const tcpTargetGroup = declare("aws:lb/targetGroup:TargetGroup", "tcp", {
  port: 9000,
  protocol: "TCP",
  targetType: "ip",
  vpcId: UNKNOWN,
  healthCheck: { enabled: true, healthyThreshold: 3, unhealthyThreshold: 3, interval: 30, timeout: 10 },
});

const grpcTargetGroup = withProps(targetGroup, {
  protocolVersion: "GRPC",
  healthCheck: { ...HEALTH_CHECK, path: "/grpc.health.v1.Health/Check", matcher: "0-5" },
});

const lambdaTargetGroup = declare("aws:lb/targetGroup:TargetGroup", "function", { targetType: "lambda" });

const outOfRange = (field: string, range: string, value: string): string =>
  `healthCheck.${field} must be a whole number from ${range}, but it is ${value}: set a value in that range.`;

const timeoutNotShorter = (timeout: number, interval: string): string =>
  `healthCheck.timeout must be shorter than healthCheck.interval, but it is ${timeout} s with an interval of ${interval}: lower the timeout or raise the interval.`;

const DEFAULTS = schemaDefaults(targetGroupHealthCheck.configSchema);

describe.each([
  { configuration: "the schema defaults (as the engine applies them)", config: DEFAULTS },
  { configuration: "an empty configuration", config: {} },
])("target-group-health-check with $configuration", ({ config }) => {
  const check = (resource: TestResource): Violation[] => validateResource(targetGroupHealthCheck, resource, config);
  const violation = (message: string, resource: TestResource = targetGroup): Violation[] => [{ message, urn: resource.urn }];

  describe.each(["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"])("on %s", (type) => {
    const typed = asType(targetGroup, type);

    it("accepts a target group with a complete health check", () => {
      expect(check(typed)).toEqual([]);
    });

    it("rejects a target group without healthCheck", () => {
      expect(check(withProps(typed, { healthCheck: undefined }))).toEqual(
        violation(
          `healthCheck must be set explicitly, but it is not set, so AWS's defaults decide when a target is healthy: add healthCheck with a path such as "/health", thresholds, an interval and a timeout.`,
          typed,
        ),
      );
    });
  });

  describe("presence", () => {
    it("rejects a TCP target group without healthCheck, asking for no path", () => {
      expect(check(withProps(tcpTargetGroup, { healthCheck: undefined }))).toEqual(
        violation(
          "healthCheck must be set explicitly, but it is not set, so AWS's defaults decide when a target is healthy: add healthCheck with thresholds, an interval and a timeout.",
          tcpTargetGroup,
        ),
      );
    });

    it("rejects a gRPC target group without healthCheck, suggesting the gRPC health service", () => {
      expect(check(withProps(grpcTargetGroup, { healthCheck: undefined }))).toEqual(
        violation(
          `healthCheck must be set explicitly, but it is not set, so AWS's defaults decide when a target is healthy: add healthCheck with a path such as "/grpc.health.v1.Health/Check", thresholds, an interval and a timeout.`,
        ),
      );
    });

    it("rejects a health check with enabled false", () => {
      expect(check(withHealthCheck({ enabled: false }))).toEqual(
        violation(
          "healthCheck.enabled must be true, but it is false, so traffic keeps going to failed targets: set healthCheck.enabled to true.",
        ),
      );
    });

    it("accepts a health check without enabled (AWS enables it)", () => {
      expect(check(withHealthCheck({ enabled: undefined }))).toEqual([]);
    });

    it("rejects a healthCheck that is not a block", () => {
      expect(check(withProps(targetGroup, { healthCheck: [HEALTH_CHECK] }))).toEqual(
        violation("healthCheck must be an object, but it is a list: set it to a health check block."),
      );
    });
  });

  describe("path", () => {
    it("rejects an HTTP health check without path", () => {
      expect(check(withHealthCheck({ path: undefined }))).toEqual(
        violation(
          'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
        ),
      );
    });

    it("treats an empty path as not set", () => {
      expect(check(withHealthCheck({ path: "" }))).toEqual(
        violation(
          'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
        ),
      );
    });

    it("rejects an HTTPS health check (from the target group's protocol) without path", () => {
      const https = withHealthCheck({ protocol: undefined, path: undefined }, withProps(targetGroup, { protocol: "HTTPS", port: 8443 }));
      expect(check(https)).toEqual(
        violation(
          'healthCheck.path must be set for an HTTPS health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
        ),
      );
    });

    it("rejects a lowercase https health check without path", () => {
      expect(check(withHealthCheck({ protocol: "https", path: undefined }))).toEqual(
        violation(
          'healthCheck.path must be set for an HTTPS health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
        ),
      );
    });

    it("accepts a gRPC target group with the gRPC health service's path", () => {
      expect(check(grpcTargetGroup)).toEqual([]);
    });

    it("rejects a gRPC health check (protocolVersion GRPC) without path", () => {
      expect(check(withHealthCheck({ path: undefined }, grpcTargetGroup))).toEqual(
        violation(
          'healthCheck.path must be set for a gRPC health check, but it is not set, so AWS checks "/AWS.ALB/healthcheck" instead of the service\'s health endpoint: set healthCheck.path to "/grpc.health.v1.Health/Check".',
        ),
      );
    });

    it("recognizes protocolVersion grpc in lowercase", () => {
      expect(check(withHealthCheck({ path: undefined }, withProps(grpcTargetGroup, { protocolVersion: "grpc" })))).toEqual(
        violation(
          'healthCheck.path must be set for a gRPC health check, but it is not set, so AWS checks "/AWS.ALB/healthcheck" instead of the service\'s health endpoint: set healthCheck.path to "/grpc.health.v1.Health/Check".',
        ),
      );
    });

    it("rejects a path that does not start with a slash", () => {
      expect(check(withHealthCheck({ path: "health" }))).toEqual(
        violation('healthCheck.path must be a path starting with "/", but it is "health": set it to "/health".'),
      );
    });

    it.each(["TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"])("does not require a path on a %s target group", (protocol) => {
      expect(check(withProps(tcpTargetGroup, { protocol }))).toEqual([]);
    });

    it("requires a path when a TCP target group's health check speaks HTTP", () => {
      expect(check(withHealthCheck({ protocol: "HTTP" }, tcpTargetGroup))).toEqual(
        violation(
          'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
          tcpTargetGroup,
        ),
      );
    });
  });

  describe("ranges", () => {
    it.each([
      ["healthyThreshold", 2],
      ["healthyThreshold", 10],
      ["unhealthyThreshold", 2],
      ["unhealthyThreshold", 10],
      ["interval", 300],
      ["timeout", 2],
    ])("accepts %s %d", (field, value) => {
      expect(check(withHealthCheck({ [field]: value }))).toEqual([]);
    });

    it("accepts the shortest interval, 5 s, with a shorter timeout", () => {
      expect(check(withHealthCheck({ interval: 5, timeout: 4 }))).toEqual([]);
    });

    it("accepts the longest timeout, 120 s, with a longer interval", () => {
      expect(check(withHealthCheck({ interval: 300, timeout: 120 }))).toEqual([]);
    });

    it.each([
      ["healthyThreshold", 1, "2 to 10"],
      ["healthyThreshold", 11, "2 to 10"],
      ["healthyThreshold", 2.5, "2 to 10"],
      ["unhealthyThreshold", 1, "2 to 10"],
      ["unhealthyThreshold", 11, "2 to 10"],
      ["interval", 301, "5 to 300 s"],
      ["interval", 30.5, "5 to 300 s"],
      ["timeout", 1, "2 to 120 s"],
      ["timeout", 4.5, "2 to 120 s"],
    ])("rejects %s %d", (field, value, range) => {
      expect(check(withHealthCheck({ [field]: value }))).toEqual(violation(outOfRange(field, range, String(value))));
    });

    it("rejects a threshold that is not a number", () => {
      expect(check(withHealthCheck({ healthyThreshold: "3" }))).toEqual(violation(outOfRange("healthyThreshold", "2 to 10", '"3"')));
    });

    it("rejects an interval below 5 s, which is also not longer than the timeout", () => {
      expect(check(withHealthCheck({ interval: 4 }))).toEqual([
        ...violation(outOfRange("interval", "5 to 300 s", "4")),
        ...violation(timeoutNotShorter(5, "4 s")),
      ]);
    });

    it("rejects a timeout above 120 s, which is also not shorter than the interval", () => {
      expect(check(withHealthCheck({ timeout: 121 }))).toEqual([
        ...violation(outOfRange("timeout", "2 to 120 s", "121")),
        ...violation(timeoutNotShorter(121, "30 s")),
      ]);
    });

    it("rejects a timeout equal to the interval", () => {
      expect(check(withHealthCheck({ timeout: 30 }))).toEqual(violation(timeoutNotShorter(30, "30 s")));
    });

    it("rejects a timeout longer than the interval", () => {
      expect(check(withHealthCheck({ interval: 10, timeout: 20 }))).toEqual(violation(timeoutNotShorter(20, "10 s")));
    });

    it("compares the timeout with the default interval of 30 s when the interval is not set", () => {
      expect(check(withHealthCheck({ interval: undefined, timeout: 30 }))).toEqual(violation(timeoutNotShorter(30, "30 s (the default)")));
    });

    it("accepts a timeout below the default interval of 30 s", () => {
      expect(check(withHealthCheck({ interval: undefined, timeout: 29 }))).toEqual([]);
    });

    it("compares a GENEVE target group's timeout with its default interval of 10 s", () => {
      const geneve = withProps(tcpTargetGroup, { protocol: "GENEVE", port: 6081 });
      expect(check(withHealthCheck({ interval: undefined, timeout: 10 }, geneve))).toEqual(
        violation(timeoutNotShorter(10, "10 s (the default)"), geneve),
      );
    });
  });

  describe("matcher", () => {
    it.each(["200", "200,202", "200-299", "200-499", " 200 - 204 , 301"])("accepts HTTP codes %j", (matcher) => {
      expect(check(withHealthCheck({ matcher }))).toEqual([]);
    });

    it.each(["100", "200-500", "199-299", "abc", "200-", ""])("rejects HTTP codes %j on an application load balancer", (matcher) => {
      expect(check(withHealthCheck({ matcher }))).toEqual(
        violation(
          `healthCheck.matcher must list HTTP status codes from 200 to 499, but it is ${JSON.stringify(matcher)}: set it to "200-299" or similar.`,
        ),
      );
    });

    it("accepts codes up to 599 on a network load balancer's HTTP health check", () => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher: "200-599" }, tcpTargetGroup))).toEqual([]);
    });

    it("rejects codes above 599 on a network load balancer's HTTP health check", () => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher: "200-600" }, tcpTargetGroup))).toEqual(
        violation(
          'healthCheck.matcher must list HTTP status codes from 200 to 599, but it is "200-600": set it to "200-299" or similar.',
          tcpTargetGroup,
        ),
      );
    });

    it("rejects codes above 399 on a gateway load balancer's HTTP health check", () => {
      const geneve = withProps(tcpTargetGroup, { protocol: "GENEVE", port: 6081 });
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher: "200-499" }, geneve))).toEqual(
        violation(
          'healthCheck.matcher must list HTTP status codes from 200 to 399, but it is "200-499": set it to "200-399" or similar.',
          geneve,
        ),
      );
    });

    it.each(["12", "0", "0-99", "0,12"])("accepts gRPC codes %j", (matcher) => {
      expect(check(withHealthCheck({ matcher }, grpcTargetGroup))).toEqual([]);
    });

    it("rejects HTTP codes on a gRPC health check", () => {
      expect(check(withHealthCheck({ matcher: "200" }, grpcTargetGroup))).toEqual(
        violation('healthCheck.matcher must list gRPC status codes from 0 to 99, but it is "200": set it to "12" or similar.'),
      );
    });

    it("ignores the matcher of a TCP health check, which sends no request", () => {
      expect(check(withHealthCheck({ matcher: "abc" }, tcpTargetGroup))).toEqual([]);
    });
  });

  describe("Lambda target groups", () => {
    it("are exempt by default, where AWS leaves health checks off", () => {
      expect(check(lambdaTargetGroup)).toEqual([]);
    });

    it("are exempt by default also with the health check disabled", () => {
      expect(check(withProps(lambdaTargetGroup, { targetType: "LAMBDA", healthCheck: { enabled: false } }))).toEqual([]);
    });
  });

  it("ignores resources other than target groups", () => {
    expect(check(declare("aws:lb/listener:Listener", "http", { port: 80, protocol: "HTTP" }))).toEqual([]);
  });
});

describe("target-group-health-check with includeLambda", () => {
  const config = { ...DEFAULTS, includeLambda: true };
  const check = (resource: TestResource): Violation[] => validateResource(targetGroupHealthCheck, resource, config);
  const checked = withProps(lambdaTargetGroup, { healthCheck: { enabled: true } });

  it("accepts a Lambda target group with an enabled health check", () => {
    expect(check(checked)).toEqual([]);
  });

  it("rejects a Lambda target group without healthCheck", () => {
    expect(check(lambdaTargetGroup)).toEqual([
      {
        message:
          "healthCheck must be set with enabled: true on a Lambda target group (includeLambda is on), but it is not set, so AWS does not check the function: add healthCheck with enabled: true.",
        urn: lambdaTargetGroup.urn,
      },
    ]);
  });

  it("rejects a Lambda health check without enabled, which AWS leaves off", () => {
    expect(check(withHealthCheck({ enabled: undefined }, checked))).toEqual([
      {
        message:
          "healthCheck.enabled must be true, but it is not set, which leaves health checks off for a Lambda target group, so traffic keeps going to failed targets: set healthCheck.enabled to true.",
        urn: lambdaTargetGroup.urn,
      },
    ]);
  });

  it("requires no path of a Lambda health check", () => {
    expect(check(withHealthCheck({ path: undefined, matcher: "200" }, checked))).toEqual([]);
  });

  it("compares a Lambda health check's timeout with its default interval of 35 s", () => {
    expect(check(withHealthCheck({ timeout: 30 }, checked))).toEqual([]);
    expect(check(withHealthCheck({ timeout: 35 }, checked))).toEqual([
      { message: timeoutNotShorter(35, "35 s (the default)"), urn: lambdaTargetGroup.urn },
    ]);
  });
});

describe("target-group-health-check during preview", () => {
  it("does not read the unknown VPC", () => {
    expect(validateResource(targetGroupHealthCheck, targetGroup)).toEqual([]);
  });

  it("throws CrossGuard's UnknownValueError when the health check is unknown", () => {
    const outcome = runResourcePolicy(targetGroupHealthCheck, withProps(targetGroup, { healthCheck: UNKNOWN }));
    expect(outcome.violations).toEqual([]);
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });

  it("throws CrossGuard's UnknownValueError when the health check path is unknown", () => {
    const outcome = runResourcePolicy(targetGroupHealthCheck, withHealthCheck({ path: UNKNOWN }));
    expect(errorClassName(outcome.thrown)).toBe("UnknownValueError");
  });
});

// Every bound of AWS's ranges (CreateTargetGroup: thresholds 2–10, interval 5–300 s, timeout
// 2–120 s and shorter than the interval, matcher codes by load balancer type), with the values
// just outside, 0, -1 and fractions: each passes or fails as AWS decides.
describe("target-group-health-check at the boundaries of AWS's ranges", () => {
  const check = (resource: TestResource): Violation[] => validateResource(targetGroupHealthCheck, resource, DEFAULTS);
  const violations = (...messages: string[]): Violation[] => messages.map((message) => ({ message, urn: targetGroup.urn }));

  describe.each([
    ["healthyThreshold", "2 to 10"],
    ["unhealthyThreshold", "2 to 10"],
  ])("%s", (field, range) => {
    it.each([2, 3, 9, 10])("accepts %d", (value) => {
      expect(check(withHealthCheck({ [field]: value }))).toEqual([]);
    });

    it.each([1, 11, 0, -1, 2.5, 9.99, 100])("rejects %d", (value) => {
      expect(check(withHealthCheck({ [field]: value }))).toEqual(violations(outOfRange(field, range, String(value))));
    });
  });

  describe("interval, with a timeout of 2 s", () => {
    const withInterval = (interval: number): TestResource => withHealthCheck({ interval, timeout: 2 });

    it.each([5, 6, 299, 300])("accepts %d s", (interval) => {
      expect(check(withInterval(interval))).toEqual([]);
    });

    it.each([4, 301, 5.5, 30.5, 1000])("rejects %d s", (interval) => {
      expect(check(withInterval(interval))).toEqual(violations(outOfRange("interval", "5 to 300 s", String(interval))));
    });

    it.each([0, -1, 2])("rejects %d s, which is also not longer than the timeout", (interval) => {
      expect(check(withInterval(interval))).toEqual(
        violations(outOfRange("interval", "5 to 300 s", String(interval)), timeoutNotShorter(2, `${interval} s`)),
      );
    });
  });

  describe("timeout, with an interval of 300 s", () => {
    const withTimeout = (timeout: number): TestResource => withHealthCheck({ interval: 300, timeout });

    it.each([2, 3, 119, 120])("accepts %d s", (timeout) => {
      expect(check(withTimeout(timeout))).toEqual([]);
    });

    it.each([1, 121, 0, -1, 2.5, 119.5])("rejects %d s", (timeout) => {
      expect(check(withTimeout(timeout))).toEqual(violations(outOfRange("timeout", "2 to 120 s", String(timeout))));
    });
  });

  describe("timeout against interval", () => {
    it.each([
      [4, 5],
      [119, 120],
      [2, 5],
    ])("accepts a timeout of %d s with an interval of %d s", (timeout, interval) => {
      expect(check(withHealthCheck({ timeout, interval }))).toEqual([]);
    });

    it.each([
      [5, 5],
      [120, 120],
      [6, 5],
      [120, 5],
    ])("rejects a timeout of %d s with an interval of %d s", (timeout, interval) => {
      expect(check(withHealthCheck({ timeout, interval }))).toEqual(violations(timeoutNotShorter(timeout, `${interval} s`)));
    });
  });

  describe("matcher", () => {
    const geneve = withProps(tcpTargetGroup, { protocol: "GENEVE", port: 6081 });
    const matcherViolation = (resource: TestResource, kind: string, range: string, matcher: string, example: string): Violation[] => [
      {
        message: `healthCheck.matcher must list ${kind} status codes from ${range}, but it is ${JSON.stringify(matcher)}: set it to ${example} or similar.`,
        urn: resource.urn,
      },
    ];

    it.each(["200", "499", "200-499", "200,499"])("accepts %j on an application load balancer", (matcher) => {
      expect(check(withHealthCheck({ matcher }))).toEqual([]);
    });

    it.each(["199", "500", "0", "-1", "200.5", "200-", " "])("rejects %j on an application load balancer", (matcher) => {
      expect(check(withHealthCheck({ matcher }))).toEqual(matcherViolation(targetGroup, "HTTP", "200 to 499", matcher, '"200-299"'));
    });

    it.each(["200", "599", "200-599"])("accepts %j on a network load balancer's HTTP health check", (matcher) => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher }, tcpTargetGroup))).toEqual([]);
    });

    it.each(["199", "600"])("rejects %j on a network load balancer's HTTP health check", (matcher) => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher }, tcpTargetGroup))).toEqual(
        matcherViolation(tcpTargetGroup, "HTTP", "200 to 599", matcher, '"200-299"'),
      );
    });

    it.each(["200", "399", "200-399"])("accepts %j on a gateway load balancer's HTTP health check", (matcher) => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher }, geneve))).toEqual([]);
    });

    it.each(["199", "400"])("rejects %j on a gateway load balancer's HTTP health check", (matcher) => {
      expect(check(withHealthCheck({ protocol: "HTTP", path: "/health", matcher }, geneve))).toEqual(
        matcherViolation(geneve, "HTTP", "200 to 399", matcher, '"200-399"'),
      );
    });

    it.each(["0", "99", "0-99"])("accepts gRPC codes %j", (matcher) => {
      expect(check(withHealthCheck({ matcher }, grpcTargetGroup))).toEqual([]);
    });

    it.each(["100", "0-100", "-1"])("rejects gRPC codes %j", (matcher) => {
      expect(check(withHealthCheck({ matcher }, grpcTargetGroup))).toEqual(
        matcherViolation(grpcTargetGroup, "gRPC", "0 to 99", matcher, '"12"'),
      );
    });
  });
});

describe("target-group-health-check with unknownValues mandatory", () => {
  const strict = { ...DEFAULTS, unknownValues: "mandatory" };
  const unknownMessage = (property: string): string =>
    `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;

  it("reports an unknown health check as a violation on the target group, naming the property", () => {
    expect(validateResource(targetGroupHealthCheck, withProps(targetGroup, { healthCheck: UNKNOWN }), strict)).toEqual([
      { message: unknownMessage("healthCheck"), urn: targetGroup.urn },
    ]);
  });

  it("names the nested property that is unknown", () => {
    expect(validateResource(targetGroupHealthCheck, withHealthCheck({ path: UNKNOWN }), strict)).toEqual([
      { message: unknownMessage("healthCheck.path"), urn: targetGroup.urn },
    ]);
  });

  it("reports the violations found before the unknown value, then the unknown value", () => {
    expect(validateResource(targetGroupHealthCheck, withHealthCheck({ path: "health", matcher: UNKNOWN }), strict)).toEqual([
      { message: 'healthCheck.path must be a path starting with "/", but it is "health": set it to "/health".', urn: targetGroup.urn },
      { message: unknownMessage("healthCheck.matcher"), urn: targetGroup.urn },
    ]);
  });

  it("still does not read the unknown VPC", () => {
    expect(validateResource(targetGroupHealthCheck, targetGroup, strict)).toEqual([]);
  });
});

describe("target-group-health-check refuses a configuration it cannot mean", () => {
  it("refuses a misspelt property before judging anything", () => {
    const outcome = runResourcePolicy(targetGroupHealthCheck, targetGroup, { ...DEFAULTS, includeLamda: true });
    expect(outcome.violations).toEqual([]);
    expect(outcome.thrown).toEqual(
      new PolicyConfigurationError(
        'policy "target-group-health-check" has no property "includeLamda"; did you mean "includeLambda"? (known: includeLambda, unknownValues)',
      ),
    );
  });
});

// Where public rule sets disagree with this policy, and this policy is right (see
// /work/shared/reference/policy-facts.md): kept as regression tests.
describe("target-group-health-check where peer rule sets go wrong", () => {
  const check = (resource: TestResource): Violation[] => validateResource(targetGroupHealthCheck, resource, DEFAULTS);

  // Checkov CKV_AWS_261 asks for a path only on HTTP and HTTPS target groups: an HTTP health check
  // on a TCP target group (a network load balancer's) checks "/" all the same.
  it("requires a path when a TCP target group's health check speaks HTTP", () => {
    expect(check(withHealthCheck({ protocol: "HTTP" }, tcpTargetGroup))).toEqual([
      {
        message:
          'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
        urn: tcpTargetGroup.urn,
      },
    ]);
  });

  // A rule that only asks for the block to exist passes one that turns health checks off.
  it("rejects a health check block with enabled false", () => {
    expect(check(withHealthCheck({ enabled: false }))).toHaveLength(1);
  });

  // No peer bounds the values: a threshold of 1 or a timeout as long as the interval passes there,
  // and AWS refuses both.
  it("rejects values outside AWS's ranges", () => {
    expect(check(withHealthCheck({ healthyThreshold: 1, timeout: 30 }))).toEqual([
      { message: outOfRange("healthyThreshold", "2 to 10", "1"), urn: targetGroup.urn },
      { message: timeoutNotShorter(30, "30 s"), urn: targetGroup.urn },
    ]);
  });
});
