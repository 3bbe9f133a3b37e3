// Test helper: a validator for the official SARIF 2.1.0 schema (sarif-schema-2.1.0.json, see
// SOURCES.md), for every test that checks a SARIF log the gate writes.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The OASIS schema is draft-04, which Ajv 8 reads as draft-07 once its root `id` is `$id`: the two
 * drafts differ in nothing else this schema uses (no boolean exclusiveMinimum, no dependencies).
 */
export function sarifValidator(): ValidateFunction {
  const { id, $schema, ...schema } = JSON.parse(readFileSync(path.join(here, "sarif-schema-2.1.0.json"), "utf8")) as Record<
    string,
    unknown
  >;
  if ($schema !== "http://json-schema.org/draft-04/schema#") throw new Error(`unexpected $schema ${String($schema)}`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats the schema names, checked as strictly as a URI parser reads them.
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  ajv.addFormat(
    "uri-reference",
    (value: string) => /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(value) && URL.canParse(value, "file:///repository/"),
  );
  ajv.addFormat("date-time", (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value));
  return ajv.compile({ ...schema, $id: String(id) });
}
