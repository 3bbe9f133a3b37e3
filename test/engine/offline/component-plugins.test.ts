// ComponentPlugins against a real provider plugin (test/plugins/awsx, on the SDK's provider
// server as awsx's own plugin is) and a real gRPC resource monitor that records what the plugin
// registers.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComponentPluginError, ComponentPlugins, type ComponentRun } from "../../../src/engine/offline/component-plugins.js";
import { pluginArchiveName, pluginPlatform } from "../../../src/engine/offline/plugins/plugin-install.js";
import { findInstalledPlugin } from "../../../src/engine/offline/plugins/plugin-location.js";
import { SPECIAL_SIGNATURE_KEY, UNKNOWN_VALUE } from "../../../src/engine/wire-format.js";
import { installScriptPlugin, installTestPlugin } from "../../plugins/install-test-plugin.js";
import { RecordingMonitor } from "./recording-monitor.js";

const PROJECT = "shop";
const STACK = "dev";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const RESOURCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";

const ANSWERS = {
  "aws:ec2/getSubnet:getSubnet": { id: "subnet-a", vpcId: "vpc-0given" },
  "aws:ec2/getVpc:getVpc": { id: "vpc-0default" },
  "aws:ec2/getSubnets:getSubnets": { id: "vpc-0default", ids: ["subnet-d1", "subnet-d2"] },
};

function registration(type: string, name: string, version: string, inputs: Record<string, structProto.JavaScriptValue>) {
  const request = new resourceProto.RegisterResourceRequest();
  request.setType(type);
  request.setName(name);
  request.setParent(STACK_URN);
  request.setCustom(false);
  request.setRemote(true);
  request.setVersion(version);
  request.setObject(structProto.Struct.fromJavaScript(inputs));
  request.setAcceptsecrets(true);
  request.setAcceptresources(true);
  request.setSupportspartialvalues(true);
  return request;
}

/** The processes that run (zombies waiting to be reaped do not), with their process groups. */
function runningProcesses(): { pid: number; group: number }[] {
  return execFileSync("ps", ["-eo", "pid=,pgid=,stat="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, , stat]) => !stat?.startsWith("Z"))
    .map(([pid, group]) => ({ pid: Number(pid), group: Number(group) }));
}

let home: string;
let monitor: RecordingMonitor;
let plugins: ComponentPlugins;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), "component-plugins-"));
  installTestPlugin(home, "awsx", "2.21.0");
  installTestPlugin(home, "aws-apigateway", "3.1.0");
  monitor = await RecordingMonitor.start(PROJECT, STACK, ANSWERS);
  monitor.urnFor("", "pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);
  plugins = new ComponentPlugins(
    {
      project: PROJECT,
      stack: STACK,
      organization: "acme",
      config: { "aws:region": "eu-west-1", [`${PROJECT}:size`]: "small" },
      configSecretKeys: [],
      monitorAddress: monitor.address,
      programDirectory: home,
    },
    { pulumiHome: home },
  );
});

