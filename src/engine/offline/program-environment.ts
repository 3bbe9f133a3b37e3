// The environment the program being checked runs with. The offline engine needs no credential,
// and the program's output reaches the comment, the job summary and the report, so the program
// gets only what a Pulumi program needs to run, never the gate's own environment: no INPUT_*
// (the GitHub token among them), GITHUB_TOKEN, ACTIONS_*, AWS_*, PULUMI_ACCESS_TOKEN, and so on.

/** Variables passed through from the gate's environment as they are: none of them is a credential. */
const PASSED_THROUGH = new Set([
  // Finding executables and a home, a temporary directory, the locale and the time zone.
  "PATH",
  "HOME",
  "USER",
  "TMPDIR",
  "TMP",
  "TEMP",
  "LANG",
  "LANGUAGE",
  "TZ",
  // Windows runners: Node.js and the OS libraries need these to start.
  "SYSTEMROOT",
  "SYSTEMDRIVE",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
  "PROGRAMDATA",
  // Node.js options the user set for the runner (a heap size, a loader) and module lookup.
  "NODE_OPTIONS",
  "NODE_PATH",
  // Settings of Pulumi's Node.js SDK and host that change how a program loads, never a secret.
  "PULUMI_DEBUG_PROMISE_LEAKS",
]);

/** The locale categories (LC_ALL, LC_CTYPE, …) pass too. */
const LOCALE = /^LC_[A-Z]+$/;

export interface ProgramSettings {
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** runtime.options.typescript of Pulumi.yaml. */
  readonly typeScript: boolean;
  /** runtime.options.tsconfig of Pulumi.yaml. */
  readonly tsconfig: string | undefined;
  /** Skip ts-node's type check (the gate's default; the CLI's default is to type-check). */
  readonly transpileOnly: boolean;
  /** The program's own temporary directory, when it runs under the permission model. */
  readonly tempDir: string | undefined;
}

/** The safe part of the gate's environment: what a Node.js process needs, never a credential. */
export function safeEnvironment(gateEnvironment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(gateEnvironment)) {
    if (value === undefined) continue;
    const key = name.toUpperCase();
    if (PASSED_THROUGH.has(key) || LOCALE.test(key)) environment[name] = value;
  }
  return environment;
}

/** The program's environment: the safe part of the gate's, plus what the Pulumi CLI sets for a program's config. */
export function programEnvironment(gateEnvironment: NodeJS.ProcessEnv, settings: ProgramSettings): NodeJS.ProcessEnv {
  const environment = safeEnvironment(gateEnvironment);
  // As the language host: the config, and runtime.options turned into the runner's variables.
  return {
    ...environment,
    PULUMI_CONFIG: JSON.stringify(settings.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(settings.secretKeys),
    ...(settings.typeScript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    ...(settings.tsconfig !== undefined ? { PULUMI_NODEJS_TSCONFIG_PATH: settings.tsconfig } : {}),
    PULUMI_NODEJS_TRANSPILE_ONLY: settings.transpileOnly ? "true" : "false",
    ...(settings.tempDir !== undefined ? { TMPDIR: settings.tempDir, TMP: settings.tempDir, TEMP: settings.tempDir } : {}),
  };
}
