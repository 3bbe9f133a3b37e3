// The comment and the job summary: order of sections, limits (the comment with its marker under
// GitHub's 65,536 characters, the summary under 1 MiB), graceful cuts with a link to the job
// summary, what is destroyed on top, an error shown once and verbatim, links to source lines.

import { describe, expect, it } from "vitest";
import { COMMENT_LENGTH, renderComment, renderJobSummary } from "../../src/report/comment.js";
import type { GateOutcome, Operation, ResourceChange } from "../../src/gate/outcome.js";
import { markedCommentBody } from "../../src/github/sticky-comment.js";
import type { Report, Violation } from "../../src/gate/report.js";
import { renderGfm, tagNames, visibleText } from "./rendered-html.js";

const SOURCE = { repositoryUrl: "https://github.com/acme/inference", sha: "0123456789abcdef0123456789abcdef01234567" };

function violation(index: number): Violation {
  return {
    policy: "target-group-health-check",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: index % 3 === 0 ? "advisory" : "mandatory",
    urn: `urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::tg-${index}`,
    resourceType: "aws:lb/targetGroup:TargetGroup",
    message: `healthCheck.path must be set for an HTTP health check, but it is not set (case ${index}): set healthCheck.path to "/health".`,
  };
}

function change(index: number, op: Operation = "create"): ResourceChange {
  return {
    urn: `urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::tg-${index}`,
    type: "aws:lb/targetGroup:TargetGroup",
    name: `tg-${index}`,
    op,
    changedProperties: op === "update" ? ["healthCheck", "tags"] : [],
  };
}

function outcome(overrides: Partial<Report> = {}, rest: Partial<GateOutcome> = {}): GateOutcome {
  const violations = overrides.violations ?? [];
  return {
    report: {
      verdict: violations.some((item) => item.enforcementLevel === "mandatory") ? "fail" : "pass",
      failureReason: "none",
      engine: "pulumi",
      project: "inference",
      stack: "prod",
      policyPacks: [{ name: "pulumi-policy-gate", version: "0.1.0" }],
      resources: [],
      violations,
      warnings: [],
      ...overrides,
    },
    changeSummary: { create: 1, update: 1, same: 3 },
    changes: [change(1), change(2, "update"), change(3, "same")],
    diagnostics: [],
    runUrl: "https://github.com/acme/inference/actions/runs/1",
    ...rest,
  };
}

