// The command line's summary: verdict and counts on top, then each violation, and nothing a
// resource, a policy or a failing program wrote can move the cursor, recolour or reorder text.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Report, Violation } from "../../src/gate/report.js";
import { renderText } from "../../src/report/text.js";
import { HOSTILE_FRAGMENTS } from "./rendered-html.js";

function violation(overrides: Partial<Violation> = {}): Violation {
  return {
    policy: "lb-tls-1-2-minimum",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    urn: "urn:pulumi:dev::alb::aws:lb/listener:Listener::https",
    resourceType: "aws:lb/listener:Listener",
    message: 'sslPolicy must allow TLS 1.2 or newer only, but it is "ELBSecurityPolicy-2016-08": use ELBSecurityPolicy-TLS13-1-2-2021-06.',
    ...overrides,
  };
}

function report(overrides: Partial<Report> = {}): Report {
  return {
    verdict: "pass",
    failureReason: "none",
    engine: "offline",
    project: "alb",
    stack: "dev",
    policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
    resources: [{ urn: "urn:pulumi:dev::alb::aws:lb/listener:Listener::https", type: "aws:lb/listener:Listener", name: "https" }],
    violations: [],
    warnings: [],
    ...overrides,
  };
}

/** Terminal control: C0/C1 controls (tab and the renderer's own line feeds aside) and bidi controls. */
const TERMINAL_CONTROL = /[\p{Bidi_Control}]|(?![\t\n])\p{Cc}/u;

describe("renderText", () => {
  it("prints a pass with its project, stack, engine, resources and packs", () => {
    expect(renderText(report())).toBe(
      [
        "policy-gate: PASS  alb/dev  (engine offline, 1 resource, pulumi-policy-gate@0.1.0)",
        "  0 mandatory violations, 0 advisory violations",
      ].join("\n"),
    );
  });

  it("warns under the counts when the check did not see inside a component", () => {
    const urn = "urn:pulumi:dev::alb::awsx:lb:ApplicationLoadBalancer::web";
    expect(renderText(report({ uncheckedComponents: [urn], warnings: ["inside 'web' NOT checked"] })).split("\n")).toEqual([
      "policy-gate: PASS  alb/dev  (engine offline, 1 resource, pulumi-policy-gate@0.1.0)",
      "  0 mandatory violations, 0 advisory violations",
      "  WARNING: 1 component not checked inside (see the notes)",
      "  note: inside 'web' NOT checked",
    ]);
  });

  it("prints each violation, mandatory first, with its level, severity, policy, resource, type and message", () => {
    const text = renderText(
      report({
        verdict: "fail",
        failureReason: "policy-violations",
        violations: [
          violation({
            enforcementLevel: "advisory",
            policy: "target-group-health-check",
            urn: "urn:pulumi:dev::alb::aws:lb/targetGroup:TargetGroup::api",
            resourceType: "aws:lb/targetGroup:TargetGroup",
            message: "healthCheck.path must be set.",
          }),
          violation({ severity: "high" }),
        ],
        warnings: ["offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc"],
      }),
    );
    expect(text).toBe(
      [
        "policy-gate: FAIL  alb/dev  (engine offline, 1 resource, pulumi-policy-gate@0.1.0)",
        "  1 mandatory violation, 1 advisory violation",
        "",
        "  [mandatory, high] lb-tls-1-2-minimum  https (aws:lb/listener:Listener)",
        '      sslPolicy must allow TLS 1.2 or newer only, but it is "ELBSecurityPolicy-2016-08": use ELBSecurityPolicy-TLS13-1-2-2021-06.',
        "",
        "  [advisory] target-group-health-check  api (aws:lb/targetGroup:TargetGroup)",
        "      healthCheck.path must be set.",
        "  note: offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc",
      ].join("\n"),
    );
  });

  it("says violation in the singular for one", () => {
    expect(renderText(report({ verdict: "fail", violations: [violation()] })).split("\n")[1]).toBe(
      "  1 mandatory violation, 0 advisory violations",
    );
  });

  it("prints an error with its reason and every line of its message, indented", () => {
    const text = renderText(
      report({
        verdict: "error",
        failureReason: "preview-failed",
        project: "",
        stack: "",
        policyPacks: [],
        resources: [],
        error: { reason: "preview-failed", message: "the program failed: boom\nprogram output (last lines):\nTypeError: x is undefined" },
      }),
    );
    expect(text).toBe(
      [
        "policy-gate: ERROR  ?/?  (engine offline, 0 resources)",
        "  0 mandatory violations, 0 advisory violations",
        "  error (preview-failed): the program failed: boom",
        "    program output (last lines):",
        "    TypeError: x is undefined",
      ].join("\n"),
    );
  });

  it("strips escape sequences, carriage returns and bidi controls from an error's program output", () => {
    const text = renderText(
      report({
        verdict: "error",
        failureReason: "preview-failed",
        error: { reason: "preview-failed", message: "failed:\r\n\u001b[31mred\u001b[0m\rover\u001b]0;title\u0007\n\u202egnp.exe" },
      }),
    );
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text.split("\n").slice(2)).toEqual(["  error (preview-failed): failed:", "    [31mred[0m", "    over]0;title", "    gnp.exe"]);
  });

  it("keeps every untrusted field on its own line, free of terminal control characters", () => {
    const hostile = fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: "binary", maxLength: 5 })), { maxLength: 8 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, hostile, hostile, (project, stack, policy, name, type, message, warning) => {
        const text = renderText(
          report({
            verdict: "fail",
            project,
            stack,
            policyPacks: [{ name: policy, version: name }],
            violations: [violation({ policy, urn: `urn:pulumi:dev::alb::aws:lb/listener:Listener::${name}`, resourceType: type, message })],
            warnings: [warning],
            error: { reason: "internal-error", message },
          }),
        );
        expect(text).not.toMatch(TERMINAL_CONTROL);
        const lines = text.split("\n");
        const messageLines = message.split(/\r\n?|\n/).length;
        // Title, counts, the error's lines, a blank, the violation's two lines, the note.
        expect(lines).toHaveLength(2 + messageLines + 3 + 1);
        expect(lines[0]?.startsWith("policy-gate: FAIL  ")).toBe(true);
        expect(lines.at(-1)?.startsWith("  note: ")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
