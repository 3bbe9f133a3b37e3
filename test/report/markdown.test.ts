// The Markdown summary (the PR comment): the verdict and counts first, mandatory rows first,
// nothing injected by untrusted text, and never over the length limit nor cut inside a row.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/report/markdown.js";
import { escapeMarkdown } from "../../src/report/untrusted-text.js";
import { sortViolations, type Report, type Violation } from "../../src/gate/report.js";
import { cellSeparators, expectedVisible, HOSTILE_FRAGMENTS, renderGfm, tableRows, tagNames, visibleText } from "./rendered-html.js";

const PROJECT = "inference";
const STACK = "prod";

function violation(overrides: Partial<Violation> = {}): Violation {
  return {
    policy: "alb-http-redirects-to-https",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    severity: "high",
    urn: `urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::web-http`,
    resourceType: "aws:lb/listener:Listener",
    message: 'defaultActions[0].type must be "redirect" to HTTPS on port 443, but it is "forward": redirect HTTP to HTTPS.',
    ...overrides,
  };
}

function report(overrides: Partial<Report> = {}): Report {
  const violations = overrides.violations ?? [];
  const failing = violations.some((item) => item.enforcementLevel === "mandatory");
  return {
    verdict: failing ? "fail" : "pass",
    failureReason: failing ? "policy-violations" : "none",
    engine: "offline",
    project: PROJECT,
    stack: STACK,
    policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
    resources: [
      {
        urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`,
        type: "pulumi:pulumi:Stack",
        name: `${PROJECT}-${STACK}`,
      },
      { urn: `urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::web-http`, type: "aws:lb/listener:Listener", name: "web-http" },
    ],
    violations,
    warnings: [],
    ...overrides,
  };
}

/** A long message that tries every trick, different for each violation. */
function hostileMessage(index: number, length: number): string {
  let message = `violation ${index}: `;
  for (let fragment = index; message.length < length; fragment++) message += HOSTILE_FRAGMENTS[fragment % HOSTILE_FRAGMENTS.length];
  return message.slice(0, length).replace(/[\ud800-\udbff]$/, "");
}

/** `count` violations on distinct resources, every third advisory, each message `messageLength` long. */
function manyViolations(count: number, messageLength: number): Violation[] {
  return Array.from({ length: count }, (_, index) =>
    violation({
      enforcementLevel: index % 3 === 2 ? "advisory" : "mandatory",
      urn: `urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::listener-${String(index).padStart(5, "0")}`,
      message: hostileMessage(index, messageLength),
    }),
  );
}

const ALLOWED_TAGS = new Set(
  ["h3", "p", "strong", "em", "code", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "ul", "li"].flatMap((tag) => [
    tag,
    `/${tag}`,
  ]),
);

function trimEdges(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, "");
}

interface RenderedSummary {
  readonly html: string;
  /** The table's body rows, each as its cells' visible text. */
  readonly rows: string[][];
  /** N in "N more violations not shown", or 0 when there is no such note. */
  readonly omitted: number;
}

/**
 * Checks what must hold of every summary, whatever it holds, and returns it parsed: within the
 * limit, no injected tag or link, every table line with its six cell separators and every
 * parsed row complete.
 */
function checkSummary(markdown: string, maxLength: number): RenderedSummary {
  expect(markdown.length).toBeLessThanOrEqual(maxLength);
  const html = renderGfm(markdown, { allowHtml: true });
  expect(html).not.toContain("<a");
  expect(tagNames(html).filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
  expect(html.match(/<details>/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0);
  const tableLines = markdown.split("\n").filter((line) => line.startsWith("|"));
  for (const line of tableLines) expect(cellSeparators(line)).toBe(6);
  const [header, ...rows] = tableRows(html).map((cells) => cells.map(visibleText));
  if (header) expect(header).toEqual(["Level", "Policy", "Resource", "Type", "Message"]);
  for (const cells of rows) expect(cells).toHaveLength(5);
  expect(tableLines.length).toBe(header ? rows.length + 2 : 0);
  const note = /(\d+) more violations? not shown/.exec(visibleText(html));
  return { html, rows, omitted: note ? Number(note[1]) : 0 };
}

describe("renderMarkdown", () => {
  it("starts with the verdict, the project and stack, and the counts", () => {
    const markdown = renderMarkdown(
      report({ violations: [violation(), violation({ enforcementLevel: "advisory", severity: undefined })] }),
    );
    const [title, blank, counts] = markdown.split("\n");
    expect(title).toBe("### ❌ Policy gate failed: inference / prod");
    expect(blank).toBe("");
    expect(counts).toBe("**1 mandatory violation**, 1 advisory violation, 2 resources checked (engine `offline`).");
  });

  it.each([
    ["pass", "### ✅ Policy gate passed: inference / prod"],
    ["fail", "### ❌ Policy gate failed: inference / prod"],
    ["error", "### ⚠️ Policy gate could not evaluate: inference / prod"],
  ] as const)("heads a %s report with %j", (verdict, title) => {
    expect(renderMarkdown(report({ verdict })).split("\n")[0]).toBe(title);
  });

  it("shows the error's reason and its message, escaped, right after the counts", () => {
    const markdown = renderMarkdown(
      report({
        verdict: "error",
        failureReason: "preview-failed",
        resources: [],
        error: { reason: "preview-failed", message: "the program failed: <b>boom</b> @here\nat index.ts:3" },
      }),
    );
    const { html } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
    expect(visibleText(html)).toContain("Error (preview-failed): the program failed: <b>boom</b> @\u200bhere at index.ts:3");
  });

  it("names an unknown project and stack rather than leaving them blank", () => {
    expect(renderMarkdown(report({ project: "", stack: "" })).split("\n")[0]).toBe(
      "### ✅ Policy gate passed: unknown project / unknown stack",
    );
  });

  it("lists mandatory violations before advisory ones, each with its level, policy, resource, type and message", () => {
    const violations = [
      violation({
        enforcementLevel: "advisory",
        severity: "low",
        policy: "target-group-health-check",
        urn: "urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::api-a",
      }),
      violation({ urn: "urn:pulumi:prod::inference::aws:lb/listener:Listener::web-z" }),
      violation({ enforcementLevel: "advisory", severity: undefined, urn: "urn:pulumi:prod::inference::aws:lb/listener:Listener::web-b" }),
      violation({ severity: undefined, policy: "lb-tls-1-2-minimum", urn: "urn:pulumi:prod::inference::aws:lb/listener:Listener::web-y" }),
    ];
    const { rows, omitted } = checkSummary(renderMarkdown(report({ violations })), GITHUB_COMMENT_LIMIT);
    expect(omitted).toBe(0);
    expect(rows.map((cells) => cells.slice(0, 3))).toEqual([
      ["🔴 mandatory", "lb-tls-1-2-minimum", "web-y"],
      ["🔴 mandatory (high)", "alb-http-redirects-to-https", "web-z"],
      ["🟡 advisory", "alb-http-redirects-to-https", "web-b"],
      ["🟡 advisory (low)", "target-group-health-check", "api-a"],
    ]);
    expect(rows[0]?.slice(3)).toEqual([
      "aws:lb/listener:Listener",
      'defaultActions[0].type must be "redirect" to HTTPS on port 443, but it is "forward": redirect HTTP to HTTPS.',
    ]);
  });

  it("puts the notes in a collapsed section after the table", () => {
    const markdown = renderMarkdown(
      report({ violations: [violation()], warnings: ["offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc"] }),
    );
    const { html } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
    expect(html.indexOf("<details>")).toBeGreaterThan(html.indexOf("</table>"));
    expect(visibleText(html)).toContain("offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc");
  });

  it("lets no hostile name, message, project, stack, warning or error inject anything, and shows each as its text", () => {
    const hostile = fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: "binary", maxLength: 5 })), { maxLength: 8 })
      .map((parts) => parts.join(""));
    const hostileViolation = fc.record({
      policy: hostile,
      name: hostile,
      resourceType: hostile,
      message: hostile,
      enforcementLevel: fc.constantFrom("mandatory" as const, "advisory" as const),
    });
    fc.assert(
      fc.property(
        fc.array(hostileViolation, { maxLength: 5 }),
        hostile,
        hostile,
        fc.array(hostile, { maxLength: 3 }),
        fc.option(hostile),
        (specs, project, stack, warnings, errorMessage) => {
          const violations = specs.map((spec, index) =>
            violation({
              policy: spec.policy,
              urn: `urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::${index}${spec.name}`,
              resourceType: spec.resourceType,
              message: spec.message,
              enforcementLevel: spec.enforcementLevel,
            }),
          );
          const error = errorMessage === null ? undefined : { reason: "preview-failed" as const, message: errorMessage };
          const markdown = renderMarkdown(report({ violations, project, stack, warnings, ...(error ? { error } : {}) }));
          const { html, rows, omitted } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
          expect(omitted).toBe(0);
          expect(rows).toEqual(
            sortViolations(violations).map((item) => [
              item.enforcementLevel === "mandatory" ? "🔴 mandatory (high)" : "🟡 advisory (high)",
              ...[
                item.policy,
                item.urn.slice(`urn:pulumi:${STACK}::${PROJECT}::aws:lb/listener:Listener::`.length),
                item.resourceType,
                item.message,
              ].map((text) => trimEdges(expectedVisible(text))),
            ]),
          );
          const text = visibleText(html);
          for (const shown of [project, stack, ...warnings, ...(error ? [error.message] : [])])
            expect(text).toContain(trimEdges(expectedVisible(shown)));
        },
      ),
      { numRuns: 200 },
    );
  });

  describe("within the length limit", () => {
    const hint = "the full list is in policy-report.json";

    it.each([0, 1, 100, 10_000])(
      "with %i violations of 1,500-character messages: never over the limit, rows whole, the exact count of the rest shown",
      (count) => {
        const violations = manyViolations(count, 1_500);
        const sorted = sortViolations(violations);
        for (const maxLength of [undefined, 20_000, 4_000]) {
          const limit = maxLength ?? GITHUB_COMMENT_LIMIT;
          const markdown = renderMarkdown(report({ violations }), { maxLength, fullReportHint: hint });
          const { rows, omitted, html } = checkSummary(markdown, limit);
          expect(omitted).toBe(count - rows.length);
          // The rows shown are the first ones in order, each complete; a message too long for one
          // row is shortened to a prefix ending in "…".
          rows.forEach((cells, index) => {
            const full = trimEdges(expectedVisible(sorted[index]?.message ?? ""));
            const shown = cells[4] ?? "";
            if (shown !== full) {
              expect(shown.endsWith("…")).toBe(true);
              expect(full.startsWith(shown.slice(0, -1))).toBe(true);
            }
          });
          if (omitted > 0) {
            expect(visibleText(html)).toContain(
              `${omitted} more violation${omitted === 1 ? "" : "s"} not shown here to stay within GitHub's size limit; ${hint}.`,
            );
            // Dropping rows is only done when the next one would not fit.
            const nextRow = markdown.length + escapeMarkdown(sorted[rows.length]?.message ?? "", 2_000).length;
            expect(nextRow).toBeGreaterThan(limit - 200);
          }
          if (count <= 1) expect(omitted).toBe(0);
          if (count >= 100) expect(omitted).toBeGreaterThan(0);
        }
      },
    );

    it("fills the default limit nearly to the end with 10,000 short violations", () => {
      const violations = manyViolations(10_000, 80);
      const markdown = renderMarkdown(report({ violations }), { fullReportHint: hint });
      const { rows, omitted } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(rows.length + omitted).toBe(10_000);
      expect(markdown.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 1_000);
    });

    it("says 1 more violation, singular, without a hint when none is given", () => {
      const violations = manyViolations(2, 1_000);
      const first = renderMarkdown(report({ violations: violations.slice(0, 1) }));
      const markdown = renderMarkdown(report({ violations }), { maxLength: first.length + 200 });
      const { rows, omitted, html } = checkSummary(markdown, first.length + 200);
      expect([rows.length, omitted]).toEqual([1, 1]);
      expect(visibleText(html)).toContain("1 more violation not shown here to stay within GitHub's size limit.");
    });

    it("keeps the verdict and the rows when a project name, an error or the notes are huge", () => {
      const huge = "x".repeat(200_000);
      for (const overrides of [
        { project: huge, stack: huge },
        { warnings: [huge] },
        { warnings: Array.from({ length: 5_000 }, (_, index) => `note ${index}: ${"y".repeat(100)}`) },
        { error: { reason: "preview-failed" as const, message: `@${huge}` } },
      ]) {
        const markdown = renderMarkdown(report({ violations: manyViolations(20, 200), ...overrides }));
        const { rows, omitted, html } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
        expect(markdown.startsWith("### ❌ Policy gate failed: ")).toBe(true);
        expect(markdown.split("\n")[2]).toMatch(/^\*\*14 mandatory violations\*\*, 6 advisory violations/);
        expect([rows.length, omitted]).toEqual([20, 0]);
        if (overrides.warnings) expect(visibleText(html)).toMatch(/\d+ more notes? not shown|…/);
      }
    });

    it("stays within a limit too small for anything but the headline", () => {
      for (const maxLength of [0, 10, 100, 300, 600]) {
        const markdown = renderMarkdown(report({ violations: manyViolations(5, 500), warnings: ["a note"] }), {
          maxLength,
          fullReportHint: hint,
        });
        expect(markdown.length).toBeLessThanOrEqual(maxLength);
        for (const line of markdown.split("\n").filter((text) => text.startsWith("|"))) expect(cellSeparators(line)).toBe(6);
      }
    });
  });

  it("renders a representative report", () => {
    const markdown = renderMarkdown(
      report({
        violations: [
          violation(),
          violation({
            policy: "target-group-health-check",
            enforcementLevel: "advisory",
            severity: "medium",
            urn: "urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::api_targets",
            resourceType: "aws:lb/targetGroup:TargetGroup",
            message: "healthCheck.path must be set, but it is not set: set it to the service's health endpoint, e.g. /healthz.",
          }),
          violation({
            policy: "apigateway-throttling-bounds",
            severity: "critical",
            urn: "urn:pulumi:prod::inference::aws:apigatewayv2/stage:Stage::stage-<b>@ops</b>",
            resourceType: "aws:apigatewayv2/stage:Stage",
            message:
              "defaultRouteSettings.throttlingRateLimit must be from 1 to 10000 requests per second, but it is -1, which turns throttling off: set it to a value from 1 to 10000.",
          }),
        ],
        warnings: ["offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc"],
      }),
    );
    expect(markdown).toMatchInlineSnapshot(`
      "### ❌ Policy gate failed: inference / prod

      **2 mandatory violations**, 1 advisory violation, 2 resources checked (engine \`offline\`).

      | Level | Policy | Resource | Type | Message |
      | --- | --- | --- | --- | --- |
      | 🔴 mandatory (critical) | apigateway\\-throttling\\-bounds | stage\\-\\<b\\>@&#8203;ops\\<\\/b\\> | aws\\:apigatewayv2\\/stage\\:Stage | defaultRouteSettings\\.throttlingRateLimit must be from 1 to 10000 requests per second\\, but it is \\-1\\, which turns throttling off\\: set it to a value from 1 to 10000\\. |
      | 🔴 mandatory (high) | alb\\-http\\-redirects\\-to\\-https | web\\-http | aws\\:lb\\/listener\\:Listener | defaultActions\\[0\\]\\.type must be \\"redirect\\" to HTTPS on port 443\\, but it is \\"forward\\"\\: redirect HTTP to HTTPS\\. |
      | 🟡 advisory (medium) | target\\-group\\-health\\-check | api\\_targets | aws\\:lb\\/targetGroup\\:TargetGroup | healthCheck\\.path must be set\\, but it is not set\\: set it to the service\\'s health endpoint\\, e\\.g\\. \\/healthz\\. |

      <details><summary>Notes</summary>

      - offline lookups answered with stand\\-in values\\: aws\\:ec2\\/getVpc\\:getVpc

      </details>"
    `);
  });
});
