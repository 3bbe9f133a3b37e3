// What of the gate's environment the program being checked gets: what a Pulumi program needs,
// and nothing that could be a credential.

import { describe, expect, it } from "vitest";
import { programEnvironment } from "../../../src/engine/offline/program-environment.js";
import { withNode20Preload } from "../../../src/engine/offline/run-program.js";

const SETTINGS = {
  config: { "probe:size": "small" },
  secretKeys: ["probe:password"],
  typeScript: true,
  tsconfig: undefined,
  transpileOnly: true,
  tempDir: undefined,
};

describe("the program's environment", () => {
  it("keeps what a program needs to run and sets the config the Pulumi CLI would", () => {
    const environment = programEnvironment(
      { PATH: "/usr/bin", HOME: "/home/runner", TMPDIR: "/tmp", LANG: "C.UTF-8", LC_ALL: "C", NODE_OPTIONS: "--max-old-space-size=4096" },
      SETTINGS,
    );
    expect(environment).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      TMPDIR: "/tmp",
      LANG: "C.UTF-8",
      LC_ALL: "C",
      NODE_OPTIONS: "--max-old-space-size=4096",
      PULUMI_CONFIG: '{"probe:size":"small"}',
      PULUMI_CONFIG_SECRET_KEYS: '["probe:password"]',
      PULUMI_NODEJS_TYPESCRIPT: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    });
  });

  it("turns Pulumi.yaml's runtime options into the runner's variables, as the language host does", () => {
    const environment = programEnvironment(
      { PULUMI_NODEJS_TRANSPILE_ONLY: "true", PULUMI_NODEJS_TSCONFIG_PATH: "/elsewhere.json" },
      { ...SETTINGS, typeScript: false, tsconfig: "tsconfig.pulumi.json", transpileOnly: false, tempDir: "/tmp/program-1" },
    );
    expect(environment).toEqual({
      PULUMI_CONFIG: '{"probe:size":"small"}',
      PULUMI_CONFIG_SECRET_KEYS: '["probe:password"]',
      PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json",
      PULUMI_NODEJS_TRANSPILE_ONLY: "false",
      TMPDIR: "/tmp/program-1",
      TMP: "/tmp/program-1",
      TEMP: "/tmp/program-1",
    });
  });

  it("drops credentials and everything else of the gate's", () => {
    const environment = programEnvironment(
      {
        "INPUT_GITHUB-TOKEN": "ghs_token",
        GITHUB_TOKEN: "ghs_token",
        ACTIONS_RUNTIME_TOKEN: "runtime",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc",
        AWS_ACCESS_KEY_ID: "AKIA",
        AWS_SECRET_ACCESS_KEY: "secret",
        PULUMI_ACCESS_TOKEN: "pul-token",
        PULUMI_CONFIG_PASSPHRASE: "passphrase",
        PULUMI_CONFIG: '{"forged:key":"value"}',
        NPM_TOKEN: "npm",
      },
      SETTINGS,
    );
    expect(Object.keys(environment).sort()).toEqual([
      "PULUMI_CONFIG",
      "PULUMI_CONFIG_SECRET_KEYS",
      "PULUMI_NODEJS_TRANSPILE_ONLY",
      "PULUMI_NODEJS_TYPESCRIPT",
    ]);
    expect(environment.PULUMI_CONFIG).toBe('{"probe:size":"small"}');
  });

  it("keeps Windows' variables in the case they are spelled", () => {
    const environment = programEnvironment({ Path: "C:\\Windows", SystemRoot: "C:\\Windows" }, SETTINGS);
    expect(environment.Path).toBe("C:\\Windows");
    expect(environment.SystemRoot).toBe("C:\\Windows");
  });
});

describe("Node.js 20's preload", () => {
  it("goes into NODE_OPTIONS on Node.js 20, after what the user set, and nowhere on 22 and later", () => {
    const on20 = withNode20Preload({ NODE_OPTIONS: "--max-old-space-size=4096", PATH: "/usr/bin" }, "20.20.2");
    expect(on20.NODE_OPTIONS).toMatch(/^--max-old-space-size=4096 --require ".*node20-inspect\.cjs"$/);
    expect(on20.PATH).toBe("/usr/bin");
    expect(withNode20Preload({ PATH: "/usr/bin" }, "22.13.0")).toEqual({ PATH: "/usr/bin" });
    expect(withNode20Preload({}, "24.22.3")).toEqual({});
  });
});
