// Evidence that the gate's own pack ran, on real engine streams (fixtures/events: recorded by
// Pulumi's test harness, see SOURCES.md) and on our own previews of the ALB fixture (fixtures/events/own).

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED_PACK_NAME, bundledPackIdentity, packageRoot } from "../../../src/engine/bundled-pack.js";
import type { EngineEvent } from "../../../src/engine/pulumi/engine-events.js";
import { packEvidenceProblem } from "../../../src/engine/pulumi/pack-evidence.js";

function stream(name: string): EngineEvent[] {
  return readFileSync(path.join(packageRoot(), "fixtures/events", name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

const CLEAN = "own/alb-preview-clean.jsonl";
const PACK = { name: "pulumi-policy-gate", version: "0.1.0" };
const NEW_CLI = "3.248.0";
const HTTPS = "urn:pulumi:dev::alb::aws:lb/listener:Listener::https";

/** The stream with every payload of `key` changed by `change`. */
function changed(
  events: readonly EngineEvent[],
  key: string,
  change: (payload: Record<string, unknown>) => Record<string, unknown> | undefined,
): EngineEvent[] {
  return events.flatMap((event) => {
    const payload = event[key] as Record<string, unknown> | undefined;
    if (!payload) return [event];
    const next = change(payload);
    return next ? [{ ...event, [key]: next }] : [];
  });
}

describe("packEvidenceProblem", () => {
  it("our preview with the pack at its version, analyzing every registered resource, is evidence", () => {
    expect(packEvidenceProblem(stream(CLEAN), PACK, NEW_CLI)).toBeUndefined();
    expect(packEvidenceProblem(stream("own/alb-preview-destroy.jsonl"), PACK, NEW_CLI)).toBeUndefined();
  });

  it("a recorded run whose summary lists the pack without the version its analyses report is no evidence", () => {
    // Pulumi's test harness: PolicyPacks {"analyzerA": ""}, while each analysis says 1.0.0.
    expect(
      packEvidenceProblem(stream("TestResourceRemediation__eventstream.jsonl"), { name: "analyzerA", version: "1.0.0" }, NEW_CLI),
    ).toBe('the policy pack "analyzerA" 1.0.0 did not run: the Pulumi CLI reported it at version "", expected "1.0.0"');
  });

  it("a run without the pack in the summary's PolicyPacks is an error naming the pack, the version and what the CLI reported", () => {
    expect(packEvidenceProblem(stream("TestAutomaticDiff__eventstream.jsonl"), PACK, NEW_CLI)).toBe(
      'the policy pack "pulumi-policy-gate" 0.1.0 did not run: the Pulumi CLI reported no policy packs',
    );
    expect(packEvidenceProblem(stream("TestResourceRemediation__eventstream.jsonl"), PACK, NEW_CLI)).toBe(
      'the policy pack "pulumi-policy-gate" 0.1.0 did not run: the Pulumi CLI reported "analyzerA" at ""',
    );
  });

  it("the pack at another version is an error naming both versions", () => {
    expect(packEvidenceProblem(stream(CLEAN), { ...PACK, version: "0.2.0" }, NEW_CLI)).toBe(
      'the policy pack "pulumi-policy-gate" 0.2.0 did not run: the Pulumi CLI reported it at version "0.1.0", expected "0.2.0"',
    );
  });

  it("a resource the pack did not analyze is an error naming it", () => {
    const events = changed(stream(CLEAN), "policyAnalyzeSummaryEvent", (payload) => (payload.resourceUrn === HTTPS ? undefined : payload));
    expect(packEvidenceProblem(events, PACK, NEW_CLI)).toBe(
      `the policy pack "pulumi-policy-gate" 0.1.0 did not analyze 1 resource the engine registered (${HTTPS}): no analysis of it from the pack in the engine's events`,
    );
  });

  it("another pack's analysis of a resource does not count for ours", () => {
    const events = changed(stream(CLEAN), "policyAnalyzeSummaryEvent", (payload) =>
      payload.resourceUrn === HTTPS ? { ...payload, policyPackName: "extra-advisory" } : payload,
    );
    expect(packEvidenceProblem(events, PACK, NEW_CLI)).toContain(`did not analyze 1 resource the engine registered (${HTTPS})`);
  });

  it("an analysis or a violation from the pack at another version is an error", () => {
    const analysis = changed(stream(CLEAN), "policyAnalyzeSummaryEvent", (payload) =>
      payload.resourceUrn === HTTPS ? { ...payload, policyPackVersion: "0.0.9" } : payload,
    );
    expect(packEvidenceProblem(analysis, PACK, NEW_CLI)).toBe(
      `the policy pack "pulumi-policy-gate" 0.1.0 did not run: its analysis of ${HTTPS} reported version "0.0.9"`,
    );
    const advisory = changed(stream("own/alb-preview-advisory.jsonl"), "policyEvent", (payload) => ({
      ...payload,
      policyPackVersion: "0.0.9",
    }));
    expect(packEvidenceProblem(advisory, PACK, NEW_CLI)).toMatch(
      /^the policy pack "pulumi-policy-gate" 0.1.0 did not run: policy .* reported it at version "0.0.9"$/,
    );
  });

  describe("CLIs that report no per-resource analysis", () => {
    const noAnalyses = changed(stream(CLEAN), "policyAnalyzeSummaryEvent", () => undefined);

    it("before 3.200.0: the PolicyPacks entry of a clean run is the evidence", () => {
      expect(packEvidenceProblem(noAnalyses, PACK, "3.199.0")).toBeUndefined();
      expect(packEvidenceProblem(noAnalyses, PACK, "v3.150.1")).toBeUndefined();
      // …but never without the entry, or at another version.
      const withoutPack = changed(noAnalyses, "summaryEvent", (payload) => ({ ...payload, PolicyPacks: {} }));
      expect(packEvidenceProblem(withoutPack, PACK, "3.199.0")).toBe(
        'the policy pack "pulumi-policy-gate" 0.1.0 did not run: the Pulumi CLI reported no policy packs',
      );
    });

    it("from 3.200.0 on, or from a CLI whose version is unknown, missing analyses are missing evidence", () => {
      for (const version of ["3.200.0", NEW_CLI, undefined, "not-a-version"]) {
        expect(packEvidenceProblem(noAnalyses, PACK, version)).toMatch(
          /^the policy pack "pulumi-policy-gate" 0.1.0 did not analyze 7 resources the engine registered \(/,
        );
      }
    });

    it("an old CLI that does send analyses is held to all of them", () => {
      const partial = changed(stream(CLEAN), "policyAnalyzeSummaryEvent", (payload) =>
        payload.resourceUrn === HTTPS ? undefined : payload,
      );
      expect(packEvidenceProblem(partial, PACK, "3.199.0")).toContain(`did not analyze 1 resource the engine registered (${HTTPS})`);
    });
  });

  it("the bundled pack's identity is the name policies/catalog.ts gives it and the version dist/policy-pack ships", () => {
    const source = readFileSync(path.join(packageRoot(), "policies/catalog.ts"), "utf8");
    expect(source).toContain(`POLICY_PACK_NAME = ${JSON.stringify(BUNDLED_PACK_NAME)}`);
    const shipped = JSON.parse(readFileSync(path.join(packageRoot(), "dist/policy-pack/package.json"), "utf8")) as { version: string };
    expect(bundledPackIdentity()).toEqual({ name: BUNDLED_PACK_NAME, version: shipped.version });
  });
});
