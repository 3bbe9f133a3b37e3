// The predefined Elastic Load Balancing security policies and the oldest TLS version each one
// accepts. ALB and NLB listeners accept only these names (there are no custom policies), so a
// name missing from this table cannot be verified. The names are traps: "TLS13" in a name does
// not mean TLS 1.3 is the minimum (TLS13-1-0-* accepts TLS 1.0), and names without a version
// (2016-08, 2015-05, FS-2018-06) accept TLS 1.0. The version that follows "TLS-", "TLS13-" or
// "FS-" as 1-N is the minimum; tests check every entry against that rule.
// Source: Elastic Load Balancing User Guides, "Security policies for your Application Load
// Balancer" and "for your Network Load Balancer" (the TLS protocols of each policy), as gathered
// in the project's policy facts; the API Gateway names are in apigateway/apigateway-security-policies.ts.

import type { TlsVersion } from "../tls";

const ELB_SECURITY_POLICY_MINIMUM_TLS: Readonly<Record<string, TlsVersion>> = {
  // ELBSecurityPolicy-2016-08 is what AWS applies when a listener names no policy.
  "ELBSecurityPolicy-2016-08": "1.0",
  "ELBSecurityPolicy-2015-05": "1.0",
  "ELBSecurityPolicy-TLS-1-0-2015-04": "1.0",
  "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1",
  "ELBSecurityPolicy-TLS-1-2-2017-01": "1.2",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": "1.2",
  "ELBSecurityPolicy-FS-2018-06": "1.0",
  "ELBSecurityPolicy-FS-1-1-2019-08": "1.1",
  "ELBSecurityPolicy-FS-1-2-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10": "1.2",
  "ELBSecurityPolicy-TLS13-1-0-2021-06": "1.0",
  "ELBSecurityPolicy-TLS13-1-1-2021-06": "1.1",
  "ELBSecurityPolicy-TLS13-1-2-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-2021-06": "1.3",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": "1.0",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": "1.1",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": "1.3",
  // The RFC 9151 family is documented by third-party sources only; its names follow the rule.
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07": "1.3",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": "1.3",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09": "1.3",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09": "1.2",
  "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09": "1.0",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09": "1.0",
  // Its existence is uncertain; listed so that, if it exists, it is correctly rejected.
  "ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09": "1.1",
};

/** The policy AWS applies to an HTTPS or TLS listener that names none. */
export const ELB_DEFAULT_SECURITY_POLICY = "ELBSecurityPolicy-2016-08";

/** The policy a fix should suggest for each minimum version. */
export const ELB_RECOMMENDED_SECURITY_POLICY: Readonly<Record<"1.2" | "1.3", string>> = {
  "1.2": "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "1.3": "ELBSecurityPolicy-TLS13-1-3-2021-06",
};

export function elbSecurityPolicyMinimumTls(name: string): TlsVersion | undefined {
  return Object.prototype.hasOwnProperty.call(ELB_SECURITY_POLICY_MINIMUM_TLS, name) ? ELB_SECURITY_POLICY_MINIMUM_TLS[name] : undefined;
}

export function knownElbSecurityPolicies(): readonly string[] {
  return Object.keys(ELB_SECURITY_POLICY_MINIMUM_TLS);
}
