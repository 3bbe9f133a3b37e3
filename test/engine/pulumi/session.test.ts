// How the session tells a locked stack from a failed run: by the Automation API's
// ConcurrentUpdateError, or by the CLI's own words, for a preview and an update alike.

import { describe, expect, it } from "vitest";
import { isLocked } from "../../../src/engine/pulumi/session.js";

const SELF_MANAGED =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
  "  file:///home/runner/.pulumi/locks/organization/project/dev/8d1f0b6e.json: created by runner@ci-host (pid 4242) at 2025-06-02T09:14:03Z";
const PULUMI_CLOUD =
  "error: [409] Conflict: Another update is currently in progress.\nTo learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/common-errors/#conflict";

describe("isLocked", () => {
  it("a failure whose stderr has a backend's lock text is a lock, whatever error class the Automation API chose", () => {
    expect(isLocked(new Error("Command failed with exit code 1"), SELF_MANAGED)).toBe(true);
    expect(isLocked(new Error("Command failed with exit code 1"), PULUMI_CLOUD)).toBe(true);
  });

  it("any other failure is not", () => {
    expect(isLocked(new Error("Command failed with exit code 1"), "error: preview failed: the program threw")).toBe(false);
    expect(isLocked(new Error("Command failed with exit code 6"), "error: no stack named 'dev' found")).toBe(false);
  });
});
