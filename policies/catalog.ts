// The pack's name and its policies, in the order the pack serves them. index.ts hands them to the
// PolicyPack; the gate reads their names, descriptions and configuration schemas from here (the
// SARIF rules) without starting the pack, which index.ts would do on import.

import { apiGatewayDomainTls12Minimum } from "./apigateway/apigateway-domain-tls-1-2-minimum";
import { apiGatewayThrottlingBounds } from "./apigateway/apigateway-throttling-bounds";
import { albHttpRedirectsToHttps } from "./lb/alb-http-redirects-to-https";
import { lbTls12Minimum } from "./lb/lb-tls-1-2-minimum";
import { targetGroupHealthCheck } from "./lb/target-group-health-check";

export const POLICY_PACK_NAME = "pulumi-policy-gate";

export const policies = [
  albHttpRedirectsToHttps,
  lbTls12Minimum,
  apiGatewayDomainTls12Minimum,
  targetGroupHealthCheck,
  apiGatewayThrottlingBounds,
];
