// policy-gate check as a user runs it: the built command line, a cold process per case, exit
// code 0 / 1 / 2, a clear message for every kind of error, and the --json and --markdown files
// written in every case, the JSON valid against the report's schema (report.schema.json).
// The argument errors are also run in-process through main() with a fake CliIo.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_ERROR, EXIT_FAIL, EXIT_PASS, main, type CliIo } from "../../src/cli/main.js";
import type { Report } from "../../src/gate/report.js";
import type { SarifLog } from "../../src/report/sarif.js";
import { renderGfm, tagNames } from "../report/rendered-html.js";
import { sarifValidator } from "../report/sarif/validator.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO_ROOT, "dist", "cli.js");
const FIXTURES = path.join(REPO_ROOT, "fixtures");

const validateReport = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(path.join(REPO_ROOT, "test/cli/report.schema.json"), "utf8")) as object,
);

const validateSarif = sarifValidator();

/** Scratch space inside the repository (git-ignored) so that programs there resolve @pulumi/pulumi. */
let scratch = "";
let outputCount = 0;

beforeAll(() => {
  mkdirSync(path.join(REPO_ROOT, ".test-output"), { recursive: true });
  scratch = mkdtempSync(path.join(REPO_ROOT, ".test-output", "cli-"));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function scratchDir(name: string): string {
  const directory = path.join(scratch, `${name}-${++outputCount}`);
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** A throwaway Pulumi program (Pulumi.yaml, a CommonJS package.json and index.ts) in the scratch space. */
function writeProgram(name: string, source: string): string {
  const directory = scratchDir(name);
  writeFileSync(path.join(directory, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  writeFileSync(path.join(directory, "package.json"), JSON.stringify({ name, private: true }));
  writeFileSync(path.join(directory, "index.ts"), source);
  return directory;
}

function writeFile(name: string, text: string): string {
  const file = path.join(scratchDir("file"), name);
  writeFileSync(file, text);
  return file;
}

interface Outputs {
  readonly report: Report;
  readonly markdown: string;
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The --json and --markdown files, when the run was asked for them. */
  readonly outputs: Outputs | undefined;
}

/** The report file: it must exist and be valid against the schema. */
function readReport(file: string): Report {
  expect(existsSync(file), `${file} was not written`).toBe(true);
  const report = JSON.parse(readFileSync(file, "utf8")) as Report;
  if (!validateReport(report))
    throw new Error(`the report does not match report.schema.json: ${JSON.stringify(validateReport.errors, null, 2)}`);
  if (report.error) expect(report.error.reason).toBe(report.failureReason);
  return report;
}

/** The Markdown file: it must exist, lead with the verdict, and render with no link or injected tag. */
function readMarkdown(file: string, report: Report): string {
  expect(existsSync(file), `${file} was not written`).toBe(true);
  const markdown = readFileSync(file, "utf8");
  const headline = {
    pass: "### ✅ Policy gate passed: ",
    fail: "### ❌ Policy gate failed: ",
    error: "### ⚠️ Policy gate could not evaluate: ",
  }[report.verdict];
  expect(markdown.startsWith(headline)).toBe(true);
  const html = renderGfm(markdown, { allowHtml: true });
  expect(html).not.toContain("<a");
  const allowed = new Set([
    "h3",
    "p",
    "strong",
    "em",
    "code",
    "pre",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "ul",
    "li",
  ]);
  expect(tagNames(html).filter((tag) => !allowed.has(tag.replace("/", "")))).toEqual([]);
  return markdown;
}

/** Runs dist/cli.js with `args`, adding --json and --markdown unless `outputs` is false. */
function runCli(args: readonly string[], options: { outputs?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const withOutputs = options.outputs ?? true;
  const directory = withOutputs ? scratchDir("outputs") : "";
  const json = path.join(directory, "report.json");
  const markdown = path.join(directory, "summary.md");
  const fullArgs = withOutputs ? [...args, "--json", json, "--markdown", markdown] : [...args];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...fullArgs],
      { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024, ...(options.env ? { env: options.env } : {}) },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        let outputs: Outputs | undefined;
        if (withOutputs) {
          const report = readReport(json);
          outputs = { report, markdown: readMarkdown(markdown, report) };
        }
        resolve({ code, stdout, stderr, outputs });
      },
    );
  });
}

/** The checks every error shares: exit 2, both files, verdict error with the reason and the message. */
function expectError(run: CliRun, reason: Report["failureReason"], message: RegExp | string): Report {
  expect(run.code, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(EXIT_ERROR);
  const report = run.outputs?.report;
  expect(report?.verdict).toBe("error");
  expect(report?.failureReason).toBe(reason);
  expect(report?.error?.message).toMatch(message);
  expect(run.outputs?.markdown).toContain(`**Error (${reason}):**`);
  return report as Report;
}

describe("policy-gate check (dist/cli.js)", () => {
  it("passes fixtures/alb with exit code 0 and writes both files", async () => {
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb")]);
    expect(run.code, run.stderr).toBe(EXIT_PASS);
    expect(run.stdout).toMatch(/^policy-gate: PASS {2}alb\/dev {2}\(engine offline, \d+ resources, pulumi-policy-gate@/);
    const report = run.outputs?.report;
    expect(report).toMatchObject({
      verdict: "pass",
      failureReason: "none",
      engine: "offline",
      project: "alb",
      stack: "dev",
      violations: [],
    });
    expect(report?.error).toBeUndefined();
    expect(report?.resources.map((resource) => resource.name)).toEqual(
      expect.arrayContaining(["inference-alb", "inference-tg", "http", "https", "api"]),
    );
    expect(report?.resources.every((resource) => resource.urn.endsWith(`::${resource.name}`))).toBe(true);
    expect(run.outputs?.markdown).toContain("**0 mandatory violations**, 0 advisory violations");
  });

  it("fails fixtures/apigw-as-designed with exit code 1 and reports its violations in both files", async () => {
    const run = await runCli(["check", "--program", path.join(FIXTURES, "apigw-as-designed"), "--stack", "dev"]);
    expect(run.code, run.stderr).toBe(EXIT_FAIL);
    expect(run.stdout).toMatch(/^policy-gate: FAIL {2}apigw-as-designed\/dev/);
    const report = run.outputs?.report as Report;
    expect(report).toMatchObject({
      verdict: "fail",
      failureReason: "policy-violations",
      engine: "offline",
      project: "apigw-as-designed",
      stack: "dev",
    });
    expect(report.violations.length).toBeGreaterThan(0);
    for (const violation of report.violations) {
      expect(violation).toMatchObject({
        policy: "apigateway-throttling-bounds",
        policyPack: "pulumi-policy-gate",
        enforcementLevel: "mandatory",
        resourceType: "aws:apigatewayv2/stage:Stage",
      });
      expect(violation.urn.endsWith("::inference-stage")).toBe(true);
    }
    const markdown = run.outputs?.markdown ?? "";
    expect(markdown).toContain(`**${report.violations.length} mandatory violations**`);
    // One line for the policy, then its violations grouped under it, one row each.
    expect(markdown.split("\n").filter((line) => line.startsWith("- 🔴 **`apigateway-throttling-bounds`**"))).toHaveLength(1);
    expect(markdown.split("\n").filter((line) => line.startsWith("- `inference-stage`"))).toHaveLength(report.violations.length);
  });

  it("exits 2 with the usage when no command is given", async () => {
    const run = await runCli([], { outputs: false });
    expect(run.code).toBe(EXIT_ERROR);
    expect(run.stderr).toContain('policy-gate: no command given; expected "check"');
    expect(run.stderr).toContain("usage: policy-gate check --program DIR");
  });

  it("exits 2 on an unknown command, and still writes the report files", async () => {
    const run = await runCli(["chek", "--program", path.join(FIXTURES, "alb")]);
    expect(run.stderr).toContain('policy-gate: unknown command "chek"; expected "check"');
    expectError(run, "config-error", 'unknown command "chek"; expected "check"');
  });

  it("exits 2 on an unknown flag, naming it, on stderr only: no check ran, so no report is printed", async () => {
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--frobnicate"]);
    expectError(run, "config-error", /^unknown option "--frobnicate" \(expected one of --program, /);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^policy-gate: unknown option "--frobnicate" \(expected one of --program, .*\)\nusage: policy-gate check --program DIR/,
    );
  });

  it("passes with --unbuilt-components warn on a remote component whose plugin is not installed, and says its resources were not checked", async () => {
    const pulumiHome = scratchDir("empty-pulumi-home");
    const program = path.join(FIXTURES, "programs", "awsx-alb");
    const run = await runCli(["check", "--program", program, "--unbuilt-components", "warn"], {
      env: { ...process.env, PULUMI_HOME: pulumiHome },
    });
    expect(run.code, run.stderr).toBe(EXIT_PASS);
    const warning =
      "the resources inside the component 'inference' (awsx:lb:ApplicationLoadBalancer, package awsx v3.9.0) were NOT checked: it was not built, and --unbuilt-components warn lets the check go on without them";
    expect(run.stdout).toContain(`note: ${warning}`);
    expect(run.stdout).toContain("WARNING: 1 component not checked inside (see the notes)");
    expect(run.outputs?.report.uncheckedComponents).toEqual(["urn:pulumi:dev::awsx-alb::awsx:lb:ApplicationLoadBalancer::inference"]);
    expect(run.outputs?.report.warnings[0]).toMatch(new RegExp(`^${warning.replace(/[()$.]/g, "\\$&")}; the component 'inference'`));
    // The Markdown (the pull-request comment's text) shows it among its notes.
    expect(run.outputs?.markdown).toMatch(/<details><summary>Notes<\/summary>\n\n- the resources inside the component .*were NOT checked/);
  });

  it("exits 2 on a misspelt flag, suggesting the flag it most likely meant", async () => {
    const run = await runCli(["check", "--programm", path.join(FIXTURES, "alb")]);
    expectError(run, "config-error", /^unknown option "--programm"; did you mean --program\?/);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('policy-gate: unknown option "--programm"; did you mean --program?');
  });

  it("exits 2 on a directory given without --program, suggesting --program", async () => {
    const run = await runCli(["check", "fixtures/alb"]);
    expectError(run, "config-error", 'unexpected argument "fixtures/alb"; did you mean --program fixtures/alb?');
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('policy-gate: unexpected argument "fixtures/alb"; did you mean --program fixtures/alb?');
  });

  it("prints the usage for --help and the version for --version, exit code 0", async () => {
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    for (const args of [["--version"], ["check", "--version"]]) {
      const run = await runCli(args, { outputs: false });
      expect(run).toMatchObject({ code: EXIT_PASS, stdout: `policy-gate ${version}\n`, stderr: "" });
    }
    for (const args of [["--help"], ["check", "--help"], ["check", "--programm", "x", "-h"]]) {
      const run = await runCli(args, { outputs: false });
      expect(run.code).toBe(EXIT_PASS);
      expect(run.stdout).toMatch(/^usage: policy-gate check --program DIR/);
      expect(run.stdout).toContain("--sarif FILE");
      expect(run.stderr).toBe("");
    }
  });

  it("says when --stack names a stack without its Pulumi.<stack>.yaml, and which stacks have one", async () => {
    const program = writeProgram(
      "stacks",
      'import * as pulumi from "@pulumi/pulumi";\nnew pulumi.ComponentResource("test:index:Thing", "thing");\n',
    );
    writeFileSync(path.join(program, "Pulumi.prod.yaml"), "config:\n  stacks:size: large\n");
    const run = await runCli(["check", "--program", program, "--stack", "prdo"]);
    expect(run.code, run.stderr).toBe(EXIT_PASS);
    const warning = `no Pulumi.prdo.yaml in ${program}: stack "prdo" ran with no stack config, only Pulumi.yaml's; did you mean stack "prod"? (stacks with a config file there: prod)`;
    expect(run.outputs?.report.warnings).toEqual([warning]);
    expect(run.stdout).toContain(`  note: ${warning}`);

    const named = await runCli(["check", "--program", program, "--stack", "prod"]);
    expect(named.outputs?.report.warnings).toEqual([]);
  });

  it("names the missing stack file with the error when the program fails for want of its config", async () => {
    const run = await runCli(["check", "--program", path.join(FIXTURES, "synthetic"), "--stack", "many-violatoins"]);
    expectError(
      run,
      "preview-failed",
      /Missing required configuration variable 'synthetic:resourceCount'[\s\S]*\nno Pulumi\.many-violatoins\.yaml in \S+synthetic: stack "many-violatoins" ran with no stack config, only Pulumi\.yaml's; did you mean stack "many-violations"\?/,
    );
  });

  it("exits 2 when --program is missing", async () => {
    const run = await runCli(["check"]);
    expectError(run, "config-error", /^--program is missing; expected the directory of a Pulumi project/);
  });

  it("exits 2 when --program names a directory that does not exist", async () => {
    const missing = path.join(scratch, "no-such-program");
    const run = await runCli(["check", "--program", missing]);
    const report = expectError(run, "config-error", `--program ${missing}: no such directory; expected the directory of a Pulumi project`);
    expect(report.stack).toBe("dev");
  });

  it("exits 2 when --program names a directory without Pulumi.yaml", async () => {
    const empty = scratchDir("empty");
    const run = await runCli(["check", "--program", empty]);
    expectError(run, "config-error", `--program ${empty}: no Pulumi.yaml there; expected the directory of a Pulumi project`);
  });

  it("exits 2 on a stack name that is not one", async () => {
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--stack", "../prod"]);
    expectError(run, "config-error", '--stack "../prod": expected a stack name of letters, digits, "-", "_" and "."');
  });

  it("exits 2 on a --policy-config file that is not JSON", async () => {
    const file = writeFile("policy-config.json", "{ all: mandatory }");
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--policy-config", file]);
    expectError(run, "config-error", new RegExp(`^--policy-config ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not valid JSON`));
  });

  it("exits 2 on a --policy-config file that does not exist", async () => {
    const missing = path.join(scratch, "missing-config.json");
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--policy-config", missing]);
    expectError(run, "config-error", `--policy-config ${missing}: cannot read it (ENOENT); expected a JSON file`);
  });

  it("exits 2 on a --policy-config that names an unknown policy or gives a property the wrong type", async () => {
    const unknown = writeFile("unknown.json", JSON.stringify({ "lb-tls-minimum": "mandatory" }));
    const unknownRun = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--policy-config", unknown]);
    const report = expectError(
      unknownRun,
      "config-error",
      /"lb-tls-minimum" is not a policy of pack "pulumi-policy-gate"; expected one of .*"lb-tls-1-2-minimum"/,
    );
    expect(report.project).toBe("alb");

    const wrongType = writeFile("wrong-type.json", JSON.stringify({ "apigateway-throttling-bounds": { maxRateLimit: "lots" } }));
    const wrongTypeRun = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--policy-config", wrongType]);
    expectError(
      wrongTypeRun,
      "config-error",
      `--policy-config ${wrongType}: policy "apigateway-throttling-bounds", property "maxRateLimit": must be a number; it is "lots"`,
    );
  });

  it("exits 2 on an unknown config property, naming it and the nearest known one (a typo never silently keeps the default)", async () => {
    const file = writeFile("typo.json", JSON.stringify({ "lb-tls-1-2-minimum": { minimumVersoin: "1.3" } }));
    const run = await runCli(["check", "--program", path.join(FIXTURES, "alb"), "--policy-config", file]);
    expectError(
      run,
      "config-error",
      `--policy-config ${file}: policy "lb-tls-1-2-minimum" has no property "minimumVersoin"; did you mean "minimumVersion"? (known: allowedPolicies, minimumVersion, unknownValues)`,
    );
  });

  it("exits 2 when the program throws, naming the project and the program's error, with its output stripped of terminal escapes", async () => {
    const program = writeProgram(
      "throws",
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'new pulumi.ComponentResource("test:index:Thing", "before-the-throw");',
        'console.log("\\u001b[31mcoloured output\\u001b[0m\\r\\u001b[2Kover-written");',
        'throw new Error("the program broke: <img src=x onerror=alert(1)> @someone");',
        "",
      ].join("\n"),
    );
    const run = await runCli(["check", "--program", program]);
    const report = expectError(run, "preview-failed", /the program broke: <img src=x onerror=alert\(1\)> @someone/);
    expect(report.project).toBe("throws");
    expect(run.stdout).toContain("the program broke");
    expect(run.stdout).not.toMatch(/[\u001b\r]/);
    // Shown once, verbatim, in a code block (where nothing is a tag or a mention).
    expect(run.outputs?.markdown).toMatch(/\n```text\n[^`]*the program broke: <img src=x onerror=alert\(1\)> @someone\n[^`]*```\n/);
    expect(run.outputs?.markdown.split("the program broke")).toHaveLength(2);
  });

  it("keeps hostile resource names out of the Markdown's structure", async () => {
    const program = writeProgram(
      "hostile-names",
      [
        'import * as aws from "@pulumi/aws";',
        'const api = new aws.apigatewayv2.Api("api", { protocolType: "HTTP" });',
        'new aws.apigatewayv2.Stage("evil::stage | <img src=x onerror=alert(1)> [x](javascript:alert(1)) @someone #1\\n| --- |", { apiId: api.id, name: "$default" });',
        "",
      ].join("\n"),
    );
    const run = await runCli(["check", "--program", program]);
    expect(run.code, run.stdout).toBe(EXIT_FAIL);
    // The name is a code span (nothing in it is a tag, a link or a mention; readMarkdown checks the
    // rendered HTML): every row of the stage's violations starts with it, verbatim on one line.
    const rows = (run.outputs?.markdown ?? "").split("\n").filter((line) => line.startsWith("- `evil::stage"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row.startsWith("- `evil::stage | <img src=x onerror=alert(1)> [x](javascript:alert(1)) @someone #1 | --- |`")).toBe(true);
  });

  it("writes a valid SARIF log with --sarif: one result per violation, at the line that declares the resource, relative to the repository", async () => {
    const sarif = path.join(scratchDir("sarif"), "gate.sarif");
    const run = await runCli(["check", "--program", path.join(FIXTURES, "apigw-as-designed"), "--sarif", sarif]);
    expect(run.code, run.stderr).toBe(EXIT_FAIL);
    const log = JSON.parse(readFileSync(sarif, "utf8")) as SarifLog;
    if (!validateSarif(log)) throw new Error(`not valid SARIF 2.1.0: ${JSON.stringify(validateSarif.errors, null, 2)}`);
    const [sarifRun] = log.runs;
    const report = run.outputs?.report as Report;
    expect(sarifRun.results).toHaveLength(report.violations.length);
    for (const result of sarifRun.results) {
      expect(result).toMatchObject({ ruleId: "apigateway-throttling-bounds", level: "error" });
      expect(result.locations[0].physicalLocation).toMatchObject({
        artifactLocation: { uri: "fixtures/apigw-as-designed/index.ts", uriBaseId: "%SRCROOT%" },
        region: { startLine: 19 },
      });
    }
    expect(sarifRun.tool.driver.rules.map((rule) => rule.id)).toContain("lb-tls-1-2-minimum");
  });

  it("writes no SARIF log when the check ends in an error (an empty log would close the alerts), and says so", async () => {
    const sarif = path.join(scratchDir("sarif"), "gate.sarif");
    const missing = path.join(scratch, "no-such-program");
    const run = await runCli(["check", "--program", missing, "--sarif", sarif]);
    expectError(run, "config-error", /no such directory/);
    expect(existsSync(sarif)).toBe(false);
    expect(run.stderr).toContain(`policy-gate: no SARIF log written to ${sarif}: the check ended in an error`);
  });

  it("exits 2 when a report file cannot be written, and still writes the other", async () => {
    const directory = scratchDir("unwritable");
    const markdown = path.join(directory, "summary.md");
    const run = await runCli(
      ["check", "--program", path.join(FIXTURES, "alb"), "--json", path.join(directory, "missing", "report.json"), "--markdown", markdown],
      { outputs: false },
    );
    expect(run.code).toBe(EXIT_ERROR);
    expect(run.stderr).toContain(`policy-gate: cannot write the JSON report to ${path.join(directory, "missing", "report.json")}`);
    expect(readFileSync(markdown, "utf8")).toMatch(/^### ✅ Policy gate passed: alb \/ dev/);
  });
});

describe("main (in-process)", () => {
  interface Captured extends CliIo {
    readonly out: string[];
    readonly err: string[];
  }

  function fakeIo(): Captured {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  }

  /** main() with --json and --markdown into a fresh directory; returns the exit code, the output and the files. */
  async function runMain(argv: readonly string[]): Promise<{ code: number; io: Captured; report: Report; markdown: string }> {
    const directory = scratchDir("main");
    const json = path.join(directory, "report.json");
    const markdownFile = path.join(directory, "summary.md");
    const io = fakeIo();
    // The outputs go right after the command, so that an option left without its value stays last.
    const code = await main([...argv.slice(0, 1), "--json", json, "--markdown", markdownFile, ...argv.slice(1)], io);
    const report = readReport(json);
    return { code, io, report, markdown: readMarkdown(markdownFile, report) };
  }

  it("prints the usage for help and exits 0", async () => {
    for (const command of ["help", "--help", "-h", "check --help", "check -h"]) {
      const io = fakeIo();
      expect(await main(command.split(" "), io)).toBe(EXIT_PASS);
      expect(io.out.join("\n")).toContain("usage: policy-gate check --program DIR");
      expect(io.err).toEqual([]);
    }
  });

  it("exits 2 with no command, writing nothing to stdout", async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(EXIT_ERROR);
    expect(io.out).toEqual([]);
    expect(io.err.join("\n")).toMatch(/^policy-gate: no command given; expected "check"\nusage:/);
  });

  it.each([
    [["chek"], 'unknown command "chek"; expected "check"'],
    [["--program", "fixtures/alb"], 'unknown command "--program"; expected "check"'],
    [["check", "--frobnicate"], /^unknown option "--frobnicate" \(expected one of --program, /],
    [["check", "--program", "fixtures/alb", "stray"], /^unexpected argument "stray" \(check takes options only: /],
    [["check", "--program"], "--program needs a value; expected the directory of a Pulumi project"],
    [["check"], /^--program is missing/],
    [["check", "--program", ""], "--program is empty; expected the directory of a Pulumi project"],
    [["check", "--program", "fixtures/alb", "--stack", "a b"], '--stack "a b": expected a stack name of letters, digits, "-", "_" and "."'],
    [
      ["check", "--program", "fixtures/alb", "--unbuilt-components", "maybe"],
      '--unbuilt-components is "maybe"; expected one of "error", "warn"',
    ],
    [
      ["check", "--program", "fixtures/alb", "--plugin-download=always"],
      '--plugin-download is "always"; expected one of "verified", "unverified", "never"',
    ],
    [
      ["check", "--program", "fixtures/no-such-fixture"],
      "--program fixtures/no-such-fixture: no such directory; expected the directory of a Pulumi project",
    ],
    [["check", "--program", "fixtures"], /^--program \S*fixtures: no Pulumi.yaml there; expected the directory of a Pulumi project$/],
    [
      ["check", "--program", "fixtures/alb", "--policy-config", "no-such-config.json"],
      "--policy-config no-such-config.json: cannot read it (ENOENT); expected a JSON file",
    ],
  ])("exits 2 on %j with a config-error naming the problem, and writes both files", async (argv, message) => {
    const { code, io, report, markdown } = await runMain(argv);
    expect(code).toBe(EXIT_ERROR);
    expect(report.verdict).toBe("error");
    expect(report.failureReason).toBe("config-error");
    expect(report.error?.message).toMatch(message);
    expect(markdown).toContain("**Error (config-error):**");
    // No stack trace for the user's own mistakes.
    expect(io.err.join("\n")).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["check", "--programm", "fixtures/alb"], 'unknown option "--programm"; did you mean --program?'],
    [["check", "fixtures/alb"], 'unexpected argument "fixtures/alb"; did you mean --program fixtures/alb?'],
    [["check", "--program"], "--program needs a value"],
    [["check", "--program", "fixtures/alb", "--stack", "a b"], '--stack "a b": expected a stack name'],
    [["chek", "--program", "fixtures/alb"], 'unknown command "chek"; expected "check" (did you mean "check"?)'],
  ])("says the argument error %j on stderr alone, with the usage hint, and prints no report", async (argv, message) => {
    const io = fakeIo();
    expect(await main(argv, io)).toBe(EXIT_ERROR);
    expect(io.out).toEqual([]);
    const stderr = io.err.join("\n");
    expect(stderr.startsWith(`policy-gate: ${message}`)).toBe(true);
    expect(stderr).toMatch(/\nusage: policy-gate check --program DIR \[options\] {3}\(policy-gate check --help lists them\)$/);
  });

  it("exits 2 on a policy config that is not an object, quoting what it holds", async () => {
    const file = writeFile("list.json", '["mandatory"]');
    const { code, report } = await runMain(["check", "--program", "fixtures/alb", "--policy-config", file]);
    expect(code).toBe(EXIT_ERROR);
    expect(report.error?.message).toBe(`--policy-config ${file}: the file holds a list; expected an object of policy names`);
  });

  it("does not take the next option for the value of --json or --markdown", async () => {
    const directory = scratchDir("option-as-value");
    const markdown = path.join(directory, "summary.md");
    const misnamed = path.resolve("--markdown");
    const io = fakeIo();
    try {
      expect(await main(["check", "--program", "fixtures/alb", "--json", "--markdown", markdown], io)).toBe(EXIT_ERROR);
      expect(existsSync(misnamed)).toBe(false);
    } finally {
      rmSync(misnamed, { force: true });
    }
    expect(readFileSync(markdown, "utf8")).toContain("**Error (config-error):**");
  });
});
