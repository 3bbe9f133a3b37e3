// Reads a Pulumi project as the CLI does before it starts the Node.js host: Pulumi.yaml (name,
// runtime and its options, main) and the stack's configuration, so the program sees the same
// `pulumi.Config` values it would under the CLI. Finding the entry file is the runner's job.

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
  /** What the runner is given to run: Pulumi.yaml `main`, else "." (the package's entry point). */
  readonly entry: string;
  /** runtime.options.typescript (default true): load TypeScript with ts-node. */
  readonly typeScript: boolean;
  /** runtime.options.nodeargs, split as the host splits them. */
  readonly nodeArgs: readonly string[];
  /** runtime.options.tsconfig, when set. */
  readonly tsconfig: string | undefined;
  /** The stack's config file, when there is one. */
  readonly stackFile: string | undefined;
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

/**
 * Pulumi.yaml `main` as the language host passes it to the runner: the runner resolves it (a
 * file, or a directory with its package.json `main` or index), else "." for the package's own
 * entry point. Only a `main` that does not exist is refused here, as the CLI refuses it.
 */
function entryOf(directory: string, file: string, declaredMain: unknown): string {
  if (declaredMain === undefined || declaredMain === null || declaredMain === "") return ".";
  if (typeof declaredMain !== "string") {
    throw new GateError("config-error", `${file}: main is ${JSON.stringify(declaredMain)}; expected a path relative to the project`);
  }
  if (!existsSync(path.resolve(directory, declaredMain))) {
    throw new GateError(
      "config-error",
      `${file}: main ${JSON.stringify(declaredMain)} does not exist in ${directory}; expected a file or directory of the program`,
    );
  }
  return declaredMain;
}

/** runtime.options of Pulumi.yaml that change how the Node.js host runs the program. */
function runtimeOptions(file: string, runtime: unknown): { typeScript: boolean; nodeArgs: string[]; tsconfig: string | undefined } {
  const options = isRecord(runtime) && isRecord(runtime.options) ? runtime.options : {};
  const { typescript, nodeargs, tsconfig } = options;
  if (typescript !== undefined && typeof typescript !== "boolean") {
    throw new GateError("config-error", `${file}: runtime.options.typescript is ${JSON.stringify(typescript)}; expected true or false`);
  }
  if (nodeargs !== undefined && typeof nodeargs !== "string") {
    throw new GateError(
      "config-error",
      `${file}: runtime.options.nodeargs is ${JSON.stringify(nodeargs)}; expected a string of Node.js arguments`,
    );
  }
  if (tsconfig !== undefined && typeof tsconfig !== "string") {
    throw new GateError("config-error", `${file}: runtime.options.tsconfig is ${JSON.stringify(tsconfig)}; expected a path`);
  }
  return {
    typeScript: typescript !== false,
    nodeArgs: nodeargs === undefined ? [] : nodeargs.split(/\s+/).filter((arg) => arg !== ""),
    tsconfig,
  };
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
  const entry = entryOf(absolute, file, manifest.main);
  const options = runtimeOptions(file, manifest.runtime);

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
  return { directory: absolute, project, entry, ...options, config, secretKeys, stackFile, warnings };
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
