// The fingerprint of a preview's proposed changes: what a reviewer saw on the pull request, in a
// form that a later run can compare with its own preview. It holds the stack and, per resource
// that changes, its URN, its operation, the top-level properties that change and a digest of
// each top-level property's planned input value; and one sha256 over all of it, which is what
// binds. It leaves out everything that differs between two runs of the same preview: timestamps,
// sequence numbers and the order of events.
//
// Decisions, so that re-running the same preview gives the same fingerprint:
// - Properties are top-level names ("ingress", "tags"), not the engine's full paths
//   ("ingress[1].cidrBlocks[0]"): array indexes shift when a set-like list is reordered. Values
//   are bound by the digests of the new inputs (secrets as "[secret]", unknowns as the engine's
//   placeholder: a value unknown at review and known now is a difference).
// - The steps of one replacement (create-replacement, replace, delete-replaced, and
//   import-replacement) are one "replace"; several steps on one URN are merged into one entry.
// - Steps without an effect on the stack are left out: same, read, read-replacement, refresh.
// - The head commit and the run it was computed for travel with it, outside the digest.
//
// In a comment it travels as a hidden HTML comment (fingerprint-marker.ts), with as much detail
// as fits: the digest always, so a plan too large to list is still bound, only less well named.
import type { ResourceChange } from "../gate/outcome.js";
import { UNKNOWN_VALUE } from "../engine/wire-format.js";
import { canonicalJson, sha256 } from "./input-digests.js";

export { fingerprintMarker, readFingerprint } from "./fingerprint-marker.js";

export interface FingerprintedChange {
  readonly urn: string;
  readonly op: string;
  readonly properties: readonly string[];
  /** Per top-level input property, a digest of its planned value (in a marker, a short prefix of it). */
  readonly inputs: Readonly<Record<string, string>>;
}

/**
 * How much a fingerprint lists beside its digest: "values" (every change with its input digests),
 * "resources" (every change with one digest of all its inputs), "changes" (every change, without
 * input digests) or "digest" (nothing). Less only when more does not fit in a comment; the digest
 * binds the same in every case.
 */
export type FingerprintDetail = "values" | "resources" | "changes" | "digest";
/** The key of a change's one digest of all its inputs, at detail "resources". */
export const ALL_INPUTS = "*";

export interface ChangeFingerprint {
  readonly version: 2;
  readonly stack: string;
  /** sha256 over the stack and every change with its full input digests. */
  readonly digest: string;
  readonly detail: FingerprintDetail;
  /** Sorted by URN; no steps without effect; properties top-level, sorted, unique. */
  readonly changes: readonly FingerprintedChange[];
  /** The head commit of the pull request it was computed for. */
  readonly headSha?: string;
  /** The workflow run that computed it (GITHUB_RUN_ID). */
  readonly runId?: string;
}

export interface FingerprintDifference {
  /** The resource; "(stack)" for another stack, "(plan)" when the difference cannot be located. */
  readonly urn: string;
  /** What was reviewed for it, e.g. "update [ingress, tags]"; undefined: no change was reviewed. */
  readonly reviewed: string | undefined;
  /** What the preview proposes now; undefined: no change any more. */
  readonly now: string | undefined;
  /** Properties whose planned values differ, when operation and properties are the same. */
  readonly values?: readonly string[];
  /** Planned values differ, but the reviewed fingerprint kept one digest for all of them. */
  readonly valuesUnnamed?: true;
}

const WITHOUT_EFFECT = new Set(["same", "read", "read-replacement", "refresh"]);
const REPLACEMENT_STEPS = new Set(["replace", "create-replacement", "delete-replaced", "import-replacement"]);
/** Bookkeeping keys of the engine, not properties of the resource. */
const INTERNAL_KEYS = new Set(["__defaults"]);
/** Characters of an input digest a marker keeps: enough to name the property, the digest binds. */
export const LOCATOR_LENGTH = 4;

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function byCodeUnits(a: string, b: string): number {
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

interface ChangeParts {
  urn: string;
  op: string;
  properties: Iterable<string>;
  inputs: Readonly<Record<string, string>>;
}

/** One entry per URN, sorted; two steps that plan different values for a property keep both digests. */
export function merge(changes: Iterable<ChangeParts>): FingerprintedChange[] {
  const byUrn = new Map<string, { ops: Set<string>; properties: Set<string>; inputs: Map<string, Set<string>> }>();
  for (const change of changes) {
    const entry = byUrn.get(change.urn) ?? {
      ops: new Set<string>(),
      properties: new Set<string>(),
      inputs: new Map<string, Set<string>>(),
    };
    entry.ops.add(change.op);
    for (const property of change.properties) entry.properties.add(property);
    for (const [name, digest] of Object.entries(change.inputs))
      entry.inputs.set(name, (entry.inputs.get(name) ?? new Set<string>()).add(digest));
    byUrn.set(change.urn, entry);
  }
  return [...byUrn]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([urn, { ops, properties, inputs }]) => ({
      urn,
      op: sortedUnique(ops).join("+"),
      properties: sortedUnique(properties),
      inputs: Object.fromEntries(
        [...inputs].sort(([a], [b]) => byCodeUnits(a, b)).map(([name, digests]) => [name, sortedUnique(digests).join("+")]),
      ),
    }));
}

