// How the offline engine fails on a program it cannot evaluate (each a GateError whose reason a
// workflow can branch on and whose message says what failed), and what a program sees of its
// stack configuration and secrets. Every program is a throwaway written under .test-output/.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import { permissionFlags } from "../../../src/engine/offline/program-permissions.js";
import { check, gateErrorOf, ScratchPrograms } from "./offline-check.js";

const scratch = new ScratchPrograms();
afterAll(() => scratch.remove());

const PULUMI_YAML = "name: probe\nruntime: nodejs\n";

describe.concurrent("a program the engine cannot evaluate", () => {
  it("a --program directory that does not exist is a config error", async ({ expect }) => {
    const missing = path.join(scratch.root, "does-not-exist");
    const error = await gateErrorOf(check(missing));
    expect(error.reason).toBe("config-error");
    // Neutral: each front end names the input ("--program", "input work-dir") in front of it.
    expect(error.subject).toBe("program");
    expect(error.message).toBe(`${missing}: no such directory; expected the directory of a Pulumi project`);
  });

  it("a directory without Pulumi.yaml is a config error", async ({ expect }) => {
    const directory = scratch.write("no-project-file", { "index.ts": "export {};\n" });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("config-error");
    expect(error.subject).toBe("program");
    expect(error.message).toBe(`${directory}: no Pulumi.yaml there; expected the directory of a Pulumi project`);
  });

  it("a runtime other than nodejs is a config error that names the runtime", async ({ expect }) => {
    const directory = scratch.write("python", { "Pulumi.yaml": "name: probe\nruntime: python\n", "__main__.py": "import pulumi\n" });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("config-error");
    expect(error.message).toBe(
      `${path.join(directory, "Pulumi.yaml")}: runtime is "python"; the offline engine runs only "nodejs" programs (use engine "pulumi" for others)`,
    );
  });

  it("a program that throws fails the preview with its message and the line that threw", async ({ expect }) => {
    const directory = scratch.write("throws", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        "",
        'const region = "eu-north-1";',
        'new aws.s3.Bucket("models");',
        "throw new Error(`no inference quota in ${region}`);",
        "",
      ].join("\n"),
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.project).toBe("probe");
    expect(error.message).toContain(`the program ${directory} failed (at index.ts:5:7): no inference quota in eu-north-1`);
    // What it had registered before it threw, for the error report to count.
    expect(error.resources.map((resource) => resource.type)).toContain("aws:s3/bucket:Bucket");
  });

  it("a TypeScript syntax error fails the preview, naming the file, line and column", async ({ expect }) => {
    const directory = scratch.write("syntax-error", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": 'import * as aws from "@pulumi/aws";\n\nnew aws.s3.Bucket("models", {\n',
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(`the program ${directory} failed: `);
    // As the Pulumi CLI reports it: TypeScript's own diagnostic, with file, line and column.
    expect(error.message).toContain("index.ts(4,1): error TS1005: '}' expected.");
  });

  it("a program waiting on a promise that never settles fails the preview and says so", async ({ expect }) => {
    const directory = scratch.write("never-settles", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        "",
        "export = async () => {",
        '  new aws.s3.Bucket("models");',
        "  await new Promise<void>(() => undefined);",
        "};",
        "",
      ].join("\n"),
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      `the program ${directory} failed: the program stopped with Pulumi operations still pending: a promise that never settles`,
    );
  });

  it("a program still busy at the time limit fails the preview with the limit", async ({ expect }) => {
    const directory = scratch.write("busy", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": "export = async () => {\n  await new Promise<void>(() => {\n    setInterval(() => undefined, 1_000);\n  });\n};\n",
    });
    const error = await gateErrorOf(check(directory, { timeoutMs: 3_000 }));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toBe(`${directory}: the program did not finish within 3 s`);
  });

  it("two resources under one URN fail the preview, as under the Pulumi CLI, instead of one hiding the other", async ({ expect }) => {
    const directory = scratch.write("duplicate-urn", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        "",
        'const vpcId = "vpc-0123456789abcdef0";',
        'new aws.lb.TargetGroup("api", { vpcId, port: 8080, protocol: "HTTP" });',
        'new aws.lb.TargetGroup("api", { vpcId, port: 8081, protocol: "HTTP", healthCheck: { path: "/health" } });',
        "",
      ].join("\n"),
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toBe(
      `the program ${directory} failed: Duplicate resource URN 'urn:pulumi:dev::probe::aws:lb/targetGroup:TargetGroup::api'; try giving it a unique name`,
    );
  });

  it("pulumi.log.error fails the preview, as under the Pulumi CLI, and the message quotes it", async ({ expect }) => {
    const directory = scratch.write("logs-error", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": 'import * as pulumi from "@pulumi/pulumi";\n\npulumi.log.error("the quota for inference endpoints is exhausted");\n',
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(`the program ${directory} failed: the quota for inference endpoints is exhausted`);
  });
});

