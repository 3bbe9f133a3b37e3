// Finds a Pulumi program the way Pulumi's Node.js host does (Pulumi.yaml and its `main`, else
// package.json `main`, else index.ts / index.js) and reads the stack's configuration, so the
// program sees the same `pulumi.Config` values it would under the CLI.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { nearestName } from "../../../policies/config.js";
import { GateError } from "../../gate/errors.js";
// What a program sees for a secret it cannot decrypt offline.
import { SECRET_PLACEHOLDER } from "../../gate/secrets.js";

export interface PulumiProgram {
  readonly directory: string;
  readonly project: string;
  readonly main: string;
  readonly module: "commonjs" | "esm";
  /** Configuration as the SDK reads it from PULUMI_CONFIG: "project:key" → string value. */
  readonly config: Readonly<Record<string, string>>;
  /** Keys whose values are secrets (encrypted in the stack file: not readable offline). */
  readonly secretKeys: readonly string[];
  /** What the user should know about how the program was read (a stack without its config file). */
  readonly warnings: readonly string[];
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new GateError("config-error", `${file} is not valid YAML: ${(error as Error).message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function projectFile(directory: string, asGiven: string): string {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const candidate = path.join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new GateError("config-error", `${asGiven}: no Pulumi.yaml there; expected the directory of a Pulumi project`, {
    subject: "program",
  });
}

function readPackageJson(directory: string): Record<string, unknown> | undefined {
  const file = path.join(directory, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return isRecord(parsed) ? parsed : undefined;
  } catch (error) {
    throw new GateError("config-error", `${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The file to run: Pulumi.yaml `main` (a file, or a directory to look in), package.json `main`, index.ts, index.js. */
function resolveMain(directory: string, declaredMain: unknown): string {
  let root = directory;
  if (typeof declaredMain === "string" && declaredMain !== "") {
    const target = path.resolve(directory, declaredMain);
    if (!existsSync(target)) {
      throw new GateError(
        "config-error",
        `Pulumi.yaml main: ${JSON.stringify(declaredMain)} does not exist in ${directory}; expected a file or directory of the program`,
      );
    }
    if (statSync(target).isFile()) return target;
    root = target;
  }
  const packageMain = readPackageJson(root)?.main;
  if (typeof packageMain === "string" && packageMain !== "") {
    const target = path.resolve(root, packageMain);
    if (existsSync(target)) return target;
    throw new GateError(
      "config-error",
      `package.json main: ${JSON.stringify(packageMain)} does not exist in ${root}; expected the program's entry file`,
    );
  }
  for (const candidate of ["index.ts", "index.js", "index.mts", "index.mjs"]) {
    const target = path.join(root, candidate);
    if (existsSync(target)) return target;
  }
  throw new GateError(
    "config-error",
    `${directory}: no entry file found; expected Pulumi.yaml main, package.json main, index.ts or index.js`,
    { subject: "program" },
  );
}

function moduleKind(main: string, directory: string): "commonjs" | "esm" {
  if (/\.m[jt]s$/.test(main)) return "esm";
  if (/\.c[jt]s$/.test(main)) return "commonjs";
  return readPackageJson(directory)?.type === "module" ? "esm" : "commonjs";
}

/** A config key as the SDK stores it: "namespace:key", the project being the default namespace. */
function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function configValue(value: unknown): { value: string; secret: boolean } {
  if (isRecord(value) && typeof value.secure === "string") return { value: SECRET_PLACEHOLDER, secret: true };
  if (typeof value === "string") return { value, secret: false };
  return { value: JSON.stringify(value), secret: false };
}

export function loadProgram(directory: string, stack: string): PulumiProgram {
  const absolute = path.resolve(directory);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new GateError("config-error", `${directory}: no such directory; expected the directory of a Pulumi project`, {
      subject: "program",
    });
  }
  const file = projectFile(absolute, directory);
  const manifest = readYaml(file);
  if (!isRecord(manifest) || typeof manifest.name !== "string" || manifest.name === "") {
    throw new GateError("config-error", `${file}: name is missing; expected the project's name`);
  }
  const runtime = isRecord(manifest.runtime) ? manifest.runtime.name : manifest.runtime;
  if (runtime !== "nodejs") {
    throw new GateError(
      "config-error",
      `${file}: runtime is ${JSON.stringify(runtime)}; the offline engine runs only "nodejs" programs (use engine "pulumi" for others)`,
    );
  }
  const project = manifest.name;
  const main = resolveMain(absolute, manifest.main);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  // Project-level defaults first, then the stack's own values.
  if (isRecord(manifest.config)) {
    for (const [key, declared] of Object.entries(manifest.config)) {
      const value = isRecord(declared) ? (declared.default ?? declared.value) : declared;
      if (value !== undefined) config[qualify(key, project)] = configValue(value).value;
    }
  }
  const stackFile = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`]
    .map((name) => path.join(absolute, name))
    .find((candidate) => existsSync(candidate));
  if (stackFile) {
    const stackConfig = readYaml(stackFile);
    if (isRecord(stackConfig) && isRecord(stackConfig.config)) {
      for (const [key, raw] of Object.entries(stackConfig.config)) {
        const { value, secret } = configValue(raw);
        const qualified = qualify(key, project);
        config[qualified] = value;
        if (secret) secretKeys.push(qualified);
      }
    }
  }
  const warnings = stackFile ? [] : missingStackFileWarnings(absolute, directory, stack);
  return { directory: absolute, project, main, module: moduleKind(main, path.dirname(main)), config, secretKeys, warnings };
}

/**
 * A stack whose Pulumi.<stack>.yaml is not there, in a project that has other stacks' files: most
 * likely a misspelt or wrong stack, and the program ran without the config it meant. A warning,
 * not an error: a stack may have no config file (a new stack, defaults only), and a program that
 * needs a value fails on its own. A project with no stack files at all reads the same config under
 * any name, so there is nothing to warn about.
 */
function missingStackFileWarnings(absolute: string, asGiven: string, stack: string): string[] {
  const stacks = readdirSync(absolute)
    .map((name) => /^Pulumi\.(.+)\.ya?ml$/.exec(name)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
  if (stacks.length === 0) return [];
  const nearest = nearestName(stack, stacks);
  return [
    `no Pulumi.${stack}.yaml in ${asGiven}: stack ${JSON.stringify(stack)} ran with no stack config, only Pulumi.yaml's${nearest ? `; did you mean stack ${JSON.stringify(nearest)}?` : ""} (stacks with a config file there: ${stacks.join(", ")})`,
  ];
}
