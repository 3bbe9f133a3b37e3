// The command line's argument parser: what each argument becomes, and for each mistake the exact
// words, which name the argument, say what was expected and suggest what was meant.

import { describe, expect, it } from "vitest";
import { commandProblem, parseCheckArguments, type CheckArguments } from "../../src/cli/arguments.js";

const NONE: CheckArguments = {
  program: "infra",
  stack: undefined,
  policyConfig: undefined,
  policyPacks: [],
  json: undefined,
  markdown: undefined,
  sarif: undefined,
  typeCheck: false,
  unrestricted: false,
  pluginDownload: "never",
  unbuiltComponents: "error",
};

const FLAGS =
  "--program, --stack, --policy-config, --policy-pack, --json, --markdown, --sarif, --plugin-download, --unbuilt-components, --help, --version, --type-check, --unrestricted";

function problem(args: readonly string[]): string {
  try {
    parseCheckArguments(args);
  } catch (error) {
    expect((error as Error).name).toBe("ArgumentError");
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(args)} was accepted`);
}

describe("parseCheckArguments", () => {
  it("reads every option, as `--name value` and as `--name=value`, --policy-pack repeated", () => {
    expect(
      parseCheckArguments([
        "--program",
        "infra",
        "--stack=prod",
        "--policy-config",
        "policy.json",
        "--policy-pack",
        "packs/a",
        "--policy-pack=packs/b",
        "--json",
        "out/report.json",
        "--markdown=out/summary.md",
        "--sarif",
        "out/gate.sarif",
      ]),
    ).toEqual({
      kind: "check",
      arguments: {
        program: "infra",
        stack: "prod",
        policyConfig: "policy.json",
        policyPacks: ["packs/a", "packs/b"],
        json: "out/report.json",
        markdown: "out/summary.md",
        sarif: "out/gate.sarif",
        typeCheck: false,
        unrestricted: false,
        pluginDownload: "never",
        unbuiltComponents: "error",
      },
    });
  });

  it("leaves what was not given undefined (the stack's default is the caller's)", () => {
    expect(parseCheckArguments(["--program", "infra"])).toEqual({ kind: "check", arguments: NONE });
  });

  it("takes a value that starts with a dash when it is given with =", () => {
    expect(parseCheckArguments(["--program", "infra", "--json=-report.json"])).toEqual({
      kind: "check",
      arguments: { ...NONE, json: "-report.json" },
    });
  });

  it.each([
    [["--help"], "help"],
    [["-h"], "help"],
    [["--version"], "version"],
    [["--programm", "x", "--help"], "help"],
    [["stray", "--version"], "version"],
  ] as const)("%j asks for %s, whatever else is on the line", (args, kind) => {
    expect(parseCheckArguments(args)).toEqual({ kind });
  });

  it.each([
    [["--programm", "fixtures/alb"], `unknown option "--programm"; did you mean --program? (expected one of ${FLAGS})`],
    [["--program", "x", "--stak=prod"], `unknown option "--stak"; did you mean --stack? (expected one of ${FLAGS})`],
    [["-program", "x"], `unknown option "-program"; did you mean --program? (expected one of ${FLAGS})`],
    [["--program", "x", "--sarf", "a"], `unknown option "--sarf"; did you mean --sarif? (expected one of ${FLAGS})`],
    [["--program", "x", "--frobnicate"], `unknown option "--frobnicate" (expected one of ${FLAGS})`],
    [["--program", "x", "-v"], `unknown option "-v" (expected one of ${FLAGS})`],
  ])("%j: an unknown option, with the nearest known one", (args, message) => {
    expect(problem(args)).toBe(message);
  });

  it.each([
    [["fixtures/alb"], 'unexpected argument "fixtures/alb"; did you mean --program fixtures/alb?'],
    [["fixtures/alb", "--stack", "dev"], 'unexpected argument "fixtures/alb"; did you mean --program fixtures/alb?'],
    [["--program", "x", "stray"], `unexpected argument "stray" (check takes options only: ${FLAGS})`],
    [["--program", "x", "sarif"], `unexpected argument "sarif"; did you mean --sarif? (check takes options only: ${FLAGS})`],
    [["--program", "x", "--"], `unexpected argument "--" (check takes options only: ${FLAGS})`],
  ])("%j: a bare word, with what it most likely meant", (args, message) => {
    expect(problem(args)).toBe(message);
  });

  it.each([
    [[], "--program is missing; expected the directory of a Pulumi project"],
    [["--stack", "dev"], "--program is missing; expected the directory of a Pulumi project"],
    [["--program"], "--program needs a value; expected the directory of a Pulumi project"],
    [["--program", ""], "--program is empty; expected the directory of a Pulumi project"],
    [["--program="], "--program is empty; expected the directory of a Pulumi project"],
    [
      ["--program", "x", "--json", "--markdown", "m.md"],
      '--json needs a value; expected a file to write the JSON report to, but the next argument is "--markdown"',
    ],
    [["--program", "a", "--program", "b"], '--program is given twice ("a" and "b"); expected it once'],
    [["--program", "x", "--sarif", "a", "--sarif=b"], '--sarif is given twice ("a" and "b"); expected it once'],
    [["--program", "x", "--version=2"], '--version takes no value; it is given "2"'],
  ])("%j: %s", (args, message) => {
    expect(problem(args)).toBe(message);
  });
});

describe("commandProblem", () => {
  it.each([
    [["check"], undefined],
    [["check", "--program", "x"], undefined],
    [[], 'no command given; expected "check"'],
    [["chek"], 'unknown command "chek"; expected "check" (did you mean "check"?)'],
    [["deploy"], 'unknown command "deploy"; expected "check"'],
    [
      ["--program", "fixtures/alb"],
      'unknown command "--program"; expected "check" (did you mean policy-gate check --program fixtures/alb?)',
    ],
  ])("%j: %s", (argv, message) => {
    expect(commandProblem(argv)).toBe(message);
  });
});

describe("the check's switches", () => {
  it("--type-check and --unrestricted turn on what they name, and take no value", () => {
    expect(parseCheckArguments(["--program", "infra", "--type-check", "--unrestricted"])).toEqual({
      kind: "check",
      arguments: { ...NONE, typeCheck: true, unrestricted: true },
    });
    expect(problem(["--program", "infra", "--type-check=yes"])).toBe('--type-check takes no value; it is given "yes"');
  });
});

describe("the check's options with a value from a list", () => {
  it("--plugin-download takes verified, unverified or never; never unless given (the command line downloads nothing unasked)", () => {
    expect(parseCheckArguments(["--program", "infra"])).toMatchObject({ arguments: { pluginDownload: "never" } });
    for (const mode of ["verified", "unverified", "never"] as const) {
      expect(parseCheckArguments(["--program", "infra", "--plugin-download", mode])).toEqual({
        kind: "check",
        arguments: { ...NONE, pluginDownload: mode },
      });
    }
  });

  it("--unbuilt-components takes error or warn; error unless given (fail closed)", () => {
    expect(parseCheckArguments(["--program", "infra"])).toMatchObject({ arguments: { unbuiltComponents: "error" } });
    expect(parseCheckArguments(["--program", "infra", "--unbuilt-components=warn"])).toEqual({
      kind: "check",
      arguments: { ...NONE, unbuiltComponents: "warn" },
    });
    expect(parseCheckArguments(["--program", "infra", "--unbuilt-components", "error"])).toEqual({ kind: "check", arguments: NONE });
  });

  it.each([
    [["--program", "x", "--plugin-download", "yes"], '--plugin-download is "yes"; expected one of "verified", "unverified", "never"'],
    [
      ["--program", "x", "--plugin-download=Verified"],
      '--plugin-download is "Verified"; expected one of "verified", "unverified", "never"',
    ],
    [["--program", "x", "--plugin-download"], '--plugin-download needs a value; expected one of "verified", "unverified", "never"'],
    [["--program", "x", "--unbuilt-components", "warning"], '--unbuilt-components is "warning"; expected one of "error", "warn"'],
    [["--program", "x", "--unbuilt-components="], '--unbuilt-components is empty; expected one of "error", "warn"'],
    [
      ["--program", "x", "--unbuilt-components", "warn", "--unbuilt-components=error"],
      '--unbuilt-components is given twice ("warn" and "error"); expected it once',
    ],
  ])("%j: %s", (args, message) => {
    expect(problem(args)).toBe(message);
  });
});