describe.concurrent("what a program sees of its stack", () => {
  it("reads Pulumi.<stack>.yaml through new pulumi.Config(), over the project's defaults, with secure values as [secret]", async ({
    expect,
  }) => {
    const directory = scratch.write("stack-config", {
      "Pulumi.yaml":
        "name: config-probe\nruntime: nodejs\nconfig:\n  tier:\n    type: string\n    default: standard\n  owner:\n    default: platform-team\n",
      "Pulumi.staging.yaml": [
        "config:",
        "  config-probe:tier: premium",
        "  aws:region: eu-west-1",
        "  config-probe:apiToken:",
        "    secure: AAABAKqHxq1n0S7rXKp+WUpM2A==",
        "",
      ].join("\n"),
      // Each value goes into a resource name, where the report shows it.
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        "const config = new pulumi.Config();",
        'const awsConfig = new pulumi.Config("aws");',
        'new aws.s3.Bucket(`tier-${config.require("tier")}`);',
        'new aws.s3.Bucket(`owner-${config.require("owner")}`);',
        'new aws.s3.Bucket(`region-${awsConfig.require("region")}`);',
        'new aws.s3.Bucket(`token-${config.require("apiToken")}`);',
        "",
      ].join("\n"),
    });
    const { report } = await check(directory, { stack: "staging" });
    expect(report).toMatchObject({ verdict: "pass", project: "config-probe", stack: "staging" });
    const buckets = report.resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket").map((resource) => resource.urn);
    expect(buckets.sort()).toEqual(
      ["tier-premium", "owner-platform-team", "region-eu-west-1", "token-[secret]"]
        .map((name) => `urn:pulumi:staging::config-probe::aws:s3/bucket:Bucket::${name}`)
        .sort(),
    );
  });

  it("never shows a secret input's value in a violation, also when the value needs escaping", async ({ expect }) => {
    const directory = scratch.write("secret-inputs", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        'const alb = new aws.lb.LoadBalancer("alb", { subnets: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a60918"] });',
        "const common = {",
        "  loadBalancerArn: alb.arn,",
        '  protocol: "HTTPS",',
        '  certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0aa1bb2c-offline",',
        '  defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],',
        "};",
        'new aws.lb.Listener("secret", { ...common, port: 443, sslPolicy: pulumi.secret("ELBSecurityPolicy-Hush-2024") });',
        'new aws.lb.Listener("secret-quoted", { ...common, port: 8443, sslPolicy: pulumi.secret(\'ELBSecurityPolicy-"Whisper"\\\\2024\') });',
        'new aws.lb.Listener("plain", { ...common, port: 9443, sslPolicy: "ELBSecurityPolicy-Open-2024" });',
        "",
      ].join("\n"),
    });
    const { report, programOutput } = await check(directory);
    const unknownPolicy = (shown: string): string =>
      `sslPolicy must name a predefined security policy whose TLS versions are known, but ${shown} is not one: set it to \"ELBSecurityPolicy-TLS13-1-2-2021-06\", or add the name to allowedPolicies in this policy's configuration.`;
    const messages = Object.fromEntries(
      report.violations.map((violation) => [violation.urn.slice(violation.urn.lastIndexOf("::") + 2), violation.message]),
    );
    expect(messages).toEqual({
      secret: unknownPolicy('"[secret]"'),
      "secret-quoted": unknownPolicy('"[secret]"'),
      plain: unknownPolicy('"ELBSecurityPolicy-Open-2024"'),
    });
    const everything = JSON.stringify(report) + programOutput;
    expect(everything).not.toContain("Hush");
    expect(everything).not.toContain("Whisper");
  });
});

describe.concurrent("a remote component, which only its provider plugin can build", () => {
  it("fails the preview naming the component, its package and version, and the way out", async ({ expect }) => {
    // Registered exactly as @pulumi/aws-apigateway's generated SDK registers RestAPI: a
    // ComponentResource with remote set, its version in the options.
    const directory = scratch.write("remote-component", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        "class RestAPI extends pulumi.ComponentResource {",
        "  constructor(name: string, args: pulumi.Inputs, opts: pulumi.ComponentResourceOptions = {}) {",
        '    super("aws-apigateway:index:RestAPI", name, args, { ...opts, version: "2.6.1" }, true);',
        "  }",
        "}",
        'new RestAPI("api", { routes: [{ path: "/", method: "GET" }] });',
        "",
      ].join("\n"),
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    // No plugin is installed on this machine (PULUMI_HOME empty or ~/.pulumi without it).
    expect(error.message).toContain(
      "the component 'api' (aws-apigateway:index:RestAPI) is a remote component of package aws-apigateway v2.6.1, built by the aws-apigateway provider plugin, which is not installed",
    );
    expect(error.message).toContain(
      'install it with "pulumi plugin install resource aws-apigateway 2.6.1", or run the gate with engine "pulumi"',
    );
  });
});

