// Untrusted text (resource names, policy messages, program output) made safe to show. In
// GitHub-flavoured Markdown: it must render as the same plain text, with no HTML, no link, no
// emphasis, no @mention and no broken table.
// - Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of
//   them), which stops emphasis, links, autolinks ("https\://", "www\."), raw HTML and entities.
// - "@" is followed by a zero-width space (as an entity): GitHub links mentions in the rendered
//   text, after escapes are gone, so only a character between "@" and the name stops it.
// - Line breaks become spaces (a table cell or a list item is one line), and control and
//   bidirectional-override characters are dropped (they can disguise what text says).

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
// C0 and C1 controls (but tab) and Unicode bidi controls.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ZERO_WIDTH_SPACE = "&#8203;";

/** One line of plain text for a terminal: no line breaks, no escape sequences, no bidi tricks. */
export function plainLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ").replace(INVISIBLE, "");
}

export function escapeMarkdown(text: string): string {
  return plainLine(text).replace(ASCII_PUNCTUATION, (character) => (character === "@" ? `@${ZERO_WIDTH_SPACE}` : `\\${character}`));
}
