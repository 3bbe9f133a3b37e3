// Test helpers: render Markdown the way a GFM renderer does (micromark with the GFM
// extensions) and read back what a reader would see, so that escaping is judged on the result
// rather than on the Markdown source.

import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/**
 * HTML for `markdown`. With `allowHtml`, raw HTML in the source passes through (as on GitHub,
 * which allows a safe subset): any tag an input manages to inject then shows up as a tag.
 */
export function renderGfm(markdown: string, options: { allowHtml?: boolean } = {}): string {
  return micromark(markdown, { allowDangerousHtml: options.allowHtml ?? false, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** Every tag in the HTML by name, closing tags with a leading "/" ("p", "/p", "br"). */
export function tagNames(html: string): string[] {
  return [...html.matchAll(/<(\/?[A-Za-z][A-Za-z0-9-]*)/g)].map((match) => (match[1] ?? "").toLowerCase());
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text a reader sees: tags removed, character references decoded. */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (reference: string, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#X")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? reference;
  });
}

/** The rows of every table in the HTML, each as its cells' inner HTML. */
export function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ""),
  );
}

/** How many "|" in a Markdown line separate cells: those not escaped by a backslash. */
export function cellSeparators(line: string): number {
  let count = 0;
  let backslashes = 0;
  for (const character of line) {
    if (character === "|" && backslashes % 2 === 0) count++;
    backslashes = character === "\\" ? backslashes + 1 : 0;
  }
  return count;
}

/**
 * What escaped untrusted text must read as: line breaks as spaces, control and bidirectional
 * formatting characters gone (tab kept), and a zero-width space after every "@".
 */
export function expectedVisible(input: string): string {
  return (
    input
      .replace(/\r\n|\r|\n/g, " ")
      .replace(/[\p{Cc}\p{Cf}\p{Bidi_Control}]/gu, (character) => (character === "\t" ? character : ""))
      // GitHub's autolinked references ("GH-123", commit ids) get a zero-width space after their first character.
      .replace(/\b(?:GH-\d|[0-9a-f]{7,40}\b)/gi, (reference) => {
        const at = /^gh-/i.test(reference) ? 2 : 1;
        return `${reference.slice(0, at)}\u200b${reference.slice(at)}`;
      })
      .replace(/@/g, "@\u200b")
      .replace(/#/g, "#\u200b")
  );
}

/**
 * Untrusted strings that try every way into Markdown and HTML: injection, links, mentions,
 * references, emphasis, entities, table breaking, terminal escapes, bidi tricks.
 */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  "|",
  "\\|",
  "||",
  "`",
  "``",
  "```",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "<img src=x onerror=alert(1)>",
  "<a href='https://evil.example'>x</a>",
  "[text](javascript:alert(1))",
  "![pixel](https://evil.example/p.png)",
  "[ref]: https://evil.example",
  "<https://evil.example>",
  "https://evil.example",
  "http://evil.example/a_b_c",
  "www.evil.example",
  "evil@example.com",
  "mailto:evil@example.com",
  "@someone",
  "@org/team",
  "#123",
  "org/repo#1",
  "GH-42",
  "gh-7",
  "4f3c2a1b9e0d",
  "acme/repo@4f3c2a1",
  "deadbeef",
  "*emphasis*",
  "**strong**",
  "_x_",
  "__y__",
  "~~strike~~",
  "~one~",
  "&amp;",
  "&#64;",
  "&#x40;",
  "&copy",
  "<!-- comment -->",
  "-->",
  "<div>",
  "</td></tr></table>",
  "\n",
  "\r",
  "\r\n",
  "\n\n| a | b |\n| - | - |\n",
  "\t",
  "\u0000",
  "\u0007",
  "\u0008",
  "\u000b",
  "\u000c",
  "\u001b[31m",
  "\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u202e",
  "\u202d",
  "\u2066",
  "\u2069",
  "\u200e",
  "\u061c",
  "\u2028",
  "\u00a0",
  "\u200b",
  "\u200d",
  "\u2060",
  "\ufeff",
  "\u{E0041}\u{E007F}",
  "😀",
  "👩‍👩‍👧",
  "\ud800",
  "\udfff",
  "\\",
  "\\\\",
  "[^1]",
  "[ ]",
  "- ",
  "1. ",
  "> ",
  "# ",
  "===",
  "---",
  "    ",
  ":smile:",
  "$x$",
  "{{x}}",
  "%0A",
];
