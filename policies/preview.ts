// Values not known during a preview. Reading one through a policy's props throws CrossGuard's
// UnknownValueError, which CrossGuard turns into an advisory "can't run policy … during preview":
// by default a listener whose protocol or actions are unknown passes the gate. With the policy's
// `unknownValues` set to "mandatory" (config.ts) the policy reports a violation on the resource
// instead, naming the property, so that nothing reaches the update unchecked.
//
// A stack policy must not let one unknown on one resource hide the verdicts on all the others,
// so it checks each resource separately and settles the unknowns at the end (of the last pass,
// when it makes several): the known violations are reported, then either the first unknown is
// rethrown (CrossGuard adds its advisory) or each resource with an unknown gets its violation.

import type { PolicyResource } from "@pulumi/policy";
import type { UnknownValues } from "./config";
import { propertyPath } from "./messages";

function isUnknownValueError(error: unknown): error is Error & { readonly props?: unknown } {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/** The property an UnknownValueError is about, as a message names it. */
function unknownProperty(error: Error & { readonly props?: unknown }): string {
  const segments = Array.isArray(error.props) ? error.props.map(String) : [];
  return segments.length > 0 ? propertyPath(segments) : "a property";
}

/** The violation for a property unknown during preview, when unknownValues is "mandatory". */
export function unknownValueMessage(property: string): string {
  return `${property} must be known during preview (unknownValues is "mandatory"), but it is only known once the update runs: set it from values known before the update, or set unknownValues to "advisory" for this policy.`;
}

/**
 * Runs a resource policy's check: an unknown value ends it, and is rethrown for CrossGuard's
 * advisory, or reported as a violation on the resource when the setting is "mandatory".
 */
export function checkReportingUnknowns(setting: UnknownValues, report: (message: string) => void, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (setting !== "mandatory" || !isUnknownValueError(error)) throw error;
    report(unknownValueMessage(unknownProperty(error)));
  }
}

/** Thrown by `readOf` once the unknown is recorded against its own resource. */
class RecordedUnknown extends Error {
  constructor(readonly unknown: Error) {
    super(unknown.message);
  }
}

/**
 * Defers unknown values across all the passes of a stack policy: a pass that meets one goes on
 * with the next resource, the passes after it still run, and `settle` ends the policy.
 */
export class DeferredUnknowns {
  private first: Error | undefined;
  /** Per resource, its unknown properties (first error for each), in the order met. */
  private readonly byResource = new Map<string, Map<string, Error>>();

  constructor(
    private readonly setting: UnknownValues,
    private readonly report: (message: string, urn: string) => void,
  ) {}

  private record(urn: string, error: Error & { readonly props?: unknown }): void {
    this.first ??= error;
    let properties = this.byResource.get(urn);
    if (!properties) {
      properties = new Map();
      this.byResource.set(urn, properties);
    }
    const property = unknownProperty(error);
    if (!properties.has(property)) properties.set(property, error);
  }

  /** Runs `check` on each resource; an unknown value is that resource's, other errors propagate. */
  checkEach<T extends PolicyResource>(resources: Iterable<T>, check: (resource: T) => void): void {
    for (const resource of resources) {
      try {
        check(resource);
      } catch (error) {
        if (error instanceof RecordedUnknown) continue;
        if (!isUnknownValueError(error)) throw error;
        this.record(resource.urn, error);
      }
    }
  }

  /**
   * Reads a property of another resource than the one being checked (a listener's port while
   * checking its rule): an unknown there is recorded against that resource, and the check of the
   * current one ends without blaming it.
   */
  readOf<T>(resource: PolicyResource, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!isUnknownValueError(error)) throw error;
      this.record(resource.urn, error);
      throw new RecordedUnknown(error);
    }
  }

  /** Ends the policy: rethrows the first unknown value met, or reports each one as a violation. */
  settle(): void {
    if (this.setting === "mandatory") {
      for (const [urn, properties] of this.byResource) {
        for (const property of properties.keys()) this.report(unknownValueMessage(property), urn);
      }
      return;
    }
    if (this.first !== undefined) throw this.first;
  }
}

/** Calls `read`; an unknown value yields undefined instead of an error. */
export function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return undefined;
    throw error;
  }
}
