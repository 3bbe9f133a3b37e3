// target-group-health-check: every target group defines its health check explicitly, enabled,
// with a path where the check speaks HTTP, and with values inside AWS's ranges.

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { checkedConfig, packConfigSchema, unknownValuesSetting } from "../config";
import { show } from "../messages";
import { checkReportingUnknowns } from "../preview";
import { TARGET_GROUP_TYPES } from "../resource-types";

interface Range {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly integer: boolean;
}

// AWS's accepted ranges (CreateTargetGroup / ModifyTargetGroup).
const RANGES: Readonly<Record<"healthyThreshold" | "unhealthyThreshold" | "interval" | "timeout", Range>> = {
  healthyThreshold: { min: 2, max: 10, unit: "", integer: true },
  unhealthyThreshold: { min: 2, max: 10, unit: "", integer: true },
  interval: { min: 5, max: 300, unit: " s", integer: true },
  timeout: { min: 2, max: 120, unit: " s", integer: true },
};

const HTTP_HEALTH_CHECK_PROTOCOLS = ["HTTP", "HTTPS"];
/** Target group protocols of network load balancers; GENEVE is the gateway load balancer's. */
const NETWORK_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"];

export interface TargetGroupHealthCheckConfig {
  readonly includeLambda: boolean;
}

export const TARGET_GROUP_HEALTH_CHECK_DEFAULTS: TargetGroupHealthCheckConfig = { includeLambda: false };

function upper(value: unknown): string | undefined {
  return typeof value === "string" ? value.toUpperCase() : undefined;
}

/** The protocol the health check speaks: its own, else the target group's for HTTP(S), else TCP. */
function healthCheckProtocol(targetGroupProtocol: string | undefined, checkProtocol: string | undefined): string {
  if (checkProtocol) return checkProtocol;
  return targetGroupProtocol && HTTP_HEALTH_CHECK_PROTOCOLS.includes(targetGroupProtocol) ? targetGroupProtocol : "TCP";
}

/** AWS's interval when none is set: 35 s for Lambda targets, 10 s for GENEVE, 30 s otherwise. */
function defaultIntervalSeconds(isLambda: boolean, targetGroupProtocol: string | undefined): number {
  if (isLambda) return 35;
  return targetGroupProtocol === "GENEVE" ? 10 : 30;
}

/** The codes a matcher may list, which depend on the load balancer type (AWS's Matcher reference). */
function matcherRange(grpc: boolean, targetGroupProtocol: string | undefined): { low: number; high: number; example: string } {
  if (grpc) return { low: 0, high: 99, example: '"12"' };
  if (targetGroupProtocol === "GENEVE") return { low: 200, high: 399, example: '"200-399"' };
  if (targetGroupProtocol !== undefined && NETWORK_PROTOCOLS.includes(targetGroupProtocol))
    return { low: 200, high: 599, example: '"200-299"' };
  return { low: 200, high: 499, example: '"200-299"' };
}

/** The status codes in a matcher such as "200", "200,202" or "200-299"; undefined when malformed. */
function matcherCodes(matcher: string): number[] | undefined {
  const codes: number[] = [];
  for (const part of matcher.split(",")) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!match?.[1]) return undefined;
    codes.push(Number(match[1]), Number(match[2] ?? match[1]));
  }
  return codes;
}

const NAME = "target-group-health-check";

const CONFIG_SCHEMA = packConfigSchema({
  includeLambda: {
    type: "boolean",
    default: TARGET_GROUP_HEALTH_CHECK_DEFAULTS.includeLambda,
    description: "Also require health checks on Lambda target groups, where AWS leaves them off by default.",
  },
});

