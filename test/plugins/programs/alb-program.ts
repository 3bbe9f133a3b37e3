// A Pulumi program that uses awsx's ApplicationLoadBalancer the way the awsx SDK declares it: a
// remote component (`remote: true`) of package awsx whose outputs are resources. It runs in the
// Pulumi SDK against the monitor in PULUMI_NODEJS_MONITOR, as under the CLI, and prints what a
// program reads of the component's outputs as one JSON line.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack.js";

/** As in the awsx SDK: every output is declared as an input left undefined, and the component is remote. */
class ApplicationLoadBalancer extends pulumi.ComponentResource {
  declare readonly loadBalancer: pulumi.Output<aws.lb.LoadBalancer>;
  declare readonly defaultTargetGroup: pulumi.Output<aws.lb.TargetGroup>;
  declare readonly listeners: pulumi.Output<aws.lb.Listener[]>;
  declare readonly vpcId: pulumi.Output<string | undefined>;

  constructor(name: string, args: pulumi.Inputs, opts: pulumi.ComponentResourceOptions = {}) {
    const outputs = {
      loadBalancer: undefined,
      defaultTargetGroup: undefined,
      listeners: undefined,
      vpcId: undefined,
      defaultSecurityGroup: undefined,
    };
    super("awsx:lb:ApplicationLoadBalancer", name, { ...args, ...outputs }, { ...opts, version: process.env.TEST_AWSX_VERSION }, true);
  }
}

await runInPulumiStack(async () => {
  const alb = new ApplicationLoadBalancer("web", {
    subnetIds: ["subnet-a", "subnet-b"],
    listener: { port: 443, certificateArn: "arn:cert" },
  });
  const read = await new Promise<Record<string, unknown>>((resolve) =>
    pulumi
      .all([alb.urn, alb.loadBalancer, alb.loadBalancer.urn, alb.listeners, alb.defaultTargetGroup.port, alb.vpcId])
      .apply(([urn, loadBalancer, loadBalancerUrn, listeners, port, vpcId]) =>
        resolve({
          urn,
          loadBalancerIsResource: loadBalancer instanceof aws.lb.LoadBalancer,
          loadBalancerUrn,
          listeners: listeners.length,
          targetGroupPort: port,
          vpcId,
        }),
      ),
  );
  // In a preview the load balancer's DNS name is not known: reading it must not fail.
  const dnsName = alb.loadBalancer.dnsName;
  process.stdout.write(`${JSON.stringify({ ...read, dnsNameIsOutput: pulumi.Output.isInstance(dnsName) })}\n`);
  return {};
});
