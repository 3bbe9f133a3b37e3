// Masking: no secret of the environment or of the stack's config reaches anything the gate
// writes (comment, job summary, annotations, report files, log, outputs, the CLI's output),
// whatever a program, a policy or the Pulumi CLI quoted. The one place that decides which values
// are secret and in which forms they are found.
//
// Which environment variables hold secrets, by name: any that contains TOKEN, SECRET, PASSWORD,
// PASSWD, PASSPHRASE, KEY, CREDENTIAL, PRIVATE or AUTH, and every AWS_*, ARM_*, AZURE_* and
// GOOGLE_*; but not the runner's own GITHUB_* / RUNNER_* / INPUT_* variables (except the
// GITHUB_TOKEN and the github-token input), nor names that hold a region, a profile, a path, a
// URL or a file name. Values shorter than 6 characters are not masked: they would match words.
//
// In which forms a secret is found: as is, escaped as in a JSON string, in any letter case, with
// line breaks, spaces or backslashes (Markdown escapes) inserted anywhere, and cut: any run of 12
// or more characters of it (all of it when it is shorter) is masked, so a value cut short by a
// length limit, or whose lines were split apart, is masked piece by piece.

import { SECRET_PLACEHOLDER } from "./secrets.js";

export const MIN_MASKED_LENGTH = 6;
/** The shortest piece of a secret that is masked on its own. */
export const MASKED_WINDOW = 12;

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|KEY|CREDENTIAL|PRIVATE|AUTH|^(?:AWS|ARM|AZURE|GOOGLE)_/i;
const RUNNER_NAME = /^(?:GITHUB|RUNNER|INPUT)_/i;
const RUNNER_SECRETS = new Set(["GITHUB_TOKEN", "INPUT_GITHUB-TOKEN"]);
const NOT_SECRET = /REGION|PROFILE|(?:_PATH|_URL|_FILE|_DIR|_HOME)$|^GOOGLE_APPLICATION_CREDENTIALS$/i;

/** Is the environment variable `name` one whose value is a secret? */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (RUNNER_SECRETS.has(upper)) return true;
  return SECRET_NAME.test(upper) && !RUNNER_NAME.test(upper) && !NOT_SECRET.test(upper);
}

/** The values of the secret-looking variables of `env`. */
export function secretsOfEnvironment(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (value !== undefined && isSecretName(name) ? [value] : []));
}

/** Characters a rendering may insert into a value without changing what it says. */
const IGNORED = /[\s\\]/;

/** Lower-cased, without ignored characters; `at[i]` is where the i-th kept character was. */
function normalize(text: string): { text: string; at: number[] } {
  let normal = "";
  const at: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? "";
    if (IGNORED.test(character)) continue;
    normal += character.toLowerCase();
    at.push(index);
  }
  return { text: normal, at };
}

/** Every string and number inside a JSON object or array, at any depth. */
function leaves(value: unknown): string[] {
  if (typeof value === "string" || typeof value === "number") return [String(value)];
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

/**
 * The secret values of a stack's config as the Automation API's getAllConfig() returns them
 * (decrypted, each with its `secret` flag): for an engine to add to the masker. A structured value
 * (a secret set with --path) comes as its JSON text: each of its strings and numbers counts too,
 * as a program can print one alone.
 */
export function secretConfigValues(config: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>): string[] {
  return Object.values(config).flatMap((item) => {
    if (!item.secret) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(item.value);
    } catch {
      return [item.value];
    }
    return parsed !== null && typeof parsed === "object" ? [item.value, ...leaves(parsed)] : [item.value];
  });
}

export interface Masker {
  /** The values masked (as given, for core.setSecret). */
  readonly secrets: readonly string[];
  /** `text` with every piece of a secret replaced by "[secret]". */
  mask(text: string): string;
  /** `value` with every string in it, at any depth, masked. */
  maskDeep<T>(value: T): T;
  /** A masker of these secrets and `more` (the stack's secret config values, once known). */
  with(more: Iterable<string>): Masker;
}

export function createMasker(values: Iterable<string>): Masker {
  const secrets = [...new Set([...values].filter((value) => value.trim().length >= MIN_MASKED_LENGTH))];
  // Every window of every form of every secret; `lengths` are the window lengths in use.
  const windows = new Set<string>();
  const lengths = new Set<number>();
  for (const secret of secrets) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      const normal = normalize(form).text;
      const size = Math.min(MASKED_WINDOW, normal.length);
      if (size < MIN_MASKED_LENGTH - 2) continue;
      lengths.add(size);
      for (let start = 0; start + size <= normal.length; start++) windows.add(normal.slice(start, start + size));
    }
  }

  function mask(text: string): string {
    if (windows.size === 0 || text.length === 0) return text;
    const normal = normalize(text);
    const covered = new Uint8Array(normal.text.length);
    let any = false;
    for (const size of lengths) {
      for (let start = 0; start + size <= normal.text.length; start++) {
        if (windows.has(normal.text.slice(start, start + size))) {
          covered.fill(1, start, start + size);
          any = true;
        }
      }
    }
    if (!any) return text;
    let result = "";
    let from = 0;
    for (let index = 0; index < covered.length; index++) {
      if (!covered[index] || (index > 0 && covered[index - 1])) continue;
      let end = index;
      while (end + 1 < covered.length && covered[end + 1]) end++;
      const first = normal.at[index] ?? 0;
      const last = normal.at[end] ?? first;
      result += `${text.slice(from, first)}${SECRET_PLACEHOLDER}`;
      from = last + 1;
    }
    return result + text.slice(from);
  }

  function maskDeep<T>(value: T): T {
    if (windows.size === 0) return value;
    if (typeof value === "string") return mask(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => maskDeep(item)) as T;
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [mask(key), maskDeep(item as unknown)])) as T;
    }
    return value;
  }

  return { secrets, mask, maskDeep, with: (more) => createMasker([...secrets, ...more]) };
}

/** A run's masker, which learns more secrets as the run goes: everything holding it masks them from then on. */
export interface GrowingMasker extends Masker {
  /** Adds `more` (the stack's secret config values, once read); returns those it did not know. */
  add(more: Iterable<string>): string[];
}

export function createGrowingMasker(values: Iterable<string>): GrowingMasker {
  let current = createMasker(values);
  return {
    get secrets() {
      return current.secrets;
    },
    mask: (text) => current.mask(text),
    maskDeep: (value) => current.maskDeep(value),
    with: (more) => current.with(more),
    add(more) {
      const known = new Set(current.secrets);
      current = current.with(more);
      return current.secrets.filter((secret) => !known.has(secret));
    },
  };
}

/** Masks nothing: for callers that were given no secrets. */
export const NO_MASKING: Masker = createMasker([]);
