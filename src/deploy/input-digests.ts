// Digests of a step's planned input values, one per top-level property, so that a fingerprint
// binds values and not only property names, and a comparison can name the property that differs.
// Secrets count as "[secret]" (the engine shows no more of them) and unknown values as the
// engine's unknown sentinel, so two runs of the same preview give the same digests.

import { createHash } from "node:crypto";
import { maskSecrets } from "../gate/secrets.js";

/** Bookkeeping keys of the engine at the top level of the inputs, not properties of the resource. */
const INTERNAL_KEYS = new Set(["__defaults"]);

/** JSON with object keys in code-unit order at every depth: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const entries = keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** sha256 in base64url (43 characters). */
export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** Per top-level input property, the sha256 of its canonical value; undefined when the step has no new inputs. */
export function inputDigestsOf(inputs: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> | undefined {
  if (inputs === null || inputs === undefined || typeof inputs !== "object") return undefined;
  const digests: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (!INTERNAL_KEYS.has(name)) digests[name] = sha256(canonicalJson(maskSecrets(value).value));
  }
  return digests;
}
