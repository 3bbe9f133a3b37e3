// The pulumi-policy-gate policy pack: what the gate enforces on every preview. Runs unchanged
// under the Pulumi CLI (`pulumi preview --policy-pack policies`) and under the offline engine.

import { PolicyPack } from "@pulumi/policy";
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

new PolicyPack(POLICY_PACK_NAME, { policies, enforcementLevel: "mandatory" });
