// unbuilt-components "warn": a remote component whose provider plugin the gate cannot get is
// recorded without what is inside it, and the report warns that its resources were not checked;
// a plugin that is there and fails is an error either way, as `pulumi preview` would fail on it.
// The programs use the real @pulumi/awsx SDK (3.9.0); PULUMI_HOME is an empty folder unless a
// test installs the awsx test plugin there.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { UnbuiltComponents } from "../../../src/engine/engine.js";
import { installTestPlugin } from "../../plugins/install-test-plugin.js";
import { check, FIXTURES_DIR, gateErrorOf, ScratchPrograms } from "./offline-check.js";

const ALB_PROGRAM = path.join(FIXTURES_DIR, "programs", "awsx-alb");
const WARN: UnbuiltComponents = { mode: "warn", setting: 'input unbuilt-components "warn"' };
const ALB_URN = "urn:pulumi:dev::awsx-alb::awsx:lb:ApplicationLoadBalancer::inference";

const work = mkdtempSync(path.join(os.tmpdir(), "unbuilt-components-"));
const scratch = new ScratchPrograms();
const savedPulumiHome = process.env.PULUMI_HOME;

/** A Pulumi home of its own for the next check: empty, or with the awsx test plugin at the SDK's version. */
function usePulumiHome(name: string, withAwsxPlugin = false): string {
  const home = mkdtempSync(path.join(work, `${name}-`));
  if (withAwsxPlugin) installTestPlugin(home, "awsx", "3.9.0");
  process.env.PULUMI_HOME = home;
  return home;
}

afterEach(() => {
  if (savedPulumiHome === undefined) delete process.env.PULUMI_HOME;
  else process.env.PULUMI_HOME = savedPulumiHome;
});

afterAll(() => {
  scratch.remove();
  rmSync(work, { recursive: true, force: true });
});

/** The violations of a report as "policy resource-name" lines, sorted. */
function fired(report: { violations: readonly { policy: string; urn: string }[] }): string[] {
  return report.violations.map((violation) => `${violation.policy} ${violation.urn.slice(violation.urn.lastIndexOf("::") + 2)}`).sort();
}

describe("a remote component whose plugin is not installed", () => {
  it("by default: the check is an error naming the component", async () => {
    const home = usePulumiHome("empty-home");
    const error = await gateErrorOf(check(ALB_PROGRAM));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      `the component 'inference' (awsx:lb:ApplicationLoadBalancer) is a remote component of package awsx v3.9.0, built by the awsx provider plugin, which is not installed (no ${path.join(home, "plugins", "resource-awsx-v3.9.0")})`,
    );
  });

  it("with unbuilt-components warn: the program runs to its end, the component is in the report, unbuilt, and the warning says so", async () => {
    const home = usePulumiHome("empty-home");
    // The program exports alb.loadBalancer.dnsName: an output of a component answered with none.
    const { report } = await check(ALB_PROGRAM, { unbuiltComponents: WARN });
    expect(report.verdict).toBe("pass");
    expect(report.violations).toEqual([]);
    // Recorded as the program declared it, where it declared it.
    expect(report.resources.find((resource) => resource.urn === ALB_URN)).toEqual({
      urn: ALB_URN,
      type: "awsx:lb:ApplicationLoadBalancer",
      name: "inference",
      location: { file: "fixtures/programs/awsx-alb/index.ts", line: 6, column: 13 },
    });
    // Nothing inside it: the listeners and target group the plugin would build are not there.
    expect(report.resources.filter((resource) => resource.urn.includes("awsx:lb:ApplicationLoadBalancer$"))).toEqual([]);
    expect(report.uncheckedComponents).toEqual([ALB_URN]);
    expect(report.warnings[0]).toBe(
      "the resources inside the component 'inference' (awsx:lb:ApplicationLoadBalancer, package awsx v3.9.0) were NOT checked: " +
        'it was not built, and input unbuilt-components "warn" lets the check go on without them; ' +
        `the component 'inference' (awsx:lb:ApplicationLoadBalancer) is a remote component of package awsx v3.9.0, built by the awsx provider plugin, which is not installed (no ${path.join(home, "plugins", "resource-awsx-v3.9.0")}): ` +
        'install it with "pulumi plugin install resource awsx 3.9.0", or run the gate with engine "pulumi"',
    );
  });

  it("with unbuilt-components warn: what the program parents to the component is named under it, and its violations still fail the check", async () => {
    usePulumiHome("empty-home");
    const directory = scratch.program(
      "unbuilt-alb-with-listener",
      [
        'import * as aws from "@pulumi/aws";',
        'import * as awsx from "@pulumi/awsx";',
        "",
        'const alb = new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-0a1b2c3d4e5f60718"] });',
        "new aws.lb.Listener(",
        '  "extra",',
        "  {",
        "    loadBalancerArn: alb.loadBalancer.arn,",
        "    port: 443,",
        '    protocol: "HTTPS",',
        '    sslPolicy: "ELBSecurityPolicy-2016-08",',
        '    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0aa1bb2c-offline",',
        '    defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],',
        "  },",
        "  { parent: alb },",
        ");",
        "export const url = alb.loadBalancer.dnsName;",
        "",
      ].join("\n"),
    );
    const { report } = await check(directory, { unbuiltComponents: WARN });
    expect(report.verdict).toBe("fail");
    expect(fired(report)).toEqual(["lb-tls-1-2-minimum extra"]);
    expect(report.violations[0]?.urn).toBe(
      "urn:pulumi:dev::unbuilt-alb-with-listener::awsx:lb:ApplicationLoadBalancer$aws:lb/listener:Listener::extra",
    );
    expect(report.warnings[0]).toMatch(
      /^the resources inside the component 'web' \(awsx:lb:ApplicationLoadBalancer, package awsx v3\.9\.0\) were NOT checked/,
    );
  });
});

