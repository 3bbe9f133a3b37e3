// The fingerprint of proposed changes: built from real preview streams (fixtures/events/own),
// the same for two runs of the same preview, carried in a hidden comment that survives GitHub
// and cannot be forged from untrusted text, and compared resource by resource.

import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  changesAt,
  compareFingerprints,
  describeChange,
  digestOf,
  fingerprintMarker,
  fingerprintOf,
  merge,
  readFingerprint,
  topLevelProperty,
  type ChangeFingerprint,
  type FingerprintedChange,
} from "../../src/deploy/fingerprint.js";
import { canonicalJson, inputDigestsOf } from "../../src/deploy/input-digests.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY, UNKNOWN_VALUE } from "../../src/engine/wire-format.js";
import { packageRoot } from "../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../src/engine/pulumi/engine-events.js";
import { reduceEvents, stepChanges } from "../../src/engine/pulumi/reduce-events.js";
import type { Operation, ResourceChange } from "../../src/gate/outcome.js";
import { markedCommentBody } from "../../src/github/sticky-comment.js";
import { MARKER_BUDGET } from "../../src/deploy/fingerprint-marker.js";
import { COMMENT_LENGTH, renderComment } from "../../src/report/comment.js";
import type { GateOutcome } from "../../src/gate/outcome.js";
import type { Report } from "../../src/gate/report.js";

const EMPTY_REPORT: Report = {
  verdict: "pass",
  failureReason: "none",
  engine: "pulumi",
  project: "inference",
  stack: "acme/inference/production",
  policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
  resources: [],
  violations: [],
  warnings: [],
};

const OWN = path.join(packageRoot(), "fixtures", "events", "own");

