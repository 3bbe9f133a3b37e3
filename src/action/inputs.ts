// The action's inputs, parsed once into a typed, read-only Config. Input names live in one map;
// every check is a pure function of the values, and a bad value is a GateError("config-error")
// that quotes the input, the value and what was expected.

import { PLUGIN_DOWNLOAD_MODES, UNBUILT_COMPONENTS_MODES, type PluginDownloadMode, type UnbuiltComponentsMode } from "../engine/engine.js";
import { ENGINE_NAMES, ENGINES, type EngineName } from "../engine/engines.js";
import type { FailOn, SubjectNames } from "../gate/decisions.js";
import { GateError } from "../gate/errors.js";
import { stackNameProblem } from "../gate/stack-name.js";

export const INPUT = {
  command: "command",
  engine: "engine",
  stackName: "stack-name",
  workDir: "work-dir",
  policyConfig: "policy-config",
  policyPacks: "policy-packs",
  pulumiVersion: "pulumi-version",
  refresh: "refresh",
  typeCheck: "type-check",
  pluginDownload: "plugin-download",
  unbuiltComponents: "unbuilt-components",
  githubToken: "github-token",
  commentOnPr: "comment-on-pr",
  commentKey: "comment-key",
  commentAuthor: "comment-author",
  deployEvents: "deploy-events",
  statusContext: "status-context",
  failOn: "fail-on",
  allowDestroy: "allow-destroy",
  requireReviewedPlan: "require-reviewed-plan",
  planFile: "plan-file",
} as const;

export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** The input behind each thing an engine can find fault with, as an error message names it. */
export const INPUT_OF_SUBJECT: SubjectNames = {
  program: `input ${INPUT.workDir}`,
  stack: `input ${INPUT.stackName}`,
  "policy-config": `input ${INPUT.policyConfig}`,
  "policy-pack": `input ${INPUT.policyPacks}`,
  "plan-file": `input ${INPUT.planFile}`,
};

/** The stack the offline engine reads config for when stack-name is not given. */
export const DEFAULT_OFFLINE_STACK = "dev";

export interface Config {
  readonly command: "preview" | "up";
  readonly engine: EngineName;
  readonly stackName: string | undefined;
  readonly workDir: string;
  readonly policyConfig: string | undefined;
  readonly policyPacks: readonly string[];
  readonly pulumiVersion: string | undefined;
  readonly refresh: boolean;
  readonly typeCheck: boolean;
  /** With engine offline: how a remote component's provider plugin that is not installed is downloaded. */
  readonly pluginDownload: PluginDownloadMode;
  /** With engine offline: whether a remote component whose plugin is not available fails the check or only warns. */
  readonly unbuiltComponents: UnbuiltComponentsMode;
  readonly githubToken: string | undefined;
  readonly commentOnPr: boolean;
  readonly commentKey: string | undefined;
  /** The login the token comments as, for tokens that cannot read GET /user. */
  readonly commentAuthor: string | undefined;
  /** Events besides push and workflow_dispatch on which command up may deploy. */
  readonly deployEvents: readonly string[];
  readonly statusContext: string | undefined;
  readonly failOn: FailOn;
  readonly allowDestroy: boolean;
  readonly requireReviewedPlan: boolean;
  readonly planFile: string | undefined;
}

/** Reads one input as the runner passes it: INPUT_<NAME> upper-cased, spaces as "_", hyphens kept. */
export type InputReader = (name: InputName) => string;

