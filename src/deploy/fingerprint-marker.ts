// A fingerprint in a comment: one hidden HTML comment whose payload is deflated JSON in base64url
// (characters [A-Za-z0-9_-], which cannot end the HTML comment early). It keeps as much detail as
// fits in MARKER_BUDGET, so that any plan has a comment GitHub accepts (65,536 characters): every
// change with a short prefix of each input digest, else with one for all its inputs, else every
// change without them, else the digest alone. The digest is always there and binds the whole plan; the detail only names the
// difference. Version 2: a version-1 marker (names without values) is not read, so it never
// counts as reviewed.

import { deflateRawSync, inflateRawSync } from "node:zlib";
import {
  ALL_INPUTS,
  LOCATOR_LENGTH,
  changesAt,
  merge,
  type ChangeFingerprint,
  type FingerprintDetail,
  type FingerprintedChange,
} from "./fingerprint.js";

const MARKER_PREFIX = "<!-- pulumi-policy-gate:fingerprint=v2.";
const MARKER_SUFFIX = " -->";
const MARKER = /^<!-- pulumi-policy-gate:fingerprint=v2\.([A-Za-z0-9_-]+) -->$/;
const ANY_HIDDEN_COMMENT = /^<!--.*-->$/;
/** The most a marker may take of a comment: the rest (25,000 characters and more) is the report. */
export const MARKER_BUDGET = 40_000;
/** A bound on what a marker may inflate to. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;
const DETAILS: readonly FingerprintDetail[] = ["values", "resources", "changes", "digest"];
const DIGEST = /^[A-Za-z0-9_-]{43}$/;
const RESOURCE_DIGESTS = /^[A-Za-z0-9_.-]*$/;

/** At detail "resources", each change's one input digest, concatenated in the changes' order ("...." for none), far smaller than one JSON object per change. */
// A function, not a constant: fingerprint.ts re-exports this module, so its constants are not
// initialized yet while this module is.
function noInputs(): string {
  return ".".repeat(LOCATOR_LENGTH);
}

function encode(fingerprint: ChangeFingerprint, detail: FingerprintDetail): string {
  const { stack, digest, headSha, runId } = fingerprint;
  const kept = changesAt(fingerprint, detail);
  const changes = detail === "resources" ? kept.map((change) => ({ ...change, inputs: {} })) : kept;
  const resourceDigests = detail === "resources" ? kept.map((change) => change.inputs[ALL_INPUTS] ?? noInputs()).join("") : undefined;
  const json = JSON.stringify({ version: 2, stack, digest, detail, headSha, runId, changes, resourceDigests });
  return `${MARKER_PREFIX}${deflateRawSync(Buffer.from(json, "utf8")).toString("base64url")}${MARKER_SUFFIX}`;
}

/**
 * The fingerprint as a hidden HTML comment, one line, at most MARKER_BUDGET characters. Put it on
 * a line of its own in the comment's leading block of hidden markers (right after the sticky
 * comment's key marker, before any text): readFingerprint looks only there, so a marker inside
 * untrusted text further down (a program's output in a code block) is never taken for it.
 */
export function fingerprintMarker(fingerprint: ChangeFingerprint): string {
  const start = DETAILS.indexOf(fingerprint.detail);
  for (const detail of DETAILS.slice(start)) {
    const marker = encode(fingerprint, detail);
    if (marker.length <= MARKER_BUDGET) return marker;
  }
  // Only a stack name of tens of thousands of characters gets here: refuse rather than cut it.
  throw new Error(`the fingerprint of stack ${fingerprint.stack.slice(0, 100)} does not fit in a comment`);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value as Record<string, unknown>).every((item) => typeof item === "string")
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === "string" && value !== "");
}

function parseChange(change: unknown, detail: FingerprintDetail): FingerprintedChange | undefined {
  if (change === null || typeof change !== "object") return undefined;
  const { urn, op, properties, inputs } = change as Record<string, unknown>;
  if (typeof urn !== "string" || urn === "" || typeof op !== "string" || op === "" || !isStringArray(properties)) return undefined;
  if (!isStringRecord(inputs) || (detail !== "values" && Object.keys(inputs).length > 0)) return undefined;
  return { urn, op, properties, inputs };
}

function parseFingerprint(value: unknown): ChangeFingerprint | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { version, stack, digest, detail, changes, headSha, runId, resourceDigests } = value as Record<string, unknown>;
  if (version !== 2 || typeof stack !== "string" || stack === "" || !Array.isArray(changes)) return undefined;
  if (typeof digest !== "string" || !DIGEST.test(digest) || !DETAILS.includes(detail as FingerprintDetail)) return undefined;
  if (!optionalString(headSha) || !optionalString(runId)) return undefined;
  const level = detail as FingerprintDetail;
  if (level === "digest" && changes.length > 0) return undefined;
  if (level === "resources") {
    if (typeof resourceDigests !== "string" || !RESOURCE_DIGESTS.test(resourceDigests)) return undefined;
    if (resourceDigests.length !== changes.length * LOCATOR_LENGTH) return undefined;
  } else if (resourceDigests !== undefined) return undefined;
  const parsed: FingerprintedChange[] = [];
  for (const [index, change] of (changes as unknown[]).entries()) {
    const one = parseChange(change, level);
    if (!one) return undefined;
    const own =
      typeof resourceDigests === "string" ? resourceDigests.slice(index * LOCATOR_LENGTH, (index + 1) * LOCATOR_LENGTH) : noInputs();
    parsed.push(own === noInputs() ? one : { ...one, inputs: { [ALL_INPUTS]: own } });
  }
  // Ours never holds a URN twice; one that does was not written by fingerprintMarker.
  if (new Set(parsed.map((change) => change.urn)).size !== parsed.length) return undefined;
  return {
    version: 2,
    stack,
    digest,
    detail: level,
    changes: merge(parsed),
    ...(headSha === undefined ? {} : { headSha }),
    ...(runId === undefined ? {} : { runId }),
  };
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
 * The fingerprint in a gate comment, or undefined when there is none, or it is malformed, or of
 * another version, or there are several. Only the comment's leading block is read: blank lines
 * and one-line hidden comments from the start of the body, up to the first line of anything else.
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
