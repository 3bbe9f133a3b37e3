// Which `pulumi` executable the engine runs: the one under a given installation root (tests use
// a stand-in there), else the one on PATH, else, when a version is pinned and PATH has another
// (or none), that version installed once into the runner's tool cache through the Automation
// API's own installer (Pulumi's install script from get.pulumi.com).

import os from "node:os";
import path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { SemVer } from "semver";
import { GateError } from "../../gate/errors.js";
import { commandFailure } from "./command-failure.js";

export interface PulumiCommandChoice {
  /** A directory whose bin/pulumi is the CLI to run. */
  readonly root?: string;
  /** The exact CLI version to run, e.g. "3.248.0". */
  readonly version?: string;
}

function parseVersion(text: string): SemVer {
  try {
    return new SemVer(text.trim().replace(/^v/, ""));
  } catch {
    throw new GateError("config-error", `Pulumi version ${JSON.stringify(text)} is not a version; expected one such as "3.248.0"`);
  }
}

function describe(command: PulumiCommand): string {
  return `${command.command} (v${command.version?.format() ?? "unknown"})`;
}

function isVersion(command: PulumiCommand, wanted: SemVer): boolean {
  return command.version !== null && command.version.compare(wanted) === 0;
}

/** Where a pinned CLI is installed: the runner's tool cache, as setup actions do, else the temp dir. */
export function pulumiInstallRoot(version: string, environment: NodeJS.ProcessEnv = process.env): string {
  const cache = environment.RUNNER_TOOL_CACHE || os.tmpdir();
  return path.join(cache, "pulumi", parseVersion(version).format(), os.arch());
}

async function getCommand(root: string | undefined): Promise<PulumiCommand> {
  const where = root ? `${path.join(path.resolve(root), "bin", "pulumi")}` : "pulumi on PATH";
  try {
    return await PulumiCommand.get(root ? { root } : undefined);
  } catch (error) {
    const failure = commandFailure(error);
    if (failure?.notFound) {
      throw new GateError(
        "config-error",
        root
          ? `the Pulumi CLI was not found at ${where}; expected an installation root whose bin/pulumi is the CLI`
          : "the Pulumi CLI was not found on PATH: install it before the gate runs, or give the gate a Pulumi version to install",
      );
    }
    const detail = failure ? failure.describe() : (error as Error).message;
    throw new GateError("config-error", `the Pulumi CLI at ${where} cannot be used: ${detail}`);
  }
}

export async function resolvePulumiCommand(choice: PulumiCommandChoice): Promise<PulumiCommand> {
  const wanted = choice.version === undefined ? undefined : parseVersion(choice.version);
  if (choice.root !== undefined) {
    const command = await getCommand(choice.root);
    if (wanted && !isVersion(command, wanted)) {
      throw new GateError("config-error", `the Pulumi CLI ${describe(command)} is not the requested v${wanted.format()}`);
    }
    return command;
  }
  if (!wanted) return getCommand(undefined);

  const onPath = await PulumiCommand.get().catch(() => undefined);
  if (onPath && isVersion(onPath, wanted)) return onPath;
  const root = pulumiInstallRoot(wanted.format());
  let installed: PulumiCommand;
  try {
    // install() first tries root (a CLI installed there by an earlier run) and downloads only without one.
    installed = await PulumiCommand.install({ root, version: wanted });
  } catch (error) {
    const failure = commandFailure(error);
    throw new GateError(
      "config-error",
      `could not install the Pulumi CLI v${wanted.format()} into ${root}: ${failure ? failure.describe() : (error as Error).message}`,
    );
  }
  if (!isVersion(installed, wanted)) {
    throw new GateError("config-error", `installing the Pulumi CLI v${wanted.format()} into ${root} gave ${describe(installed)}`);
  }
  return installed;
}
