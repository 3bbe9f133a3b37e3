// Where the gate's own policy pack is: built JavaScript in dist/policy-pack (the CLI runs a
// TypeScript pack through ts-node with type checking, seconds per run; the built one starts in
// a fraction of that). `npm run build` makes it from policies/.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of this package (the one whose package.json is named pulumi-policy-gate). */
export function packageRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(directory, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "pulumi-policy-gate") {
      return directory;
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error("cannot find the pulumi-policy-gate package around its own code");
    directory = parent;
  }
}

export function bundledPackDir(): string {
  return path.join(packageRoot(), "dist", "policy-pack");
}

/** The bundled pack's name, as it reports it to the engine (policies/index.ts, POLICY_PACK_NAME). */
export const BUNDLED_PACK_NAME = "pulumi-policy-gate";

/**
 * The bundled pack as the engine must report it: its name, and the version the action ships (the
 * package.json of dist/policy-pack, which `new PolicyPack` reports as the pack's version).
 */
export function bundledPackIdentity(packDir = bundledPackDir()): { readonly name: string; readonly version: string } {
  const manifest = path.join(packDir, "package.json");
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
  } catch (error) {
    throw new Error(`the bundled policy pack has no readable ${manifest}: ${(error as Error).message}`);
  }
  if (typeof version !== "string" || version === "")
    throw new Error(
      `the bundled policy pack's ${manifest} has no version: expected a string such as "0.1.0", got ${JSON.stringify(version)}`,
    );
  return { name: BUNDLED_PACK_NAME, version };
}

/** The gate's own version (its package.json): what --version prints and a SARIF log names. */
export function gateVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