describe("renderComment", () => {
  it("puts the verdict, counts and plan first, then the policies, their violations, the collapsed changes and the run link", () => {
    const text = renderComment(outcome({ violations: [violation(1)] }));
    const order = [
      "Policy gate failed",
      "Plan: 1 to create, 1 to update, 3 unchanged.",
      "- 🔴 **`target-group-health-check`**",
      "<details open><summary>🔴 <code>target-group-health-check</code>",
      "<details><summary>Resource changes (2)</summary>",
      "[workflow run]",
    ].map((part) => text.indexOf(part));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain("tg\\-3"); // "same" is not a change
    expect(text).toContain("update: tg\\-2 · aws\\:lb\\/targetGroup\\:TargetGroup (healthCheck\\, tags)");
  });

  it("says there is nothing to change, and nothing about changes the offline engine cannot know", () => {
    expect(renderComment(outcome({}, { changeSummary: { same: 4 }, changes: [] }))).toContain("Plan: no changes.");
    const offline = renderComment(outcome({ engine: "offline" }, { changeSummary: undefined, changes: [] }));
    expect(offline).not.toMatch(/Plan|Changes|stack state/);
  });

  it("says what the plan destroys in its first lines, also when the policies pass", () => {
    const text = renderComment(
      outcome(
        {},
        {
          changeSummary: { create: 1, replace: 1, delete: 1, same: 3 },
          changes: [change(1), change(4, "replace"), change(4, "create-replacement"), change(4, "delete-replaced"), change(5, "delete")],
        },
      ),
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("### ✅ Policy gate passed: inference / prod");
    expect(lines[3]).toBe(
      "**⚠️ Destructive: 1 replace, 1 delete**: `tg-4` (`lb.TargetGroup`) replaced, `tg-5` (`lb.TargetGroup`) deleted\\",
    );
    expect(lines[4]).toBe("Plan: 1 to create, 1 to replace, 1 to delete, 3 unchanged.");
  });

  it("shows a failed preview's error and diagnostics once, verbatim, in one code block that the text cannot close", () => {
    const diagnostics = ["error: ```\n@admin <img src=x> see https://evil.example", "error: preview failed"];
    const text = renderComment(
      outcome(
        {
          verdict: "error",
          failureReason: "preview-failed",
          resources: [change(1), change(2)].map(({ urn, type, name }) => ({ urn, type, name })),
          error: { reason: "preview-failed", message: diagnostics.join("\n") },
        },
        { diagnostics },
      ),
    );
    expect(text).toContain("**Error (preview-failed):** the preview failed after 2 resources had been registered; no policy verdict.");
    const html = renderGfm(text);
    expect(html).not.toMatch(/<img|<a href="https:\/\/evil/);
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(visibleText(html)).toContain("error: ```\n@admin <img src=x> see https://evil.example\nerror: preview failed\n");
    expect(visibleText(html).split("@admin")).toHaveLength(2);
  });

  it("with 10,000 violations and 10,000 changes stays under GitHub's limit with its marker, and points to the job summary", () => {
    const violations = Array.from({ length: 10_000 }, (_, index) => violation(index));
    const changes = Array.from({ length: 10_000 }, (_, index) => change(index));
    const text = renderComment(outcome({ violations }, { changes }));
    expect(text.length).toBeLessThanOrEqual(COMMENT_LENGTH);
    expect(markedCommentBody(text, "a-long-comment-key/with/several/parts").length).toBeLessThanOrEqual(65_536);
    expect(text).toMatch(
      /\d+ more violations not shown here to stay within GitHub's size limit \(\d+ of `target-group-health-check`, \d+ of `target-group-health-check`\); see the \[job summary\]\(https:\/\/github\.com\/acme\/inference\/actions\/runs\/1\)\._/,
    );
    expect(text).toContain("[workflow run]");
    expect(renderComment(outcome({ violations }, { changes, runUrl: undefined }))).toContain("; see the job summary of the workflow run._");
  });

  it("cuts the collapsed changes by whole lines and says how many were left out", () => {
    const changes = Array.from({ length: 5_000 }, (_, index) => change(index));
    const text = renderComment(outcome({}, { changes }));
    expect(text).toMatch(
      /- … \d+ more not shown here; see the \[job summary\]\(https:\/\/github\.com\/acme\/inference\/actions\/runs\/1\)\.\n<\/details>/,
    );
    expect(text.length).toBeLessThanOrEqual(COMMENT_LENGTH);
  });
});

describe("renderComment with 270 violations of 3 policies", () => {
  const policies = ["alb-http-redirects-to-https", "target-group-health-check", "lb-tls-1-2-minimum"];
  const messages = [
    'defaultActions[0].redirect.protocol must be "HTTPS", but it is not set, which defaults to "#{protocol}" and keeps plain HTTP: set it to "HTTPS".',
    'healthCheck.path must be set for an HTTP health check, but it is not set, so AWS checks "/" instead of the service\'s health endpoint: set healthCheck.path to "/health".',
    'sslPolicy must allow TLS 1.2 or newer only, but it is "ELBSecurityPolicy-2016-08": set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06".',
  ];
  const violations: Violation[] = Array.from({ length: 270 }, (_, index) => ({
    policy: policies[index % 3] ?? "",
    policyPack: "pulumi-policy-gate",
    enforcementLevel: "mandatory",
    severity: "high",
    urn: `urn:pulumi:prod::inference::acme:web:Service$aws:lb/listener:Listener::service-${String(index).padStart(3, "0")}-listener`,
    resourceType: "aws:lb/listener:Listener",
    message: messages[index % 3] ?? "",
    location: { file: `infra/services/service-${index % 9}.ts`, line: 20 + index },
  }));
  const text = renderComment(
    outcome(
      { violations },
      {
        changeSummary: { create: 200, update: 3, replace: 1, delete: 1, same: 65 },
        changes: [change(900, "replace"), change(901, "delete"), ...Array.from({ length: 200 }, (_, index) => change(index))],
      },
    ),
    COMMENT_LENGTH,
    { source: SOURCE, workspace: "/home/runner/work/inference/inference" },
  );

  it("stays under GitHub's limit with its marker", () => {
    expect(text.length).toBeLessThanOrEqual(COMMENT_LENGTH);
    expect(markedCommentBody(text, "inference/prod").length).toBeLessThanOrEqual(65_536);
  });

  it("fits on one screen above the first collapsed group: the verdict, counts, destructive changes and one line per policy", () => {
    const fold = text.slice(0, text.indexOf("<details"));
    const lines = fold.split("\n").filter((line) => line.trim() !== "");
    // About 100 characters fit on a line of a comment on GitHub.
    const screenLines = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(visibleText(renderGfm(line)).trim().length / 100)), 0);
    expect(screenLines).toBeLessThan(25);
    expect(lines[0]).toBe("### ❌ Policy gate failed: inference / prod");
    expect(lines[1]).toMatch(/^\*\*270 mandatory violations\*\*, 0 advisory violations · 3 policies fired on 270 resources/);
    expect(lines[2]).toMatch(/^\*\*⚠️ Destructive: 1 replace, 1 delete\*\*/);
    expect(lines.filter((line) => line.startsWith("- 🔴"))).toHaveLength(3);
  });

  it("collapses each policy's violations, and links each to its line at the commit under review", () => {
    const html = renderGfm(text, { allowHtml: true });
    expect([...html.matchAll(/<details><summary>(🔴[^]*?)<\/summary>/g)].map((match) => visibleText(match[1] ?? ""))).toEqual([
      "🔴 alb-http-redirects-to-https: 90 resources lb.Listener",
      "🔴 lb-tls-1-2-minimum: 90 resources lb.Listener",
      "🔴 target-group-health-check: 90 resources lb.Listener",
    ]);
    expect(html).toContain(
      `<li><code>service-000-listener</code> in a <code>web.Service</code> · <a href="${SOURCE.repositoryUrl}/blob/${SOURCE.sha}/infra/services/service-0.ts#L20"><code>infra/services/service-0.ts:20</code></a></li>`,
    );
    expect(html).toContain("<code>&quot;#{protocol}&quot;</code>");
    expect(tagNames(html).filter((tag) => !/^\/?(h3|p|strong|code|br|ul|li|details|summary|a|sub)$/.test(tag))).toEqual([]);
  });
});

