// The Markdown summary (the PR comment): the verdict, the counts and what is destroyed first, one
// line per policy, the violations grouped by policy (big groups collapsed), nothing injected by
// untrusted text (names, paths and values as code, where GitHub links and mentions nothing), and
// never over the length limit nor cut inside a row.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT, renderMarkdown, type MarkdownOptions } from "../../src/report/markdown.js";
import { splitMessage } from "../../src/report/policy-message.js";
import { plainLine } from "../../src/report/untrusted-text.js";
import type { Report, Violation } from "../../src/gate/report.js";
import { expectedVisible, HOSTILE_FRAGMENTS, renderGfm, tagNames, visibleText } from "./rendered-html.js";

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
  ["h3", "p", "strong", "em", "code", "pre", "br", "a", "details", "summary", "ul", "li"].flatMap((tag) => [tag, `/${tag}`]),
);

const SOURCE = { repositoryUrl: "https://github.com/acme/inference", sha: "0123456789abcdef0123456789abcdef01234567" };
const BLOB = `${SOURCE.repositoryUrl}/blob/${SOURCE.sha}/`;
const RUN_URL = "https://github.com/acme/inference/actions/runs/42";

/** Text as the reader compares it: no zero-width spaces (escaped text has them after "@" and "#"), tabs as spaces. */
function normalized(text: string): string {
  return text.replace(/\u200b/g, "").replace(/\t/g, " ");
}

interface RenderedGroup {
  /** The <summary>'s visible text. */
  readonly summary: string;
  readonly open: boolean;
  /** Each list item's visible text. */
  readonly rows: string[];
  /** The group's body, visible text (the problem its violations share, the rows). */
  readonly text: string;
}

interface RenderedSummary {
  readonly html: string;
  readonly text: string;
  /** The policy groups (every <details> but the notes). */
  readonly groups: RenderedGroup[];
  /** N in "N more violations not shown", or 0 when there is no such note. */
  readonly omitted: number;
}

/**
 * Checks what must hold of every summary, whatever it holds, and returns it parsed: within the
 * limit, no injected tag, no link but to a source line or the run, no @mention or #reference
 * outside code (escaped text has a zero-width space after each "@" and "#"), every <details> closed.
 */
