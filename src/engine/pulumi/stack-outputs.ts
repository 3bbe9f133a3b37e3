// A stack's outputs after an update, with every secret in them replaced by "[secret]", at any
// depth: what the Automation API hands back is checked against the state, where the engine marks
// every secret.

import type { OutputMap, Stack } from "@pulumi/pulumi/automation/index.js";
import type { StackOutput } from "../../gate/outcome.js";
import { maskSecrets, SECRET_PLACEHOLDER } from "../../gate/secrets.js";

/** The root stack's outputs as the state holds them, secrets still marked; undefined if unreadable. */
async function markedStackOutputs(stack: Stack): Promise<Record<string, unknown> | undefined> {
  try {
    const exported = await stack.exportStack();
    const resources: unknown = (exported.deployment as { resources?: unknown } | undefined)?.resources;
    if (!Array.isArray(resources)) return undefined;
    const root = (resources as { type?: unknown; outputs?: unknown }[]).find((resource) => resource.type === "pulumi:pulumi:Stack");
    const outputs = root?.outputs;
    return outputs !== null && typeof outputs === "object" && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/**
 * The Automation API flags an output as secret only when the whole value is one: a secret nested
 * in an object or a list arrives in plain text with secret: false. Such values are taken from the
 * exported state instead, where the engine marks every secret; when that cannot be read, they are
 * withheld.
 */
export async function safeOutputs(stack: Stack, outputs: OutputMap): Promise<Record<string, StackOutput>> {
  const safe: Record<string, StackOutput> = {};
  const nested: string[] = [];
  for (const [key, output] of Object.entries(outputs)) {
    if (output.secret) safe[key] = { value: SECRET_PLACEHOLDER, secret: true };
    else if (output.value !== null && typeof output.value === "object") nested.push(key);
    else safe[key] = { value: output.value as unknown, secret: false };
  }
  if (nested.length === 0) return safe;
  const marked = await markedStackOutputs(stack);
  for (const key of nested) {
    const masked = marked && key in marked ? maskSecrets(marked[key]) : undefined;
    safe[key] =
      masked === undefined
        ? { value: SECRET_PLACEHOLDER, secret: true }
        : masked.secret
          ? masked
          : { value: outputs[key]?.value as unknown, secret: false };
  }
  return safe;
}
