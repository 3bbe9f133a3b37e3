// A stand-in for the awsx provider plugin (pulumi-resource-awsx), built on the same machinery as
// the real one: the Pulumi SDK's provider server (`@pulumi/pulumi/provider`), which the engine
// starts, configures and asks to Construct remote components. It builds
// `awsx:lb:ApplicationLoadBalancer` as awsx documents it: a security group open to the world
// unless one is given or skipped, the load balancer (type "application") in the given subnets
// or the default VPC's, the default target group (HTTP:80, targets by IP, overridden by
// `defaultTargetGroup`), and the listeners of `listener` / `listeners`, else one HTTP:80 listener,
// each forwarding to the default target group. Its outputs are those of awsx's schema.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { main, type ConstructResult, type Provider } from "@pulumi/pulumi/provider/index.js";

type Listener = { port?: pulumi.Input<number>; protocol?: pulumi.Input<string> } & Record<string, unknown>;

interface ApplicationLoadBalancerArgs extends Record<string, unknown> {
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  subnets?: pulumi.Input<aws.ec2.Subnet[]>;
  subnetMappings?: pulumi.Input<{ subnetId: string }[]>;
  securityGroups?: pulumi.Input<pulumi.Input<string>[]>;
  defaultSecurityGroup?: { skip?: boolean; securityGroupId?: pulumi.Input<string>; args?: aws.ec2.SecurityGroupArgs };
  defaultTargetGroup?: aws.lb.TargetGroupArgs;
  defaultTargetGroupPort?: pulumi.Input<number>;
  listener?: Listener;
  listeners?: Listener[];
}

const OPEN_TO_THE_WORLD = { cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };

/** A listener's port and protocol, each derived from the other when only one is given. */
function portAndProtocol(listener: Listener | undefined, defaultPort?: pulumi.Input<number>) {
  const port = listener?.port;
  const protocol = listener?.protocol;
  if (port !== undefined && protocol !== undefined) return { port, protocol };
  if (port !== undefined) return { port, protocol: pulumi.output(port).apply((value) => (value === 443 ? "HTTPS" : "HTTP")) };
  if (protocol !== undefined) return { protocol, port: pulumi.output(protocol).apply((value) => (value === "HTTPS" ? 443 : 80)) };
  return { port: defaultPort ?? 80, protocol: "HTTP" };
}

class ApplicationLoadBalancer extends pulumi.ComponentResource {
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly defaultTargetGroup: aws.lb.TargetGroup;
  readonly listeners: aws.lb.Listener[];
  readonly defaultSecurityGroup: aws.ec2.SecurityGroup | undefined;
  readonly vpcId: pulumi.Output<string>;

  constructor(name: string, args: ApplicationLoadBalancerArgs, opts: pulumi.ComponentResourceOptions) {
    super("awsx:lb:ApplicationLoadBalancer", name, {}, opts);
    const {
      subnetIds,
      subnets,
      defaultSecurityGroup,
      defaultTargetGroup,
      defaultTargetGroupPort,
      listener,
      listeners,
      ...loadBalancerArgs
    } = args;
    const lbArgs: aws.lb.LoadBalancerArgs & Record<string, unknown> = { ...loadBalancerArgs };
    if ([subnetIds, subnets, args.subnetMappings].filter((value) => value !== undefined).length > 1) {
      throw new Error("Only one of [subnets], [subnetIds] or [subnetMappings] can be specified");
    }
    const parent = { parent: this };
    if (subnets) {
      lbArgs.subnets = pulumi.output(subnets).apply((list) => list.map((subnet) => subnet.id));
      this.vpcId = pulumi.output(subnets).apply((list) => list[0]!.vpcId);
    } else if (subnetIds) {
      lbArgs.subnets = subnetIds;
      this.vpcId = pulumi.output(subnetIds).apply((ids) => aws.ec2.getSubnetOutput({ id: ids[0] }, parent).vpcId);
    } else if (args.subnetMappings) {
      this.vpcId = pulumi
        .output(args.subnetMappings)
        .apply((mappings) => aws.ec2.getSubnetOutput({ id: mappings[0]!.subnetId }, parent).vpcId);
    } else {
      const vpc = aws.ec2.getVpcOutput({ default: true }, parent);
      this.vpcId = vpc.id;
      lbArgs.subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] }, parent).ids;
    }
    if (listener && listeners) throw new Error("Only one of [listener] and [listeners] can be specified");

    if (!lbArgs.securityGroups && !defaultSecurityGroup?.skip) {
      if (defaultSecurityGroup?.args && defaultSecurityGroup.securityGroupId) {
        throw new Error("Only one of [defaultSecurityGroup] [args] or [securityGroupId] can be specified");
      }
      if (defaultSecurityGroup?.securityGroupId) {
        lbArgs.securityGroups = [defaultSecurityGroup.securityGroupId];
      } else {
        this.defaultSecurityGroup = new aws.ec2.SecurityGroup(
          name,
          defaultSecurityGroup?.args ?? {
            vpcId: this.vpcId,
            ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", ...OPEN_TO_THE_WORLD }],
            egress: [{ fromPort: 0, toPort: 65535, protocol: "tcp", ...OPEN_TO_THE_WORLD }],
          },
          parent,
        );
        lbArgs.securityGroups = [this.defaultSecurityGroup.id];
      }
    }
    lbArgs.loadBalancerType = "application";
    this.loadBalancer = new aws.lb.LoadBalancer(name, lbArgs, parent);

    if (defaultTargetGroup !== undefined && defaultTargetGroupPort !== undefined) {
      throw new Error("Only one of `defaultTargetGroup` or `defaultTargetGroupPort` can be provided.");
    }
    // One listener (or none) sets the default target group's port and protocol.
    const single = listeners ? (listeners.length === 1 ? undefined : listeners[0]) : listener;
    const defaultProtocol = listeners?.length === 1 ? undefined : portAndProtocol(single, defaultTargetGroupPort);
    this.defaultTargetGroup = new aws.lb.TargetGroup(
      name,
      { vpcId: this.vpcId, targetType: "ip", ...defaultProtocol, ...defaultTargetGroup },
      parent,
    );
    const defaultActions = [{ type: "forward", targetGroupArn: this.defaultTargetGroup.arn }];
    const listenerArgs = (given: Listener | undefined, index: number, protocol: object | undefined) =>
      new aws.lb.Listener(`${name}-${index}`, { defaultActions, ...protocol, ...given, loadBalancerArn: this.loadBalancer.arn }, parent);
    if (listeners) this.listeners = listeners.map((given, index) => listenerArgs(given, index, portAndProtocol(given)));
    else this.listeners = [listenerArgs(listener, 0, defaultProtocol)];
    this.registerOutputs(this.outputs());
  }

  /** The outputs awsx's schema declares for the component. */
  outputs(): pulumi.Inputs {
    return {
      loadBalancer: this.loadBalancer,
      defaultTargetGroup: this.defaultTargetGroup,
      listeners: this.listeners,
      defaultSecurityGroup: this.defaultSecurityGroup,
      vpcId: this.vpcId,
    };
  }
}

class AwsxProvider implements Provider {
  constructor(readonly version: string) {}

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
    if (type !== "awsx:lb:ApplicationLoadBalancer") throw new Error(`unknown resource type ${type}`);
    const alb = new ApplicationLoadBalancer(name, inputs, options);
    return Promise.resolve({ urn: alb.urn, state: alb.outputs() });
  }
}

await main(new AwsxProvider(process.env.TEST_PLUGIN_VERSION ?? "0.0.0"), process.argv.slice(2));
