// Input plugin-download: parsed with the other inputs, and turned into what the offline engine
// needs to download a remote component's plugin (the tool cache for verified archives, the
// runner's temporary folder for the run's unpacked plugins, the log through the masker). Input
// unbuilt-components: what a component whose plugin is still not there does to the check.

import os from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/action/inputs.js";
import { pluginDownloadOf, unbuiltComponentsOf } from "../../src/action/plugin-download.js";
import type { RunContext } from "../../src/action/run-context.js";
import { createMasker } from "../../src/gate/masking.js";
import { GateError } from "../../src/gate/errors.js";

function config(inputs: Record<string, string> = {}): ReturnType<typeof parseConfig> {
  const all: Record<string, string> = { engine: "offline", ...inputs };
  return parseConfig((name) => all[name] ?? "");
}

const context = { tempDir: "/runner/_temp", workspace: os.tmpdir() } as Pick<RunContext, "tempDir" | "workspace"> as RunContext;

afterEach(() => vi.restoreAllMocks());

describe("input plugin-download", () => {
  it("is verified unless set; verified, unverified and never are accepted", () => {
    expect(config().pluginDownload).toBe("verified");
    for (const mode of ["verified", "unverified", "never"] as const) expect(config({ "plugin-download": mode }).pluginDownload).toBe(mode);
  });

  it("refuses any other value, naming the input, the value and what is expected", () => {
    expect(() => config({ "plugin-download": "yes" })).toThrow(
      new GateError("config-error", 'input plugin-download is "yes"; expected one of "verified", "unverified", "never"'),
    );
  });

  it("downloads into the runner's tool cache, unpacks in its temporary folder, and names itself in messages", () => {
    const download = pluginDownloadOf(config(), context, { RUNNER_TOOL_CACHE: "/opt/hostedtoolcache" }, createMasker([]));
    expect(download).toMatchObject({
      mode: "verified",
      cacheDir: "/opt/hostedtoolcache",
      tempDir: "/runner/_temp",
      setting: 'input plugin-download "verified"',
    });
    expect(pluginDownloadOf(config({ "plugin-download": "unverified" }), context, {}, createMasker([]))).toMatchObject({
      mode: "unverified",
      cacheDir: "/runner/_temp",
    });
    expect(pluginDownloadOf(config({ "plugin-download": "never" }), context, {}, createMasker([]))).toBeUndefined();
  });

  it("logs through the masker, as the rest of the action's log", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    const download = pluginDownloadOf(config(), context, {}, createMasker(["s3cr3t-value"]));
    download?.log.info("Downloaded from https://example.test/?t=s3cr3t-value");
    download?.log.warning("::error::not a command");
    expect(written.join("")).toContain("Downloaded from https://example.test/?t=[secret]");
    expect(written.join("")).toContain("::warning::| ::error::not a command");
  });
});

describe("input unbuilt-components", () => {
  it("is error unless set (fail closed); error and warn are accepted, and name themselves in messages", () => {
    expect(config().unbuiltComponents).toBe("error");
    expect(unbuiltComponentsOf(config())).toEqual({ mode: "error", setting: 'input unbuilt-components "error"' });
    expect(unbuiltComponentsOf(config({ "unbuilt-components": "warn" }))).toEqual({
      mode: "warn",
      setting: 'input unbuilt-components "warn"',
    });
  });

  it.each(["warning", "Warn", "true", "ignore"])("refuses %j, naming the input, the value and what is expected", (value) => {
    expect(() => config({ "unbuilt-components": value })).toThrow(
      new GateError("config-error", `input unbuilt-components is ${JSON.stringify(value)}; expected one of "error", "warn"`),
    );
  });
});
