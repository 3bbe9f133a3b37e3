// What a command of the action hands to publishing: the outcome, the fingerprint the comment
// carries, and where the comment is. Also what every command and the publisher agree on: the
// comment's key and the stack a run is about.

import type { ChangeFingerprint } from "../deploy/fingerprint.js";
import type { GateOutcome } from "../gate/outcome.js";
import type { Report } from "../gate/report.js";
import { DEFAULT_OFFLINE_STACK, type Config } from "./inputs.js";

export interface RunResult {
  readonly outcome: GateOutcome;
  /** The hidden fingerprint the comment carries (the reviewed plan). */
  readonly fingerprint: ChangeFingerprint | undefined;
  readonly commentUrl: string | undefined;
}

export function stackOf(config: Config | undefined): string {
  return config?.stackName ?? DEFAULT_OFFLINE_STACK;
}

/** One comment per pull request and key: by default the project and the stack. */
export function commentKey(config: Config | undefined, report: Report): string {
  return config?.commentKey ?? `${report.project || "project"}/${report.stack || stackOf(config)}`;
}
