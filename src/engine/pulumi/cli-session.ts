// What a preview and an update through the Automation API share: the checks made before the CLI
// runs, the CLI's stderr appended to a message, and the collection of every engine event.

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { GateError } from "../../gate/errors.js";
import { tail, type CommandFailure } from "./command-failure.js";
import type { EngineEvent } from "./engine-events.js";

/** How the gate identifies itself to the CLI (`--exec-agent`). */
export const USER_AGENT = "pulumi-policy-gate";

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** The project directory and the stack name, which the CLI would refuse with a less helpful message. */
export function checkProjectAndStack(workDir: string, stackName: string): void {
  if (!isDirectory(workDir)) throw new GateError("config-error", `the Pulumi project directory ${workDir} does not exist`);
  if (!PROJECT_FILES.some((name) => existsSync(path.join(workDir, name)))) {
    throw new GateError("config-error", `${workDir} has no Pulumi.yaml; expected the directory of a Pulumi project`);
  }
  if (!/^[A-Za-z0-9_.\-/]+$/.test(stackName) || stackName.split("/").some((part) => part === "")) {
    throw new GateError("config-error", `stack name ${JSON.stringify(stackName)} is not valid; expected "stack", "org/stack" or "org/project/stack" of letters, digits, "-", "_" and "."`);
  }
}

/** `message`, then the last lines the CLI wrote to stderr (passed through `redact`), if any. */
export function withStderr(message: string, failure: CommandFailure | undefined, redact: (text: string) => string = (text) => text): string {
  const last = failure ? redact(tail(failure.stderr, 10, 2000)) : "";
  return last ? `${message}\nThe Pulumi CLI wrote to stderr:\n${last}` : message;
}

/**
 * Keeps every engine event and passes it on. The Automation API drops an event whose handler
 * throws: the event is kept all the same, and the handler's first error is rethrown afterwards.
 */
export class EventCollector {
  readonly events: EngineEvent[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly forward?: (event: EngineEvent) => void) {}

  readonly onEvent = (event: unknown): void => {
    const own = event as EngineEvent;
    this.events.push(own);
    try {
      this.forward?.(own);
    } catch (error) {
      this.failure ??= { error };
    }
  };

  /** Throws the forwarding handler's first error, if it threw. */
  rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}