function checkTargetGroup(
  args: ResourceValidationArgs,
  config: TargetGroupHealthCheckConfig,
  reportViolation: (message: string) => void,
): void {
  const props = args.props;
  const targetType = upper(props.targetType) ?? "INSTANCE";
  const isLambda = targetType === "LAMBDA";
  if (isLambda && !config.includeLambda) return;

  const healthCheck: unknown = props.healthCheck;
  const targetGroupProtocol = upper(props.protocol);
  const grpc = upper(props.protocolVersion) === "GRPC";
  const pathExample = grpc ? '"/grpc.health.v1.Health/Check"' : '"/health"';
  if (healthCheck === undefined || healthCheck === null) {
    reportViolation(
      isLambda
        ? `healthCheck must be set with enabled: true on a Lambda target group (includeLambda is on), but it is not set, so AWS does not check the function: add healthCheck with enabled: true.`
        : `healthCheck must be set explicitly, but it is not set, so AWS's defaults decide when a target is healthy: add healthCheck with ${targetGroupProtocol === undefined || HTTP_HEALTH_CHECK_PROTOCOLS.includes(targetGroupProtocol) ? `a path such as ${pathExample}, ` : ""}thresholds, an interval and a timeout.`,
    );
    return;
  }
  if (typeof healthCheck !== "object" || Array.isArray(healthCheck)) {
    reportViolation(`healthCheck must be an object, but it is ${show(healthCheck)}: set it to a health check block.`);
    return;
  }
  const check = healthCheck as Record<string, unknown>;
  const enabled = check.enabled;
  if (enabled === false || (isLambda && enabled !== true)) {
    reportViolation(
      `healthCheck.enabled must be true, but it is ${show(enabled)}${enabled === undefined ? ", which leaves health checks off for a Lambda target group" : ""}, so traffic keeps going to failed targets: set healthCheck.enabled to true.`,
    );
    return;
  }

  const protocol = healthCheckProtocol(targetGroupProtocol, upper(check.protocol));
  const speaksHttp = !isLambda && HTTP_HEALTH_CHECK_PROTOCOLS.includes(protocol);
  if (speaksHttp) {
    const path = check.path;
    if (path === undefined || path === "") {
      reportViolation(
        `healthCheck.path must be set for a${grpc ? " gRPC" : "n " + protocol} health check, but it is not set, so AWS checks ${grpc ? '"/AWS.ALB/healthcheck"' : '"/"'} instead of the service's health endpoint: set healthCheck.path to ${pathExample}.`,
      );
    } else if (typeof path !== "string" || !path.startsWith("/")) {
      reportViolation(`healthCheck.path must be a path starting with "/", but it is ${show(path)}: set it to ${pathExample}.`);
    }
    const matcher = check.matcher;
    if (matcher !== undefined) {
      const { low, high, example } = matcherRange(grpc, targetGroupProtocol);
      const codes = typeof matcher === "string" ? matcherCodes(matcher) : undefined;
      if (!codes || codes.some((code) => code < low || code > high)) {
        reportViolation(
          `healthCheck.matcher must list ${grpc ? "gRPC" : "HTTP"} status codes from ${low} to ${high}, but it is ${show(matcher)}: set it to ${example} or similar.`,
        );
      }
    }
  }

  for (const field of ["healthyThreshold", "unhealthyThreshold", "interval", "timeout"] as const) {
    const value = check[field];
    if (value === undefined) continue;
    const range = RANGES[field];
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      (range.integer && !Number.isInteger(value)) ||
      value < range.min ||
      value > range.max
    ) {
      reportViolation(
        `healthCheck.${field} must be a whole number from ${range.min} to ${range.max}${range.unit}, but it is ${show(value)}: set a value in that range.`,
      );
    }
  }
  const timeout = check.timeout;
  const interval = check.interval ?? defaultIntervalSeconds(isLambda, targetGroupProtocol);
  if (typeof timeout === "number" && typeof interval === "number" && timeout >= interval) {
    reportViolation(
      `healthCheck.timeout must be shorter than healthCheck.interval, but it is ${timeout} s with an interval of ${interval} s${check.interval === undefined ? " (the default)" : ""}: lower the timeout or raise the interval.`,
    );
  }
}

export const targetGroupHealthCheck: ResourceValidationPolicy = {
  name: NAME,
  description: "Target groups must define an enabled health check with a path (for HTTP, HTTPS and gRPC) and values within AWS's ranges.",
  enforcementLevel: "mandatory",
  configSchema: CONFIG_SCHEMA,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME, CONFIG_SCHEMA, args.getConfig());
    if (!TARGET_GROUP_TYPES.includes(args.type)) return;
    const config: TargetGroupHealthCheckConfig = { includeLambda: raw.includeLambda === true };
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => checkTargetGroup(args, config, reportViolation));
  },
};
