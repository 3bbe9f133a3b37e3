// Analyze while the program still registers: resources reach the bundled pack as they are added,
// the diagnostics come back in resource order whatever order the calls finish in, the same as one
// Analyze per resource after the run, and a pack that stops answering fails the analysis.

import { afterEach, describe, expect, it } from "vitest";
import { bundledPackDir } from "../../../../src/engine/bundled-pack.js";
import { ResourceMessages } from "../../../../src/engine/offline/analyzer/messages.js";
import { PolicyPackProcess, ResourceAnalysis } from "../../../../src/engine/offline/analyzer/policy-pack.js";
import type { RecordedResource } from "../../../../src/engine/offline/records.js";
import { resolvePolicyConfig } from "../../../../src/engine/policy-config.js";

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  deleteBeforeReplace: undefined,
  additionalSecretOutputs: [],
  customTimeouts: undefined,
};

function listener(index: number, modernTls: boolean): RecordedResource {
  const name = `https-${index}`;
  return {
    urn: `urn:pulumi:dev::stream::aws:lb/listener:Listener::${name}`,
    type: "aws:lb/listener:Listener",
    name,
    parent: "urn:pulumi:dev::stream::pulumi:pulumi:Stack::stream-dev",
    custom: true,
    op: "create",
    provider: "",
    inputs: {
      port: 443,
      protocol: "HTTPS",
      sslPolicy: modernTls ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : "ELBSecurityPolicy-2016-08",
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/stream",
      defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1" }],
    },
    dependencies: [],
    propertyDependencies: {},
    options: OPTIONS,
  };
}

let pack: PolicyPackProcess | undefined;
afterEach(async () => {
  await pack?.shutdown();
  pack = undefined;
});

async function configuredPack(): Promise<PolicyPackProcess> {
  pack = await PolicyPackProcess.launch(bundledPackDir());
  const info = await pack.info();
  await pack.configure(resolvePolicyConfig({}, "", info.name, info.policies).config);
  return pack;
}

const urnsOf = (diagnostics: readonly { urn: string }[]): string[] => diagnostics.map((diagnostic) => diagnostic.urn);

describe("analyzing resources as the program registers them", () => {
  it("analyzes resources added in batches, before and while others are in flight, in resource order", async () => {
    const started = await configuredPack();
    const messages = new ResourceMessages();
    const analysis = new ResourceAnalysis(started, messages);
    analysis.pump(); // nothing added yet: nothing to do
    const resources = Array.from({ length: 60 }, (_, index) => listener(index, index % 7 !== 3));
    for (const [index, resource] of resources.entries()) {
      messages.add(resource);
      analysis.pump();
      if (index % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const streamed = await analysis.drained();
    const oldTls = resources.filter((_, index) => index % 7 === 3).map((resource) => resource.urn);
    expect(urnsOf(streamed.filter((diagnostic) => diagnostic.policyName === "lb-tls-1-2-minimum"))).toEqual(oldTls);
    // The same diagnostics as one Analyze per resource once the run is over.
    const after = await new ResourceAnalysis(started, new ResourceMessages(resources)).drained();
    expect(streamed).toEqual(after);
  });

  it("fails when the pack stops answering part-way", async () => {
    const started = await configuredPack();
    const messages = new ResourceMessages();
    const analysis = new ResourceAnalysis(started, messages);
    for (let index = 0; index < 40; index++) messages.add(listener(index, true));
    analysis.pump();
    await started.shutdown();
    await expect(analysis.drained()).rejects.toThrow();
  });
});
