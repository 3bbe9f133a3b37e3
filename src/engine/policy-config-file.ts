// The policy configuration file, read and checked for shape: Pulumi's --policy-pack-config
// format, { "all": "<level>", "<policy>": "<level>" | { "enforcementLevel": "<level>", ...properties } }.
// A file that is not JSON is refused with the line and column of its first fault and what was
// expected there: JSON.parse decides, but on Node.js 20 it gives no position for some faults
// ("Unexpected token 'm', ... is not valid JSON") and words them differently across versions, and
// a lenient parser (jsonc-parser) places some faults at the start of the token and accepts what
// JSON does not; so a small locator follows JSON's grammar to the first fault, once JSON.parse
// has already refused the text.

import { readFileSync } from "node:fs";
import { GateError } from "../gate/errors.js";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The user's file, parsed and checked for shape, not yet matched against a pack. */
export type PolicyConfigFile = Readonly<
  Record<string, EnforcementLevel | { readonly enforcementLevel?: EnforcementLevel; readonly [property: string]: unknown }>
>;

export function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

export const LEVEL_LIST = LEVELS.map((level) => `"${level}"`).join(", ");

/** A fault in the policy configuration: the message starts with where it came from (the file). */
export function configError(message: string): GateError {
  return new GateError("config-error", message, { subject: "policy-config" });
}

export function quotedList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(", ");
}

interface SyntaxProblem {
  readonly offset: number;
  readonly problem: string;
}

class SyntaxFault extends Error {
  constructor(readonly syntax: SyntaxProblem) {
    super(syntax.problem);
  }
}

/**
 * The first place where `text` is not JSON, and why. JSON.parse says where only in some cases and
 * in words that change between Node.js versions; this follows the grammar to the first fault.
 */
function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  let at = 0;
  const fail = (problem: string, offset = at): never => {
    throw new SyntaxFault({ offset, problem });
  };
  const found = (): string => {
    const char = text[at];
    if (char === undefined) return "the end of the file";
    return /[\x20-\x7e]/.test(char) ? `'${char}'` : `the character U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}`;
  };
  const skipSpace = (): void => {
    while (at < text.length && " \t\n\r".includes(text[at] ?? "")) at++;
  };
  const string = (): void => {
    const start = at;
    at++;
    while (at < text.length) {
      const char = text[at] ?? "";
      if (char === '"') {
        at++;
        return;
      }
      if (char === "\\") {
        const next = text[at + 1] ?? "";
        if ('"\\/bfnrt'.includes(next) && next !== "") at += 2;
        else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else fail("an invalid escape in a string");
        continue;
      }
      if (char < " ") fail("a line break or control character inside a string");
      at++;
    }
    fail("a string that is never closed", start);
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === "{") return object();
    if (char === "[") return array();
    if (char === '"') return string();
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
      const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      number.lastIndex = at;
      const match = number.exec(text);
      if (!match || /[\d.eE+-]/.test(text[at + match[0].length] ?? "")) fail("an invalid number");
      at += match?.[0].length ?? 0;
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    fail(`${found()} where a value is expected`);
  };
  const object = (): void => {
    at++;
    skipSpace();
    if (text[at] === "}") {
      at++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail(`${found()} where a property name in double quotes is expected`);
      string();
      skipSpace();
      if (text[at] !== ":") fail(`${found()} where ':' is expected after the property name`);
      at++;
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "}") {
        at++;
        return;
      }
      fail(`${found()} where ',' or '}' is expected after a property value`);
    }
  };
  const array = (): void => {
    at++;
    skipSpace();
    if (text[at] === "]") {
      at++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "]") {
        at++;
        return;
      }
      fail(`${found()} where ',' or ']' is expected after a list item`);
    }
  };
  try {
    if (text.trim() === "") return { offset: 0, problem: "the file is empty" };
    value();
    skipSpace();
    if (at < text.length) fail(`${found()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFault) return error.syntax;
    throw error;
  }
}

/** Line and column (both from 1) of an offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // JSON.parse decides; the locator only says where and why, in the same words on every Node.js.
    const syntax = jsonSyntaxProblem(text);
    const where = syntax
      ? (({ line, column }) => `at line ${line}, column ${column}: ${syntax.problem}`)(lineAndColumn(text, syntax.offset))
      : `(${(error as Error).message})`;
    throw configError(`${source}: not valid JSON ${where}; expected Pulumi's policy pack config format`);
  }
}

export function parsePolicyConfig(text: string, source: string): PolicyConfigFile {
  const parsed = parseJson(text, source);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw configError(
      `${source}: the file holds ${Array.isArray(parsed) ? "a list" : JSON.stringify(parsed)}; expected an object of policy names`,
    );
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === "string") {
      if (!isLevel(value)) throw configError(`${source}: "${key}" is ${JSON.stringify(value)}; expected one of ${LEVEL_LIST}`);
    } else if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw configError(
        key === "all"
          ? `${source}: "all" is ${JSON.stringify(value)}; expected one of ${LEVEL_LIST}`
          : `${source}: "${key}" is ${JSON.stringify(value)}; expected an enforcement level or an object of properties`,
      );
    } else {
      const entry = value as Record<string, unknown>;
      if ("enforcementLevel" in entry && !isLevel(entry.enforcementLevel)) {
        throw configError(
          `${source}: "${key}".enforcementLevel is ${JSON.stringify(entry.enforcementLevel)}; expected one of ${LEVEL_LIST}`,
        );
      }
      const properties = Object.keys(entry).filter((property) => property !== "enforcementLevel");
      if (key === "all" && properties.length > 0) {
        const names = quotedList(properties);
        throw configError(
          `${source}: "all" has the ${properties.length === 1 ? "property" : "properties"} ${names}; expected only enforcementLevel, because Pulumi applies no other property of "all": set ${names} on each policy instead`,
        );
      }
    }
  }
  return parsed as PolicyConfigFile;
}

export function readPolicyConfig(file: string): PolicyConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw configError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a JSON file`,
    );
  }
  return parsePolicyConfig(text, file);
}
