// escapeMarkdown is judged by what a GFM renderer makes of its output, for any string: no tag
// or link gets in, a table keeps its shape, and the reader sees the input's own text.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeSpan, escapeInline, escapeMarkdown, htmlCode, logSafe, plainLine } from "../../src/report/untrusted-text.js";
import { expectedVisible, HOSTILE_FRAGMENTS, renderGfm, tableRows, tagNames, visibleText } from "./rendered-html.js";

const NUM_RUNS = 400;

/** Any string, weighted toward pieces that try to break out of Markdown or a terminal line. */
const untrustedText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...HOSTILE_FRAGMENTS),
        fc.string({ unit: "binary", maxLength: 6 }),
        fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join("")),
);

const TABLE_STRUCTURE = new Set(["table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td"]);

/** Spaces and tabs at either end are not part of what escaped text (or a table cell) shows. */
function trimEdges(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, "");
}

describe("escapeMarkdown", () => {
  it("in a table cell: no tag or link gets in, the table keeps its rows and cells, and the cell reads as the input", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        const html = renderGfm(`| Name | Value |\n| --- | --- |\n| first | ${escapeMarkdown(input)} |\n| second | last |\n`, {
          allowHtml: true,
        });
        expect(html).not.toContain("<a");
        expect(tagNames(html).filter((tag) => !TABLE_STRUCTURE.has(tag))).toEqual([]);
        const rows = tableRows(html);
        expect(rows.map((cells) => cells.length)).toEqual([2, 2, 2]);
        expect(visibleText(rows[1]?.[1] ?? "")).toBe(trimEdges(expectedVisible(input)));
        expect(rows[2]?.map(visibleText)).toEqual(["second", "last"]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("in a paragraph: no tag or link gets in, and the paragraph reads as the input", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        const html = renderGfm(`Before ${escapeMarkdown(input)} after`, { allowHtml: true });
        expect(html).not.toContain("<a");
        expect(tagNames(html)).toEqual(["p", "/p"]);
        expect(visibleText(html)).toBe(`Before ${trimEdges(expectedVisible(input))} after`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("at the start of a line or a list item: still one paragraph of the input's text, never a heading, list, quote or code block", () => {
    const allowed = new Set(["p", "/p", "ul", "/ul", "li", "/li"]);
    fc.assert(
      fc.property(untrustedText, (input) => {
        const escaped = escapeMarkdown(input);
        for (const [markdown, structure] of [
          [escaped, []],
          [`- ${escaped}`, ["ul", "li"]],
        ] as const) {
          const html = renderGfm(markdown, { allowHtml: true });
          expect(html).not.toContain("<a");
          expect(tagNames(html).filter((tag) => !allowed.has(tag))).toEqual([]);
          expect(tagNames(html).filter((tag) => !tag.startsWith("/") && tag !== "p")).toEqual(structure);
          expect(visibleText(html).trim()).toBe(expectedVisible(input).trim());
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("with a maximum length: never longer, cut between characters, and reads as the start of the input and an ellipsis", () => {
    fc.assert(
      fc.property(untrustedText, fc.integer({ min: 0, max: 60 }), (input, maxLength) => {
        const escaped = escapeMarkdown(input, maxLength);
        expect(escaped.length).toBeLessThanOrEqual(maxLength);
        const shown = visibleText(renderGfm(`Before ${escaped} after`, { allowHtml: true }));
        const full = `Before ${trimEdges(expectedVisible(input))} after`;
        if (escaped === escapeMarkdown(input)) {
          expect(shown).toBe(full);
        } else if (maxLength === 0) {
          expect(escaped).toBe("");
        } else {
          expect(shown.endsWith("… after")).toBe(true);
          expect(full.startsWith(shown.slice(0, -"… after".length))).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("is one line, with no control or bidirectional formatting character", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        expect(escapeMarkdown(input)).not.toMatch(/[\r\n]|[\p{Bidi_Control}]|(?!\t)\p{Cc}/u);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each([
    ["<script>alert(1)</script>", "<script>alert(1)</script>"],
    ['<img src=x onerror="alert(1)">', '<img src=x onerror="alert(1)">'],
    ["[text](javascript:alert(1))", "[text](javascript:alert(1))"],
    ["see https://evil.example and www.evil.example", "see https://evil.example and www.evil.example"],
    ["ping @someone and @org/team", "ping @\u200bsomeone and @\u200borg/team"],
    ["mail evil@example.com", "mail evil@\u200bexample.com"],
    ["*a* _b_ ~~c~~ `d`", "*a* _b_ ~~c~~ `d`"],
    ["&amp; &#64;", "&amp; &#\u200b64;"],
    ["<!-- hidden -->", "<!-- hidden -->"],
    ["line one\nline two\r\nline three\rfour", "line one line two line three four"],
    ["\u001b[31mred\u001b[0m", "[31mred[0m"],
    // Left: "abcdcba", seven hex digits, which GitHub would link as a commit id.
    ["abc\u202edcba\u2069 \u061cx", "a\u200bbcdcba x"],
    [
      "fixed in GH-123, 4f3c2a1b9e0d8c7b6a5f4e3d2c1b0a9f8e7d6c5b and acme/app@4f3c2a1",
      "fixed in GH\u200b-123, 4\u200bf3c2a1b9e0d8c7b6a5f4e3d2c1b0a9f8e7d6c5b and acme/app@\u200b4\u200bf3c2a1",
    ],
    ["zero\u200bwidth\u200d\u2060\ufeff and tag\u{E0041}\u{E0042}\u{E007F} characters", "zerowidth and tag characters"],
  ])("renders %j as the text %j", (input, shown) => {
    const html = renderGfm(`Before ${escapeMarkdown(input)} after`, { allowHtml: true });
    expect(tagNames(html)).toEqual(["p", "/p"]);
    expect(visibleText(html)).toBe(`Before ${shown} after`);
  });

  it("takes linear time on long runs of spaces, with or without a maximum length", () => {
    const input = `a${" ".repeat(300_000)}b${" \t".repeat(300_000)}c`;
    const started = performance.now();
    expect(escapeMarkdown(input)).toHaveLength(input.length);
    expect(escapeMarkdown(input, 1_000)).toHaveLength(1_000);
    expect(escapeMarkdown(` ${input} `)).toBe(input);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("keeps a table cell whole whatever pipes and backslashes the input holds", () => {
    for (const input of ["a | b", "a \\| b", "a \\\\| b", "trailing \\", "|", "\\"]) {
      const rows = tableRows(renderGfm(`| x | y |\n| --- | --- |\n| ${escapeMarkdown(input)} | z |\n`));
      expect(rows.map((cells) => cells.length)).toEqual([2, 2]);
      expect(rows[1]?.map(visibleText)).toEqual([trimEdges(input), "z"]);
    }
  });
});

/** What a code span of `input` must show: one line, invisible characters dropped, tabs as spaces. */
function codeText(input: string): string {
  return plainLine(input).replace(/\t/g, " ");
}

describe("codeSpan", () => {
  it("in a paragraph or a list item: one <code> element holding exactly the input's text, with no other tag, link or zero-width space", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        const text = codeText(input);
        for (const markdown of [`Before ${codeSpan(input)} after`, `- item ${codeSpan(input)}: rest`]) {
          const html = renderGfm(markdown, { allowHtml: true });
          expect(html).not.toContain("<a");
          const tags = tagNames(html).filter((tag) => !["p", "/p", "ul", "/ul", "li", "/li"].includes(tag));
          if (text.trim() === "") {
            // Blank text has no code span: it is (escaped) spaces.
            expect(tags).toEqual([]);
            continue;
          }
          expect(tags).toEqual(["code", "/code"]);
          const code = /<code>([\s\S]*)<\/code>/.exec(html)?.[1] ?? "";
          expect(visibleText(code)).toBe(text);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("cannot be closed by backticks in the text, at its start, end or middle", () => {
    for (const input of ["`", "``", "a`b", "`a", "a`", "a``b```c", " `x` ", "```text", "` ", " `"]) {
      const html = renderGfm(`x ${codeSpan(input)} y`);
      expect(tagNames(html)).toEqual(["p", "code", "/code", "/p"]);
      expect(visibleText(/<code>([\s\S]*)<\/code>/.exec(html)?.[1] ?? "")).toBe(input);
    }
  });

  it('shows "#{protocol}", @mentions, references, links and HTML as they are, with no zero-width space', () => {
    for (const input of [
      '"#{protocol}"',
      "@someone",
      "#123",
      "org/repo#1",
      "https://evil.example",
      "<img src=x onerror=alert(1)>",
      "[a](b)",
      "4f3c2a1b9e0d",
    ]) {
      const html = renderGfm(`x ${codeSpan(input)} y`, { allowHtml: true });
      expect(html).not.toMatch(/<a|<img/);
      expect(visibleText(html)).toBe(`x ${input} y`);
    }
  });

  it("with a maximum length: cut between characters, an ellipsis after the span", () => {
    expect(codeSpan("abcdef", 4)).toBe("`abc`…");
    expect(codeSpan("a😀😀", 3)).toBe("`a`…");
    expect(codeSpan("a😀😀", 4)).toBe("`a😀`…");
    expect(codeSpan("abc", 3)).toBe("`abc`");
  });
});

describe("escapeInline", () => {
  it("keeps spaces at either end, and escapes as escapeMarkdown does", () => {
    expect(escapeInline(" a_b ")).toBe(" a\\_b ");
    fc.assert(
      fc.property(untrustedText, (input) => {
        expect(escapeInline(input).trim()).toBe(escapeMarkdown(input).trim());
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("htmlCode", () => {
  it("inside a <summary>: one <code> element with the input's text, no other tag", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        const html = renderGfm(`<details><summary>x ${htmlCode(input)} y</summary>\n\nbody\n\n</details>`, { allowHtml: true });
        expect(tagNames(html)).toEqual(["details", "summary", "code", "/code", "/summary", "p", "/p", "/details"]);
        expect(visibleText(/<code>([\s\S]*)<\/code>/.exec(html)?.[1] ?? "")).toBe(plainLine(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("plainLine", () => {
  it("is one line with no escape sequence, control or bidirectional formatting character, and otherwise the input", () => {
    fc.assert(
      fc.property(untrustedText, (input) => {
        const line = plainLine(input);
        expect(line).not.toMatch(/[\r\n\u001b\u009b]|[\p{Bidi_Control}\p{Cf}]|(?!\t)\p{Cc}/u);
        expect(line).toBe(expectedVisible(input).replace(/\u200b/g, ""));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("turns each line break into one space and drops terminal escapes", () => {
    expect(plainLine("a\r\nb\nc\rd")).toBe("a b c d");
    expect(plainLine("\u001b[2J\u001b[31mred\u001b[0m\u0007")).toBe("[2J[31mred[0m");
    expect(plainLine("tab\tkept")).toBe("tab\tkept");
  });
});

describe("logSafe", () => {
  it("leaves no line the runner reads as a workflow command: '::' at a line's start (after spaces), '##[' anywhere", () => {
    const text = "ok\n::stop-commands::token\n   ::error::forged\r\nsee ##[error]forged and ###[warning]x\n\t::add-mask::y";
    const safe = logSafe(text);
    for (const line of safe.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*::/);
    expect(safe).not.toContain("##[");
    expect(safe).toBe("ok\n| ::stop-commands::token\n|    ::error::forged\r\nsee # #[error]forged and ## #[warning]x\n| \t::add-mask::y");
  });
});
