// A saved plan's fingerprint, kept in a file beside the plan (both go into the artifact that a
// later deploy job downloads): what the preview that saved the plan proposed.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fingerprintMarker, readFingerprint, type ChangeFingerprint } from "./fingerprint.js";

export function fingerprintFileOf(planFile: string): string {
  return `${planFile}.fingerprint.json`;
}

/** Writes the fingerprint beside the plan, when the preview saved one. */
export function savePlanFingerprint(planFile: string, fingerprint: ChangeFingerprint): void {
  if (existsSync(planFile)) writeFileSync(fingerprintFileOf(planFile), `${JSON.stringify(fingerprint)}\n`);
}

/** The fingerprint saved beside a plan; undefined when it is missing or malformed (then nothing was reviewed). */
export function readPlanFingerprint(planFile: string): ChangeFingerprint | undefined {
  try {
    return readFingerprint(fingerprintMarker(JSON.parse(readFileSync(fingerprintFileOf(planFile), "utf8")) as ChangeFingerprint));
  } catch {
    return undefined;
  }
}
