// Values not known during a preview. Reading one through a policy's props throws CrossGuard's
// UnknownValueError, which CrossGuard turns into an advisory "can't run policy … during preview".
// A stack policy must not let one unknown on one resource hide the verdicts on all the others,
// so it checks each resource separately and rethrows the first unknown at the end: the known
// violations are reported, and CrossGuard still adds its advisory for what it could not check.

function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/** Runs `check` on each item; unknown values are deferred to the end, other errors propagate. */
export function checkEach<T>(items: Iterable<T>, check: (item: T) => void): void {
  let firstUnknown: unknown;
  for (const item of items) {
    try {
      check(item);
    } catch (error) {
      if (!isUnknownValueError(error)) throw error;
      firstUnknown ??= error;
    }
  }
  if (firstUnknown !== undefined) throw firstUnknown;
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