function readEvents(file: string): EngineEvent[] {
  return readFileSync(path.join(OWN, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

const urn = (type: string, name: string): string => `urn:pulumi:dev::alb::${type}::${name}`;
const SG = urn("aws:ec2/securityGroup:SecurityGroup", "alb-sg");
const ALB = urn("aws:lb/loadBalancer:LoadBalancer", "inference-alb");
const TG = urn("aws:lb/targetGroup:TargetGroup", "inference-tg");
const HTTP = urn("aws:lb/listener:Listener", "http");
const HTTPS = urn("aws:lb/listener:Listener", "https");
const API = urn("aws:lb/listenerRule:ListenerRule", "api");
const STACK = urn("pulumi:pulumi:Stack", "alb-dev");

function change(resourceUrn: string, op: Operation, changedProperties: string[] = []): ResourceChange {
  const type = resourceUrn.split("::")[2] ?? "";
  return { urn: resourceUrn, type, name: resourceUrn.split("::").at(-1) ?? "", op, changedProperties };
}

type Shape = Pick<FingerprintedChange, "urn" | "op" | "properties"> & { inputs?: FingerprintedChange["inputs"] };

function fingerprint(stack: string, shapes: readonly Shape[]): ChangeFingerprint {
  const changes = merge(shapes.map((shape) => ({ inputs: {}, ...shape })));
  return { version: 2, stack, digest: digestOf(stack, changes), detail: "values", changes };
}

/** The changes without their input digests: what the reviewer reads. */
function shapes(value: ChangeFingerprint | undefined): Shape[] | undefined {
  return value?.changes.map(({ urn, op, properties }) => ({ urn, op, properties }));
}

describe("fingerprintOf", () => {
  it("the destroy preview: per resource its operation and the top-level properties that change", () => {
    const destroy = fingerprintOf("dev", stepChanges(readEvents("alb-preview-destroy.jsonl")));
    expect(destroy).toMatchObject({ version: 2, stack: "dev", detail: "values" });
    expect(shapes(destroy)).toEqual([
      { urn: SG, op: "update", properties: ["ingress", "tags", "tagsAll"] },
      { urn: HTTP, op: "delete", properties: [] },
      { urn: API, op: "update", properties: ["actions"] },
      { urn: TG, op: "replace", properties: ["port"] },
    ]);
  });

  it("reduceEvents keeps only a resource's last step, so a replacement loses the properties that force it", () => {
    const { changes } = reduceEvents(readEvents("alb-preview-destroy.jsonl"), "alb", "dev");
    expect(changes.find((entry) => entry.urn === TG)).toMatchObject({ op: "delete-replaced", changedProperties: [] });
    expect(shapes(fingerprintOf("dev", changes))?.find((entry) => entry.urn === TG)).toEqual({ urn: TG, op: "replace", properties: [] });
  });

  it("a new stack: every resource created, the stack itself included, sorted by URN", () => {
    const changes = fingerprintOf("dev", stepChanges(readEvents("alb-preview-clean.jsonl"))).changes;
    expect(changes.map((entry) => [entry.urn.split("::").at(-1), entry.op, entry.properties])).toEqual([
      ["alb-sg", "create", []],
      ["http", "create", []],
      ["https", "create", []],
      ["api", "create", []],
      ["inference-alb", "create", []],
      ["inference-tg", "create", []],
      ["alb-dev", "create", []],
    ]);
  });

  it("steps without an effect are left out: same, read, read-replacement, refresh", () => {
    const changes = [
      change(ALB, "same"),
      change(HTTPS, "read"),
      change(HTTP, "read-replacement"),
      change(STACK, "refresh"),
      change(SG, "update", ["tags"]),
    ];
    expect(shapes(fingerprintOf("dev", changes))).toEqual([{ urn: SG, op: "update", properties: ["tags"] }]);
  });

  it("every step of a replacement is one replace, with the union of their properties", () => {
    for (const op of ["replace", "create-replacement", "delete-replaced", "import-replacement"] as const) {
      expect(shapes(fingerprintOf("dev", [change(TG, op, ["port"])]))).toEqual([{ urn: TG, op: "replace", properties: ["port"] }]);
    }
    const steps = [change(TG, "create-replacement", ["port"]), change(TG, "replace", ["name", "port"]), change(TG, "delete-replaced")];
    expect(shapes(fingerprintOf("dev", steps))).toEqual([{ urn: TG, op: "replace", properties: ["name", "port"] }]);
  });

  it("different operations on one URN are kept together, in a fixed order", () => {
    expect(shapes(fingerprintOf("dev", [change(SG, "update", ["tags"]), change(SG, "delete")]))).toEqual([
      { urn: SG, op: "delete+update", properties: ["tags"] },
    ]);
  });

  it("property paths become their top-level property; the unknown placeholder and engine bookkeeping are dropped", () => {
    const changes = [
      change(SG, "update", ["ingress[1].cidrBlocks[0]", "tags.team", "tags.owner", '["a.b"].c', UNKNOWN_VALUE, "__defaults", ""]),
    ];
    expect(shapes(fingerprintOf("dev", changes))).toEqual([{ urn: SG, op: "update", properties: ["a.b", "ingress", "tags"] }]);
  });

  it("topLevelProperty reads the engine's path syntax", () => {
    expect(topLevelProperty("tags")).toBe("tags");
    expect(topLevelProperty("tags.team")).toBe("tags");
    expect(topLevelProperty("ingress[0]")).toBe("ingress");
    expect(topLevelProperty('["kubernetes.io/role"].value')).toBe("kubernetes.io/role");
    expect(topLevelProperty('["say \\"hi\\""]')).toBe('say "hi"');
    expect(topLevelProperty(`${UNKNOWN_VALUE}.x`)).toBeUndefined();
    expect(topLevelProperty("[0]")).toBeUndefined();
  });

  it("the same preview run again gives the same fingerprint: order, sequence numbers and timestamps do not count", () => {
    const events = readEvents("alb-preview-destroy.jsonl");
    const first = fingerprintOf("dev", stepChanges(events));
    // Another run: other sequence numbers and timestamps, steps of independent resources in another order.
    const again = events.map((event, index) => ({ ...event, sequence: 1000 + index * 7, timestamp: 1750000000 + index })).reverse();
    expect(fingerprintOf("dev", stepChanges(again))).toEqual(first);
    expect(fingerprintMarker(fingerprintOf("dev", stepChanges(again)))).toBe(fingerprintMarker(first));
  });

  it("a value unknown at review and known now is a difference, named by resource and property", () => {
    const events = readEvents("alb-preview-destroy.jsonl");
    const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/inference-tg-2d7a5f1/1a2b3c4d5e6f7a8b";
    const known = JSON.parse(JSON.stringify(events).replaceAll(UNKNOWN_VALUE, arn)) as EngineEvent[];
    const reviewed = readFingerprint(fingerprintMarker(fingerprintOf("dev", stepChanges(events))));
    expect(compareFingerprints(reviewed!, fingerprintOf("dev", stepChanges(known)))).toEqual([
      { urn: API, reviewed: "update [actions]", now: "update [actions]", values: ["actions"] },
    ]);
  });

  it("a security group opened from 443 to 22 with the same property names: the ingress value differs", () => {
    const events = readEvents("alb-preview-destroy.jsonl");
    const opened = events.map((event) => {
      const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
      if (metadata?.urn !== SG) return event;
      return JSON.parse(
        JSON.stringify(event).replaceAll('"fromPort":443', '"fromPort":22').replaceAll('"toPort":443', '"toPort":22'),
      ) as EngineEvent;
    });
    const reviewed = fingerprintOf("dev", stepChanges(events));
    const current = fingerprintOf("dev", stepChanges(opened));
    expect(shapes(current)).toEqual(shapes(reviewed));
    expect(current.digest).not.toBe(reviewed.digest);
    expect(compareFingerprints(readFingerprint(fingerprintMarker(reviewed))!, current)).toEqual([
      { urn: SG, reviewed: "update [ingress, tags, tagsAll]", now: "update [ingress, tags, tagsAll]", values: ["ingress"] },
    ]);
  });

  it("input digests: canonical (key order does not count), secrets as [secret], unknowns as the placeholder, __defaults left out", () => {
    const secret = (plaintext: string): unknown => ({ [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: plaintext });
    const a = inputDigestsOf({ __defaults: ["name"], tags: { a: 1, b: 2 }, password: secret("one"), arn: UNKNOWN_VALUE });
    const b = inputDigestsOf({ arn: UNKNOWN_VALUE, password: secret("two"), tags: { b: 2, a: 1 } });
    expect(a).toEqual(b);
    expect(Object.keys(a ?? {}).sort()).toEqual(["arn", "password", "tags"]);
    expect(a?.password).toBe(inputDigestsOf({ password: "[secret]" })?.password);
    expect(inputDigestsOf({ arn: "arn:aws:x" })?.arn).not.toBe(a?.arn);
    expect(inputDigestsOf(undefined)).toBeUndefined();
    expect(canonicalJson({ b: [1, { d: 1, c: null }], a: "x" })).toBe('{"a":"x","b":[1,{"c":null,"d":1}]}');
  });

  it("describes a change as a reviewer reads it", () => {
    expect(describeChange({ op: "update", properties: ["ingress", "tags"] })).toBe("update [ingress, tags]");
    expect(describeChange({ op: "delete", properties: [] })).toBe("delete");
  });
});

describe("fingerprintMarker and readFingerprint", () => {
  const destroy = fingerprintOf("dev", stepChanges(readEvents("alb-preview-destroy.jsonl")));
  /** What a marker keeps of it: each input digest cut to its locator. */
  const kept: ChangeFingerprint = { ...destroy, changes: changesAt(destroy, "values") };

  it("the marker is one hidden HTML comment whose payload cannot end it early", () => {
    const marker = fingerprintMarker(destroy);
    expect(marker).toMatch(/^<!-- pulumi-policy-gate:fingerprint=v2\.[A-Za-z0-9_-]+ -->$/);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(marker).not.toContain("--!>");
    expect(marker).not.toContain("\n");
  });

  it("round trip through a sticky comment: the key marker, a blank line, the fingerprint, then the report", () => {
    const body = markedCommentBody(
      `${fingerprintMarker(destroy)}\n\n## Policy gate: pass\n\n| resource | change |\n|---|---|\n`,
      "alb/dev",
    );
    expect(readFingerprint(body)).toEqual(kept);
    expect(compareFingerprints(kept, destroy)).toEqual([]);
  });

  it("the head commit and the run travel with it", () => {
    const bound = { ...destroy, headSha: "feedfacefeedfacefeedfacefeedfacefeedface", runId: "4242" };
    expect(readFingerprint(fingerprintMarker(bound))).toMatchObject({ headSha: bound.headSha, runId: "4242" });
  });

  it("what GitHub may do to a body: CRLF line ends, blank lines, indentation", () => {
    const body = `<!-- pulumi-policy-gate:comment-key=dev -->\r\n\r\n  ${fingerprintMarker(destroy)}  \r\n\r\nreport`;
    expect(readFingerprint(body)).toEqual(kept);
  });

  it("resource names that look like HTML stay inside the payload", () => {
    const hostile = fingerprintOf("dev", [change(urn("aws:s3/bucket:Bucket", "x --> <img src=x onerror=alert(1)> <!--"), "create")]);
    const marker = fingerprintMarker(hostile);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(readFingerprint(marker)).toEqual(hostile);
  });

  it("a marker after the leading block is not taken: it could be untrusted text, such as program output in a code block", () => {
    const forged = fingerprintMarker(fingerprintOf("dev", []));
    expect(
      readFingerprint(`<!-- pulumi-policy-gate:comment-key=dev -->\n\n## Policy gate: error\n\n\`\`\`\n${forged}\n\`\`\`\n`),
    ).toBeUndefined();
    expect(readFingerprint(`## Policy gate: pass\n${forged}`)).toBeUndefined();
  });

  it("two fingerprints in the leading block are ambiguous: none is taken", () => {
    const other = fingerprintMarker(fingerprintOf("dev", []));
    expect(readFingerprint(`${fingerprintMarker(destroy)}\n${other}\n\nreport`)).toBeUndefined();
  });

  it("no fingerprint, a malformed one, or a version-1 one (names without values) reads as undefined", () => {
    const marker = (payload: string, version = "v2"): string => `<!-- pulumi-policy-gate:fingerprint=${version}.${payload} -->`;
    const pack = (value: unknown): string => deflateRawSync(Buffer.from(JSON.stringify(value))).toString("base64url");
    const packed = (value: unknown): string => marker(pack(value));
    const changes = [{ urn: SG, op: "update", properties: ["tags"], inputs: { tags: "abcd" } }];
    const valid = { version: 2, stack: "dev", digest: digestOf("dev", changes), detail: "values", changes };
    expect(readFingerprint(packed(valid))).toEqual(valid);

    expect(readFingerprint("")).toBeUndefined();
    expect(readFingerprint("<!-- pulumi-policy-gate:comment-key=dev -->\n\nreport")).toBeUndefined();
    expect(readFingerprint(marker("not+base64url/"))).toBeUndefined();
    expect(readFingerprint(marker(Buffer.from(JSON.stringify(valid)).toString("base64url")))).toBeUndefined();
    expect(readFingerprint(marker(deflateRawSync(Buffer.from("{not json")).toString("base64url")))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, version: 1 }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, stack: "" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, digest: "short" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, detail: "some" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, detail: "changes" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, detail: "digest" }))).toBeUndefined();
    const byResource = { ...valid, detail: "resources", changes: [{ ...changes[0], inputs: {} }] };
    expect(readFingerprint(packed({ ...byResource, resourceDigests: "abcd" }))?.changes[0]?.inputs).toEqual({ "*": "abcd" });
    expect(readFingerprint(packed({ ...byResource, resourceDigests: "...." }))?.changes[0]?.inputs).toEqual({});
    expect(readFingerprint(packed(byResource))).toBeUndefined();
    expect(readFingerprint(packed({ ...byResource, resourceDigests: "abc" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...byResource, resourceDigests: "ab<>" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, resourceDigests: "abcd" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, headSha: 42 }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: "all" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [{ urn: SG, op: "update", properties: ["tags"] }] }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [{ ...changes[0], properties: [1] }] }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [{ ...changes[0], inputs: { tags: 1 } }] }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [changes[0], changes[0]] }))).toBeUndefined();
    expect(readFingerprint(packed([valid]))).toBeUndefined();
    // A comment written before values were fingerprinted is never taken as reviewed.
    const v1 = { version: 1, stack: "dev", changes: [{ urn: SG, op: "update", properties: ["tags"] }] };
    expect(readFingerprint(marker(pack(v1), "v1"))).toBeUndefined();
    expect(readFingerprint(marker(pack(valid), "v1"))).toBeUndefined();
  });

  it("a fingerprint read back is sorted, whatever order it was written in", () => {
    const changes = [
      { urn: TG, op: "replace", properties: ["port"], inputs: {} },
      { urn: SG, op: "update", properties: ["tags", "ingress"], inputs: {} },
    ];
    const packed = `<!-- pulumi-policy-gate:fingerprint=v2.${deflateRawSync(
      Buffer.from(JSON.stringify({ version: 2, stack: "dev", digest: digestOf("dev", []), detail: "values", changes })),
    ).toString("base64url")} -->`;
    expect(shapes(readFingerprint(packed))).toEqual([
      { urn: SG, op: "update", properties: ["ingress", "tags"] },
      { urn: TG, op: "replace", properties: ["port"] },
    ]);
  });
});