function checkSummary(markdown: string, maxLength: number): RenderedSummary {
  expect(markdown.length).toBeLessThanOrEqual(maxLength);
  const html = renderGfm(markdown, { allowHtml: true });
  expect(tagNames(html).filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
  for (const [, href] of html.matchAll(/<a\b[^>]*?href="([^"]*)"/g)) expect(href?.startsWith(BLOB) || href === RUN_URL).toBe(true);
  expect(html.match(/<a\b/g)?.length ?? 0).toBe(html.match(/<a href="/g)?.length ?? 0);
  expect(html.match(/<details[ >]/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0);
  expect(html).not.toContain("<table");
  const outsideCode = visibleText(html.replace(/<code>[\s\S]*?<\/code>/g, "").replace(/<pre>[\s\S]*?<\/pre>/g, ""));
  expect(outsideCode).not.toMatch(/[@#](?!\u200b)/);
  const groups = [...html.matchAll(/<details( open)?><summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/g)]
    .filter((match) => !/^(Notes|ℹ️)/.test(visibleText(match[2] ?? "")))
    .map((match) => ({
      summary: visibleText(match[2] ?? ""),
      open: match[1] !== undefined,
      rows: [...(match[3] ?? "").matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) => visibleText(item[1] ?? "")),
      text: visibleText(match[3] ?? ""),
    }));
  const note = /(\d+) more violations? not shown/.exec(visibleText(html));
  return { html, text: visibleText(html), groups, omitted: note ? Number(note[1]) : 0 };
}

/** The lines of Markdown before the first <details>, and about how many lines they take on screen (100 characters a line). */
function aboveTheFold(markdown: string): { markdown: string; screenLines: number } {
  const before = markdown.slice(0, markdown.indexOf("<details") < 0 ? markdown.length : markdown.indexOf("<details"));
  const screenLines = before
    .split("\n")
    .filter((line) => line.trim() !== "")
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(visibleText(renderGfm(line)).trim().length / 100)), 0);
  return { markdown: before, screenLines };
}

describe("renderMarkdown", () => {
  it("starts with the verdict, the project and stack, and the counts", () => {
    const markdown = renderMarkdown(
      report({ violations: [violation(), violation({ enforcementLevel: "advisory", severity: undefined })] }),
    );
    const [title, blank, counts] = markdown.split("\n");
    expect(title).toBe("### ❌ Policy gate failed: inference / prod");
    expect(blank).toBe("");
    expect(counts).toBe(
      "**1 mandatory violation**, 1 advisory violation · 1 policy fired on 1 resource · 2 resources checked (engine `offline`)",
    );
  });

  it.each([
    ["pass", "### ✅ Policy gate passed: inference / prod"],
    ["fail", "### ❌ Policy gate failed: inference / prod"],
    ["error", "### ⚠️ Policy gate could not evaluate: inference / prod"],
  ] as const)("heads a %s report with %j", (verdict, title) => {
    expect(renderMarkdown(report({ verdict })).split("\n")[0]).toBe(title);
  });

  it("names an unknown project and stack rather than leaving them blank", () => {
    expect(renderMarkdown(report({ project: "", stack: "" })).split("\n")[0]).toBe(
      "### ✅ Policy gate passed: unknown project / unknown stack",
    );
  });

  describe("what is destroyed", () => {
    const plan: MarkdownOptions["plan"] = {
      changeSummary: { create: 2, update: 1, replace: 1, delete: 1, same: 5 },
      changes: [
        {
          urn: "urn:pulumi:prod::inference::aws:lb/loadBalancer:LoadBalancer::web-lb",
          type: "aws:lb/loadBalancer:LoadBalancer",
          name: "web-lb",
          op: "replace",
          changedProperties: ["subnets"],
        },
        {
          urn: "urn:pulumi:prod::inference::aws:lb/loadBalancer:LoadBalancer::web-lb",
          type: "aws:lb/loadBalancer:LoadBalancer",
          name: "web-lb",
          op: "delete-replaced",
          changedProperties: [],
        },
        {
          urn: "urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::old-tg",
          type: "aws:lb/targetGroup:TargetGroup",
          name: "old-tg",
          op: "delete",
          changedProperties: [],
        },
        {
          urn: "urn:pulumi:prod::inference::aws:lb/listener:Listener::web-http",
          type: "aws:lb/listener:Listener",
          name: "web-http",
          op: "update",
          changedProperties: ["port"],
        },
      ],
    };

    it("is said in the first lines, with the counts and the resources, also when the policies pass", () => {
      const markdown = renderMarkdown(report(), { plan });
      const lines = markdown.split("\n");
      expect(lines[0]).toBe("### ✅ Policy gate passed: inference / prod");
      expect(lines.slice(2, 5)).toEqual([
        "**0 mandatory violations**, 0 advisory violations · 2 resources checked (engine `offline`)\\",
        "**⚠️ Destructive: 1 replace, 1 delete**: `web-lb` (`lb.LoadBalancer`) replaced, `old-tg` (`lb.TargetGroup`) deleted\\",
        "Plan: 2 to create, 1 to update, 1 to replace, 1 to delete, 5 unchanged.",
      ]);
      const { html } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      // One paragraph, three lines: no gap between them.
      expect(html).toContain("(engine <code>offline</code>)<br />\n<strong>⚠️ Destructive: 1 replace, 1 delete</strong>");
    });

    it("is counted from the engine's summary when it lists no changes, and says nothing when there is nothing destructive", () => {
      expect(renderMarkdown(report(), { plan: { changeSummary: { delete: 3, same: 1 }, changes: [] } })).toContain(
        "**⚠️ Destructive: 3 deletes**\\\nPlan: 3 to delete, 1 unchanged.",
      );
      const quiet = renderMarkdown(report(), { plan: { changeSummary: { create: 1, same: 1 }, changes: [] } });
      expect(quiet).not.toContain("Destructive");
      expect(quiet).toContain("Plan: 1 to create, 1 unchanged.");
      expect(renderMarkdown(report(), { plan: { changeSummary: { same: 4 }, changes: [] } })).toContain("Plan: no changes.");
      // An operation the gate does not know is shown by its name, whatever the name.
      expect(
        renderMarkdown(report(), {
          plan: { changeSummary: JSON.parse('{"constructor": 1, "__proto__": 2}') as Record<string, number>, changes: [] },
        }),
      ).toContain("Plan: 1 constructor, 2 \\_\\_proto\\_\\_.");
    });

    it("has no plan line when the engine knows no stack state (offline)", () => {
      const markdown = renderMarkdown(report(), { plan: { changeSummary: undefined, changes: [] } });
      expect(markdown).not.toMatch(/Plan|Changes|stack state/);
    });
  });

  describe("an error", () => {
    const workspace = "/home/runner/work/inference/inference";
    const message = `the program ${workspace}/infra/index.ts failed (at index.ts:5:7): no quota\nprogram output (last lines):\n\tat main (${workspace}/infra/index.ts:5:7)\n@admin <img src=x> \`\`\` see https://evil.example`;

    it("shows what failed once, in one code block, with no tab and paths relative to the repository", () => {
      const markdown = renderMarkdown(
        report({
          verdict: "error",
          failureReason: "preview-failed",
          resources: [],
          error: { reason: "preview-failed", message },
        }),
        { workspace, diagnostics: [message, "error: preview failed"] },
      );
      const { html, text } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(markdown.split("\n")[2]).toBe("**Error (preview-failed):** the preview failed; no policy verdict.");
      expect(html.match(/<pre>/g)).toHaveLength(1);
      const block = visibleText(/<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? "");
      expect(block).toBe(
        "the program infra/index.ts failed (at index.ts:5:7): no quota\nprogram output (last lines):\n  at main (infra/index.ts:5:7)\n@admin <img src=x> ``` see https://evil.example\n\nerror: preview failed\n",
      );
      expect(text.split("no quota")).toHaveLength(2);
      expect(markdown).not.toContain("\t");
      expect(markdown).not.toContain(workspace);
      expect(markdown).not.toMatch(/mandatory violations|resources checked/);
    });

    it("takes the workspace off paths in violations and notes too, and leaves a root that is no directory alone", () => {
      const markdown = renderMarkdown(
        report({
          violations: [violation({ message: `file must not be "${workspace}/secrets.json", but it is: move it.` })],
          warnings: [`read ${workspace}/Pulumi.dev.yaml`],
        }),
        { workspace: `${workspace}/` },
      );
      expect(markdown).not.toContain(workspace);
      expect(markdown).toContain('`"secrets.json"`');
      expect(markdown).toContain("read Pulumi\\.dev\\.yaml");
      expect(renderMarkdown(report({ warnings: ["/a/b"] }), { workspace: "/" })).toContain("\\/a\\/b");
    });

    it("counts the resources the program registered before the failure, when the report has them", () => {
      const markdown = renderMarkdown(
        report({ verdict: "error", failureReason: "preview-failed", error: { reason: "preview-failed", message: "boom" } }),
      );
      expect(markdown.split("\n")[2]).toBe(
        "**Error (preview-failed):** the preview failed after 2 resources had been registered; no policy verdict.",
      );
    });
  });

  describe("the policies", () => {
    const listener = (name: string, overrides: Partial<Violation> = {}): Violation =>
      violation({ urn: `urn:pulumi:prod::inference::aws:lb/listener:Listener::${name}`, ...overrides });
    const targetGroup = (name: string, overrides: Partial<Violation> = {}): Violation =>
      violation({
        policy: "target-group-health-check",
        severity: "medium",
        urn: `urn:pulumi:prod::inference::aws:lb/targetGroup:TargetGroup::${name}`,
        resourceType: "aws:lb/targetGroup:TargetGroup",
        message: 'healthCheck.path must be set for an HTTP health check, but it is not set: set healthCheck.path to "/health".',
        ...overrides,
      });

    it("one line each that fired, mandatory first, with its resources, their type and its fix once", () => {
      const violations = [
        targetGroup("tg-a"),
        targetGroup("tg-b"),
        listener("web-a"),
        violation({
          policy: "lb-tls-1-2-minimum",
          enforcementLevel: "advisory",
          severity: undefined,
          urn: "urn:pulumi:prod::inference::aws:lb/listener:Listener::web-https",
          message:
            'sslPolicy must allow TLS 1.2 or newer only, but it is "ELBSecurityPolicy-2016-08": set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06".',
        }),
      ];
      const markdown = renderMarkdown(report({ violations }));
      const policyLines = markdown.split("\n").filter((line) => /^- [🔴🟡]/u.test(line));
      expect(policyLines).toEqual([
        "- 🔴 **`alb-http-redirects-to-https`** (high): 1 resource `lb.Listener` · fix: redirect HTTP to HTTPS\\.",
        '- 🔴 **`target-group-health-check`** (medium): 2 resources `lb.TargetGroup` · fix: set `healthCheck.path` to `"/health"`\\.',
        '- 🟡 **`lb-tls-1-2-minimum`** (advisory): 1 resource `lb.Listener` · fix: set `sslPolicy` to `"ELBSecurityPolicy-TLS13-1-2-2021-06"`\\.',
      ]);
      const { groups } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(groups.map((group) => group.summary)).toEqual([
        "🔴 alb-http-redirects-to-https: 1 resource lb.Listener",
        "🔴 target-group-health-check: 2 resources lb.TargetGroup",
        "🟡 lb-tls-1-2-minimum: 1 resource lb.Listener",
      ]);
      // The fix is said once, in the policy's line; the problem two resources share, once in the group.
      expect(groups[1]?.text).toContain("Each of these: healthCheck.path must be set for an HTTP health check, but it is not set");
      expect(groups[1]?.rows).toEqual(["tg-a", "tg-b"]);
      expect(groups[0]?.rows).toEqual(['web-a: defaultActions[0].type must be "redirect" to HTTPS on port 443, but it is "forward"']);
    });

    it("collapses a policy's violations past ten resources, with the count in the summary", () => {
      const ten = Array.from({ length: 10 }, (_, index) => listener(`web-${index}`));
      const eleven = Array.from({ length: 11 }, (_, index) => targetGroup(`tg-${String(index).padStart(2, "0")}`));
      const { groups } = checkSummary(renderMarkdown(report({ violations: [...ten, ...eleven] })), GITHUB_COMMENT_LIMIT);
      expect(groups.map(({ summary, open, rows }) => [summary, open, rows.length])).toEqual([
        ["🔴 alb-http-redirects-to-https: 10 resources lb.Listener", true, 10],
        ["🔴 target-group-health-check: 11 resources lb.TargetGroup", false, 11],
      ]);
    });

    it("names each resource with its component parent, its short type when the policy's resources differ, and its location linked at the commit", () => {
      const component = "urn:pulumi:prod::inference::acme:web:Service::frontend";
      const resources = [
        ...report().resources,
        { urn: component, type: "acme:web:Service", name: "frontend" },
        {
          urn: "urn:pulumi:prod::inference::acme:web:Service$aws:lb/listener:Listener::frontend-http",
          type: "aws:lb/listener:Listener",
          name: "frontend-http",
          location: { file: "infra/web service/(main).ts", line: 42, column: 3 },
        },
        {
          urn: "urn:pulumi:prod::inference::acme:web:Api$aws:lb/targetGroup:TargetGroup::api-tg",
          type: "aws:lb/targetGroup:TargetGroup",
          name: "api-tg",
        },
        { urn: "urn:pulumi:prod::inference::acme:web:Api::api-1", type: "acme:web:Api", name: "api-1" },
        { urn: "urn:pulumi:prod::inference::acme:web:Api::api-2", type: "acme:web:Api", name: "api-2" },
      ];
      const message = "this resource must not exist: delete it.";
      const violations = [
        violation({ policy: "no-lb", urn: resources[3]!.urn, message }),
        violation({
          policy: "no-lb",
          urn: resources[4]!.urn,
          resourceType: "aws:lb/targetGroup:TargetGroup",
          message,
          location: { file: "../outside.ts", line: 7 },
        }),
      ];
      const linked = checkSummary(renderMarkdown(report({ resources, violations }), { source: SOURCE }), GITHUB_COMMENT_LIMIT);
      // In the order of the source. Two components of its parent's type: which one is not known.
      // A path outside the repository is shown, not linked.
      expect(linked.groups[0]?.rows).toEqual([
        "api-tg in a web.Api · lb.TargetGroup · ../outside.ts:7",
        "frontend-http in frontend (web.Service) · lb.Listener · infra/web service/(main).ts:42",
      ]);
      expect(linked.html).toContain(
        `<a href="${BLOB}infra/web%20service/%28main%29.ts#L42"><code>infra/web service/(main).ts:42</code></a>`,
      );
      expect(linked.html.match(/<a /g)).toHaveLength(1);
      const unlinked = checkSummary(renderMarkdown(report({ resources, violations })), GITHUB_COMMENT_LIMIT);
      expect(unlinked.html).not.toContain("<a ");
      expect(unlinked.groups[0]?.rows[1]).toBe("frontend-http in frontend (web.Service) · lb.Listener · infra/web service/(main).ts:42");
    });

    it("shows property paths and values as code: #{protocol} intact, a value with backticks kept inside its code span", () => {
      const violations = [
        listener("web-a", {
          message:
            'defaultActions[0].redirect.protocol must be "HTTPS", but it is not set, which defaults to "#{protocol}" and keeps plain HTTP: set it to "HTTPS".',
        }),
        listener("web-b", {
          policy: "other",
          message: 'name must not be "a`b``c @admin <img src=x> [x](https://evil.example)", but it is: rename it.',
        }),
      ];
      const markdown = renderMarkdown(report({ violations }));
      expect(markdown).toContain('`defaultActions[0].redirect.protocol` must be `"HTTPS"`');
      expect(markdown).toContain('defaults to `"#{protocol}"` and');
      const { html, text } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(html).toContain("<code>&quot;#{protocol}&quot;</code>");
      expect(html).toContain("<code>&quot;a`b``c @admin &lt;img src=x&gt; [x](https://evil.example)&quot;</code>");
      expect(text).toContain('web-b: name must not be "a`b``c @admin <img src=x> [x](https://evil.example)", but it is');
    });

    it("says up front, not only in the folded notes, that a pass did not see inside a component", () => {
      const urn = "urn:pulumi:prod::inference::awsx:lb:ApplicationLoadBalancer::web";
      const markdown = renderMarkdown(
        report({
          verdict: "pass",
          failureReason: "none",
          violations: [],
          uncheckedComponents: [urn],
          warnings: ["the resources inside the component 'web' were NOT checked"],
        }),
      );
      expect(markdown.split("\n")[2]).toBe(
        "**0 mandatory violations**, 0 advisory violations · 2 resources checked (engine `offline`) · **⚠️ 1 component not checked inside** (see Notes)",
      );
      expect(renderMarkdown(report({ verdict: "pass", failureReason: "none", violations: [] })).split("\n")[2]).not.toContain(
        "not checked inside",
      );
    });

    it("gathers the checks that could not run during preview in one collapsed note, not one row each", () => {
      const unknown = (name: string, policy: string): Violation =>
        violation({
          policy,
          enforcementLevel: "advisory",
          severity: undefined,
          urn: `urn:pulumi:prod::inference::aws:lb/listener:Listener::${name}`,
          message: `can't run policy '${policy}' from policy pack 'pulumi-policy-gate@v0.1.0' during preview: string value at .sslPolicy can't be known during preview`,
        });
      const violations = [
        listener("web-a"),
        unknown("web-1", "lb-tls-1-2-minimum"),
        unknown("web-2", "lb-tls-1-2-minimum"),
        violation({
          ...unknown("inference-prod", "alb-http-redirects-to-https"),
          urn: "urn:pulumi:prod::inference::pulumi:pulumi:Stack::inference-prod",
          resourceType: "pulumi:pulumi:Stack",
        }),
      ];
      const markdown = renderMarkdown(report({ violations }));
      expect(markdown.split("\n")[2]).toBe(
        "**1 mandatory violation**, 0 advisory violations · 1 policy fired on 1 resource · 2 resources checked (engine `offline`) · 3 checks could not run during preview",
      );
      const { html, groups } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(groups.map((group) => group.summary)).toEqual(["🔴 alb-http-redirects-to-https: 1 resource lb.Listener"]);
      const note = /<details><summary>(ℹ️[^<]*)<\/summary>([\s\S]*?)<\/details>/.exec(html);
      expect(note?.[1]).toBe("ℹ️ 3 policy checks could not run during preview: 2 policies read values known only once the update runs");
      expect([...(note?.[2] ?? "").matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) => visibleText(item[1] ?? ""))).toEqual([
        "alb-http-redirects-to-https on inference-prod (unknown: .sslPolicy)",
        "lb-tls-1-2-minimum on web-1, web-2 (unknown: .sslPolicy)",
      ]);
    });
  });

  it("puts the notes in a collapsed section after the violations", () => {
    const markdown = renderMarkdown(
      report({ violations: [violation()], warnings: ["offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc"] }),
    );
    const { html } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
    expect(html.indexOf("<details><summary>Notes</summary>")).toBeGreaterThan(html.indexOf("</details>"));
    expect(visibleText(html)).toContain("offline lookups answered with stand-in values: aws:ec2/getVpc:getVpc");
  });

  it("lets no hostile name, policy, type, message, project, stack, warning or error inject anything, and shows each as its text", () => {
    const hostile = fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: "binary", maxLength: 5 })), { maxLength: 8 })
      .map((parts) => parts.join(""));
    const hostileViolation = fc.record({
      policy: hostile,
      name: hostile,
      resourceType: hostile,
      message: hostile,
      enforcementLevel: fc.constantFrom("mandatory" as const, "advisory" as const),
      file: fc.option(hostile),
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
              ...(spec.file === null ? {} : { location: { file: spec.file, line: index + 1 } }),
            }),
          );
          const error = errorMessage === null ? undefined : { reason: "preview-failed" as const, message: errorMessage };
          const markdown = renderMarkdown(report({ violations, project, stack, warnings, ...(error ? { error } : {}) }), {
            source: SOURCE,
          });
          const { text, groups, omitted } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
          expect(omitted).toBe(0);
          expect(groups.reduce((sum, group) => sum + group.rows.length, 0)).toBe(
            violations.filter((item) => !/can't be known during preview|^can't run policy/.test(item.message)).length,
          );
          const shown = normalized(text);
          for (const item of violations) {
            expect(shown).toContain(normalized(plainLine(item.urn.slice(item.urn.lastIndexOf("Listener::") + "Listener::".length))).trim());
            const { problem, fix } = splitMessage(item.message);
            expect(shown).toContain(normalized(problem));
            if (fix) expect(shown).toContain(normalized(fix));
          }
          for (const item of [project, stack, ...warnings]) expect(text).toContain(expectedVisible(item).replace(/^[ \t]+|[ \t]+$/g, ""));
          if (error)
            expect(text).toContain(
              error.message
                .replace(/\r\n?/g, "\n")
                .replace(/\t/g, "  ")
                .replace(/[\p{Cc}\p{Cf}\p{Bidi_Control}]/gu, (c) => (c === "\n" ? c : ""))
                .trimEnd()
                .split("\n")[0] ?? "",
            );
        },
      ),
      { numRuns: 200 },
    );
  });

  describe("within the length limit", () => {
    const hint = "the full list is in `policy-report.json`";

    it.each([0, 1, 100, 10_000])(
      "with %i violations of 1,500-character messages: never over the limit, rows whole, the exact count of the rest shown by policy",
      (count) => {
        const violations = manyViolations(count, 1_500);
        for (const maxLength of [undefined, 20_000, 4_000]) {
          const limit = maxLength ?? GITHUB_COMMENT_LIMIT;
          const markdown = renderMarkdown(report({ violations }), { maxLength, fullReportHint: hint });
          const { groups, omitted, text } = checkSummary(markdown, limit);
          const rows = groups.flatMap((group) => group.rows);
          expect(omitted).toBe(count - rows.length);
          // Each row is whole: it starts with its resource, and a message too long for a row ends in "…".
          for (const shown of rows) expect(shown).toMatch(/^listener-\d{5}: violation \d+: /);
          if (omitted > 0) {
            const mandatory = violations.filter((item) => item.enforcementLevel === "mandatory").length;
            const shownMandatory = groups[0]?.rows.length ?? 0;
            expect(text).toContain(
              `${omitted} more violation${omitted === 1 ? "" : "s"} not shown here to stay within GitHub's size limit (${mandatory - shownMandatory} of alb-http-redirects-to-https`,
            );
            expect(text).toContain(`; the full list is in policy-report.json.`);
            // Rows are dropped only when the next would not fit (each is at most about 4,000 characters).
            expect(markdown.length).toBeGreaterThan(limit - 9_000);
          }
          if (count <= 1) expect(omitted).toBe(0);
          if (count >= 100) expect(omitted).toBeGreaterThan(0);
        }
      },
    );

    it("shares the room between the policies: each keeps some of its rows", () => {
      const violations = manyViolations(600, 300).map((item, index) => ({
        ...item,
        enforcementLevel: "mandatory" as const,
        policy: `policy-${index % 3}`,
      }));
      const { groups, omitted, text } = checkSummary(renderMarkdown(report({ violations })), GITHUB_COMMENT_LIMIT);
      expect(omitted).toBeGreaterThan(0);
      const counts = groups.map((group) => group.rows.length);
      expect(counts).toHaveLength(3);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(text).toMatch(/\(\d+ of policy-0, \d+ of policy-1, \d+ of policy-2\)/);
    });

    it("fills the default limit nearly to the end with 10,000 short violations", () => {
      const violations = manyViolations(10_000, 80);
      const markdown = renderMarkdown(report({ violations }), { fullReportHint: hint });
      const { groups, omitted } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
      expect(groups.reduce((sum, group) => sum + group.rows.length, 0) + omitted).toBe(10_000);
      expect(markdown.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 1_000);
    });

    it("says 1 more violation, singular, without a hint when none is given", () => {
      const violations = manyViolations(2, 1_000);
      const first = renderMarkdown(report({ violations: violations.slice(0, 1) }));
      const markdown = renderMarkdown(report({ violations }), { maxLength: first.length + 200 });
      const { groups, omitted, text } = checkSummary(markdown, first.length + 200);
      expect([groups.flatMap((group) => group.rows).length, omitted]).toEqual([1, 1]);
      expect(text).toContain("1 more violation not shown here to stay within GitHub's size limit (1 of alb-http-redirects-to-https).");
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
        const { groups, omitted, text } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
        expect(markdown.startsWith("### ❌ Policy gate failed: ")).toBe(true);
        expect(markdown.split("\n")[2]).toMatch(/^\*\*14 mandatory violations\*\*, 6 advisory violations/);
        expect([groups.flatMap((group) => group.rows).length, omitted]).toEqual([20, 0]);
        if (overrides.warnings) expect(text).toMatch(/\d+ more notes? not shown|…/);
      }
    });

    it("stays within a limit too small for anything but the headline", () => {
      for (const maxLength of [0, 10, 100, 300, 600]) {
        const markdown = renderMarkdown(report({ violations: manyViolations(5, 500), warnings: ["a note"] }), {
          maxLength,
          fullReportHint: hint,
        });
        expect(markdown.length).toBeLessThanOrEqual(maxLength);
      }
    });
  });

  it("keeps 270 violations of 3 policies to one screen above the first collapsed group", () => {
    const policies = ["alb-http-redirects-to-https", "target-group-health-check", "lb-tls-1-2-minimum"];
    const violations = Array.from({ length: 270 }, (_, index) =>
      violation({
        policy: policies[index % 3] ?? "",
        urn: `urn:pulumi:prod::inference::aws:lb/listener:Listener::web-${index}`,
        location: { file: `infra/listeners-${index % 7}.ts`, line: 10 + index },
      }),
    );
    const markdown = renderMarkdown(report({ violations }), { source: SOURCE, fullReportHint: `see the [job summary](${RUN_URL})` });
    const { groups } = checkSummary(markdown, GITHUB_COMMENT_LIMIT);
    expect(groups.map((group) => [group.open, group.rows.length])).toEqual([
      [false, 90],
      [false, 90],
      [false, 90],
    ]);
    const fold = aboveTheFold(markdown);
    expect(fold.screenLines).toBeLessThan(25);
    expect(fold.markdown.split("\n").filter((line) => line.startsWith("- "))).toHaveLength(3);
  });

  it("renders a representative report", () => {
    const markdown = renderMarkdown(
      report({
        violations: [
          violation({ location: { file: "infra/index.ts", line: 42 } }),
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
      { source: SOURCE },
    );
    expect(markdown).toMatchInlineSnapshot(`
      "### ❌ Policy gate failed: inference / prod

      **2 mandatory violations**, 1 advisory violation · 3 policies fired on 3 resources · 2 resources checked (engine \`offline\`)

      - 🔴 **\`apigateway-throttling-bounds\`** (critical): 1 resource \`apigatewayv2.Stage\` · fix: set it to a value from 1 to 10000\\.
      - 🔴 **\`alb-http-redirects-to-https\`** (high): 1 resource \`lb.Listener\` · fix: redirect HTTP to HTTPS\\.
      - 🟡 **\`target-group-health-check\`** (advisory, medium): 1 resource \`lb.TargetGroup\` · fix: set it to the service\\'s health endpoint\\, e\\.g\\. \\/healthz\\.

      <details open><summary>🔴 <code>apigateway-throttling-bounds</code>: 1 resource <code>apigatewayv2.Stage</code></summary>

      - \`stage-<b>@ops</b>\`: \`defaultRouteSettings.throttlingRateLimit\` must be from 1 to 10000 requests per second\\, but it is \`-1\`\\, which turns throttling off

      </details>

      <details open><summary>🔴 <code>alb-http-redirects-to-https</code>: 1 resource <code>lb.Listener</code></summary>

      - \`web-http\` · [\`infra/index.ts:42\`](https://github.com/acme/inference/blob/0123456789abcdef0123456789abcdef01234567/infra/index.ts#L42): \`defaultActions[0].type\` must be \`"redirect"\` to HTTPS on port 443\\, but it is \`"forward"\`

      </details>

      <details open><summary>🟡 <code>target-group-health-check</code>: 1 resource <code>lb.TargetGroup</code></summary>

      - \`api_targets\`: \`healthCheck.path\` must be set\\, but it is not set

      </details>

      <details><summary>Notes</summary>

      - offline lookups answered with stand\\-in values\\: aws\\:ec2\\/getVpc\\:getVpc

      </details>"
    `);
  });
});
