// lb-tls-1-2-minimum: every HTTPS (ALB) or TLS (NLB) listener names a predefined security policy
// whose oldest TLS version is 1.2 or newer (1.3 when configured so).

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkedConfig, unknownValuesSetting } from "../config";
import { show } from "../messages";
import { checkReportingUnknowns } from "../preview";
import { LISTENER_TYPES } from "../resource-types";
import { isOlder, tlsMinimumConfig, tlsMinimumConfigSchema } from "../tls";
import { ELB_DEFAULT_SECURITY_POLICY, ELB_RECOMMENDED_SECURITY_POLICY, elbSecurityPolicyMinimumTls } from "./elb-security-policies";

const NAME = "lb-tls-1-2-minimum";

export const lbTls12Minimum: ResourceValidationPolicy = {
  name: NAME,
  description: "HTTPS and TLS listeners must use a predefined security policy that allows nothing older than TLS 1.2.",
  enforcementLevel: "mandatory",
  configSchema: tlsMinimumConfigSchema,
  validateResource: (args, reportViolation) => {
    const raw = checkedConfig(NAME, tlsMinimumConfigSchema, args.getConfig());
    if (!LISTENER_TYPES.includes(args.type)) return;
    checkReportingUnknowns(unknownValuesSetting(raw), reportViolation, () => {
      const protocol: unknown = args.props.protocol;
      const normalized = typeof protocol === "string" ? protocol.toUpperCase() : undefined;
      if (normalized !== "HTTPS" && normalized !== "TLS") return;
      const config = tlsMinimumConfig(raw);
      const recommended = ELB_RECOMMENDED_SECURITY_POLICY[config.minimumVersion];
      const sslPolicy: unknown = args.props.sslPolicy;
      if (sslPolicy === undefined || sslPolicy === "") {
        reportViolation(
          `sslPolicy must be set on ${normalized === "HTTPS" ? "an HTTPS" : "a TLS"} listener, but it is not set, so AWS applies "${ELB_DEFAULT_SECURITY_POLICY}", which allows TLS 1.0: set sslPolicy to "${recommended}" or another policy with TLS ${config.minimumVersion} or newer.`,
        );
        return;
      }
      if (typeof sslPolicy !== "string") {
        reportViolation(`sslPolicy must be the name of a security policy, but it is ${show(sslPolicy)}: set it to "${recommended}".`);
        return;
      }
      if (config.allowedPolicies.includes(sslPolicy)) return;
      const minimum = elbSecurityPolicyMinimumTls(sslPolicy);
      if (minimum === undefined) {
        reportViolation(
          `sslPolicy must name a predefined security policy whose TLS versions are known, but ${show(sslPolicy)} is not one: set it to "${recommended}", or add the name to allowedPolicies in this policy's configuration.`,
        );
      } else if (isOlder(minimum, config.minimumVersion)) {
        reportViolation(
          `sslPolicy must allow nothing older than TLS ${config.minimumVersion}, but ${show(sslPolicy)} allows TLS ${minimum}: set it to "${recommended}".`,
        );
      }
    });
  },
};