describe("compareFingerprints", () => {
  const reviewed = fingerprint("dev", [
    { urn: SG, op: "update", properties: ["ingress", "tags"] },
    { urn: TG, op: "replace", properties: ["port"] },
    { urn: HTTP, op: "delete", properties: [] },
  ]);

  it("the same changes: no difference", () => {
    expect(compareFingerprints(reviewed, fingerprint("dev", [...reviewed.changes].reverse()))).toEqual([]);
  });

  it("another operation, other properties, a new change and a change that is gone, by URN", () => {
    const current = fingerprint("dev", [
      { urn: SG, op: "update", properties: ["ingress", "tags"] },
      { urn: ALB, op: "replace", properties: ["subnets"] },
      { urn: TG, op: "replace", properties: ["name", "port"] },
      { urn: API, op: "update", properties: ["actions"] },
    ]);
    expect(compareFingerprints(reviewed, current)).toEqual([
      { urn: HTTP, reviewed: "delete", now: undefined },
      { urn: API, reviewed: undefined, now: "update [actions]" },
      { urn: ALB, reviewed: undefined, now: "replace [subnets]" },
      { urn: TG, reviewed: "replace [port]", now: "replace [name, port]" },
    ]);
  });

  it("an update that became a replacement", () => {
    const before = fingerprint("dev", [{ urn: ALB, op: "update", properties: ["ingress", "tags"] }]);
    const after = fingerprint("dev", [{ urn: ALB, op: "replace", properties: ["subnets"] }]);
    expect(compareFingerprints(before, after)).toEqual([{ urn: ALB, reviewed: "update [ingress, tags]", now: "replace [subnets]" }]);
  });

  it("another stack is a difference as a whole", () => {
    expect(compareFingerprints(reviewed, { ...reviewed, stack: "acme/alb/prod" })).toEqual([
      { urn: "(stack)", reviewed: "stack dev", now: "stack acme/alb/prod" },
    ]);
  });

  it("the clean preview reviewed, the destroy preview now: every resource differs", () => {
    const clean = fingerprintOf("dev", stepChanges(readEvents("alb-preview-clean.jsonl")));
    const destroy = fingerprintOf("dev", stepChanges(readEvents("alb-preview-destroy.jsonl")));
    const differences = compareFingerprints(clean, destroy);
    expect(differences).toContainEqual({ urn: TG, reviewed: "create", now: "replace [port]" });
    expect(differences).toContainEqual({ urn: ALB, reviewed: "create", now: undefined });
    expect(differences).toHaveLength(7);
  });

  it("a reviewed fingerprint that kept only its changes names changed names, and a value difference only as a whole", () => {
    const current = fingerprint("dev", [{ urn: SG, op: "update", properties: ["ingress"], inputs: { ingress: "x".repeat(43) } }]);
    const before = fingerprint("dev", [{ urn: SG, op: "update", properties: ["ingress"], inputs: { ingress: "y".repeat(43) } }]);
    expect(compareFingerprints({ ...before, detail: "changes", changes: changesAt(before, "changes") }, current)).toEqual([
      { urn: "(plan)", reviewed: `digest ${before.digest.slice(0, 12)}`, now: `digest ${current.digest.slice(0, 12)}` },
    ]);
    expect(compareFingerprints({ ...before, detail: "digest", changes: [] }, current)).toHaveLength(1);
    expect(compareFingerprints({ ...current, detail: "digest", changes: [] }, current)).toEqual([]);
  });
});

