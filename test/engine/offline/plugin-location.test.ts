// Finding an installed provider plugin in a Pulumi home the way the CLI does.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findInstalledPlugin, pulumiHome } from "../../../src/engine/offline/plugins/plugin-location.js";

let home: string;

/** Lays out plugin `name` at `version` as `pulumi plugin install` does; returns its directory. */
function install(name: string, version: string, withExecutable = true): string {
  const directory = path.join(home, "plugins", `resource-${name}-v${version}`);
  mkdirSync(directory, { recursive: true });
  if (withExecutable) writeFileSync(path.join(directory, `pulumi-resource-${name}`), "#!/bin/sh\n", { mode: 0o755 });
  return directory;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "plugin-location-"));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("findInstalledPlugin", () => {
  it("finds exactly the version asked for", () => {
    install("awsx", "2.20.0");
    const wanted = install("awsx", "2.21.0");
    install("awsx", "3.0.0");
    expect(findInstalledPlugin(home, "awsx", "2.21.0")).toEqual({
      found: true,
      plugin: { name: "awsx", version: "2.21.0", directory: wanted, executable: path.join(wanted, "pulumi-resource-awsx") },
    });
  });

  it("does not take another version for the one asked for, and says which are installed", () => {
    install("awsx", "2.20.0");
    install("awsx", "3.0.0");
    expect(findInstalledPlugin(home, "awsx", "2.21.0")).toEqual({
      found: false,
      searched: path.join(home, "plugins", "resource-awsx-v2.21.0"),
      installedVersions: ["2.20.0", "3.0.0"],
    });
  });

  it("takes the newest stable version when none is asked for", () => {
    install("awsx", "2.9.0");
    const newest = install("awsx", "2.10.0");
    install("awsx", "3.0.0-alpha.1");
    const result = findInstalledPlugin(home, "awsx", "");
    expect(result.found && result.plugin.directory).toBe(newest);
  });

  it("skips a version still being installed (a .partial file beside it)", () => {
    const complete = install("awsx", "2.0.0");
    const partial = install("awsx", "2.1.0");
    writeFileSync(`${partial}.partial`, "");
    const result = findInstalledPlugin(home, "awsx", "");
    expect(result.found && result.plugin.directory).toBe(complete);
    expect(findInstalledPlugin(home, "awsx", "2.1.0").found).toBe(false);
  });

  it("tells a package from one whose name it begins", () => {
    install("aws", "7.0.0");
    const apigateway = install("aws-apigateway", "3.0.1");
    const result = findInstalledPlugin(home, "aws-apigateway", "3.0.1");
    expect(result.found && result.plugin.directory).toBe(apigateway);
    expect(findInstalledPlugin(home, "aws", "3.0.1").found).toBe(false);
  });

  it("says so when the plugin's directory has no executable", () => {
    install("awsx", "2.21.0", false);
    expect(findInstalledPlugin(home, "awsx", "2.21.0")).toMatchObject({
      found: false,
      problem: `${path.join(home, "plugins", "resource-awsx-v2.21.0")} has no executable pulumi-resource-awsx (a plugin run from source is not supported offline)`,
    });
  });

  it("finds nothing in a home without plugins", () => {
    expect(findInstalledPlugin(home, "awsx", "")).toMatchObject({ found: false, installedVersions: [] });
  });
});

describe("pulumiHome", () => {
  it("is PULUMI_HOME when set, else ~/.pulumi", () => {
    expect(pulumiHome({ PULUMI_HOME: "/opt/pulumi" })).toBe("/opt/pulumi");
    expect(pulumiHome({})).toBe(path.join(os.homedir(), ".pulumi"));
  });
});
