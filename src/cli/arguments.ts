// The command line's arguments, parsed once into a typed request. Every mistake is an
// ArgumentError whose message names the argument as given, says what was expected and, where a
// near miss is likely, what was meant: a misspelt flag gets the nearest known one, a bare
// directory gets "--program DIR".

import { nearestName } from "../../policies/config.js";
import { PLUGIN_DOWNLOAD_MODES, UNBUILT_COMPONENTS_MODES, type PluginDownloadMode, type UnbuiltComponentsMode } from "../engine/engine.js";

export const COMMANDS = ["check"] as const;
export type Command = (typeof COMMANDS)[number];

/** The options of `check`: each takes a value, `--policy-pack` may be repeated. */
const VALUE_OPTIONS = {
  program: "the directory of a Pulumi project",
  stack: "a stack name",
  "policy-config": "a policy configuration file",
  "policy-pack": "a policy pack directory",
  json: "a file to write the JSON report to",
  markdown: "a file to write the Markdown summary to",
  sarif: "a file to write the SARIF log to",
  "plugin-download": oneOfText(PLUGIN_DOWNLOAD_MODES),
  "unbuilt-components": oneOfText(UNBUILT_COMPONENTS_MODES),
} as const;
type ValueOption = keyof typeof VALUE_OPTIONS;

/** The options whose value is one of a few words. */
const CHOICES: Partial<Record<ValueOption, readonly string[]>> = {
  "plugin-download": PLUGIN_DOWNLOAD_MODES,
  "unbuilt-components": UNBUILT_COMPONENTS_MODES,
};

function oneOfText(allowed: readonly string[]): string {
  return `one of ${allowed.map((item) => `"${item}"`).join(", ")}`;
}

/** Flags without a value: --help (also -h) and --version, and the check's own switches. */
const SWITCHES = ["help", "version", "type-check", "unrestricted"] as const;
type Switch = (typeof SWITCHES)[number];

const KNOWN_FLAGS = [...Object.keys(VALUE_OPTIONS), ...SWITCHES].map((name) => `--${name}`);

/** A mistake in the arguments: the user's to fix, reported with the usage hint, exit code 2. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentError";
  }
}

export interface CheckArguments {
  readonly program: string;
  /** As given; undefined when --stack was not given. */
  readonly stack: string | undefined;
  readonly policyConfig: string | undefined;
  readonly policyPacks: readonly string[];
  readonly json: string | undefined;
  readonly markdown: string | undefined;
  readonly sarif: string | undefined;
  /** Type-check TypeScript as `pulumi preview` does (slower); by default it is transpiled only. */
  readonly typeCheck: boolean;
  /** Run the program without Node.js's permission model. */
  readonly unrestricted: boolean;
  /** How a remote component's plugin that is not installed is downloaded; "never" unless given. */
  readonly pluginDownload: PluginDownloadMode;
  /** Whether a remote component whose plugin is not available fails the check or only warns; "error" unless given. */
  readonly unbuiltComponents: UnbuiltComponentsMode;
}

export type CheckRequest =
  { readonly kind: "help" } | { readonly kind: "version" } | { readonly kind: "check"; readonly arguments: CheckArguments };

function isValueOption(name: string): name is ValueOption {
  return Object.hasOwn(VALUE_OPTIONS, name);
}

function isSwitch(name: string): name is Switch {
  return (SWITCHES as readonly string[]).includes(name);
}

/** `--name` of a flag as given (`--progam=x` → `--progam`, `-x` → `-x`). */
function flagOf(arg: string): string {
  const equals = arg.indexOf("=");
  return equals < 0 ? arg : arg.slice(0, equals);
}

function unknownFlag(arg: string): ArgumentError {
  const flag = flagOf(arg);
  // "-program" and "programm" alike are compared as the name after the dashes.
  const nearest = nearestName(flag.replace(/^-+/, ""), [...Object.keys(VALUE_OPTIONS), ...SWITCHES]);
  const suggestion = nearest ? `; did you mean --${nearest}?` : "";
  return new ArgumentError(`unknown option ${JSON.stringify(flag)}${suggestion} (expected one of ${KNOWN_FLAGS.join(", ")})`);
}

/** A word that is not a flag: a directory given without --program, most likely. */
function unexpectedWord(word: string, programGiven: boolean): ArgumentError {
  const quoted = JSON.stringify(word);
  if (!programGiven) return new ArgumentError(`unexpected argument ${quoted}; did you mean --program ${word}?`);
  const asFlag = nearestName(word, [...Object.keys(VALUE_OPTIONS), ...SWITCHES]);
  const hint = asFlag ? `; did you mean --${asFlag}?` : "";
  return new ArgumentError(`unexpected argument ${quoted}${hint} (check takes options only: ${KNOWN_FLAGS.join(", ")})`);
}