describe("the other components whose plugin the gate cannot use, with unbuilt-components warn", () => {
  it("an aws-apigateway RestAPI whose plugin is not installed: the program's export of api.url is unknown, and the check passes with the warning", async () => {
    usePulumiHome("empty-home");
    const { report } = await check(path.join(FIXTURES_DIR, "programs", "aws-apigateway-rest"), { unbuiltComponents: WARN });
    expect(report.verdict).toBe("pass");
    expect(report.resources.map((resource) => resource.urn)).toContain(
      "urn:pulumi:dev::aws-apigateway-rest::aws-apigateway:index:RestAPI::inference",
    );
    expect(report.warnings[0]).toMatch(
      /^the resources inside the component 'inference' \(aws-apigateway:index:RestAPI, package aws-apigateway v3\.0\.0\) were NOT checked: it was not built, and input unbuilt-components "warn" lets the check go on without them; .*which is not installed/,
    );
  });

  it("an awsx component with an explicit provider, which the offline engine does not construct, when no awsx plugin is installed", async () => {
    usePulumiHome("empty-home-provider");
    const { report } = await check(explicitProviderProgram(), { unbuiltComponents: WARN });
    expect(report.verdict).toBe("pass");
    expect(report.warnings[0]).toMatch(
      /^the resources inside the component 'web' \(awsx:lb:ApplicationLoadBalancer, package awsx v3\.9\.0\) were NOT checked: .*its explicit awsx provider is not supported offline/,
    );
  });
});

/** An awsx ALB given an explicit awsx provider, which the offline engine does not construct. */
function explicitProviderProgram(): string {
  return scratch.program(
    "alb-explicit-provider",
    [
      'import * as awsx from "@pulumi/awsx";',
      "",
      'const provider = new awsx.Provider("awsx");',
      'new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-0a1b2c3d4e5f60718"] }, { provider });',
      "",
    ].join("\n"),
  );
}

describe("a component the program could have had built: an error even with unbuilt-components warn (found by a hostile review)", () => {
  it("an explicit provider when the package's plugin is installed: the program must not skip its own component", async () => {
    usePulumiHome("awsx-home-provider", true);
    const error = await gateErrorOf(check(explicitProviderProgram(), { unbuiltComponents: WARN }));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain("its explicit awsx provider is not supported offline");
  });

  it("a version whose plugin is not installed while another version of the package is", async () => {
    usePulumiHome("awsx-home-version", true);
    const directory = scratch.program(
      "alb-other-version",
      [
        'import * as awsx from "@pulumi/awsx";',
        "",
        'new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-0a1b2c3d4e5f60718"] }, { version: "3.8.0" });',
        "",
      ].join("\n"),
    );
    const error = await gateErrorOf(check(directory, { unbuiltComponents: WARN }));
    expect(error.message).toContain(
      "is a remote component of package awsx v3.8.0, built by the awsx provider plugin, which is not installed",
    );
    expect(error.message).toContain("installed: 3.9.0");
  });
});

describe("a remote component whose plugin is there but fails", () => {
  it("its Construct failing is an error even with unbuilt-components warn", async () => {
    usePulumiHome("awsx-home", true);
    // The awsx plugin refuses `listener` and `listeners` together, as the real one does.
    const directory = scratch.program(
      "alb-construct-fails",
      [
        'import * as awsx from "@pulumi/awsx";',
        "",
        'new awsx.lb.ApplicationLoadBalancer("both", {',
        '  subnetIds: ["subnet-0a1b2c3d4e5f60718"],',
        "  listener: { port: 80 },",
        "  listeners: [{ port: 81 }],",
        "});",
        "",
      ].join("\n"),
    );
    const error = await gateErrorOf(check(directory, { unbuiltComponents: WARN }));
    expect(error.reason).toBe("preview-failed");
    expect(error.message).toContain(
      "the component 'both' (awsx:lb:ApplicationLoadBalancer) is a remote component of package awsx v3.9.0, built by the awsx provider plugin, which could not build it",
    );
    expect(error.message).toContain("Only one of [listener] and [listeners] can be specified");
  });
});
