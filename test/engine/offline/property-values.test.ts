// Property values in the forms the receiving side accepts, as the engine's marshalling gives them.

import { describe, expect, it } from "vitest";
import { containsUnknowns, downgradeValue, outputValueDependencies } from "../../../src/engine/offline/plugins/property-values.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY, UNKNOWN_VALUE } from "../../../src/engine/wire-format.js";

const RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ALL = { secrets: true, resources: true, outputValues: true };
const NONE = { secrets: false, resources: false, outputValues: false };

const lbUrn = "urn:pulumi:dev::shop::aws:lb/loadBalancer:LoadBalancer::web";
const reference = { [SPECIAL_SIGNATURE_KEY]: RESOURCE, urn: lbUrn, id: "lb-1", packageVersion: "7.48.0" };
const secret = { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "s3cret" };

describe("downgradeValue", () => {
  it("keeps every form the receiver accepts", () => {
    const value = { lb: reference, token: secret, list: [reference] };
    expect(downgradeValue(value, ALL)).toEqual(value);
  });

  it("gives a receiver without resource references the resource's ID, or its URN when it has none", () => {
    expect(downgradeValue({ lb: reference }, { ...ALL, resources: false })).toEqual({ lb: "lb-1" });
    expect(downgradeValue({ lb: { ...reference, id: "" } }, { ...ALL, resources: false })).toEqual({ lb: UNKNOWN_VALUE });
    const component = { [SPECIAL_SIGNATURE_KEY]: RESOURCE, urn: "urn:pulumi:dev::shop::my:index:Thing::t" };
    expect(downgradeValue([component], { ...ALL, resources: false })).toEqual(["urn:pulumi:dev::shop::my:index:Thing::t"]);
  });

  it("gives a receiver without secrets the plain value", () => {
    expect(downgradeValue({ token: secret }, { ...ALL, secrets: false })).toEqual({ token: "s3cret" });
  });

  it("gives a receiver without output values their value, unknown, or secret", () => {
    const known = { [SPECIAL_SIGNATURE_KEY]: OUTPUT, value: 80, dependencies: [lbUrn] };
    const unknown = { [SPECIAL_SIGNATURE_KEY]: OUTPUT, dependencies: [lbUrn] };
    const secretOutput = { [SPECIAL_SIGNATURE_KEY]: OUTPUT, value: "x", secret: true };
    expect(downgradeValue({ known, unknown, secretOutput }, { ...ALL, outputValues: false })).toEqual({
      known: 80,
      unknown: UNKNOWN_VALUE,
      secretOutput: { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "x" },
    });
    expect(downgradeValue({ secretOutput }, NONE)).toEqual({ secretOutput: "x" });
  });
});

describe("unknowns and dependencies", () => {
  it("finds an unknown anywhere, an unknown output value included", () => {
    expect(containsUnknowns({ a: [{ b: UNKNOWN_VALUE }] })).toBe(true);
    expect(containsUnknowns({ a: { [SPECIAL_SIGNATURE_KEY]: OUTPUT } })).toBe(true);
    expect(containsUnknowns({ a: [1, "two", { three: null }] })).toBe(false);
  });

  it("collects the dependencies of output values", () => {
    const value = {
      a: { [SPECIAL_SIGNATURE_KEY]: OUTPUT, value: 1, dependencies: [lbUrn] },
      b: [{ [SPECIAL_SIGNATURE_KEY]: OUTPUT, dependencies: ["urn:x"] }],
    };
    expect([...outputValueDependencies(value)]).toEqual([lbUrn, "urn:x"]);
  });
});
