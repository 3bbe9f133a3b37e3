// Secrets: how the gate shows one ("[secret]") and finds them in Pulumi's wire-format values, so
// that no secret value reaches a report, a comment or a log. The one module that decides it.

import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY } from "../engine/wire-format.js";
import type { StackOutput } from "./outcome.js";

/** What the gate shows instead of a secret value, everywhere. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Secrets shorter than this are not scrubbed from messages: they would match ordinary words. */
const MIN_SCRUBBED_SECRET_LENGTH = 4;

/** Is this a secret in Pulumi's wire format ({ <signature key>: <secret signature>, value })? */
export function isSecretValue(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SPECIAL_SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** `value` with every wire-format secret replaced by "[secret]", and whether there was one. */
export function maskSecrets(value: unknown): StackOutput {
  if (isSecretValue(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(maskSecrets);
    return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, maskSecrets(item)] as const);
    return { value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])), secret: entries.some(([, item]) => item.secret) };
  }
  return { value, secret: false };
}

/**
 * A secret as it can appear in a message: as is, and escaped as inside a JSON string, the way
 * policies quote values (a secret with a quote, a backslash or a newline would otherwise leak).
 */
function addSecret(secret: string, into: Set<string>): void {
  if (secret.length < MIN_SCRUBBED_SECRET_LENGTH) return;
  into.add(secret);
  into.add(JSON.stringify(secret).slice(1, -1));
}

/** Every string held inside a secret anywhere in `value`, in each form a message may show it. */
export function collectSecrets(value: unknown, into: Set<string>, insideSecret = false): void {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    if (insideSecret) addSecret(String(value), into);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into, insideSecret);
  } else if (value !== null && typeof value === "object") {
    const secret = insideSecret || isSecretValue(value);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      // The signature marks the secret; it is not part of it.
      if (key !== SPECIAL_SIGNATURE_KEY) collectSecrets(item, into, secret);
    }
  }
}

/** `message` with each of `secrets` (longest first) replaced by "[secret]". */
export function scrubSecrets(message: string, secrets: Iterable<string>): string {
  let scrubbed = message;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(secret).join(SECRET_PLACEHOLDER);
  return scrubbed;
}
