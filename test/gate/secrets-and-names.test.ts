// The core's small decisions: how secrets are found and shown, how URNs are read, which stack
// names are valid, which steps destroy.

import { describe, expect, it } from "vitest";
import { DESTRUCTIVE_OPERATIONS, hasChanges, isOperation, OPERATIONS } from "../../src/gate/outcome.js";
import { collectSecrets, maskSecrets, scrubSecrets, SECRET_PLACEHOLDER } from "../../src/gate/secrets.js";
import { stackNameProblem } from "../../src/gate/stack-name.js";
import { bareStackName, projectFromUrn, rootStackUrn, typeFromUrn } from "../../src/gate/urn.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY } from "../../src/engine/wire-format.js";

const secret = (value: unknown): Record<string, unknown> => ({ [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value });

describe("secrets", () => {
  it("masks a secret at any depth and says there was one", () => {
    expect(maskSecrets({ a: [1, secret("hunter22")], b: "plain" })).toEqual({
      value: { a: [1, SECRET_PLACEHOLDER], b: "plain" },
      secret: true,
    });
    expect(maskSecrets({ a: [1, 2] })).toEqual({ value: { a: [1, 2] }, secret: false });
  });

  it("scrubs every secret from a message, also as quoted in JSON, longest first; short ones are left", () => {
    const found = new Set<string>();
    collectSecrets({ password: secret('pa"ss\nword'), nested: secret({ token: "tok-123", pin: "12" }), open: "visible" }, found);
    expect([...found].sort()).toEqual(['pa"ss\nword', 'pa\\"ss\\nword', "tok-123"].sort());
    expect(scrubSecrets('password "pa\\"ss\\nword", token tok-1234, visible', found)).toBe('password "[secret]", token [secret]4, visible');
  });
});

describe("URNs", () => {
  const urn = "urn:pulumi:dev::alb::awsx:lb:ApplicationLoadBalancer$aws:lb/listener:Listener::web::http";
  it("reads the own type, the project, and builds the root stack's", () => {
    expect(typeFromUrn(urn)).toBe("aws:lb/listener:Listener");
    expect(projectFromUrn(urn)).toBe("alb");
    expect(projectFromUrn("not-a-urn")).toBeUndefined();
    expect(rootStackUrn("alb", "dev")).toBe("urn:pulumi:dev::alb::pulumi:pulumi:Stack::alb-dev");
    expect(bareStackName("acme/alb/dev")).toBe("dev");
  });
});

describe("stack names", () => {
  it.each(["dev", "acme/dev", "acme/alb/dev", "my_stack.1"])("%s is a qualified stack name", (name) => {
    expect(stackNameProblem(name, true)).toBeUndefined();
  });

  it.each(["", "a b", "a//b", "/dev", "a/b/c/d", "../prod"])("%j is not a qualified stack name", (name) => {
    expect(stackNameProblem(name, true)).toBe('expected "stack", "org/stack" or "org/project/stack" of letters, digits, "-", "_" and "."');
  });

  it("a bare name takes no slash", () => {
    expect(stackNameProblem("dev", false)).toBeUndefined();
    expect(stackNameProblem("acme/dev", false)).toBe('expected a stack name of letters, digits, "-", "_" and "."');
  });
});

describe("operations", () => {
  it("every destructive operation is an operation, and a create is not destructive", () => {
    for (const op of DESTRUCTIVE_OPERATIONS) expect(OPERATIONS).toContain(op);
    expect(DESTRUCTIVE_OPERATIONS.has("create")).toBe(false);
    expect(isOperation("frobnicate")).toBe(false);
  });

  it("has changes when anything but same is counted; unknown without a summary", () => {
    expect(hasChanges({ same: 3, create: 0 })).toBe(false);
    expect(hasChanges({ same: 3, delete: 1 })).toBe(true);
    expect(hasChanges(undefined)).toBeUndefined();
  });
});