describe("the size of a fingerprint in a comment", () => {
  /** A realistic plan: security-group rules created or updated, each with its inputs. */
  function plan(count: number): ResourceChange[] {
    return Array.from({ length: count }, (_, index) => {
      const inputs = {
        type: "ingress",
        cidrBlocks: [`10.${index % 256}.${(index * 7) % 256}.0/24`],
        description: `service ${index} from the load balancer`,
        fromPort: 8000 + (index % 100),
        toPort: 8000 + (index % 100),
        protocol: "tcp",
        securityGroupId: UNKNOWN_VALUE,
        tags: { team: `team-${index % 17}`, service: `service-${index}` },
      };
      return {
        ...change(
          `urn:pulumi:production::inference::aws:ec2/securityGroupRule:SecurityGroupRule::service-${index}-ingress-${(index * 7919) % 1000}`,
          index % 3 === 0 ? "create" : "update",
          index % 3 === 0 ? [] : ["cidrBlocks[0]", "description", "tags.team"],
        ),
        inputDigests: inputDigestsOf(inputs),
      };
    });
  }

  it.each([
    [500, "values"],
    [3_000, "resources"],
    [10_000, "digest"],
  ] as const)("%i changed resources: the marker keeps %s, and with the report the comment fits GitHub's limit", (count, detail) => {
    const changes = plan(count);
    const fingerprint = fingerprintOf("acme/inference/production", changes);
    const marker = fingerprintMarker(fingerprint);
    expect(marker.length).toBeLessThanOrEqual(MARKER_BUDGET);
    const outcome: GateOutcome = {
      report: { ...EMPTY_REPORT, resources: changes.map(({ urn: resourceUrn, type, name }) => ({ urn: resourceUrn, type, name })) },
      changeSummary: { create: Math.ceil(count / 3), update: count - Math.ceil(count / 3) },
      changes,
      diagnostics: [],
      runUrl: "https://github.com/acme/inference/actions/runs/4242",
    };
    const body = markedCommentBody(`${marker}\n\n${renderComment(outcome, COMMENT_LENGTH - marker.length - 2)}`, "inference/production");
    expect(body.length).toBeLessThan(65_536);
    const read = readFingerprint(body);
    expect(read).toMatchObject({ detail, digest: fingerprint.digest });
    expect(compareFingerprints(read!, fingerprint)).toEqual([]);
    // One value changed, at any size, is a difference.
    const changed = changes.map((entry, index) =>
      index === 7 ? { ...entry, inputDigests: { ...entry.inputDigests, fromPort: "changed" } } : entry,
    );
    const differences = compareFingerprints(read!, fingerprintOf("acme/inference/production", changed));
    expect(differences).toHaveLength(1);
    if (detail === "values") expect(differences[0]).toMatchObject({ urn: changes[7]?.urn, values: ["fromPort"] });
    else if (detail === "resources") expect(differences[0]).toMatchObject({ urn: changes[7]?.urn, valuesUnnamed: true });
    else expect(differences[0]?.urn).toBe("(plan)");
    console.log(`${count} resources: marker ${marker.length} characters (${detail}), comment ${body.length}`);
  });
});
