// Untrusted text (resource names, policy messages, program output) made safe to show. In
// GitHub-flavoured Markdown: it must render as the same plain text, with no HTML, no link, no
// emphasis, no @mention and no broken table.
// - Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of
//   them), which stops emphasis, links, autolinks ("https\://", "www\."), raw HTML and entities.
// - "@" and "#" are followed by a zero-width space (as an entity): GitHub links @mentions and
//   #123 / owner/repo#123 references in the rendered text, after escapes are gone, so only a
//   character between the sign and the name stops it (and the notification it would send).
// - GitHub also links "GH-123" and commit ids (7 to 40 hex digits) in the rendered text: a
//   zero-width space after the first character stops that too.
// - Line breaks become spaces (a table cell or a list item is one line), and control, format
//   (zero-width, bidirectional-override, tag) characters are dropped: they can disguise what
//   text says, or smuggle text a reader does not see.
// - Spaces and tabs at either end are dropped: at the start of a line or a list item, four of
//   them would turn the text into a code block, which shows the escapes themselves.

/** ASCII punctuation, and the zero-width space that breakAutolinks inserts. */
const ESCAPED = /[!-/:-@[-`{-~\u200b]/g;
// C0 and C1 controls (but tab), every Unicode bidi control (marks, embeddings, overrides,
// isolates, and the Arabic letter mark U+061C, which a hand-written range easily misses), and
// every format character: zero-width spaces and joiners, the word joiner, the BOM, tag characters.
const INVISIBLE = /(?!\t)[\p{Cc}\p{Cf}\p{Bidi_Control}]/gu;
const ZERO_WIDTH_SPACE = "&#8203;";
/** References GitHub links in rendered text besides "#123" and "@name": "GH-123", commit ids. */
const AUTOLINKED = /\b(?:GH-\d|[0-9a-f]{7,40}\b)/gi;

/** One line of plain text for a terminal: no line breaks, no escape sequences, no bidi tricks. */
export function plainLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ").replace(INVISIBLE, "");
}

/** Without spaces and tabs at either end. A loop: a regular expression anchored at the end takes quadratic time on a long run of spaces. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}

function escapeCharacters(text: string): string {
  return text.replace(ESCAPED, (character) =>
    character === "\u200b"
      ? ZERO_WIDTH_SPACE
      : character === "@"
        ? `@${ZERO_WIDTH_SPACE}`
        : character === "#"
          ? `\\#${ZERO_WIDTH_SPACE}`
          : `\\${character}`,
  );
}

/** `line` with a zero-width space (U+200B, escaped as an entity later) inside each autolinked reference. */
function breakAutolinks(line: string): string {
  return line.replace(AUTOLINKED, (reference) => {
    const at = /^gh-/i.test(reference) ? 2 : 1;
    return `${reference.slice(0, at)}\u200b${reference.slice(at)}`;
  });
}

/**
 * `text` as Markdown that renders as the same plain text. With `maxLength`, a longer result is
 * cut between characters (never inside an escape, an entity or a surrogate pair) and ends in "…".
 */
export function escapeMarkdown(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  return escapeLine(trimSpaces(plainLine(text)), maxLength);
}

/**
 * Like escapeMarkdown, but spaces at either end are kept: for a piece in the middle of a line,
 * between code spans (never at the start of a line, where four spaces would make a code block).
 */
export function escapeInline(text: string): string {
  return escapeLine(plainLine(text), Number.POSITIVE_INFINITY);
}

function escapeLine(plain: string, maxLength: number): string {
  const line = breakAutolinks(plain);
  const escaped = escapeCharacters(line);
  if (escaped.length <= maxLength) return escaped;
  if (maxLength < 1) return "";
  let clipped = "";
  for (const character of line) {
    const piece = escapeCharacters(character);
    if (clipped.length + piece.length + 1 > maxLength) break;
    clipped += piece;
  }
  return `${clipped}…`;
}

/**
 * Untrusted text as an inline code span: shown verbatim and copyable (no escapes, no zero-width
 * spaces), since GitHub makes no link, mention, reference or HTML inside code. The fence is
 * longer than any run of backticks in the text, so the text cannot close it; a space pads text
 * that starts or ends with a backtick or a space (the renderer takes exactly one off each side).
 * Line breaks become spaces and invisible characters are dropped, as in plainLine. With
 * `maxLength` (characters of the text), a longer text is cut and "…" follows the span.
 * Empty or blank text has no code span: it is escaped text (empty, or spaces).
 */
export function codeSpan(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let line = plainLine(text).replace(/\t/g, " ");
  let clipped = false;
  if (line.length > maxLength) {
    const characters = [...line];
    let cut = "";
    for (const character of characters) {
      if (cut.length + character.length > Math.max(0, maxLength - 1)) break;
      cut += character;
    }
    line = cut;
    clipped = true;
  }
  const ellipsis = clipped ? "…" : "";
  if (line.trim() === "") return `${escapeInline(line)}${ellipsis}`;
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = /^[ `]|[ `]$/.test(line) ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}${ellipsis}`;
}

/**
 * Untrusted text inside an HTML block (a `<summary>`), where Markdown is not read: one line, the
 * HTML special characters as entities, wrapped in `<code>` so that GitHub links nothing in it.
 */
export function htmlCode(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  const line = plainLine(text);
  const characters = [...line];
  const shown = characters.length > maxLength ? `${characters.slice(0, Math.max(0, maxLength - 1)).join("")}…` : line;
  const escaped = shown.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<code>${escaped}</code>`;
}

/**
 * Multi-line untrusted text (program output, diagnostics) as a fenced code block: shown
 * verbatim, with no Markdown, HTML, link or mention. The fence is longer than any run of
 * backticks in the text, so the text cannot close it.
 */
export function fencedBlock(text: string): string {
  const clean = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(INVISIBLE, ""))
    .join("\n");
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${clean}\n${fence}`;
}

/**
 * Text for the workflow log that the runner cannot read as a workflow command: a line that
 * starts (after any spaces) with "::" gets a visible "| " prefix, and "##[" anywhere becomes
 * "# #[". Everything the action logs goes through it.
 */
export function logSafe(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((piece) => (/^\s*::/.test(piece) ? `| ${piece}` : piece))
    .join("")
    .replace(/##\[/g, "# #[");
}
