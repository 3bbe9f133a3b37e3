// A program's remote component, end to end: the program runs in the Pulumi SDK against a gRPC
// monitor that has ComponentPlugins construct remote components and answers with
// registerResourceResponse, as the offline engine's monitor is to. The program reads the
// component's outputs the way programs using awsx do.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComponentPlugins, registerResourceResponse } from "../../../src/engine/offline/component-plugins.js";
import { installTestPlugin } from "../../plugins/install-test-plugin.js";
import { RecordingMonitor } from "./recording-monitor.js";

const PROGRAM = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../plugins/programs/alb-program.ts");
const STACK_URN = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev";
const ALB_URN = "urn:pulumi:dev::shop::awsx:lb:ApplicationLoadBalancer::web";

let home: string;
let monitor: RecordingMonitor;
let plugins: ComponentPlugins;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), "remote-component-"));
  installTestPlugin(home, "awsx", "2.21.0");
  monitor = await RecordingMonitor.start("shop", "dev", { "aws:ec2/getSubnet:getSubnet": { id: "subnet-a", vpcId: "vpc-0given" } });
  plugins = new ComponentPlugins(
    {
      project: "shop",
      stack: "dev",
      organization: "acme",
      config: {},
      configSecretKeys: [],
      monitorAddress: monitor.address,
      programDirectory: home,
    },
    { pulumiHome: home },
  );
  monitor.remote = async (request) => registerResourceResponse(await plugins.construct(request));
});

afterAll(async () => {
  await plugins?.close();
  await monitor?.stop();
  rmSync(home, { recursive: true, force: true });
});

function runProgram(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const child = spawn(process.execPath, ["--import", tsx, PROGRAM], {
    cwd: home,
    env: {
      ...process.env,
      PULUMI_NODEJS_MONITOR: monitor.address,
      PULUMI_NODEJS_PROJECT: "shop",
      PULUMI_NODEJS_STACK: "dev",
      PULUMI_NODEJS_DRY_RUN: "true",
      TEST_AWSX_VERSION: "2.21.0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("a program with an awsx ApplicationLoadBalancer", () => {
  it("gets the component built by the plugin and reads its outputs as resources", async () => {
    const run = await runProgram();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}")).toEqual({
      urn: ALB_URN,
      loadBalancerIsResource: true,
      loadBalancerUrn: "urn:pulumi:dev::shop::awsx:lb:ApplicationLoadBalancer$aws:lb/loadBalancer:LoadBalancer::web",
      listeners: 1,
      targetGroupPort: 443,
      vpcId: "vpc-0given",
      dnsNameIsOutput: true,
    });
    expect(monitor.registrations.find((registration) => registration.urn === ALB_URN)?.parent).toBe(STACK_URN);
    const listener = monitor.childrenOf(ALB_URN).find((child) => child.type === "aws:lb/listener:Listener");
    expect(listener?.inputs).toMatchObject({ port: 443, protocol: "HTTPS", certificateArn: "arn:cert" });
  });
});