afterAll(async () => {
  await plugins?.close();
  await monitor?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("an awsx ApplicationLoadBalancer constructed by the awsx plugin", () => {
  it("registers the component under its parent, then its children under the component", async () => {
    const request = registration("awsx:lb:ApplicationLoadBalancer", "web", "2.21.0", { subnetIds: ["subnet-a", "subnet-b"] });
    request.setProtect(true);
    request.setIgnorechangesList(["tags"]);
    const constructed = await plugins.construct(request);

    const urn = `urn:pulumi:${STACK}::${PROJECT}::awsx:lb:ApplicationLoadBalancer::web`;
    expect(constructed.urn).toBe(urn);
    const component = monitor.registrations.find((entry) => entry.urn === urn);
    expect(component).toMatchObject({ parent: STACK_URN, custom: false, protect: true, ignoreChanges: ["tags"] });

    const children = monitor.childrenOf(urn);
    expect(children.map((child) => `${child.type}::${child.name}`).sort()).toEqual([
      "aws:ec2/securityGroup:SecurityGroup::web",
      "aws:lb/listener:Listener::web-0",
      "aws:lb/loadBalancer:LoadBalancer::web",
      "aws:lb/targetGroup:TargetGroup::web",
    ]);
    const byType = (type: string) => children.find((child) => child.type === type)?.inputs;
    expect(byType("aws:lb/loadBalancer:LoadBalancer")).toMatchObject({
      loadBalancerType: "application",
      subnets: ["subnet-a", "subnet-b"],
      securityGroups: [UNKNOWN_VALUE],
    });
    expect(byType("aws:lb/targetGroup:TargetGroup")).toMatchObject({ port: 80, protocol: "HTTP", targetType: "ip", vpcId: "vpc-0given" });
    expect(byType("aws:lb/listener:Listener")).toMatchObject({
      port: 80,
      protocol: "HTTP",
      loadBalancerArn: UNKNOWN_VALUE,
      defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN_VALUE }],
    });
    expect(byType("aws:ec2/securityGroup:SecurityGroup")).toMatchObject({
      vpcId: "vpc-0given",
      ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
    });
    // The outputs the awsx SDK reads: resources as references, so alb.loadBalancer.dnsName works.
    const state = constructed.state.toJavaScript();
    expect(state.loadBalancer).toMatchObject({
      [SPECIAL_SIGNATURE_KEY]: RESOURCE_SIGNATURE,
      urn: `urn:pulumi:${STACK}::${PROJECT}::awsx:lb:ApplicationLoadBalancer$aws:lb/loadBalancer:LoadBalancer::web`,
    });
    expect(state.vpcId).toBe("vpc-0given");
    expect((state.listeners as unknown[]).length).toBe(1);
  });

  it("builds the listeners it is given and the default target group it is given, in the same plugin process", async () => {
    const before = await pluginPids();
    const constructed = await plugins.construct(
      registration("awsx:lb:ApplicationLoadBalancer", "api", "2.21.0", {
        subnetIds: ["subnet-a"],
        listeners: [{ port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x" }, { port: 80 }],
        defaultTargetGroup: { port: 8080, protocol: "HTTP", healthCheck: { path: "/health" } },
      }),
    );
    const children = monitor.childrenOf(constructed.urn);
    const listeners = children.filter((child) => child.type === "aws:lb/listener:Listener");
    expect(listeners.map((listener) => [listener.name, listener.inputs.port, listener.inputs.protocol])).toEqual([
      ["api-0", 443, "HTTPS"],
      ["api-1", 80, "HTTP"],
    ]);
    expect(listeners[0]?.inputs.certificateArn).toBe("arn:aws:acm:eu-west-1:1:certificate/x");
    expect(children.find((child) => child.type === "aws:lb/targetGroup:TargetGroup")?.inputs).toMatchObject({
      port: 8080,
      protocol: "HTTP",
      healthCheck: { path: "/health" },
    });
    expect(await pluginPids()).toEqual(before);
  });

  it("fails with the component's own error when its construct throws", async () => {
    const failure = plugins.construct(
      registration("awsx:lb:ApplicationLoadBalancer", "both", "2.21.0", {
        subnetIds: ["subnet-a"],
        listener: { port: 80 },
        listeners: [{ port: 81 }],
      }),
    );
    await expect(failure).rejects.toThrow(ComponentPluginError);
    await expect(failure).rejects.toMatchObject({ failure: "construct-failed" });
    await expect(failure).rejects.toThrow(
      /^the component 'both' \(awsx:lb:ApplicationLoadBalancer\) is a remote component of package awsx v2\.21\.0, .*Only one of \[listener\] and \[listeners\] can be specified.*engine "pulumi"/s,
    );
  });
});

describe("an aws-apigateway RestAPI constructed by the aws-apigateway plugin", () => {
  it("registers the REST API from the routes, its deployment and its stage under the component", async () => {
    const constructed = await plugins.construct(
      registration("aws-apigateway:index:RestAPI", "rest", "3.1.0", {
        routes: [{ path: "/health", method: "GET", target: { type: "http_proxy", uri: "https://example.com/health" } }],
        stageName: "v1",
      }),
    );
    expect(constructed.urn).toBe(`urn:pulumi:${STACK}::${PROJECT}::aws-apigateway:index:RestAPI::rest`);
    const children = monitor.childrenOf(constructed.urn);
    expect(children.map((child) => `${child.type}::${child.name}`)).toEqual([
      "aws:apigateway/restApi:RestApi::rest",
      "aws:apigateway/deployment:Deployment::rest",
      "aws:apigateway/stage:Stage::rest",
    ]);
    const [api, deployment, stage] = children;
    expect(JSON.parse(String(api?.inputs.body))).toMatchObject({
      info: { title: "rest" },
      paths: { "/health": { get: { "x-amazon-apigateway-integration": { type: "http_proxy", uri: "https://example.com/health" } } } },
    });
    expect(api?.inputs).toMatchObject({ name: "rest", binaryMediaTypes: ["*/*"] });
    expect(deployment?.inputs.variables).toEqual({ version: expect.stringMatching(/^[0-9a-f]{40}$/) as unknown });
    // Resources passed as inputs travel as references, since the monitor accepts them.
    expect(stage?.inputs).toMatchObject({
      stageName: "v1",
      restApi: { [SPECIAL_SIGNATURE_KEY]: RESOURCE_SIGNATURE, urn: api?.urn },
      deployment: { [SPECIAL_SIGNATURE_KEY]: RESOURCE_SIGNATURE, urn: deployment?.urn },
    });
    const state = constructed.state.toJavaScript();
    expect(state.stage).toMatchObject({
      [SPECIAL_SIGNATURE_KEY]: RESOURCE_SIGNATURE,
      urn: `${constructed.urn.replace("::rest", "")}$aws:apigateway/stage:Stage::rest`,
    });
    expect(state.url).toBe(UNKNOWN_VALUE);
  });
});

/** What the engine knows of a run whose program is in `directory`. */
function runIn(directory: string): ComponentRun {
  return {
    project: PROJECT,
    stack: STACK,
    organization: "acme",
    config: {},
    configSecretKeys: [],
    monitorAddress: monitor.address,
    programDirectory: directory,
  };
}

/** ComponentPlugins of a run in `staging` that may download plugins, from `release` only. */
function downloadingPlugins(staging: string, pulumiHome: string, release: string): ComponentPlugins {
  return new ComponentPlugins(runIn(staging), {
    pulumiHome,
    download: {
      mode: "verified",
      cacheDir: path.join(staging, "cache"),
      tempDir: staging,
      setting: "the test",
      log: { info: () => undefined, warning: () => undefined },
      sources: () => [release],
    },
  });
}

describe("a missing plugin, when ComponentPlugins may download plugins", () => {
  it("is downloaded from its release archive, checked against the checksums its release publishes, and builds the component", async () => {
    const staging = mkdtempSync(path.join(os.tmpdir(), "component-plugins-release-"));
    const executable = installTestPlugin(staging, "awsx", "2.22.0");
    const { os: platform, arch } = pluginPlatform();
    const archiveName = pluginArchiveName("awsx", "2.22.0", platform, arch);
    execFileSync("tar", ["-czf", path.join(staging, archiveName), "-C", path.dirname(executable), "."]);
    const archive = readFileSync(path.join(staging, archiveName));
    const checksums = `${createHash("sha1").update(archive).digest("hex")}  ./${archiveName}\n`;
    const server = createServer((request, response) => {
      if (request.url === `/releases/${archiveName}`) response.end(archive);
      else if (request.url === "/releases/pulumi-awsx_2.22.0_checksums.txt") response.end(checksums);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const freshHome = path.join(staging, "home");
    const installing = downloadingPlugins(staging, freshHome, `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`);
    try {
      const request = registration("awsx:lb:ApplicationLoadBalancer", "installed", "2.22.0", { subnetIds: ["subnet-a"] });
      request.getPluginchecksumsMap().set(`${platform}-${arch}`, createHash("sha256").update(archive).digest());
      const constructed = await installing.construct(request);
      expect(monitor.childrenOf(constructed.urn).map((child) => child.type)).toContain("aws:lb/loadBalancer:LoadBalancer");
      // Downloaded into a Pulumi home of the run, not the user's, and removed with the run.
      expect(findInstalledPlugin(freshHome, "awsx", "2.22.0").found).toBe(false);
      const [runHome] = readdirSync(staging).filter((entry) => entry.startsWith("policy-gate-plugins-"));
      expect(runHome && findInstalledPlugin(path.join(staging, runHome), "awsx", "2.22.0").found).toBe(true);
      await installing.close();
      expect(existsSync(path.join(staging, runHome ?? ""))).toBe(false);
    } finally {
      await installing.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(staging, { recursive: true, force: true });
    }
  });
});

describe("whether the gate has a plugin of a component's package, for unbuilt-components warn", () => {
  it("has one for a package it may download even when this version's download fails, and none for a package it never downloads", async () => {
    const staging = mkdtempSync(path.join(os.tmpdir(), "component-plugins-has-"));
    // Nothing listens on port 9: every download fails.
    const offline = downloadingPlugins(staging, path.join(staging, "empty-home"), "http://127.0.0.1:9/releases");
    try {
      await expect(offline.construct(registration("awsx:lb:ApplicationLoadBalancer", "web", "9.9.9", {}))).rejects.toMatchObject({
        failure: "plugin-download-failed",
        packageHasPlugin: true,
      });
      await expect(offline.construct(registration("mycorp:index:Service", "svc", "1.0.0", {}))).rejects.toMatchObject({
        failure: "plugin-download-failed",
        packageHasPlugin: false,
      });
    } finally {
      await offline.close();
      rmSync(staging, { recursive: true, force: true });
    }
  });
});

describe("a component whose plugin cannot run", () => {
  it("names the component, package and version and the install command when the plugin is not installed", async () => {
    const failure = plugins.construct(registration("aws-apigateway:index:RestAPI", "rest", "3.0.1", { stageName: "v1" }));
    await expect(failure).rejects.toMatchObject({
      failure: "plugin-not-installed",
      component: { package: "aws-apigateway", version: "3.0.1" },
      // Another version is installed: unbuilt-components "warn" must not let this one pass.
      packageHasPlugin: true,
    });
    await expect(failure).rejects.toThrow(
      `the component 'rest' (aws-apigateway:index:RestAPI) is a remote component of package aws-apigateway v3.0.1, built by the aws-apigateway provider plugin, which is not installed (no ${path.join(home, "plugins", "resource-aws-apigateway-v3.0.1")}; installed: 3.1.0): install it with "pulumi plugin install resource aws-apigateway 3.0.1", or run the gate with engine "pulumi"`,
    );
  });

  it("says what the plugin printed when it exits instead of serving", async () => {
    installScriptPlugin(home, "broken", "1.0.0", 'echo "cannot load provider: missing libfoo" >&2\nexit 3');
    const failure = plugins.construct(registration("broken:index:Thing", "thing", "1.0.0", {}));
    await expect(failure).rejects.toMatchObject({ failure: "plugin-did-not-start" });
    await expect(failure).rejects.toThrow(/exited before serving \(exit code 3.*cannot load provider: missing libfoo/s);
  });
});

/** The process IDs of the plugins ComponentPlugins started and that still run. */
async function pluginPids(): Promise<number[]> {
  return (await plugins.runningPlugins()).flatMap((plugin) => (plugin.pid === undefined ? [] : [plugin.pid]));
}

describe("killNow()", () => {
  it("ends every plugin at once, for exit paths that cannot wait", async () => {
    const other = new ComponentPlugins(runIn(home), { pulumiHome: home });
    await other.construct(registration("awsx:lb:ApplicationLoadBalancer", "killed", "2.21.0", { subnetIds: ["subnet-a"] }));
    const pids = (await other.runningPlugins()).map((plugin) => plugin.pid);
    expect(pids).toHaveLength(1);
    other.killNow();
    // SIGKILL is delivered at once, but the process table takes a moment to show it.
    for (let attempt = 0; attempt < 100 && runningProcesses().some((running) => pids.includes(running.group)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runningProcesses().filter((running) => pids.includes(running.group))).toEqual([]);
    await other.close();
  });
});

describe("close()", () => {
  it("leaves no plugin process behind", async () => {
    const pids = await pluginPids();
    expect(pids.length).toBeGreaterThan(0);
    const inPluginGroups = () => runningProcesses().filter((running) => pids.includes(running.pid) || pids.includes(running.group));
    expect(inPluginGroups().map((running) => running.pid)).toEqual(expect.arrayContaining(pids));
    await plugins.close();
    // Neither the plugins nor anything they started (each leads its own process group).
    expect(inPluginGroups()).toEqual([]);
  });
});
