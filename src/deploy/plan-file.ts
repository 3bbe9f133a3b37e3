// A saved plan's fingerprint, kept in a file beside the plan (both go into the artifact that a
// later deploy job downloads): what the preview that saved the plan proposed, and the sha256 of
// the plan itself, so that a plan swapped in the artifact is refused before `up`.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fingerprintMarker, readFingerprint, type ChangeFingerprint } from "./fingerprint.js";
import { sha256 } from "./input-digests.js";

export function fingerprintFileOf(planFile: string): string {
  return `${planFile}.fingerprint.json`;
}

/** The sha256 (base64url) of a plan file's bytes. */
export function planSha256(planFile: string): string {
  return sha256(readFileSync(planFile));
}

/** Writes the fingerprint and the plan's sha256 beside the plan, when the preview saved one. */
export function savePlanFingerprint(planFile: string, fingerprint: ChangeFingerprint): void {
  if (!existsSync(planFile)) return;
  writeFileSync(fingerprintFileOf(planFile), `${JSON.stringify({ fingerprint, planSha256: planSha256(planFile) })}\n`);
}

export interface SavedPlanFingerprint {
  /** Undefined when the file is missing or malformed (then nothing was reviewed). */
  readonly fingerprint: ChangeFingerprint | undefined;
  /** The plan's sha256 recorded when it was saved. */
  readonly planSha256: string | undefined;
}

/** The fingerprint saved beside a plan, and the plan's recorded sha256. */
export function readPlanFingerprint(planFile: string): SavedPlanFingerprint {
  try {
    const saved = JSON.parse(readFileSync(fingerprintFileOf(planFile), "utf8")) as { fingerprint?: unknown; planSha256?: unknown };
    const fingerprint = readFingerprint(fingerprintMarker(saved.fingerprint as ChangeFingerprint));
    return { fingerprint, planSha256: typeof saved.planSha256 === "string" ? saved.planSha256 : undefined };
  } catch {
    return { fingerprint: undefined, planSha256: undefined };
  }
}
