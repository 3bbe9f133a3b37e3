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

/** The gate's own version (its package.json): what --version prints and a SARIF log names. */
export function gateVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