describe("renderJobSummary", () => {
  it("holds more than the comment and stays under 1 MiB even in bytes", () => {
    const violations = Array.from({ length: 10_000 }, (_, index) => violation(index));
    const changes = Array.from({ length: 10_000 }, (_, index) => change(index));
    const summary = renderJobSummary(outcome({ violations }, { changes }));
    const comment = renderComment(outcome({ violations }, { changes }));
    expect(Buffer.byteLength(summary, "utf8")).toBeLessThanOrEqual(1024 * 1024);
    expect(summary.length).toBeGreaterThan(comment.length);
    expect(summary).toContain("see the JSON report (output `report`)");
  });

  it("shows a crafted count from the engine as text: no image, link or mention", () => {
    const crafted = { create: "![x](https://evil.example/p.png) [y](https://evil.example) @someone" } as unknown as Record<string, number>;
    for (const rest of [
      { changeSummary: crafted },
      { deploy: { phase: "deployed" as const, message: "", details: [], changeSummary: crafted } },
    ]) {
      const html = renderGfm(renderComment(outcome({}, rest)));
      expect(html).not.toMatch(/<img|<a href="https:\/\/evil/);
      expect(visibleText(html)).toContain("@\u200bsomeone");
    }
    expect(renderComment(outcome({}, { changeSummary: { create: 2, update: -1 } }))).toContain("Plan: 2 to create, \\-1 to update.");
  });
});
