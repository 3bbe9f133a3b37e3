// A policy's message as the comment shows it. The house style of a message is one sentence,
// "<property> must …, but it is <value>: <fix>.", so the fix can be told apart from the problem
// (and shown once per policy), and the property paths and values it quotes can be shown as code:
// copyable, and never read as Markdown, a link, a mention or a reference.

import { codeSpan, escapeInline, plainLine } from "./untrusted-text.js";

export interface SplitMessage {
  /** What is wrong: the message without its fix. */
  readonly problem: string;
  /** How to fix it, when the message says so after its last ": ". */
  readonly fix?: string;
}

/** A fix longer than this is no short instruction: the message is not split. */
const FIX_LIMIT = 300;

/**
 * The message's problem and fix: the fix is what follows the last ": " outside double quotes,
 * when it starts with a lower-case word (an instruction: "set …", "add …", "redirect …").
 */
export function splitMessage(message: string): SplitMessage {
  const text = plainLine(message).trim();
  let quoted = false;
  let split = -1;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === "\\" && quoted) index++;
    else if (character === '"') quoted = !quoted;
    else if (!quoted && character === ":" && text[index + 1] === " ") split = index;
  }
  if (split <= 0) return { problem: text };
  const fix = text.slice(split + 2).trim();
  if (!/^[a-z]/.test(fix) || fix.length > FIX_LIMIT) return { problem: text };
  return { problem: text.slice(0, split).trim(), fix };
}

// What a message quotes: a JSON string ("HTTPS", "#{protocol}"); a property path with at least a
// dot or an index (healthCheck.path, defaultActions[0].type; the first name of two characters or
// more, so that "e.g." is no path); a camel-case property name (sslPolicy); the bare property a
// message starts with, before " must"; and the number or literal after "it is".
const QUOTED =
  /"(?:[^"\\]|\\.)*"|(?<![\w$.])[A-Za-z_$][\w$]+(?:\[\d+\]|\.[A-Za-z_$][\w$]*)+|(?<![\w$.])[a-z]+[A-Z][\w$]*\b|^[a-z][\w$]*(?= must\b)|(?<=\bit is )(?:-?\d+(?:\.\d+)?|true|false|null)\b/g;

/** Longest quoted piece shown whole; a longer one is cut in its code span. */
const QUOTE_LIMIT = 300;

/**
 * The message as Markdown, on one line: property paths and values in code spans, the rest
 * escaped text. Cut to about `maxLength` characters of the message, ending in "…".
 */
export function messageMarkdown(message: string, maxLength = Number.POSITIVE_INFINITY): string {
  let text = plainLine(message).trim();
  let clipped = false;
  if (text.length > maxLength) {
    text = [...text].slice(0, Math.max(0, maxLength - 1)).join("");
    clipped = true;
  }
  let markdown = "";
  let from = 0;
  for (const match of text.matchAll(QUOTED)) {
    const start = match.index;
    // The text is trimmed: no piece of it starts a line with spaces.
    markdown += escapeInline(text.slice(from, start));
    markdown += codeSpan(match[0], QUOTE_LIMIT);
    from = start + match[0].length;
  }
  markdown += escapeInline(text.slice(from));
  return clipped ? `${markdown}…` : markdown;
}
