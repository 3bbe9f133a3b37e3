// What a policy's configuration schema says about each property (type, bounds, default), in
// words: one reading for the README's policy table and the SARIF rules' help, which format the
// values each in their own way (Markdown code spans, plain JSON).

import type { Policy } from "@pulumi/policy";

/** A property of a policy's configSchema. */
export type PolicyConfigJSONSchema = NonNullable<Policy["configSchema"]>["properties"][string];

/** How a value from the schema (an enum member, a default) is shown. */
export type ShowValue = (value: unknown) => string;

function typeOf(schema: PolicyConfigJSONSchema): string {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const items = schema.items;
  return types
    .map((type) =>
      type === "array" && items && !Array.isArray(items) && typeof items === "object" && typeof items.type === "string"
        ? `array of ${items.type}`
        : type,
    )
    .join(" or ");
}

function boundsOf(schema: PolicyConfigJSONSchema, show: ShowValue, code: (text: string) => string): string[] {
  const bounds: string[] = [];
  if (schema.enum) bounds.push(`one of ${schema.enum.map(show).join(", ")}`);
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined) bounds.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) bounds.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) bounds.push(`matching ${code(schema.pattern)}`);
  if (schema.minItems !== undefined) bounds.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) bounds.push(`at most ${schema.maxItems} items`);
  return bounds;
}

/**
 * One property's facts: its type, its bounds, and its default ("required" or "no default"
 * without one). `show` formats schema values, `code` a pattern.
 */
export function propertyFacts(
  schema: PolicyConfigJSONSchema,
  required: boolean,
  show: ShowValue,
  code: (text: string) => string = (text) => text,
): string[] {
  return [
    typeOf(schema),
    ...boundsOf(schema, show, code),
    schema.default === undefined ? (required ? "required" : "no default") : `default ${show(schema.default)}`,
  ].filter((fact) => fact !== "");
}
