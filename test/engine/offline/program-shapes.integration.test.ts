// Programs in the shapes that public Pulumi programs take, run by Pulumi's own runner as the CLI
// runs them (fixtures/programs), and hostile programs that try to forge their verdict, leave it
// early or reach outside what the permission model allows.

import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { permissionFlags } from "../../../src/engine/offline/program-permissions.js";
import { installTestPlugin } from "../../plugins/install-test-plugin.js";
import { check, FIXTURES_DIR, gateErrorOf, ScratchPrograms } from "./offline-check.js";

const PROGRAMS = path.join(FIXTURES_DIR, "programs");
const scratch = new ScratchPrograms();
// The provider plugins of awsx and aws-apigateway, at the versions of the SDKs installed here:
// real plugins on Pulumi's provider server (test/plugins), installed where the CLI keeps them.
const pulumiHome = mkdtempSync(path.join(os.tmpdir(), "policy-gate-pulumi-home-"));
const savedPulumiHome = process.env.PULUMI_HOME;
beforeAll(() => {
  installTestPlugin(pulumiHome, "awsx", "3.9.0");
  installTestPlugin(pulumiHome, "aws-apigateway", "3.0.0");
  process.env.PULUMI_HOME = pulumiHome;
});
afterAll(() => {
  scratch.remove();
  if (savedPulumiHome === undefined) delete process.env.PULUMI_HOME;
  else process.env.PULUMI_HOME = savedPulumiHome;
  rmSync(pulumiHome, { recursive: true, force: true });
});

/** The violations of a report as "policy resource-name" lines, sorted. */
function fired(report: { violations: readonly { policy: string; urn: string }[] }): string[] {
  return report.violations.map((violation) => `${violation.policy} ${violation.urn.slice(violation.urn.lastIndexOf("::") + 2)}`).sort();
}

describe.concurrent("remote components, built by their provider plugins", () => {
  it("an awsx ApplicationLoadBalancer: its listeners and target group are checked like any other", async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "awsx-alb"));
    expect(fired(report)).toEqual([
      "alb-http-redirects-to-https inference-0",
      "lb-tls-1-2-minimum inference-1",
      "target-group-health-check inference",
    ]);
    const listener = report.resources.find((resource) => resource.name === "inference-0");
    // Under the component, as the engine names it: the component's type in the URN's type chain.
    expect(listener?.urn).toBe("urn:pulumi:dev::awsx-alb::awsx:lb:ApplicationLoadBalancer$aws:lb/listener:Listener::inference-0");
  });

  it("an awsx ALB whose inputs depend on other resources: the plugin gets them as under the CLI, outputs kept inside", async ({
    expect,
  }) => {
    // The shape of public programs (awsx's own ts-lb-simple passes a target group inside a
    // container): an input that holds another resource's output, known in the preview (here the
    // certificate's domain, an input of it). Without output values the plugin would get the whole
    // listener wrapped in one output and build a listener without the fields given: here without its
    // TLS policy, which the pack reports as not set.
    const directory = scratch.program(
      "awsx-dependent-inputs",
      [
        'import * as aws from "@pulumi/aws";',
        'import * as awsx from "@pulumi/awsx";',
        "",
        'const certificate = new aws.acm.Certificate("api", { domainName: "api.example.com", validationMethod: "DNS" });',
        'new awsx.lb.ApplicationLoadBalancer("inference", {',
        '  subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a60918"],',
        '  defaultTargetGroup: { port: 8080, protocol: "HTTP", healthCheck: { path: "/health", matcher: "200" } },',
        '  listener: { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: certificate.domainName.apply((domain) => `arn:aws:acm:us-east-1:123456789012:certificate/${domain}`) },',
        "});",
        "",
      ].join("\n"),
    );
    const { report } = await check(directory);
    expect(report.violations.map((violation) => violation.message)).toEqual([]);
    expect(report.resources.map((resource) => resource.name)).toContain("inference-0");
  });

  it("an aws-apigateway RestAPI: its stage is checked", async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "aws-apigateway-rest"));
    expect(fired(report)).toEqual(["apigateway-throttling-bounds inference"]);
  });

  it("without the plugin at that version: an error naming the component, its package and version, and the way out", async ({ expect }) => {
    // Registered as the awsx SDK registers its ALB, at a version whose plugin is not installed.
    const directory = scratch.program(
      "awsx-other-version",
      [
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        "class ApplicationLoadBalancer extends pulumi.ComponentResource {",
        "  constructor(name: string, args: pulumi.Inputs) {",
        '    super("awsx:lb:ApplicationLoadBalancer", name, args, { version: "3.10.0" }, true);',
        "  }",
        "}",
        'new ApplicationLoadBalancer("inference", {});',
        "",
      ].join("\n"),
    );
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      "the component 'inference' (awsx:lb:ApplicationLoadBalancer) is a remote component of package awsx v3.10.0, built by the awsx provider plugin, which is not installed",
    );
    expect(error.message).toContain('install it with "pulumi plugin install resource awsx 3.10.0", or run the gate with engine "pulumi"');
  });
});

