// The policy-gate command line. `check` runs the offline gate on a program and prints the
// summary; --json and --markdown write the report and the PR-comment Markdown, in every case,
// errors included; --sarif writes the violations for code scanning when there is a verdict.
// Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 could not evaluate (the gate
// fails closed) or the arguments are wrong. A mistake in the arguments is said on stderr alone:
// no check ran, so no report is printed.

import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bundledPackDir, gateVersion } from "../engine/bundled-pack.js";
import type { PluginDownload } from "../engine/engine.js";
import { ENGINES, type EngineName } from "../engine/engines.js";
import { errorReport as gateErrorReport, type SubjectNames } from "../gate/decisions.js";
import { GateError } from "../gate/errors.js";
import { createMasker, secretsOfEnvironment, type Masker } from "../gate/masking.js";
import { stackNameProblem } from "../gate/stack-name.js";
import { renderMarkdown } from "../report/markdown.js";
import type { Report } from "../gate/report.js";
import { buildSarif, bundledRulePolicies, programFile } from "../report/sarif.js";
import { renderText } from "../report/text.js";
import { nearestRepository } from "../engine/offline/program-permissions.js";
import { ArgumentError, commandProblem, parseCheckArguments, type CheckArguments } from "./arguments.js";
import { codeSpan } from "../report/untrusted-text.js";

/** The command line checks offline: no Pulumi CLI, no cloud account. */
const ENGINE: EngineName = "offline";
const DEFAULT_STACK = "dev";

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

const USAGE = `usage: policy-gate check --program DIR [--stack NAME] [--policy-config FILE]
                         [--policy-pack DIR]... [--json FILE] [--markdown FILE] [--sarif FILE]
                         [--plugin-download MODE] [--unbuilt-components MODE]
       policy-gate --help | --version

Runs the pulumi-policy-gate policy pack (and any --policy-pack) on the Pulumi program in DIR,
offline: no Pulumi CLI, no cloud account. Exit code 0: no mandatory violation; 1: at least one;
2: the program could not be evaluated, or the arguments are wrong.

  --program DIR         the Pulumi project directory (with Pulumi.yaml)
  --stack NAME          the stack whose Pulumi.<stack>.yaml config to use (default: dev)
  --policy-config FILE  policy configuration in Pulumi's --policy-pack-config format
  --policy-pack DIR     another policy pack to run besides the bundled one (repeatable)
  --json FILE           write the report as JSON
  --markdown FILE       write the Markdown summary (the pull-request comment)
  --sarif FILE          write the violations as SARIF 2.1.0, for GitHub code scanning (not
                        written when the check ends in an error: an empty log would close alerts)
  --type-check          type-check TypeScript as \`pulumi preview\` does (slower; by default the
                        program is transpiled only)
  --unrestricted        run the program without Node.js's permission model (Node.js 24: by default
                        it reads only its repository, writes only its temporary directory and
                        starts no process)
  --plugin-download MODE
                        get a remote component's provider plugin (awsx, aws-apigateway) that is
                        not installed under PULUMI_HOME from its release: verified (only an archive
                        that matches the checksums the release publishes), unverified (also one
                        whose release publishes none) or never (default); verified archives are
                        kept in $XDG_CACHE_HOME/pulumi-policy-gate-plugins, else in that folder
                        of the OS's temporary directory
  --unbuilt-components MODE
                        a remote component whose plugin is not available (not installed or not
                        downloaded, an explicit provider): error (default) fails the check; warn
                        goes on without it, its resources NOT checked, with a warning in the
                        report. A plugin that fails to start or to build is an error either way
  --help, -h            show this help
  --version             print the version`;

/** Under an argument error: where the full usage is, without burying the error under it. */
const USAGE_HINT = "usage: policy-gate check --program DIR [options]   (policy-gate check --help lists them)";

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

/** The repository a program is in: the nearest directory up from it with .git, else the current one. */
function repositoryRoot(programDir: string): string {
  return nearestRepository(programDir) ?? process.cwd();
}

/**
 * The SARIF log, for a report with a verdict only: after an error it would hold no results, and
 * code scanning would close every open alert as fixed. Returns false when it could not be written.
 */
