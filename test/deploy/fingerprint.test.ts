// The fingerprint of proposed changes: built from real preview streams (fixtures/events/own),
// the same for two runs of the same preview, carried in a hidden comment that survives GitHub
// and cannot be forged from untrusted text, and compared resource by resource.

import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  compareFingerprints,
  describeChange,
  fingerprintMarker,
  fingerprintOf,
  readFingerprint,
  topLevelProperty,
  type ChangeFingerprint,
} from "../../src/deploy/fingerprint.js";
import { UNKNOWN_VALUE } from "../../src/engine/wire-format.js";
import { packageRoot } from "../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../src/engine/pulumi/engine-events.js";
import { reduceEvents, stepChanges } from "../../src/engine/pulumi/reduce-events.js";
import type { Operation, ResourceChange } from "../../src/gate/outcome.js";
import { markedCommentBody } from "../../src/github/sticky-comment.js";

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

function fingerprint(stack: string, changes: ChangeFingerprint["changes"]): ChangeFingerprint {
  return { version: 1, stack, changes };
}

describe("fingerprintOf", () => {
  it("the destroy preview: per resource its operation and the top-level properties that change", () => {
    expect(fingerprintOf("dev", stepChanges(readEvents("alb-preview-destroy.jsonl")))).toEqual({
      version: 1,
      stack: "dev",
      changes: [
        { urn: SG, op: "update", properties: ["ingress", "tags", "tagsAll"] },
        { urn: HTTP, op: "delete", properties: [] },
        { urn: API, op: "update", properties: ["actions"] },
        { urn: TG, op: "replace", properties: ["port"] },
      ],
    });
  });

  it("reduceEvents keeps only a resource's last step, so a replacement loses the properties that force it", () => {
    const { changes } = reduceEvents(readEvents("alb-preview-destroy.jsonl"), "alb", "dev");
    expect(changes.find((entry) => entry.urn === TG)).toMatchObject({ op: "delete-replaced", changedProperties: [] });
    expect(fingerprintOf("dev", changes).changes.find((entry) => entry.urn === TG)).toEqual({ urn: TG, op: "replace", properties: [] });
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
    expect(fingerprintOf("dev", changes).changes).toEqual([{ urn: SG, op: "update", properties: ["tags"] }]);
  });

  it("every step of a replacement is one replace, with the union of their properties", () => {
    for (const op of ["replace", "create-replacement", "delete-replaced", "import-replacement"] as const) {
      expect(fingerprintOf("dev", [change(TG, op, ["port"])]).changes).toEqual([{ urn: TG, op: "replace", properties: ["port"] }]);
    }
    const steps = [change(TG, "create-replacement", ["port"]), change(TG, "replace", ["name", "port"]), change(TG, "delete-replaced")];
    expect(fingerprintOf("dev", steps).changes).toEqual([{ urn: TG, op: "replace", properties: ["name", "port"] }]);
  });

  it("different operations on one URN are kept together, in a fixed order", () => {
    expect(fingerprintOf("dev", [change(SG, "update", ["tags"]), change(SG, "delete")]).changes).toEqual([
      { urn: SG, op: "delete+update", properties: ["tags"] },
    ]);
  });

  it("property paths become their top-level property; the unknown placeholder and engine bookkeeping are dropped", () => {
    const changes = [
      change(SG, "update", ["ingress[1].cidrBlocks[0]", "tags.team", "tags.owner", '["a.b"].c', UNKNOWN_VALUE, "__defaults", ""]),
    ];
    expect(fingerprintOf("dev", changes).changes).toEqual([{ urn: SG, op: "update", properties: ["a.b", "ingress", "tags"] }]);
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

  it("the same preview run again gives the same fingerprint: order, sequence numbers, timestamps and unknown values do not count", () => {
    const events = readEvents("alb-preview-destroy.jsonl");
    const first = fingerprintOf("dev", stepChanges(events));
    // Another run: other sequence numbers and timestamps, steps of independent resources in another order.
    const again = events.map((event, index) => ({ ...event, sequence: 1000 + index * 7, timestamp: 1750000000 + index })).reverse();
    expect(fingerprintOf("dev", stepChanges(again))).toEqual(first);
    expect(fingerprintMarker(fingerprintOf("dev", stepChanges(again)))).toBe(fingerprintMarker(first));
    // A value that was unknown in one run and known in the other changes no path.
    const known = JSON.parse(
      JSON.stringify(events).replaceAll(
        UNKNOWN_VALUE,
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/inference-tg-2d7a5f1/1a2b3c4d5e6f7a8b",
      ),
    ) as EngineEvent[];
    expect(fingerprintOf("dev", stepChanges(known))).toEqual(first);
  });

  it("describes a change as a reviewer reads it", () => {
    expect(describeChange({ urn: SG, op: "update", properties: ["ingress", "tags"] })).toBe("update [ingress, tags]");
    expect(describeChange({ urn: HTTP, op: "delete", properties: [] })).toBe("delete");
  });
});

describe("fingerprintMarker and readFingerprint", () => {
  const destroy = fingerprintOf("dev", stepChanges(readEvents("alb-preview-destroy.jsonl")));

  it("the marker is one hidden HTML comment whose payload cannot end it early", () => {
    const marker = fingerprintMarker(destroy);
    expect(marker).toMatch(/^<!-- pulumi-policy-gate:fingerprint=v1\.[A-Za-z0-9_-]+ -->$/);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(marker).not.toContain("--!>");
    expect(marker).not.toContain("\n");
  });

  it("round trip through a sticky comment: the key marker, a blank line, the fingerprint, then the report", () => {
    const body = markedCommentBody(
      `${fingerprintMarker(destroy)}\n\n## Policy gate: pass\n\n| resource | change |\n|---|---|\n`,
      "alb/dev",
    );
    expect(readFingerprint(body)).toEqual(destroy);
  });

  it("what GitHub may do to a body: CRLF line ends, blank lines, indentation", () => {
    const body = `<!-- pulumi-policy-gate:comment-key=dev -->\r\n\r\n  ${fingerprintMarker(destroy)}  \r\n\r\nreport`;
    expect(readFingerprint(body)).toEqual(destroy);
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

  it("no fingerprint, or a malformed one, reads as undefined", () => {
    const marker = (payload: string): string => `<!-- pulumi-policy-gate:fingerprint=v1.${payload} -->`;
    const packed = (value: unknown): string => marker(deflateRawSync(Buffer.from(JSON.stringify(value))).toString("base64url"));
    const valid = { version: 1, stack: "dev", changes: [{ urn: SG, op: "update", properties: ["tags"] }] };
    expect(readFingerprint(packed(valid))).toEqual(valid);

    expect(readFingerprint("")).toBeUndefined();
    expect(readFingerprint("<!-- pulumi-policy-gate:comment-key=dev -->\n\nreport")).toBeUndefined();
    expect(readFingerprint(marker("not+base64url/"))).toBeUndefined();
    expect(readFingerprint(marker(Buffer.from(JSON.stringify(valid)).toString("base64url")))).toBeUndefined();
    expect(readFingerprint(marker(deflateRawSync(Buffer.from("{not json")).toString("base64url")))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, version: 2 }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, stack: "" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: "all" }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [{ urn: SG, op: "update" }] }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [{ urn: SG, op: "update", properties: [1] }] }))).toBeUndefined();
    expect(readFingerprint(packed({ ...valid, changes: [valid.changes[0], valid.changes[0]] }))).toBeUndefined();
    expect(readFingerprint(packed([valid]))).toBeUndefined();
    expect(
      readFingerprint(
        `<!-- pulumi-policy-gate:fingerprint=v2.${deflateRawSync(Buffer.from(JSON.stringify(valid))).toString("base64url")} -->`,
      ),
    ).toBeUndefined();
  });

  it("a fingerprint read back is sorted, whatever order it was written in", () => {
    const packed = `<!-- pulumi-policy-gate:fingerprint=v1.${deflateRawSync(
      Buffer.from(
        JSON.stringify({
          version: 1,
          stack: "dev",
          changes: [
            { urn: TG, op: "replace", properties: ["port"] },
            { urn: SG, op: "update", properties: ["tags", "ingress"] },
          ],
        }),
      ),
    ).toString("base64url")} -->`;
    expect(readFingerprint(packed)?.changes).toEqual([
      { urn: SG, op: "update", properties: ["ingress", "tags"] },
      { urn: TG, op: "replace", properties: ["port"] },
    ]);
  });

  it("a stack of a thousand changed resources fits in a comment with room to spare", () => {
    const changes = Array.from({ length: 1000 }, (_, index) =>
      change(
        urn("aws:ec2/securityGroupRule:SecurityGroupRule", `service-${index}-ingress-${(index * 7919) % 1000}`),
        index % 3 === 0 ? "create" : "update",
        ["cidrBlocks", "description", "tags.team"],
      ),
    );
    const marker = fingerprintMarker(fingerprintOf("acme/alb/production", changes));
    expect(marker.length).toBeLessThan(20_000);
    expect(readFingerprint(marker)?.changes).toHaveLength(1000);
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
});
