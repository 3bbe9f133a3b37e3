// The pulumi-policy-gate policy pack: what the gate enforces on every preview. Runs unchanged
// under the Pulumi CLI (`pulumi preview --policy-pack policies`) and under the offline engine.

import { PolicyPack } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "./catalog";

export { policies, POLICY_PACK_NAME };

new PolicyPack(POLICY_PACK_NAME, { policies, enforcementLevel: "mandatory" });
