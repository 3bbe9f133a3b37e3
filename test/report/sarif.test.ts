// The SARIF log: valid against the official SARIF 2.1.0 schema (sarif/sarif-schema-2.1.0.json,
// see sarif/SOURCES.md) in every case, one rule per bundled policy with its fix and configuration,
// one result per violation at its declaration site or, without one, at line 1 of Pulumi.yaml, and
// nothing from a resource name or message that a viewer could turn into a link or a mention.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Report, Violation } from "../../src/gate/report.js";
import { buildSarif, bundledRulePolicies, programFile, relativeUri, sarifText, type SarifLog } from "../../src/report/sarif.js";
import { HOSTILE_FRAGMENTS, renderGfm, tagNames } from "./rendered-html.js";
import { sarifValidator } from "./sarif/validator.js";

const validate = sarifValidator();

function expectValid(log: SarifLog): void {
  // A round trip through JSON: what is written is what is checked.
  const written = JSON.parse(JSON.stringify(log)) as unknown;
  if (!validate(written)) throw new Error(`not valid SARIF 2.1.0: ${JSON.stringify(validate.errors, null, 2)}`);
}

const OPTIONS = { policies: bundledRulePolicies(), fallbackFile: "infra/Pulumi.yaml", toolVersion: "0.1.0" };

function violation(overrides: Partial<Violation> = {}): Violation {
  return {
    policy: "lb-tls-1-2-minimum",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    urn: "urn:pulumi:dev::inference::aws:lb/listener:Listener::web-https",
    resourceType: "aws:lb/listener:Listener",
    message: 'sslPolicy must allow nothing older than TLS 1.2, but "ELBSecurityPolicy-2016-08" allows TLS 1.0: set it to "x".',
    ...overrides,
  };
}

function report(violations: readonly Violation[], overrides: Partial<Report> = {}): Report {
  const failing = violations.some((item) => item.enforcementLevel === "mandatory");
  return {
    verdict: failing ? "fail" : "pass",
    failureReason: failing ? "policy-violations" : "none",
    engine: "offline",
    project: "inference",
    stack: "dev",
    policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
    resources: [],
    violations,
    warnings: [],
    ...overrides,
  };
}

const run = (log: SarifLog): SarifLog["runs"][0] => log.runs[0];