/** The digest of a stack's merged changes, with their full input digests. */
export function digestOf(stack: string, changes: readonly FingerprintedChange[]): string {
  return sha256(canonicalJson({ stack, changes }));
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
      inputs: change.inputDigests ?? {},
    }));
  const merged = merge(kept);
  return { version: 2, stack, digest: digestOf(stack, merged), detail: "values", changes: merged };
}

/** One change as a reviewer reads it: "update [ingress, tags]", "create", "replace [port]". */
export function describeChange(change: Pick<FingerprintedChange, "op" | "properties">): string {
  return change.properties.length > 0 ? `${change.op} [${change.properties.join(", ")}]` : change.op;
}

/** The changes as a fingerprint of `detail` lists them: input digests cut to locators, or none. */
export function changesAt(fingerprint: ChangeFingerprint, detail: FingerprintDetail): FingerprintedChange[] {
  if (detail === "digest") return [];
  const locator = (digest: string): string => digest.slice(0, LOCATOR_LENGTH);
  return fingerprint.changes.map((change) => {
    let inputs: Record<string, string> = {};
    if (detail === "values") inputs = Object.fromEntries(Object.entries(change.inputs).map(([name, digest]) => [name, locator(digest)]));
    // A fingerprint read back at "resources" already holds the one digest.
    else if (detail === "resources" && Object.keys(change.inputs).length > 0) {
      inputs = { [ALL_INPUTS]: change.inputs[ALL_INPUTS] ?? locator(sha256(canonicalJson(change.inputs))) };
    }
    return { ...change, inputs };
  });
}

function differingValues(before: FingerprintedChange, after: FingerprintedChange): string[] {
  const names = sortedUnique([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
  return names.filter((name) => before.inputs[name] !== after.inputs[name]);
}

/**
 * What differs between the reviewed fingerprint and the current one, by URN in code-unit order;
 * empty when their digests are the same. Fingerprints of different stacks differ as a whole.
 * Resources are compared at the detail the reviewed one kept; a difference found only by the
 * digest is one "(plan)" difference.
 */
export function compareFingerprints(reviewed: ChangeFingerprint, current: ChangeFingerprint): readonly FingerprintDifference[] {
  if (reviewed.stack !== current.stack) {
    return [{ urn: "(stack)", reviewed: `stack ${reviewed.stack}`, now: `stack ${current.stack}` }];
  }
  if (reviewed.digest === current.digest) return [];
  const before = new Map(changesAt(reviewed, reviewed.detail).map((change) => [change.urn, change]));
  const after = new Map(changesAt(current, reviewed.detail).map((change) => [change.urn, change]));
  const differences: FingerprintDifference[] = [];
  for (const urn of sortedUnique([...before.keys(), ...after.keys()])) {
    const was = before.get(urn);
    const now = after.get(urn);
    const described = [was && describeChange(was), now && describeChange(now)] as const;
    if (described[0] !== described[1]) differences.push({ urn, reviewed: described[0], now: described[1] });
    else if (was && now && differingValues(was, now).length > 0) {
      const values = reviewed.detail === "resources" ? { valuesUnnamed: true as const } : { values: differingValues(was, now) };
      differences.push({ urn, reviewed: described[0], now: described[1], ...values });
    }
  }
  if (differences.length > 0) return differences;
  return [{ urn: "(plan)", reviewed: `digest ${reviewed.digest.slice(0, 12)}`, now: `digest ${current.digest.slice(0, 12)}` }];
}
