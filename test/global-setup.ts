// The integration tests run the built action, the built CLI and the policy pack as the CLI runs
// it, from dist/policy-pack: build all of dist/ from the sources under test first, once.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
