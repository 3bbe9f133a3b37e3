// The fingerprint of a preview's proposed changes: what a reviewer saw on the pull request, in a
// form that a later run can compare with its own preview. It holds the stack and, per resource
// that changes, its URN, its operation and the top-level properties that change. It leaves out
// everything that differs between two runs of the same preview: timestamps, sequence numbers,
// values (unknown or not) and the order of events.
//
// Decisions, so that re-running the same preview gives the same fingerprint:
// - Properties are top-level names ("ingress", "tags"), not the engine's full paths
//   ("ingress[1].cidrBlocks[0]"): array indexes shift when a set-like list is reordered, and the
//   values themselves are bound by the saved plan (`up --plan`), not by the fingerprint.
// - The steps of one replacement (create-replacement, replace, delete-replaced, and
//   import-replacement) are one "replace"; several steps on one URN are merged into one entry.
// - Steps without an effect on the stack are left out: same, read, read-replacement, refresh.
//
// In a comment it travels as a hidden HTML comment whose payload is deflated JSON in base64url:
// compact enough for a stack of hundreds of resources within GitHub's comment limit, and made of
// characters ([A-Za-z0-9_-]) that cannot end the HTML comment early.

import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { ResourceChange } from "../gate/outcome.js";
import { UNKNOWN_VALUE } from "../engine/wire-format.js";

export interface FingerprintedChange {
  readonly urn: string;
  readonly op: string;
  readonly properties: readonly string[];
}

export interface ChangeFingerprint {
  readonly version: 1;
  readonly stack: string;
  /** Sorted by URN; no steps without effect; properties top-level, sorted, unique. */
  readonly changes: readonly FingerprintedChange[];
}

export interface FingerprintDifference {
  /** The resource; "(stack)" when the fingerprints are of different stacks. */
  readonly urn: string;
  /** What was reviewed for it, e.g. "update [ingress, tags]"; undefined: no change was reviewed. */
  readonly reviewed: string | undefined;
  /** What the preview proposes now; undefined: no change any more. */
  readonly now: string | undefined;
}

const WITHOUT_EFFECT = new Set(["same", "read", "read-replacement", "refresh"]);
const REPLACEMENT_STEPS = new Set(["replace", "create-replacement", "delete-replaced", "import-replacement"]);
/** Bookkeeping keys of the engine, not properties of the resource. */
const INTERNAL_KEYS = new Set(["__defaults"]);

const MARKER_PREFIX = "<!-- pulumi-policy-gate:fingerprint=v1.";
const MARKER_SUFFIX = " -->";
const MARKER = /^<!-- pulumi-policy-gate:fingerprint=v1\.([A-Za-z0-9_-]+) -->$/;
const ANY_HIDDEN_COMMENT = /^<!--.*-->$/;
/** A bound on what a marker may inflate to: a fingerprint of 20,000 resources is far below it. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** Code-unit order: the same on every machine, unlike localeCompare. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The top-level property of an engine property path: "tags" of "tags.team", "ingress" of
 * "ingress[1].cidrBlocks[0]", "a.b" of `["a.b"].c`. Undefined for what names no property.
 */
export function topLevelProperty(path: string): string | undefined {
  let name: string;
  if (path.startsWith('["')) {
    // A quoted key: the JSON string up to its closing quote.
    let end = 2;
    while (end < path.length && path[end] !== '"') end += path[end] === "\\" ? 2 : 1;
    try {
      name = JSON.parse(path.slice(1, end + 1)) as string;
    } catch {
      name = path;
    }
  } else {
    name = /^[^.[]*/.exec(path)?.[0] ?? "";
  }
  if (name === "" || name === UNKNOWN_VALUE || INTERNAL_KEYS.has(name)) return undefined;
  return name;
}

function normalizeOp(op: string): string {
  return REPLACEMENT_STEPS.has(op) ? "replace" : op;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byCodeUnits);
}

function merge(changes: Iterable<{ urn: string; op: string; properties: Iterable<string> }>): FingerprintedChange[] {
  const byUrn = new Map<string, { ops: Set<string>; properties: Set<string> }>();
  for (const change of changes) {
    const entry = byUrn.get(change.urn) ?? { ops: new Set<string>(), properties: new Set<string>() };
    entry.ops.add(change.op);
    for (const property of change.properties) entry.properties.add(property);
    byUrn.set(change.urn, entry);
  }
  return [...byUrn]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([urn, { ops, properties }]) => ({ urn, op: sortedUnique(ops).join("+"), properties: sortedUnique(properties) }));
}