/**
 * The arguments of `check`. --help and --version win over anything else on the line, so that
 * they work even on a line with a mistake in it.
 */
export function parseCheckArguments(args: readonly string[]): CheckRequest {
  if (args.some((arg) => arg === "--help" || arg === "-h")) return { kind: "help" };
  if (args.includes("--version")) return { kind: "version" };

  const values = new Map<ValueOption, string[]>();
  const switches = new Set<Switch>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (!arg.startsWith("-") || arg === "-") {
      throw unexpectedWord(arg, values.has("program"));
    }
    if (arg === "--") throw new ArgumentError(`unexpected argument "--" (check takes options only: ${KNOWN_FLAGS.join(", ")})`);
    if (!arg.startsWith("--")) throw unknownFlag(arg);
    const equals = arg.indexOf("=");
    const name = (equals < 0 ? arg : arg.slice(0, equals)).slice(2);
    if (isSwitch(name)) {
      if (equals >= 0) throw new ArgumentError(`--${name} takes no value; it is given ${JSON.stringify(arg.slice(equals + 1))}`);
      switches.add(name);
      continue;
    }
    if (!isValueOption(name)) throw unknownFlag(arg);
    let value: string;
    if (equals >= 0) {
      value = arg.slice(equals + 1);
    } else {
      const next = args[index + 1];
      if (next === undefined) throw new ArgumentError(`--${name} needs a value; expected ${VALUE_OPTIONS[name]}`);
      // "--json --markdown x.md": the next option is not a value (it would name the report file
      // "--markdown"). A value that starts with "-" can still be given as --json=-file.
      if (next.startsWith("-") && next !== "-")
        throw new ArgumentError(
          `--${name} needs a value; expected ${VALUE_OPTIONS[name]}, but the next argument is ${JSON.stringify(next)}`,
        );
      value = next;
      index++;
    }
    if (value === "") throw new ArgumentError(`--${name} is empty; expected ${VALUE_OPTIONS[name]}`);
    const choices = CHOICES[name];
    if (choices && !choices.includes(value)) {
      throw new ArgumentError(`--${name} is ${JSON.stringify(value)}; expected ${VALUE_OPTIONS[name]}`);
    }
    const earlier = values.get(name);
    if (earlier && name !== "policy-pack")
      throw new ArgumentError(`--${name} is given twice (${JSON.stringify(earlier[0])} and ${JSON.stringify(value)}); expected it once`);
    values.set(name, [...(earlier ?? []), value]);
  }

  const program = values.get("program")?.[0];
  if (program === undefined) throw new ArgumentError(`--program is missing; expected ${VALUE_OPTIONS.program}`);
  const one = (name: ValueOption): string | undefined => values.get(name)?.[0];
  return {
    kind: "check",
    arguments: {
      program,
      stack: one("stack"),
      policyConfig: one("policy-config"),
      policyPacks: values.get("policy-pack") ?? [],
      json: one("json"),
      markdown: one("markdown"),
      sarif: one("sarif"),
      typeCheck: switches.has("type-check"),
      unrestricted: switches.has("unrestricted"),
      pluginDownload: oneOf(one("plugin-download"), PLUGIN_DOWNLOAD_MODES, "never"),
      unbuiltComponents: oneOf(one("unbuilt-components"), UNBUILT_COMPONENTS_MODES, "error"),
    },
  };
}

/** A value already checked against `allowed` (CHOICES), as its type; `fallback` when not given. */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find((item) => item === value) ?? fallback;
}

/** What to say about the first word of the command line when it names no command; undefined when it does. */
export function commandProblem(argv: readonly string[]): string | undefined {
  const word = argv[0];
  if (word === undefined) return `no command given; expected ${COMMANDS.map((name) => JSON.stringify(name)).join(" or ")}`;
  if ((COMMANDS as readonly string[]).includes(word)) return undefined;
  const expected = `expected ${COMMANDS.map((name) => JSON.stringify(name)).join(" or ")}`;
  if (word.startsWith("-"))
    return `unknown command ${JSON.stringify(word)}; ${expected} (did you mean policy-gate check ${argv.join(" ")}?)`;
  const nearest = nearestName(word, COMMANDS);
  return `unknown command ${JSON.stringify(word)}; ${expected}${nearest ? ` (did you mean ${JSON.stringify(nearest)}?)` : ""}`;
}
