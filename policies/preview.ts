// Values not known during a preview. Reading one through a policy's props throws CrossGuard's
// UnknownValueError, which CrossGuard turns into an advisory "can't run policy … during preview".
// A stack policy must not let one unknown on one resource hide the verdicts on all the others,
// so it checks each resource separately and rethrows the first unknown at the end (of the last
// pass, when it makes several): the known violations are reported, and CrossGuard still adds
// its advisory for what it could not check.

function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/**
 * Defers unknown values across all the passes of a stack policy: a pass that meets one goes on
 * with the next item, the passes after it still run, and `rethrow` ends the policy with the first.
 */
export class DeferredUnknowns {
  private first: unknown;

  /** Runs `check` on each item; unknown values are remembered, other errors propagate. */
  checkEach<T>(items: Iterable<T>, check: (item: T) => void): void {
    for (const item of items) {
      try {
        check(item);
      } catch (error) {
        if (!isUnknownValueError(error)) throw error;
        this.first ??= error;
      }
    }
  }

  /** Throws the first unknown value met, if any. */
  rethrow(): void {
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