describe("the program's environment", () => {
  it("holds none of the gate's credentials: a program that throws them shows none", async ({ expect }) => {
    const planted = {
      "INPUT_GITHUB-TOKEN": "ghs_planted_input_token",
      GITHUB_TOKEN: "ghs_planted_github_token",
      ACTIONS_RUNTIME_TOKEN: "planted_runtime_token",
      AWS_SECRET_ACCESS_KEY: "planted_aws_secret",
      PULUMI_ACCESS_TOKEN: "pul-planted-access-token",
    };
    const directory = scratch.write("reads-credentials", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        `const names = ${JSON.stringify(Object.keys(planted))};`,
        'throw new Error("seen: " + names.map((name) => `${name}=${process.env[name] ?? "(none)"}`).join(" "));',
        "",
      ].join("\n"),
    });
    const saved = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
    Object.assign(process.env, planted);
    let error;
    try {
      error = await gateErrorOf(check(directory));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      "seen: INPUT_GITHUB-TOKEN=(none) GITHUB_TOKEN=(none) ACTIONS_RUNTIME_TOKEN=(none) AWS_SECRET_ACCESS_KEY=(none) PULUMI_ACCESS_TOKEN=(none)",
    );
    for (const value of Object.values(planted)) expect(error.message).not.toContain(value);
  });
});

/** Live processes whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      if (commandLine.includes(marker) && state !== "Z") found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** The processes marked `marker` still alive once a killed process has had time to exit (at most 2 s). */
async function survivors(marker: string): Promise<number[]> {
  for (let waited = 0; waited < 2_000 && processesWith(marker).length > 0; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processesWith(marker);
}

describe.concurrent("processes the program starts", () => {
  /** A program that starts a long-running process (marked by `marker`), then does `then`. */
  const spawning = (name: string, marker: string, then: string): string =>
    scratch.write(name, {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import { spawn } from "node:child_process";',
        "",
        `spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)", ${JSON.stringify(marker)}], { stdio: "ignore" }).unref();`,
        then,
        "",
      ].join("\n"),
    });

  it.skipIf(process.platform === "win32")("end with the gate when the program succeeds", async ({ expect }) => {
    const marker = `policy-gate-orphan-${process.pid}-success`;
    // Under Node.js's permission model the spawn itself is refused and the program fails.
    await check(spawning("spawns-and-succeeds", marker, "export const done = true;")).catch(() => undefined);
    expect(await survivors(marker)).toEqual([]);
  });

  it.skipIf(process.platform === "win32")("end with the gate when the program fails", async ({ expect }) => {
    const marker = `policy-gate-orphan-${process.pid}-failure`;
    const error = await gateErrorOf(check(spawning("spawns-and-throws", marker, 'throw new Error("gave up");')));
    expect(error.message).toMatch(permissionFlags() ? /ERR_ACCESS_DENIED|Access to this API has been restricted/ : /gave up/);
    expect(await survivors(marker)).toEqual([]);
  });

  it.skipIf(process.platform === "win32")("end with the gate when the program runs out of time", async ({ expect }) => {
    const marker = `policy-gate-orphan-${process.pid}-timeout`;
    const directory = spawning(
      "spawns-and-hangs",
      marker,
      "export = async () => {\n  await new Promise<void>(() => {\n    setInterval(() => undefined, 1_000);\n  });\n};",
    );
    const error = await gateErrorOf(check(directory, { timeoutMs: 3_000 }));
    if (!permissionFlags()) expect(error.message).toContain("did not finish within 3 s");
    expect(await survivors(marker)).toEqual([]);
  });
});

describe("stand-in values", () => {
  it("lists .get() reads in the warnings by type and name, and answers an ECS AMI lookup with a JSON document", async ({ expect }) => {
    const directory = scratch.write("stand-ins", {
      "Pulumi.yaml": PULUMI_YAML,
      "index.ts": [
        'import * as aws from "@pulumi/aws";',
        "",
        'aws.lb.TargetGroup.get("existing", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/existing/1");',
        "export const ami = aws.ssm",
        '  .getParameterOutput({ name: "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended" })',
        "  .apply((parameter) => (JSON.parse(parameter.value) as { image_id: string }).image_id);",
        "",
      ].join("\n"),
    });
    const { report } = await check(directory);
    expect(report.warnings).toContain("offline lookups answered with stand-in values: aws:ssm/getParameter:getParameter");
    expect(report.warnings).toContain("offline .get() reads answered with stand-in state: aws:lb/targetGroup:TargetGroup 'existing'");
  });
});
