// Plausible answers for the cloud lookups a program makes (invokes such as aws.ec2.getSubnets,
// and `.get()` reads of existing resources). Offline there is no cloud to ask, so every answer
// is derived deterministically from the token and the arguments: the same program always sees
// the same VPC, subnets and certificate, and policies see realistic shapes.

import { createHash } from "node:crypto";
import { UNKNOWN_VALUE } from "../wire-format.js";

const ACCOUNT_ID = "123456789012";
const REGION = "us-east-1";
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

function digest(...parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** An AWS-style id such as `subnet-0a1b2c3d4e5f60718`. */
export function standInId(prefix: string, ...seed: readonly unknown[]): string {
  return `${prefix}-0${digest(prefix, ...seed).slice(0, 16)}`;
}

function arn(service: string, resource: string): string {
  return `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

type Answer = (args: Record<string, unknown>) => Record<string, unknown>;

// Answers for the lookups the fixtures and typical ALB / API Gateway programs make. Anything
// else gets the generic answer below.
const ANSWERS: Readonly<Record<string, Answer>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/policy-gate-offline`,
    id: ACCOUNT_ID,
    userId: "AIDAOFFLINEPOLICYGATE",
  }),
  "aws:index/getRegion:getRegion": () => ({ id: REGION, name: REGION, region: REGION, endpoint: `ec2.${REGION}.amazonaws.com` }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    id: REGION,
    names: ZONES,
    zoneIds: ZONES.map((_, index) => `use1-az${index + 1}`),
  }),
  "aws:ec2/getVpc:getVpc": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("vpc", args);
    return { ...args, id, arn: arn("ec2", `vpc/${id}`), cidrBlock: "10.0.0.0/16", default: args.default === true, state: "available" };
  },
  "aws:ec2/getSubnets:getSubnets": (args) => ({
    ...args,
    id: REGION,
    ids: ZONES.map((zone) => standInId("subnet", args, zone)),
  }),
  "aws:ec2/getSubnet:getSubnet": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("subnet", args);
    return {
      ...args,
      id,
      arn: arn("ec2", `subnet/${id}`),
      availabilityZone: ZONES[0],
      vpcId: standInId("vpc", args),
      cidrBlock: "10.0.1.0/24",
    };
  },
  "aws:ec2/getSecurityGroup:getSecurityGroup": (args) => {
    const id = typeof args.id === "string" ? args.id : standInId("sg", args);
    return { ...args, id, arn: arn("ec2", `security-group/${id}`), vpcId: standInId("vpc", args) };
  },
  "aws:acm/getCertificate:getCertificate": (args) => ({
    ...args,
    id: standInId("cert", args),
    arn: arn("acm", `certificate/${digest("cert", args).slice(0, 8)}-offline`),
    status: "ISSUED",
  }),
  "aws:ssm/getParameter:getParameter": (args) => {
    const name = typeof args.name === "string" ? args.name : "";
    return { ...args, id: name, arn: arn("ssm", `parameter${name}`), name, type: "String", value: ssmParameterValue(name), version: 1 };
  },
  "aws:route53/getZone:getZone": (args) => ({
    ...args,
    id: `Z${digest("zone", args).slice(0, 12).toUpperCase()}`,
    zoneId: `Z${digest("zone", args).slice(0, 12).toUpperCase()}`,
    name: typeof args.name === "string" ? args.name : "example.com",
  }),
};

/**
 * The public parameters AWS publishes for its recommended ECS and EKS AMIs
 * (/aws/service/ecs/optimized-ami/…/recommended is a JSON document with image_id; its
 * …/image_id and EKS's …/recommended/image_id are the id alone); any other parameter a fixed string.
 */
function ssmParameterValue(name: string): string {
  const imageId = standInId("ami", name);
  if (/^\/aws\/service\/(ecs|eks|bottlerocket)\/.*\/image_id$/.test(name)) return imageId;
  if (/^\/aws\/service\/ecs\/optimized-ami\/.*\/recommended$/.test(name)) {
    return JSON.stringify({
      ecs_agent_version: "1.80.0",
      ecs_runtime_version: "Docker version 20.10.25",
      image_id: imageId,
      image_name: "amzn2-ami-ecs-hvm-2.0.20240101-x86_64-ebs",
      image_version: "2.0.20240101",
      os: "Amazon Linux 2",
      schema_version: 1,
      source_image_name: "amzn2-ami-minimal-hvm-2.0.20240101-x86_64-ebs",
    });
  }
  return "policy-gate-offline-stand-in";
}

/** Answers an invoke: the token's own answer, or the arguments echoed with an id, an ARN and ids. */
export function answerInvoke(token: string, args: Record<string, unknown>): Record<string, unknown> {
  const answer = ANSWERS[token];
  if (answer) return answer(args);
  const [pkg = "aws", module = "index"] = token.split(/[:/]/);
  return {
    ...args,
    id: typeof args.id === "string" ? args.id : standInId(module, token, args),
    arn: typeof args.arn === "string" ? args.arn : arn(module.replace(/[^a-z0-9]/g, ""), `${pkg}/${digest(token, args).slice(0, 12)}`),
    ids: [],
    names: [],
  };
}

/** The state a `.get()` read returns: what the program passed, plus an id and an ARN. */
/**
 * A stack reference's outputs live in another stack's state, which the offline engine cannot
 * read: they are answered as unknown, so that a policy sees "unknown during preview" rather than
 * a made-up value, and the program's `getOutput` values stay unknown too.
 */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

export function answerRead(type: string, name: string, id: string, inputs: unknown): Record<string, unknown> {
  if (type === STACK_REFERENCE_TYPE) return { name: id || name, outputs: UNKNOWN_VALUE, secretOutputNames: [] };
  const [, module = "resource"] = type.split(/[:/]/);
  return {
    ...asRecord(inputs),
    id,
    arn: id.startsWith("arn:") ? id : arn(module.replace(/[^a-z0-9]/g, ""), `${name}/${id}`),
  };
}