/**
 * The fingerprint of a preview's changes. `changes` may hold one entry per resource (as
 * reduceEvents gives them) or one per step (stepChanges): the steps of one URN are merged.
 */
export function fingerprintOf(stack: string, changes: readonly ResourceChange[]): ChangeFingerprint {
  const kept = changes
    .filter((change) => !WITHOUT_EFFECT.has(change.op))
    .map((change) => ({
      urn: change.urn,
      op: normalizeOp(change.op),
      properties: change.changedProperties.map(topLevelProperty).filter((name): name is string => name !== undefined),
    }));
  return { version: 1, stack, changes: merge(kept) };
}

/** One change as a reviewer reads it: "update [ingress, tags]", "create", "replace [port]". */
export function describeChange(change: FingerprintedChange): string {
  return change.properties.length > 0 ? `${change.op} [${change.properties.join(", ")}]` : change.op;
}

/**
 * The fingerprint as a hidden HTML comment, one line. Put it on a line of its own in the
 * comment's leading block of hidden markers (right after the sticky comment's key marker, before
 * any text): readFingerprint looks only there, so a marker inside untrusted text further down
 * (a program's output in a code block) is never taken for it.
 */
export function fingerprintMarker(fingerprint: ChangeFingerprint): string {
  const json = JSON.stringify({ version: 1, stack: fingerprint.stack, changes: merge(fingerprint.changes) });
  return `${MARKER_PREFIX}${deflateRawSync(Buffer.from(json, "utf8")).toString("base64url")}${MARKER_SUFFIX}`;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function parseFingerprint(value: unknown): ChangeFingerprint | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { version, stack, changes } = value as Record<string, unknown>;
  if (version !== 1 || typeof stack !== "string" || stack === "" || !Array.isArray(changes)) return undefined;
  const parsed: FingerprintedChange[] = [];
  for (const change of changes as unknown[]) {
    if (change === null || typeof change !== "object") return undefined;
    const { urn, op, properties } = change as Record<string, unknown>;
    if (typeof urn !== "string" || urn === "" || typeof op !== "string" || op === "" || !isStringArray(properties)) return undefined;
    parsed.push({ urn, op, properties });
  }
  // Ours never holds a URN twice; one that does was not written by fingerprintMarker.
  if (new Set(parsed.map((change) => change.urn)).size !== parsed.length) return undefined;
  return { version: 1, stack, changes: merge(parsed) };
}

function decode(payload: string): ChangeFingerprint | undefined {
  try {
    const json = inflateRawSync(Buffer.from(payload, "base64url"), { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
    return parseFingerprint(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/**
 * The fingerprint in a gate comment, or undefined when there is none, or it is malformed, or
 * there are several. Only the comment's leading block is read: blank lines and one-line hidden
 * comments from the start of the body, up to the first line of anything else.
 */
export function readFingerprint(commentBody: string): ChangeFingerprint | undefined {
  const payloads: string[] = [];
  for (const rawLine of commentBody.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "") continue;
    if (!ANY_HIDDEN_COMMENT.test(line)) break;
    const match = MARKER.exec(line);
    if (match?.[1] !== undefined) payloads.push(match[1]);
  }
  if (payloads.length !== 1 || payloads[0] === undefined) return undefined;
  return decode(payloads[0]);
}

/**
 * What differs between the reviewed fingerprint and the current one, by URN in code-unit order;
 * empty when they are the same. Fingerprints of different stacks differ as a whole: their
 * resources are not compared.
 */
export function compareFingerprints(reviewed: ChangeFingerprint, current: ChangeFingerprint): readonly FingerprintDifference[] {
  if (reviewed.stack !== current.stack) {
    return [{ urn: "(stack)", reviewed: `stack ${reviewed.stack}`, now: `stack ${current.stack}` }];
  }
  const before = new Map(merge(reviewed.changes).map((change) => [change.urn, describeChange(change)]));
  const after = new Map(merge(current.changes).map((change) => [change.urn, describeChange(change)]));
  const differences: FingerprintDifference[] = [];
  for (const urn of sortedUnique([...before.keys(), ...after.keys()])) {
    const was = before.get(urn);
    const now = after.get(urn);
    if (was !== now) differences.push({ urn, reviewed: was, now });
  }
  return differences;
}