export function inputsFromEnvironment(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function oneOf<T extends string>(read: InputReader, name: InputName, allowed: readonly T[], fallback: T): T {
  const value = read(name);
  if (value === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new GateError(
    "config-error",
    `input ${name} is ${JSON.stringify(value)}; expected one of ${allowed.map((item) => `"${item}"`).join(", ")}`,
  );
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them. */
function boolean(read: InputReader, name: InputName, fallback: boolean): boolean {
  const value = read(name);
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new GateError("config-error", `input ${name} is ${JSON.stringify(value)}; expected "true" or "false"`);
}

function optional(read: InputReader, name: InputName): string | undefined {
  const value = read(name);
  return value === "" ? undefined : value;
}

// GitHub's logins: letters, digits and single hyphens, at most 39 characters; an App's bot ends in "[bot]".
const LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:\[bot\])?$/;

function login(read: InputReader, name: InputName): string | undefined {
  const value = optional(read, name);
  if (value === undefined || LOGIN.test(value)) return value;
  throw new GateError(
    "config-error",
    `input ${name} is ${JSON.stringify(value)}; expected a GitHub login, e.g. "my-app[bot]" or "deploy-user"`,
  );
}

/** The engine the input `engine` names when it is empty. */
export const DEFAULT_ENGINE: EngineName = "pulumi";

/** The engines that can deploy (they know the stack's state), as a message lists them. */
export function deployingEngines(): string {
  return ENGINE_NAMES.filter((name) => ENGINES[name].deploy !== undefined)
    .map((name) => `engine "${name}"`)
    .join(" or ");
}

/**
 * The events a deploy always runs on: code that is merged (push) or a deploy someone with write
 * access started (workflow_dispatch). Anything else must be named in deploy-events.
 */
export const DEPLOY_EVENTS: readonly string[] = ["push", "workflow_dispatch"];

/**
 * Events whose workflows run, or are made to run, a pull request's code: never a deploy's, not
 * even when named (workflow_run and issue_comment are how workflows check out a pull request).
 */
export const NEVER_DEPLOY_EVENTS: readonly string[] = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
  "workflow_run",
];

function deployEvents(read: InputReader): string[] {
  const events = read(INPUT.deployEvents)
    .split(/[\r\n,]+/)
    .map((event) => event.trim())
    .filter((event) => event !== "");
  for (const event of events) {
    if (!/^[a-z_]+$/.test(event)) {
      throw new GateError(
        "config-error",
        `input ${INPUT.deployEvents} has ${JSON.stringify(event)}; expected GitHub event names such as "schedule", one per line`,
      );
    }
    if (NEVER_DEPLOY_EVENTS.includes(event)) {
      throw new GateError(
        "config-error",
        `input ${INPUT.deployEvents} has "${event}", an event whose workflows run a pull request's code; a deploy never runs on ${NEVER_DEPLOY_EVENTS.join(", ")}`,
      );
    }
  }
  return events;
}

export function parseConfig(read: InputReader): Config {
  const engine = oneOf(read, INPUT.engine, ENGINE_NAMES, DEFAULT_ENGINE);
  const stackName = optional(read, INPUT.stackName);
  // An engine that works on real stacks needs to know which; one that reads a Pulumi.<stack>.yaml has a default.
  if (ENGINES[engine].stackNames === "qualified" && stackName === undefined) {
    const others = ENGINE_NAMES.filter((name) => ENGINES[name].stackNames === "bare").map((name) => `engine "${name}"`);
    throw new GateError(
      "config-error",
      `input ${INPUT.stackName} is empty; engine "${engine}" needs the stack to preview (e.g. "org/project/dev")${others.length > 0 ? `, or use ${others.join(" or ")}` : ""}`,
    );
  }
  // The Pulumi CLI takes "org/project/stack"; offline, the name is that of a Pulumi.<stack>.yaml.
  const stackProblem = stackName === undefined ? undefined : stackNameProblem(stackName, ENGINES[engine].stackNames === "qualified");
  if (stackProblem !== undefined)
    throw new GateError("config-error", `input ${INPUT.stackName} is ${JSON.stringify(stackName)}; ${stackProblem}`);
  const pulumiVersion = optional(read, INPUT.pulumiVersion);
  if (pulumiVersion !== undefined && !/^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(pulumiVersion)) {
    throw new GateError(
      "config-error",
      `input ${INPUT.pulumiVersion} is ${JSON.stringify(pulumiVersion)}; expected a version such as "3.248.0"`,
    );
  }
  const command = oneOf(read, INPUT.command, ["preview", "up"], "preview");
  if (command === "up" && ENGINES[engine].deploy === undefined) {
    throw new GateError(
      "config-error",
      `input ${INPUT.command} is "up" with ${INPUT.engine} "${engine}"; a deploy needs ${deployingEngines()}`,
    );
  }
  // A plan is saved only by an engine that knows the stack's state: elsewhere the input would be silently ignored.
  if (optional(read, INPUT.planFile) !== undefined && ENGINES[engine].deploy === undefined) {
    throw new GateError(
      "config-error",
      `input ${INPUT.planFile} is set with ${INPUT.engine} "${engine}", which saves no plan; a saved plan needs ${deployingEngines()}`,
    );
  }
  return {
    command,
    engine,
    stackName,
    workDir: read(INPUT.workDir) || ".",
    policyConfig: optional(read, INPUT.policyConfig),
    policyPacks: read(INPUT.policyPacks)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
    pulumiVersion: pulumiVersion?.replace(/^v/, ""),
    refresh: boolean(read, INPUT.refresh, false),
    typeCheck: boolean(read, INPUT.typeCheck, false),
    pluginDownload: oneOf(read, INPUT.pluginDownload, PLUGIN_DOWNLOAD_MODES, "verified"),
    // Fails closed unless asked: a pass without a component's resources passes them unseen.
    unbuiltComponents: oneOf(read, INPUT.unbuiltComponents, UNBUILT_COMPONENTS_MODES, "error"),
    githubToken: optional(read, INPUT.githubToken),
    commentOnPr: boolean(read, INPUT.commentOnPr, true),
    commentKey: optional(read, INPUT.commentKey),
    commentAuthor: login(read, INPUT.commentAuthor),
    deployEvents: deployEvents(read),
    statusContext: optional(read, INPUT.statusContext),
    failOn: oneOf(read, INPUT.failOn, ["mandatory", "advisory", "never"], "mandatory"),
    allowDestroy: boolean(read, INPUT.allowDestroy, false),
    requireReviewedPlan: boolean(read, INPUT.requireReviewedPlan, false),
    planFile: optional(read, INPUT.planFile),
  };
}