describe.concurrent("programs in the shapes public programs take", () => {
  it("a package.json main that does not exist: Pulumi's warning, and the directory runs", async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "missing-main"));
    expect(fired(report)).toEqual(["alb-http-redirects-to-https plain-http"]);
    expect(report.violations[0]?.location).toEqual({ file: "fixtures/programs/missing-main/index.ts", line: 8, column: 1 });
    expect(report.warnings.some((warning) => warning.includes("Could not find entry point 'bin/index.js' specified in package.json"))).toBe(
      true,
    );
  });

  it("a StackReference: its outputs are unknown, the reference is listed, and the resources using it are checked", async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "stack-reference"));
    expect(fired(report)).toEqual(["target-group-health-check inference-tg"]);
    expect(report.warnings).toContain("offline stack references answered with unknown outputs: 'acme/network/prod'");
  });

  it("awsx classic: local components on the default VPC, their listeners and target group checked, the lookups listed", async ({
    expect,
  }) => {
    const { report } = await check(path.join(PROGRAMS, "awsx-classic-alb"));
    expect(fired(report)).toEqual(["alb-http-redirects-to-https http", "lb-tls-1-2-minimum https", "target-group-health-check api"]);
    // Declared in the program's own process: the positions are the program's, not the library's.
    expect(
      report.violations.every((violation) => violation.location === undefined || !violation.location.file.includes("node_modules")),
    ).toBe(true);
    expect(report.warnings).toContain(
      "offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc, aws:ec2/getSubnets:getSubnets",
    );
  });

  it("a Lambda callback: Pulumi's runner serializes its closure (capturing a built-in module) and the stage beside it is checked", async ({
    expect,
  }) => {
    const directory = scratch.program(
      "lambda-callback",
      [
        'import * as aws from "@pulumi/aws";',
        'import * as crypto from "crypto";',
        "",
        'const handler = new aws.lambda.CallbackFunction("infer", {',
        '  callback: async () => ({ statusCode: 200, body: crypto.createHash("sha256").update("ok").digest("hex") }),',
        "});",
        'const api = new aws.apigatewayv2.Api("api", { protocolType: "HTTP" });',
        'new aws.apigatewayv2.Stage("stage", { apiId: api.id, name: "$default", autoDeploy: true });',
        "export const functionName = handler.name;",
        "",
      ].join("\n"),
    );
    const { report } = await check(directory);
    expect(fired(report)).toEqual(["apigateway-throttling-bounds stage"]);
    expect(report.resources.map((resource) => resource.type)).toContain("aws:lambda/function:Function");
  });

  it("AMIs looked up through SSM: the ECS parameter is a JSON document, the EKS one an image id", async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "ssm-ami"));
    expect(report.verdict).toBe("pass");
    expect(report.resources.filter((resource) => resource.type === "aws:ec2/launchTemplate:LaunchTemplate").map((r) => r.name)).toEqual([
      "ecs-nodes",
      "eks-nodes",
    ]);
    expect(report.warnings).toContain("offline lookups answered with stand-in values: aws:ssm/getParameter:getParameter");
  });

  it('an ES module program under src/ with a root "type": "module", top-level await and NodeNext imports', async ({ expect }) => {
    const { report } = await check(path.join(PROGRAMS, "esm-src"));
    expect(fired(report)).toEqual(["alb-http-redirects-to-https esm-http"]);
  });

  it("a program that fails on a stand-in value is told which stand-ins it got", async ({ expect }) => {
    const directory = scratch.program(
      "rejects-stand-in",
      [
        'import * as aws from "@pulumi/aws";',
        'import * as pulumi from "@pulumi/pulumi";',
        "",
        'aws.ssm.getParameterOutput({ name: "/inference/settings" }).apply((p) => pulumi.log.error(`cannot read ${p.name}`));',
        "",
      ].join("\n"),
    );
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain("cannot read /inference/settings");
    expect(error.message).toContain("(after the offline engine answered with stand-in values: aws:ssm/getParameter:getParameter)");
  });

  // On Node.js 20 this needs the gate's preload (node20-inspect.cjs): without it, Pulumi's runner
  // hangs formatting the exception.
  it("a program that throws on a stand-in value is told which stand-ins it got", async ({ expect }) => {
    {
      const directory = scratch.program(
        "parses-stand-in",
        [
          'import * as aws from "@pulumi/aws";',
          "",
          'export const settings = aws.ssm.getParameterOutput({ name: "/inference/settings" }).apply((p) => JSON.parse(p.value.slice(1)));',
          "",
        ].join("\n"),
      );
      const error = await gateErrorOf(check(directory));
      expect(error.reason).toBe("preview-failed");
      expect(error.message).toContain("(after the offline engine answered with stand-in values: aws:ssm/getParameter:getParameter)");
    }
  });
});

