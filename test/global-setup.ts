// The engine tests run the policy pack as the CLI would, from dist/policy-pack, and the CLI
// tests run dist/cli.js: build both from the sources under test first.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
