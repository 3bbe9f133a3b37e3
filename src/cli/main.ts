// The policy-gate command line. `check` runs the offline gate on a program and prints the
// summary; --json and --markdown write the report and the PR-comment Markdown, in every case,
// errors included. Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 could not
// evaluate (the gate fails closed).

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { bundledPackDir } from "../engine/bundled-pack.js";
import { ENGINES, type EngineName } from "../engine/engines.js";
import { errorReport as gateErrorReport, type SubjectNames } from "../gate/decisions.js";
import { GateError } from "../gate/errors.js";
import { createMasker, secretsOfEnvironment, type Masker } from "../gate/masking.js";
import { stackNameProblem } from "../gate/stack-name.js";
import { renderMarkdown } from "../report/markdown.js";
import type { Report } from "../gate/report.js";
import { renderText } from "../report/text.js";
import { codeSpan } from "../report/untrusted-text.js";

/** The command line checks offline: no Pulumi CLI, no cloud account. */
const ENGINE: EngineName = "offline";

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

const USAGE = `usage: policy-gate check --program DIR [--stack NAME] [--policy-config FILE]
                         [--policy-pack DIR]... [--json FILE] [--markdown FILE]

Runs the pulumi-policy-gate policy pack (and any --policy-pack) on the Pulumi program in DIR,
offline: no Pulumi CLI, no cloud account. Exit code 0: no mandatory violation; 1: at least one;
2: the program could not be evaluated.

  --program DIR         the Pulumi project directory (with Pulumi.yaml)
  --stack NAME          the stack whose Pulumi.<stack>.yaml config to use (default: dev)
  --policy-config FILE  policy configuration in Pulumi's --policy-pack-config format
  --policy-pack DIR     another policy pack to run besides the bundled one (repeatable)
  --json FILE           write the report as JSON
  --markdown FILE       write the Markdown summary (the pull-request comment)`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

/** `io` and file writes with every secret of the environment masked (see gate/masking.ts). */
function maskedIo(io: CliIo, masker: Masker): CliIo {
  return { stdout: (text) => io.stdout(masker.mask(text)), stderr: (text) => io.stderr(masker.mask(text)) };
}

interface CheckArguments {
  readonly program: string;
  readonly stack: string;
  readonly policyConfig: string | undefined;
  readonly policyPacks: readonly string[];
  readonly json: string | undefined;
  readonly markdown: string | undefined;
}

function parseCheckArguments(args: readonly string[]): CheckArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        program: { type: "string" },
        stack: { type: "string" },
        "policy-config": { type: "string" },
        "policy-pack": { type: "string", multiple: true },
        json: { type: "string" },
        markdown: { type: "string" },
      },
    }));
  } catch (error) {
    throw new GateError("config-error", `${(error as Error).message}\n${USAGE}`);
  }
  if (!values.program) throw new GateError("config-error", `--program is missing; expected the directory of a Pulumi project\n${USAGE}`);
  const stack = values.stack ?? "dev";
  const problem = stackNameProblem(stack, ENGINES[ENGINE].stackNames === "qualified");
  if (problem !== undefined) throw new GateError("config-error", `--stack ${JSON.stringify(stack)}: ${problem}`);
  return {
    program: values.program,
    stack,
    policyConfig: values["policy-config"],
    policyPacks: values["policy-pack"] ?? [],
    json: values.json,
    markdown: values.markdown,
  };
}

/**
 * The --json / --markdown paths, read leniently so that they are honoured even when other
 * arguments are wrong. A value that looks like an option ("--json --markdown x.md") is not one:
 * it would write the report to a file named after the option.
 */
function outputPaths(args: readonly string[]): { json?: string; markdown?: string } {
  const paths: { json?: string; markdown?: string } = {};
  args.forEach((arg, index) => {
    for (const name of ["json", "markdown"] as const) {
      const next = args[index + 1];
      if (arg === `--${name}` && next !== undefined && !next.startsWith("-")) paths[name] = next;
      if (arg.startsWith(`--${name}=`)) paths[name] = arg.slice(name.length + 3);
    }
  });
  return paths;
}

/** What the command line calls each input an engine can find fault with. */
const FLAG_NAMES: SubjectNames = {
  program: "--program",
  stack: "--stack",
  "policy-config": "--policy-config",
  "policy-pack": "--policy-pack",
  "plan-file": "--plan",
};

function errorReport(error: unknown, project: string, stack: string): Report {
  return gateErrorReport(error, FLAG_NAMES, { engine: ENGINE, project, stack });
}

function writeOutputs(report: Report, paths: { json?: string; markdown?: string }, io: CliIo, masker: Masker): boolean {
  let written = true;
  const write = (file: string, text: string, what: string): void => {
    try {
      writeFileSync(file, text);
    } catch (error) {
      io.stderr(`policy-gate: cannot write the ${what} to ${file}: ${(error as Error).message}`);
      written = false;
    }
  };
  // The report is masked field by field (maskDeep); the Markdown again as a whole.
  if (paths.json) write(paths.json, `${JSON.stringify(masker.maskDeep(report), null, 2)}\n`, "JSON report");
  if (paths.markdown)
    write(
      paths.markdown,
      `${masker.mask(renderMarkdown(masker.maskDeep(report), { fullReportHint: paths.json ? `the full list is in ${codeSpan(paths.json)}` : undefined }))}\n`,
      "Markdown summary",
    );
  return written;
}

async function check(args: readonly string[], io: CliIo, masker: Masker): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(USAGE);
    return EXIT_PASS;
  }
  const paths = outputPaths(args);
  let report: Report;
  let stack = "";
  try {
    const parsed = parseCheckArguments(args);
    stack = parsed.stack;
    ({ report } = await ENGINES[ENGINE].preview({
      workDir: parsed.program,
      stack: parsed.stack,
      packDirs: [bundledPackDir(), ...parsed.policyPacks],
      policyConfigFile: parsed.policyConfig,
    }));
  } catch (error) {
    report = errorReport(error, "", stack);
    if (!(error instanceof GateError)) io.stderr(error instanceof Error && error.stack ? error.stack : String(error));
  }
  report = masker.maskDeep(report);
  io.stdout(renderText(report));
  const written = writeOutputs(report, paths, io, masker);
  if (!written) return EXIT_ERROR;
  return report.verdict === "pass" ? EXIT_PASS : report.verdict === "fail" ? EXIT_FAIL : EXIT_ERROR;
}

export async function main(argv: readonly string[], rawIo: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const masker = createMasker(secretsOfEnvironment(env));
  const io = maskedIo(rawIo, masker);
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return check(rest, io, masker);
    case "--help":
    case "-h":
    case "help":
      io.stdout(USAGE);
      return EXIT_PASS;
    default: {
      const problem = `${command === undefined ? "no command given" : `unknown command ${JSON.stringify(command)}`}; expected "check"`;
      io.stderr(`policy-gate: ${problem}\n${USAGE}`);
      // A workflow that asked for the report files gets them, with the error, whatever was wrong.
      writeOutputs(errorReport(new GateError("config-error", problem), "", ""), outputPaths(argv), io, masker);
      return EXIT_ERROR;
    }
  }
}
