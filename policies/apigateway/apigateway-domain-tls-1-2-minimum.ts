// apigateway-domain-tls-1-2-minimum: API Gateway custom domain names require TLS 1.2 or newer.
// REST domains carry securityPolicy (TLS_1_0, TLS_1_2 or an enhanced SecurityPolicy_* name);
// HTTP and WebSocket domains carry it in domainNameConfiguration. What each name accepts is in
// apigateway-security-policies.ts, with its source.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkedConfig, unknownValuesSetting } from "../config";
import { show } from "../messages";
import { checkReportingUnknowns } from "../preview";
import { HTTP_API_DOMAIN_NAME_TYPE, REST_API_DOMAIN_NAME_TYPE } from "../resource-types";
import { isOlder, tlsMinimumConfig, tlsMinimumConfigSchema } from "../tls";
import { API_GATEWAY_RECOMMENDED_SECURITY_POLICY, apiGatewaySecurityPolicyMinimumTls } from "./apigateway-security-policies";

const NAME = "apigateway-domain-tls-1-2-minimum";

export const apiGatewayDomainTls12Minimum: ResourceValidationPolicy = {
  name: NAME,
  description: "API Gateway custom domain names must require TLS 1.2 or newer.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME, tlsMinimumConfigSchema, args.getConfig());
    if (args.type !== REST_API_DOMAIN_NAME_TYPE && args.type !== HTTP_API_DOMAIN_NAME_TYPE) return;
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => {
      let property: string;
      let securityPolicy: unknown;
      if (args.type === REST_API_DOMAIN_NAME_TYPE) {
        property = "securityPolicy";
        securityPolicy = args.props.securityPolicy;
      } else {
        property = "domainNameConfiguration.securityPolicy";
        const configuration: unknown = args.props.domainNameConfiguration;
        securityPolicy =
          configuration !== null && typeof configuration === "object"
            ? (configuration as Record<string, unknown>).securityPolicy
            : undefined;
      }
      const config = tlsMinimumConfig(raw);
      const recommended = API_GATEWAY_RECOMMENDED_SECURITY_POLICY[config.minimumVersion];
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
    });
  },
};