function writeSarif(report: Report, args: CheckArguments, io: CliIo): boolean {
  if (!args.sarif) return true;
  if (report.verdict === "error") {
    io.stderr(
      `policy-gate: no SARIF log written to ${args.sarif}: the check ended in an error, and an empty log would close the code-scanning alerts`,
    );
    return true;
  }
  const log = buildSarif(report, {
    policies: bundledRulePolicies(),
    fallbackFile: programFile(repositoryRoot(args.program), args.program),
    toolVersion: gateVersion(),
  });
  try {
    writeFileSync(args.sarif, `${JSON.stringify(log, null, 2)}\n`);
    return true;
  } catch (error) {
    io.stderr(`policy-gate: cannot write the SARIF log to ${args.sarif}: ${(error as Error).message}`);
    return false;
  }
}

/**
 * A mistake in the arguments: said on stderr with the usage hint, exit code 2. A workflow that
 * asked for the report files still gets them, with the error, whatever was wrong.
 */
function argumentError(problem: string, argv: readonly string[], io: CliIo, masker: Masker, usage = USAGE_HINT): number {
  io.stderr(`policy-gate: ${problem}\n${usage}`);
  writeOutputs(errorReport(new GateError("config-error", problem), "", ""), outputPaths(argv), io, masker);
  return EXIT_ERROR;
}

/**
 * --plugin-download: verified archives are kept in the user's cache folder, or the OS's temporary
 * one; nothing kept there is trusted (each use verifies it again), and the plugins a run unpacks
 * go to a folder of their own there, removed when the run ends.
 */
export function pluginDownloadOf(
  args: Pick<CheckArguments, "pluginDownload">,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): PluginDownload | undefined {
  if (args.pluginDownload === "never") return undefined;
  const tempDir = os.tmpdir();
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  const cache = env.XDG_CACHE_HOME;
  return {
    mode: args.pluginDownload,
    cacheDir: cache && path.isAbsolute(cache) ? cache : tempDir,
    tempDir,
    setting: `--plugin-download ${args.pluginDownload}`,
    log: { info: (text) => io.stderr(`policy-gate: ${text}`), warning: (text) => io.stderr(`policy-gate: warning: ${text}`) },
  };
}

async function check(args: readonly string[], io: CliIo, masker: Masker, env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: CheckArguments;
  let stack: string;
  try {
    const request = parseCheckArguments(args);
    if (request.kind === "help") {
      io.stdout(USAGE);
      return EXIT_PASS;
    }
    if (request.kind === "version") {
      io.stdout(`policy-gate ${gateVersion()}`);
      return EXIT_PASS;
    }
    parsed = request.arguments;
    stack = parsed.stack ?? DEFAULT_STACK;
    const problem = stackNameProblem(stack, ENGINES[ENGINE].stackNames === "qualified");
    if (problem !== undefined) throw new ArgumentError(`--stack ${JSON.stringify(stack)}: ${problem}`);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    return argumentError(error.message, args, io, masker);
  }
  let report: Report;
  try {
    ({ report } = await ENGINES[ENGINE].preview({
      workDir: parsed.program,
      stack,
      packDirs: [bundledPackDir(), ...parsed.policyPacks],
      policyConfigFile: parsed.policyConfig,
      typeCheck: parsed.typeCheck,
      unrestricted: parsed.unrestricted,
      pluginDownload: pluginDownloadOf(parsed, env, io),
      unbuiltComponents: { mode: parsed.unbuiltComponents, setting: `--unbuilt-components ${parsed.unbuiltComponents}` },
    }));
  } catch (error) {
    report = errorReport(error, "", stack);
    if (!(error instanceof GateError)) io.stderr(error instanceof Error && error.stack ? error.stack : String(error));
  }
  report = masker.maskDeep(report);
  io.stdout(renderText(report));
  const written = writeOutputs(report, parsed, io, masker);
  const sarifWritten = writeSarif(report, parsed, io);
  if (!written || !sarifWritten) return EXIT_ERROR;
  return report.verdict === "pass" ? EXIT_PASS : report.verdict === "fail" ? EXIT_FAIL : EXIT_ERROR;
}

export async function main(argv: readonly string[], rawIo: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const masker = createMasker(secretsOfEnvironment(env));
  const io = maskedIo(rawIo, masker);
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return check(rest, io, masker, env);
    case "--help":
    case "-h":
    case "help":
      io.stdout(USAGE);
      return EXIT_PASS;
    case "--version":
      io.stdout(`policy-gate ${gateVersion()}`);
      return EXIT_PASS;
    default:
      // No command at all: the whole usage, as for --help, but on stderr.
      return argumentError(
        commandProblem(argv) ?? `unknown command ${JSON.stringify(command)}`,
        argv,
        io,
        masker,
        command === undefined ? USAGE : USAGE_HINT,
      );
  }
}
