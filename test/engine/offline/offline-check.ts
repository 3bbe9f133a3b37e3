// What the engine tests share: running the offline engine as the CLI does (with the built policy
// pack), scratch programs inside the repository (so that they resolve @pulumi/pulumi and
// @pulumi/aws from its node_modules), and the comparable form of a violation.

import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundledPackDir } from "../../../src/engine/bundled-pack.js";
import type { UnbuiltComponents } from "../../../src/engine/engine.js";
import { runOfflineCheck, type OfflineCheckResult } from "../../../src/engine/offline/offline-engine.js";
import { parsePolicyConfig } from "../../../src/engine/policy-config-file.js";
import { GateError } from "../../../src/gate/errors.js";
import type { Report } from "../../../src/gate/report.js";
import { nameFromUrn } from "../../../src/gate/urn.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES_DIR = path.join(REPO_ROOT, "fixtures");
export const VIOLATION_FIXTURES_DIR = path.join(FIXTURES_DIR, "violations");

export interface CheckOptions {
  readonly stack?: string;
  /** Policy configuration as the user would write the file. */
  readonly policyConfig?: unknown;
  readonly timeoutMs?: number;
  readonly unbuiltComponents?: UnbuiltComponents;
}

/** `policy-gate check` on a program, offline, with the bundled pack. */
export function check(programDir: string, options: CheckOptions = {}): Promise<OfflineCheckResult> {
  const source = "policy-config.json";
  return runOfflineCheck({
    programDir,
    stack: options.stack ?? "dev",
    packDirs: [bundledPackDir()],
    policyConfig:
      options.policyConfig === undefined ? undefined : { file: parsePolicyConfig(JSON.stringify(options.policyConfig), source), source },
    timeoutMs: options.timeoutMs,
    unbuiltComponents: options.unbuiltComponents,
  });
}

/** A violation as the fixtures' expected-violations.json write it: the resource by its name. */
export interface ExpectedViolation {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resource: string;
  readonly resourceType: string;
  readonly message: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of expected-violations.json: by resource, policy, enforcement level, message (code-unit order). */
export function sortExpected(violations: readonly ExpectedViolation[]): ExpectedViolation[] {
  return [...violations].sort(
    (a, b) =>
      compareText(a.resource, b.resource) ||
      compareText(a.policy, b.policy) ||
      compareText(a.enforcementLevel, b.enforcementLevel) ||
      compareText(a.message, b.message),
  );
}

export function expectedForm(report: Report): ExpectedViolation[] {
  return sortExpected(
    report.violations.map((violation) => ({
      policy: violation.policy,
      enforcementLevel: violation.enforcementLevel,
      resource: nameFromUrn(violation.urn),
      resourceType: violation.resourceType,
      message: violation.message,
    })),
  );
}

/** The GateError a check rejects with; fails when it resolves or rejects with anything else. */
export async function gateErrorOf(run: Promise<unknown>): Promise<GateError> {
  let outcome: unknown;
  try {
    await run;
  } catch (error) {
    outcome = error;
  }
  if (outcome instanceof GateError) return outcome;
  throw new Error(
    `expected a GateError, got ${outcome === undefined ? "a result" : outcome instanceof Error ? outcome.message : JSON.stringify(outcome)}`,
  );
}

/** Runs at most `limit` tasks at once: each check starts two Node.js processes. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot straight to the next waiting one.
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Throwaway Pulumi programs under .test-output/ (git-ignored): inside the repository, so that
 * their imports resolve from its node_modules. Each instance owns one directory and removes it.
 */
export class ScratchPrograms {
  readonly root = path.join(REPO_ROOT, ".test-output", `engine-${randomBytes(6).toString("hex")}`);

  /**
   * Writes a program's files (name → contents) into a new directory and returns it. A program has
   * a package.json of its own (CommonJS unless the files give one), as every real program does:
   * without one, Pulumi's runner would take the repository's ("type": "module").
   */
  write(name: string, files: Readonly<Record<string, string>>): string {
    const directory = path.join(this.root, name);
    mkdirSync(directory, { recursive: true });
    const withPackage = { "package.json": JSON.stringify({ name: `probe-${name}`, private: true }), ...files };
    for (const [file, contents] of Object.entries(withPackage)) {
      mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
      writeFileSync(path.join(directory, file), contents);
    }
    return directory;
  }

  /** A nodejs project named `project` with index.ts as its program. */
  program(name: string, index: string, extraFiles: Readonly<Record<string, string>> = {}, project = name): string {
    return this.write(name, { "Pulumi.yaml": `name: ${project}\nruntime: nodejs\n`, "index.ts": index, ...extraFiles });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
