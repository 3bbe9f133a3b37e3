// The comment and the job summary: order of sections, limits (the comment with its marker under
// GitHub's 65,536 characters, the summary under 1 MiB), graceful cuts, diagnostics shown verbatim.

import { describe, expect, it } from "vitest";
import { COMMENT_LENGTH, renderComment, renderJobSummary } from "../../src/report/comment.js";
import type { GateOutcome, Operation, ResourceChange } from "../../src/gate/outcome.js";
import { markedCommentBody } from "../../src/github/sticky-comment.js";
import type { Report, Violation } from "../../src/gate/report.js";
import { renderGfm, visibleText } from "./rendered-html.js";

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
  it("puts the verdict and counts first, then the violations, the change summary, the collapsed changes and the run link", () => {
    const text = renderComment(outcome({ violations: [violation(1)] }));
    const order = [
      "Policy gate failed",
      "| Level | Policy",
      "#### Changes",
      "<details><summary>Resource changes (2)</summary>",
      "[workflow run]",
    ].map((part) => text.indexOf(part));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("| update | 1 |");
    expect(text).not.toContain("tg\\-3"); // "same" is not a change
    expect(text).toContain("update: tg\\-2 · aws\\:lb\\/targetGroup\\:TargetGroup (healthCheck\\, tags)");
  });

  it("says there is nothing to change, and what the offline engine cannot know", () => {
    expect(renderComment(outcome({}, { changeSummary: { same: 4 }, changes: [] }))).toContain("#### Changes\n\nNo changes.");
    expect(renderComment(outcome({}, { changeSummary: undefined, changes: [] }))).toContain("The offline engine has no stack state");
  });

  it("shows a failed preview's last diagnostics verbatim in a code block that the text cannot close", () => {
    const diagnostics = ["error: ```\n@admin <img src=x> see https://evil.example", "error: preview failed"];
    const text = renderComment(
      outcome(
        { verdict: "error", failureReason: "preview-failed", error: { reason: "preview-failed", message: "preview failed" } },
        { diagnostics },
      ),
    );
    expect(text).toContain("#### Last diagnostics");
    const html = renderGfm(text);
    expect(html).not.toMatch(/<img|<a href="https:\/\/evil/);
    expect(visibleText(html)).toContain("error: ```\n@admin <img src=x> see https://evil.example\nerror: preview failed");
  });

  it("with 10,000 violations and 10,000 changes stays under GitHub's limit with its marker, and points to the job summary", () => {
    const violations = Array.from({ length: 10_000 }, (_, index) => violation(index));
    const changes = Array.from({ length: 10_000 }, (_, index) => change(index));
    const text = renderComment(outcome({ violations }, { changes }));
    expect(text.length).toBeLessThanOrEqual(COMMENT_LENGTH);
    expect(markedCommentBody(text, "a-long-comment-key/with/several/parts").length).toBeLessThanOrEqual(65_536);
    expect(text).toMatch(/more violations not shown here to stay within GitHub's size limit; see the job summary of the workflow run/);
    expect(text).toContain("[workflow run]");
  });

  it("cuts the collapsed changes by whole lines and says how many were left out", () => {
    const changes = Array.from({ length: 5_000 }, (_, index) => change(index));
    const text = renderComment(outcome({}, { changes }));
    expect(text).toMatch(/- … \d+ more not shown here; see the job summary of the workflow run\.\n<\/details>/);
    expect(text.length).toBeLessThanOrEqual(COMMENT_LENGTH);
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
    expect(renderComment(outcome({}, { changeSummary: { create: 2, update: -1 } }))).toContain("| update | \\-1 |");
  });
});