describe.concurrent("a program that tries to decide its own verdict", () => {
  const violatingListener = [
    'import * as aws from "@pulumi/aws";',
    "",
    'const alb = new aws.lb.LoadBalancer("alb", { subnets: ["subnet-0a", "subnet-0b"] });',
    'new aws.lb.Listener("plain", { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP",',
    '  defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] });',
  ].join("\n");

  it("prints and sends a forged clean outcome: only what reached the monitor counts", async ({ expect }) => {
    const forged = JSON.stringify({ kind: "completed", resources: [], invokes: [], loggedErrors: [], verdict: "pass" });
    const directory = scratch.program(
      "forges",
      [
        violatingListener,
        `const forged = ${JSON.stringify(forged)};`,
        "console.log(forged);",
        "process.stderr.write(forged + '\\n');",
        "(process as { send?: (message: unknown) => void }).send?.(JSON.parse(forged));",
        "",
      ].join("\n"),
    );
    const { report } = await check(directory);
    expect(report.verdict).toBe("fail");
    expect(fired(report)).toEqual(["alb-http-redirects-to-https plain"]);
  });

  it("leaves early with exit code 0 once its violations are declared: an error, never a pass", async ({ expect }) => {
    const directory = scratch.program("exits-early", `${violatingListener}\nprocess.exit(0);\n`);
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
    // Pulumi's runner itself exits 1 here: its promise-leak check finds the registrations pending.
    expect(error.message).toMatch(/exit code 1|still pending|still unanswered/);
  });

  it("leaves early from a later tick: an error, never a pass", async ({ expect }) => {
    const directory = scratch.program(
      "exits-later",
      `${violatingListener}\nsetTimeout(() => process.exit(0), 50);\nexport = new Promise(() => undefined);\n`,
    );
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("preview-failed");
  });
});

