// The shapes of the stand-in answers real programs depend on.

import { describe, expect, it } from "vitest";
import { answerInvoke } from "../../../src/engine/offline/stand-in-values.js";

const GET_PARAMETER = "aws:ssm/getParameter:getParameter";

describe("stand-in answers to SSM parameter lookups", () => {
  it("the recommended ECS AMI is a JSON document with an image id, as awsx classic parses it", () => {
    const answer = answerInvoke(GET_PARAMETER, { name: "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended" });
    const document = JSON.parse(String(answer.value)) as Record<string, unknown>;
    expect(document.image_id).toMatch(/^ami-0[0-9a-f]{16}$/);
    expect(answer.name).toBe("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended");
  });

  it("an image_id parameter (ECS, EKS) is the AMI id alone", () => {
    for (const name of [
      "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
      "/aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id",
    ]) {
      expect(answerInvoke(GET_PARAMETER, { name }).value).toMatch(/^ami-0[0-9a-f]{16}$/);
    }
  });

  it("any other parameter has a string value", () => {
    expect(answerInvoke(GET_PARAMETER, { name: "/app/db-host" }).value).toBe("policy-gate-offline-stand-in");
  });
});
