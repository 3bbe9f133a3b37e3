// The policy packs as processes: the bundled pack from its TypeScript source (as the Pulumi CLI
// loads it) gives the same verdicts as the built one; extra packs run beside it; a crashing
// pack fails the gate and is stopped like every other.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundledPackDir, packageRoot } from "../../../../src/engine/bundled-pack.js";
import { runOfflineCheck } from "../../../../src/engine/offline/offline-engine.js";
import { GateError } from "../../../../src/gate/errors.js";

const root = packageRoot();
const fixture = (name: string): string => path.join(root, "fixtures", name);

/** Processes whose working directory is `directory` (a pack runs from inside its directory). */
/** This process's children running in `directory` (other test files run packs there at the same time). */
function processesIn(directory: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === process.pid && readlinkSync(`/proc/${entry}/cwd`) === directory) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

function comparable(violations: readonly { policy: string; urn: string; message: string; enforcementLevel: string }[]): string[] {
  return violations.map((violation) => `${violation.enforcementLevel} ${violation.policy} ${violation.urn} ${violation.message}`).sort();
}

describe("the bundled policy pack", () => {
  it("gives the same verdicts from its TypeScript source, loaded as the Pulumi CLI loads it, as from the built copy", async () => {
    for (const program of ["apigw-as-designed", "alb"]) {
      const built = await runOfflineCheck({ programDir: fixture(program), stack: "dev", packDirs: [bundledPackDir()] });
      const source = await runOfflineCheck({ programDir: fixture(program), stack: "dev", packDirs: [path.join(root, "policies")] });
      expect(source.report.verdict).toBe(built.report.verdict);
      expect(comparable(source.report.violations)).toEqual(comparable(built.report.violations));
      expect(source.report.policyPacks).toEqual(built.report.policyPacks);
    }
  });

  it("describes itself as pulumi-policy-gate, at the version of policies/package.json", async () => {
    const { report } = await runOfflineCheck({ programDir: fixture("apigw"), stack: "dev", packDirs: [bundledPackDir()] });
    expect(report.policyPacks).toEqual([{ name: "pulumi-policy-gate", version: "0.1.0" }]);
  });
});

describe("extra policy packs", () => {
  it("run beside the bundled pack, and their advisory violations do not fail the gate", async () => {
    const { report } = await runOfflineCheck({
      programDir: fixture("alb"),
      stack: "dev",
      packDirs: [bundledPackDir(), fixture("packs/extra-advisory")],
    });
    expect(report.verdict).toBe("pass");
    expect(report.policyPacks).toEqual([
      { name: "pulumi-policy-gate", version: "0.1.0" },
      { name: "extra-advisory", version: "2.1.0" },
    ]);
    expect(report.violations).toEqual([
      {
        policy: "load-balancer-owner-tag",
        policyPack: "extra-advisory",
        enforcementLevel: "advisory",
        urn: "urn:pulumi:dev::alb::aws:lb/loadBalancer:LoadBalancer::inference-alb",
        resourceType: "aws:lb/loadBalancer:LoadBalancer",
        message: "tags.owner must be set so that someone answers for this load balancer: add an owner tag.",
        // Where the program declares it, as the SDK recorded it, relative to the repository root.
        location: { file: "fixtures/alb/index.ts", line: 24, column: 13 },
      },
    ]);
  });

  it("a directory that is not a policy pack is a config error", async () => {
    const attempt = runOfflineCheck({ programDir: fixture("alb"), stack: "dev", packDirs: [bundledPackDir(), fixture("alb")] });
    await expect(attempt).rejects.toThrow(GateError);
    await expect(attempt).rejects.toMatchObject({
      reason: "config-error",
      message: expect.stringContaining("no PulumiPolicy.yaml") as unknown,
    });
  });
});

describe("a policy pack that crashes", () => {
  it("fails the check with reason policy-pack-failed, naming the policy and its error", async () => {
    const attempt = runOfflineCheck({ programDir: fixture("alb"), stack: "dev", packDirs: [bundledPackDir(), fixture("packs/crashing")] });
    await expect(attempt).rejects.toMatchObject({
      reason: "policy-pack-failed",
      message: expect.stringMatching(/always-throws[\s\S]*the policy crashed on purpose/) as unknown,
    });
  });

  it("leaves no pack process running, neither the crashing pack nor the bundled one", async () => {
    await runOfflineCheck({ programDir: fixture("alb"), stack: "dev", packDirs: [bundledPackDir(), fixture("packs/crashing")] }).catch(
      () => undefined,
    );
    expect(processesIn(fixture("packs/crashing"))).toEqual([]);
    expect(processesIn(bundledPackDir())).toEqual([]);
  });
});