describe.runIf(permissionFlags() !== undefined).concurrent("Node.js's permission model around the program", () => {
  const attempt = (name: string, statement: string): string =>
    scratch.program(name, ['import * as aws from "@pulumi/aws";', "", statement, 'new aws.s3.Bucket("models");', ""].join("\n"));

  it("refuses a write outside its own temporary directory (a cached policy pack, say)", async ({ expect }) => {
    const target = path.join(os.tmpdir(), `policy-gate-poison-${process.pid}`);
    const directory = attempt("writes", `require("node:fs").writeFileSync(${JSON.stringify(target)}, "do-nothing pack");`);
    const error = await gateErrorOf(check(directory));
    expect(error.message).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
    expect(existsSync(target)).toBe(false);
    rmSync(target, { force: true });
  });

  it("lets it write below its own temporary directory", async ({ expect }) => {
    const directory = attempt(
      "writes-own-temp",
      'require("node:fs").writeFileSync(require("node:path").join(require("node:os").tmpdir(), "scratch.txt"), "ok");',
    );
    const { report } = await check(directory);
    expect(report.verdict).toBe("pass");
  });

  it("refuses a read outside its repository and its SDK", async ({ expect }) => {
    const directory = attempt("reads", 'console.log(require("node:fs").readFileSync("/etc/passwd", "utf8"));');
    const error = await gateErrorOf(check(directory));
    expect(error.message).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
    expect(error.message).not.toContain("root:x:0:0");
  });

  it("refuses to start a process", async ({ expect }) => {
    const directory = attempt("spawns", 'require("node:child_process").execFileSync("/bin/true");');
    const error = await gateErrorOf(check(directory));
    expect(error.message).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
  });

  it("refuses nodeargs in Pulumi.yaml that would widen the model: a config error, the program never runs", async ({ expect }) => {
    const directory = scratch.write("widens", {
      "Pulumi.yaml": 'name: widens\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--max-old-space-size=2048 --allow-fs-read=*"\n',
      "index.ts": 'import * as aws from "@pulumi/aws";\nnew aws.s3.Bucket("models");\n',
    });
    const error = await gateErrorOf(check(directory));
    expect(error.reason).toBe("config-error");
    expect(error.message).toContain('Pulumi.yaml runtime.options.nodeargs has "--allow-fs-read=*"');
  });

  it("refuses to run a program whose repository links outside what it may read (a link to /proc)", async ({ expect }) => {
    // Outside this repository, so that the link cannot reach the other tests' programs.
    const directory = mkdtempSync(path.join(os.tmpdir(), "policy-gate-links-out-"));
    try {
      writeFileSync(path.join(directory, "Pulumi.yaml"), "name: links-out\nruntime: nodejs\n");
      writeFileSync(path.join(directory, "package.json"), '{"name":"links-out","private":true}');
      writeFileSync(path.join(directory, "index.ts"), 'import * as aws from "@pulumi/aws";\nnew aws.s3.Bucket("models");\n');
      symlinkSync(path.join(FIXTURES_DIR, "..", "node_modules"), path.join(directory, "node_modules"));
      symlinkSync("/proc", path.join(directory, "p"));
      const error = await gateErrorOf(check(directory));
      expect(error.reason).toBe("config-error");
      expect(error.message).toMatch(/symbolic links in .* lead outside the directories the program may read, .*\/p -> \/proc/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("gives it no node:sqlite, which writes files without asking the model", async ({ expect }) => {
    const directory = attempt("sqlite", 'new (require("node:sqlite").DatabaseSync)(require("node:path").join(__dirname, "x.db"));');
    const error = await gateErrorOf(check(directory));
    expect(error.message).toContain("node:sqlite");
  });

  it("holds a worker thread it starts to the same rules", async ({ expect }) => {
    const target = path.join(os.tmpdir(), `policy-gate-poison-worker-${process.pid}`);
    const directory = attempt(
      "workers",
      [
        'const { Worker } = require("node:worker_threads");',
        `const code = 'require("node:fs").writeFileSync(${JSON.stringify(target)}, "x")';`,
        'export = new Promise((resolve, reject) => new Worker(code, { eval: true }).on("error", reject).on("exit", resolve));',
      ].join("\n"),
    );
    const error = await gateErrorOf(check(directory));
    expect(error.message).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
    expect(existsSync(target)).toBe(false);
  });
});
