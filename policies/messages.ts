// How policy messages show values: the exact value a property has, or that it is not set.

export function show(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  return "an object";
}

/** A property path as a policy message names it: ["defaultActions", "0", "type"] is defaultActions[0].type. */
export function propertyPath(segments: readonly string[]): string {
  return segments.map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join("");
}
