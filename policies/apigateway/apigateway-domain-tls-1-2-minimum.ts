// apigateway-domain-tls-1-2-minimum: API Gateway custom domain names require TLS 1.2 or newer.
// REST domains carry securityPolicy (TLS_1_0, TLS_1_2 or a SecurityPolicy_TLS13_* / _TLS12_*
// name); HTTP and WebSocket domains carry it in domainNameConfiguration.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { show } from "../messages";
import { HTTP_API_DOMAIN_NAME_TYPE, REST_API_DOMAIN_NAME_TYPE } from "../resource-types";
import { isOlder, tlsMinimumConfig, tlsMinimumConfigSchema, type TlsVersion } from "../tls";

/** The oldest TLS version an API Gateway security policy accepts; undefined for unknown names. */
export function apiGatewaySecurityPolicyMinimumTls(name: string): TlsVersion | undefined {
  if (name === "TLS_1_0") return "1.0";
  if (name === "TLS_1_2") return "1.2";
  const versioned = /^SecurityPolicy_TLS13_1_([0-3])_/.exec(name);
  if (versioned) return `1.${versioned[1]}` as TlsVersion;
  if (/^SecurityPolicy_TLS13_/.test(name)) return "1.3";
  if (/^SecurityPolicy_TLS12_/.test(name)) return "1.2";
  return undefined;
}

const RECOMMENDED: Readonly<Record<"1.2" | "1.3", string>> = { "1.2": "TLS_1_2", "1.3": "SecurityPolicy_TLS13_1_3_2025_09" };

export const apiGatewayDomainTls12Minimum: ResourceValidationPolicy = {
  name: "apigateway-domain-tls-1-2-minimum",
  description: "API Gateway custom domain names must require TLS 1.2 or newer.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    let property: string;
    let securityPolicy: unknown;
    if (args.type === REST_API_DOMAIN_NAME_TYPE) {
      property = "securityPolicy";
      securityPolicy = args.props.securityPolicy;
    } else if (args.type === HTTP_API_DOMAIN_NAME_TYPE) {
      property = "domainNameConfiguration.securityPolicy";
      const configuration: unknown = args.props.domainNameConfiguration;
      securityPolicy =
        configuration !== null && typeof configuration === "object" ? (configuration as Record<string, unknown>).securityPolicy : undefined;
    } else {
      return;
    }
    const config = tlsMinimumConfig(args.getConfig());
    const recommended = RECOMMENDED[config.minimumVersion];
    if (typeof securityPolicy === "string" && config.allowedPolicies.includes(securityPolicy)) return;
    if (securityPolicy === undefined || securityPolicy === "") {
      reportViolation(
        `${property} must be set to a policy with TLS ${config.minimumVersion} or newer, but it is not set, so the TLS floor is left to AWS's default: set it to "${recommended}".`,
      );
      return;
    }
    const minimum = typeof securityPolicy === "string" ? apiGatewaySecurityPolicyMinimumTls(securityPolicy) : undefined;
    if (minimum === undefined) {
      reportViolation(
        `${property} must name an API Gateway security policy whose TLS versions are known, but it is ${show(securityPolicy)}: set it to "${recommended}", or add the name to allowedPolicies in this policy's configuration.`,
      );
    } else if (isOlder(minimum, config.minimumVersion)) {
      reportViolation(
        `${property} must allow nothing older than TLS ${config.minimumVersion}, but ${show(securityPolicy)} allows TLS ${minimum}: set it to "${recommended}".`,
      );
    }
  },
};