describe("buildSarif", () => {
  it("is checked by a validator that refuses what the schema refuses", () => {
    const log = JSON.parse(JSON.stringify(buildSarif(report([violation()]), OPTIONS))) as {
      runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    const region = log.runs[0]?.results[0]?.locations[0]?.physicalLocation.region;
    if (region) region.startLine = 0;
    expect(validate(log)).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it("with no violations: a valid log with one rule per bundled policy and no results", () => {
    const log = buildSarif(report([]), OPTIONS);
    expectValid(log);
    expect(log.version).toBe("2.1.0");
    const { tool, results, invocations, automationDetails } = run(log);
    expect(results).toEqual([]);
    expect(tool.driver).toMatchObject({ name: "pulumi-policy-gate", version: "0.1.0", semanticVersion: "0.1.0" });
    expect(tool.driver.rules.map((rule) => rule.id)).toEqual([
      "alb-http-redirects-to-https",
      "lb-tls-1-2-minimum",
      "apigateway-domain-tls-1-2-minimum",
      "target-group-health-check",
      "apigateway-throttling-bounds",
    ]);
    expect(invocations[0].executionSuccessful).toBe(true);
    expect(automationDetails.id).toBe("pulumi-policy-gate/inference/dev/");
  });

  it("gives each rule the policy's description, how to fix a violation and its configuration with a template", () => {
    const rule = run(buildSarif(report([]), OPTIONS)).tool.driver.rules.find((candidate) => candidate.id === "lb-tls-1-2-minimum");
    expect(rule?.shortDescription.text).toBe(
      "HTTPS and TLS listeners must use a predefined security policy that allows nothing older than TLS 1.2.",
    );
    expect(rule?.defaultConfiguration.level).toBe("error");
    const help = rule?.help.text ?? "";
    expect(help).toContain("How to fix: change the resource as the alert's message says");
    expect(help).toContain(
      '- minimumVersion (string, one of "1.2", "1.3", default "1.2"): The oldest TLS version a security policy may allow.',
    );
    expect(help).toContain("- allowedPolicies (array of string, default []): Security policy names to accept");
    expect(help).toContain(
      'Example: {"lb-tls-1-2-minimum":{"enforcementLevel":"mandatory","minimumVersion":"1.2","allowedPolicies":[],"unknownValues":"advisory"}}',
    );
    const html = renderGfm(rule?.help.markdown ?? "");
    expect(html).toContain("<code>minimumVersion</code> (string, one of <code>&quot;1.2&quot;</code>, <code>&quot;1.3&quot;</code>");
    expect(tagNames(html).filter((tag) => tag === "a")).toEqual([]);
  });

  it("maps mandatory to error and advisory to warning, mandatory first", () => {
    const log = buildSarif(
      report([
        violation({
          enforcementLevel: "advisory",
          policy: "target-group-health-check",
          urn: "urn:pulumi:dev::inference::aws:lb/targetGroup:TargetGroup::tg",
        }),
        violation(),
      ]),
      OPTIONS,
    );
    expectValid(log);
    const { results, tool } = run(log);
    expect(results.map((result) => [result.ruleId, result.level])).toEqual([
      ["lb-tls-1-2-minimum", "error"],
      ["target-group-health-check", "warning"],
    ]);
    for (const result of results) expect(tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(results[0]?.message.text).toBe(
      `web-https (aws:lb/listener:Listener): ${violation().message} (where the program declares this resource is not known: shown at infra/Pulumi.yaml)`,
    );
  });

  it("places a violation at its declaration site, relative to the repository root", () => {
    const log = buildSarif(report([violation({ location: { file: "infra/lb listeners.ts", line: 12, column: 5 } })]), OPTIONS);
    expectValid(log);
    const [result] = run(log).results;
    expect(result?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "infra/lb%20listeners.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 12, startColumn: 5 },
    });
    expect(result?.locations[0].logicalLocations).toEqual([
      { name: "web-https", fullyQualifiedName: "urn:pulumi:dev::inference::aws:lb/listener:Listener::web-https", kind: "resource" },
    ]);
    expect(result?.properties.locationKnown).toBe(true);
    expect(result?.message.text).not.toContain("not known");
  });

  it.each([
    ["no location", undefined],
    ["an absolute path", { file: "/home/runner/work/x/index.ts", line: 3 }],
    ["line 0", { file: "index.ts", line: 0 }],
  ])("shows a violation with %s at line 1 of the program's Pulumi.yaml, and says so", (_name, location) => {
    const log = buildSarif(report([violation(location ? { location } : {})]), OPTIONS);
    expectValid(log);
    const [result] = run(log).results;
    expect(result?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "infra/Pulumi.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1 },
    });
    expect(result?.properties.locationKnown).toBe(false);
    expect(result?.message.text).toMatch(/ \(where the program declares this resource is not known: shown at infra\/Pulumi\.yaml\)$/);
  });

  it("keeps one alert per policy and resource: distinct fingerprints, stable across runs", () => {
    const first = violation({ message: "a must be b." });
    const second = violation({ message: "c must be d." });
    const other = violation({ urn: "urn:pulumi:dev::inference::aws:lb/listener:Listener::other" });
    const fingerprints = (violations: Violation[]): string[] =>
      run(buildSarif(report(violations), OPTIONS)).results.map((result) => result.partialFingerprints["pulumiPolicyViolation/v1"] ?? "");
    const once = fingerprints([first, second, other]);
    expect(new Set(once).size).toBe(3);
    expect(fingerprints([other, second, first])).toEqual(once);
  });

  it("gives a policy of another pack a rule of its own, qualified by its pack when the name is taken", () => {
    const log = buildSarif(
      report([
        violation({ policy: "no-public-buckets", policyPack: "org-baseline", enforcementLevel: "advisory" }),
        violation({ policyPack: "org-baseline" }),
        violation(),
      ]),
      OPTIONS,
    );
    expectValid(log);
    const { results, tool } = run(log);
    expect(results.map((result) => result.ruleId).sort()).toEqual([
      "lb-tls-1-2-minimum",
      "no-public-buckets",
      "org-baseline/lb-tls-1-2-minimum",
    ]);
    const foreign = tool.driver.rules.find((rule) => rule.id === "no-public-buckets");
    expect(foreign?.shortDescription.text).toBe("Policy no-public-buckets of the policy pack org-baseline.");
    for (const result of results) expect(tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it("lists the report's warnings as notifications of the run", () => {
    const log = buildSarif(report([], { warnings: ["no Pulumi.prod.yaml next to the program"] }), OPTIONS);
    expectValid(log);
    expect(run(log).invocations[0].toolExecutionNotifications).toEqual([
      { level: "warning", message: { text: "no Pulumi.prod.yaml next to the program" } },
    ]);
  });

  it("stays valid, and links, mentions and line breaks stay out, whatever the names and messages hold", () => {
    const hostile = fc.oneof(
      fc.constantFrom(...HOSTILE_FRAGMENTS, "[x](1)", "[x](https://evil.example)", "@octocat", "#1", "\u202e", "\u0000", "\n\n"),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.array(hostile, { minLength: 1, maxLength: 6 }),
        fc.array(hostile, { minLength: 1, maxLength: 6 }),
        (names, messages) => {
          const name = names.join("");
          const message = messages.join("");
          const log = buildSarif(
            report([
              violation({
                urn: `urn:pulumi:dev::inference::aws:lb/listener:Listener::${name}`,
                message,
                policy: name,
                policyPack: message,
              }),
              violation({
                urn: `urn:pulumi:dev::inference::aws:lb/listener:Listener::${name}`,
                message,
                location: { file: name || "x", line: 2 },
              }),
            ]),
            OPTIONS,
          );
          expectValid(log);
          const texts = [
            ...run(log).results.map((result) => result.message.text),
            ...run(log).tool.driver.rules.flatMap((rule) => [rule.shortDescription.text, rule.help.text]),
          ];
          for (const text of texts) {
            expect(text).not.toMatch(/\]\(/);
            expect(text).not.toMatch(/[@#][\p{L}\p{N}_-]/u);
            expect(text).not.toMatch(/:\/\//);
            expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
          }
          for (const result of run(log).results) expect(result.message.text).not.toContain("\n");
          for (const rule of run(log).tool.driver.rules) {
            const html = renderGfm(rule.help.markdown ?? "", { allowHtml: true });
            expect(
              tagNames(html).filter(
                (tag) => !["p", "/p", "strong", "/strong", "code", "/code", "ul", "/ul", "li", "/li", "pre", "/pre"].includes(tag),
              ),
            ).toEqual([]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("sarifText", () => {
  it("breaks embedded links, mentions, references and URLs and keeps the rest", () => {
    expect(sarifText("[x](1) @octocat #12 https://evil.example a@b [ok] (fine)")).toBe(
      "[x] (1) @\u200boctocat #\u200b12 https:/\u200b/evil.example a@\u200bb [ok] (fine)",
    );
    expect(sarifText("line\r\nbreak\u202e")).toBe("line break");
  });
});

describe("paths", () => {
  it("programFile: the project file (Pulumi.yml when only it exists) relative to the repository root, with forward slashes", () => {
    expect(programFile("/repo", "/repo/infra/app")).toBe("infra/app/Pulumi.yaml");
    expect(programFile("/repo", "/repo")).toBe("Pulumi.yaml");
    expect(programFile("/repo", "/repo/app", (file) => file === "/repo/app/Pulumi.yml")).toBe("app/Pulumi.yml");
    expect(programFile("/repo", "/repo/app", () => true)).toBe("app/Pulumi.yaml");
  });

  it("relativeUri: each segment percent-encoded, backslashes and a leading ./ dropped", () => {
    expect(relativeUri("./infra\\a b/#x?.ts")).toBe("infra/a%20b/%23x%3F.ts");
    expect(relativeUri("a\udfffb.ts")).toBe("a%EF%BF%BDb.ts");
  });
});
