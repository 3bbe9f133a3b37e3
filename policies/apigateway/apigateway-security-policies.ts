// The API Gateway security policies (custom domain names, REST APIs) and the oldest TLS version
// each one accepts, beside their source. An explicit table, as for Elastic Load Balancing
// (lb/elb-security-policies.ts), rather than a pattern: "TLS13" in a name does not make TLS 1.3
// the minimum (SecurityPolicy_TLS13_1_2_* accept TLS 1.2), and a name missing here cannot be
// verified, so it is rejected (allowedPolicies accepts it).
//
// Sources, as cited below:
//  [names]  API Gateway API Reference, CreateDomainName, securityPolicy, "Valid Values"
//           (docs.aws.amazon.com/apigateway/latest/api/API_CreateDomainName.html); the REST API
//           list adds SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09 (AWS SDK for Python,
//           api-gateway enum SecurityPolicy).
//  [legacy] Developer Guide, "Choose a security policy for your custom domain in API Gateway"
//           (apigateway-custom-domain-tls-version.html): TLS_1_0 accepts TLS 1.0 to 1.3; TLS_1_2
//           accepts TLS 1.2 and 1.3 and rejects TLS 1.0.
//  [1_3]    Developer Guide, "Security policies for REST APIs in API Gateway"
//           (apigateway-security-policies.html): SecurityPolicy_TLS13_1_3_2025_09 "accepts TLS 1.3
//           traffic and rejects TLS 1.2 and TLS 1.0 traffic".
//  [list]   Developer Guide, "Supported security policies" (apigateway-security-policies-list.html),
//           regional and private table: SecurityPolicy_TLS13_1_3_FIPS_2025_09 TLS1.3;
//           SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09 TLS1.3 and TLS1.2.
//  [http]   Developer Guide, "Security policies for HTTP APIs" (http-api-ciphers.html): HTTP APIs
//           use TLS_1_2, which accepts TLS 1.2 and 1.3.
//  [name]   Not confirmed row by row from AWS's table (not reachable when this was written): the
//           version after "TLS13_" or "TLS12_" as 1_N, as in the rows confirmed above.

import type { TlsVersion } from "../tls";

const API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS: Readonly<Record<string, TlsVersion>> = {
  // Legacy policies [legacy]; TLS_1_0 is the default of regional and edge-optimized REST APIs.
  TLS_1_0: "1.0",
  TLS_1_2: "1.2",
  // Regional and private endpoints.
  SecurityPolicy_TLS13_1_3_2025_09: "1.3", // [1_3]
  SecurityPolicy_TLS13_1_3_FIPS_2025_09: "1.3", // [list]
  SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09: "1.2", // [list]
  SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09: "1.2", // [name]
  SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09: "1.2", // [name]
  SecurityPolicy_TLS13_1_2_PQ_2025_09: "1.2", // [name]
  SecurityPolicy_TLS13_1_2_2021_06: "1.2", // [name]
  // Edge-optimized endpoints.
  SecurityPolicy_TLS12_PFS_2025_EDGE: "1.2", // [name]
  SecurityPolicy_TLS12_2018_EDGE: "1.2", // [name]
  // Unconfirmed, and recorded as the older of the two candidates. Its name gives no minimum (no
  // 1_N after TLS13_); edge-optimized endpoints are served by CloudFront, whose TLSv1.3_2025 policy
  // accepts TLS 1.3 only (third-party sources), so it may well be 1.3. Until AWS's table confirms
  // it, minimumVersion "1.3" does not pass it on a guess: allowedPolicies can.
  SecurityPolicy_TLS13_2025_EDGE: "1.2",
};

/** The policy a fix should suggest for each minimum version. */
export const API_GATEWAY_RECOMMENDED_SECURITY_POLICY: Readonly<Record<"1.2" | "1.3", string>> = {
  "1.2": "TLS_1_2",
  "1.3": "SecurityPolicy_TLS13_1_3_2025_09",
};

/** The oldest TLS version an API Gateway security policy accepts; undefined for names not in the table. */
export function apiGatewaySecurityPolicyMinimumTls(name: string): TlsVersion | undefined {
  return Object.prototype.hasOwnProperty.call(API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS, name)
    ? API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS[name]
    : undefined;
}

export function knownApiGatewaySecurityPolicies(): readonly string[] {
  return Object.keys(API_GATEWAY_SECURITY_POLICY_MINIMUM_TLS);
}
