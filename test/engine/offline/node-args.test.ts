// Which nodeargs of a Pulumi.yaml pass under the permission model: an allowlist, so that flags
// which switch the model off or write files it never sees (found by a hostile review) are refused.
import { describe, expect, it } from "vitest";
import { refusedNodeArg } from "../../../src/engine/offline/program-permissions.js";

describe("nodeargs under the permission model", () => {
  it("passes memory, stack-trace, warning and module-loading flags", () => {
    expect(
      refusedNodeArg(["--max-old-space-size=2048", "--stack-trace-limit=20", "--no-warnings", "--require", "./setup.js", "--import=tsx"]),
    ).toBeUndefined();
  });

  it("refuses flags that widen the model, load a config file or write outside it", () => {
    for (const arg of [
      "--allow-fs-read=*",
      "--experimental-default-config-file",
      "--experimental-config-file=node.config.json",
      "--logfile=/tmp/x",
      "--no-logfile-per-isolate",
      "--localstorage-file=/tmp/x.db",
      "--cpu-prof",
      "--inspect",
      "--env-file=.env",
    ]) {
      expect(refusedNodeArg(["--max-old-space-size=2048", arg])).toBe(arg);
    }
  });
});
