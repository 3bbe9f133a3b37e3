// The report model's pure helpers: the gate's decision, the counts, the order every rendering
// uses, and the resource name read from a URN.

import { describe, expect, it } from "vitest";
import { countViolations, decide, sortViolations, type Violation } from "../../src/gate/report.js";
import { nameFromUrn } from "../../src/gate/urn.js";

function violation(overrides: Partial<Violation>): Violation {
  return {
    policy: "lb-tls-1-2-minimum",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    urn: "urn:pulumi:dev::alb::aws:lb/listener:Listener::https",
    resourceType: "aws:lb/listener:Listener",
    message: "m",
    ...overrides,
  };
}

describe("decide", () => {
  it("fails on a mandatory violation and passes on advisory ones or none", () => {
    expect(decide([violation({}), violation({ enforcementLevel: "advisory" })])).toEqual({
      verdict: "fail",
      failureReason: "policy-violations",
    });
    expect(decide([violation({ enforcementLevel: "advisory" })])).toEqual({ verdict: "pass", failureReason: "none" });
    expect(decide([])).toEqual({ verdict: "pass", failureReason: "none" });
  });

  it("counts each level", () => {
    expect(
      countViolations([violation({}), violation({ enforcementLevel: "advisory" }), violation({ enforcementLevel: "advisory" })]),
    ).toEqual({ mandatory: 1, advisory: 2 });
  });
});

describe("sortViolations", () => {
  it("puts mandatory first, then orders by resource, policy and message, without changing its input", () => {
    const input = [
      violation({ enforcementLevel: "advisory", urn: "a" }),
      violation({ urn: "b", policy: "z" }),
      violation({ urn: "b", policy: "a", message: "2" }),
      violation({ urn: "b", policy: "a", message: "1" }),
    ];
    const copy = [...input];
    expect(sortViolations(input).map((item) => [item.enforcementLevel, item.urn, item.policy, item.message])).toEqual([
      ["mandatory", "b", "a", "1"],
      ["mandatory", "b", "a", "2"],
      ["mandatory", "b", "z", "m"],
      ["advisory", "a", "lb-tls-1-2-minimum", "m"],
    ]);
    expect(input).toEqual(copy);
  });
});

describe("nameFromUrn", () => {
  it.each([
    ["urn:pulumi:dev::alb::aws:lb/listener:Listener::https", "https"],
    ["urn:pulumi:dev::alb::my:index:Component$aws:lb/listener:Listener::web-https", "web-https"],
    // Pulumi accepts any resource name: one holding "::" must not pass for its last part.
    ["urn:pulumi:dev::alb::aws:lb/listener:Listener::evil::https", "evil::https"],
    ["urn:pulumi:dev::alb::aws:lb/listener:Listener::", ""],
    ["not-a-urn", "not-a-urn"],
    ["a::b", "b"],
  ])("reads %j as %j", (urn, name) => {
    expect(nameFromUrn(urn)).toBe(name);
  });
});
