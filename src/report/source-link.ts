// Where a resource is declared, as the comment shows it: "path/to/index.ts:42", linked to that
// line at the commit under review when the repository and the commit are known.

import type { SourceLocation } from "../gate/report.js";
import { codeSpan } from "./untrusted-text.js";

/** The repository's page and the commit under review: what a link to a source line needs. */
export interface SourceLinks {
  /** `<server>/<owner>/<repo>`, e.g. https://github.com/acme/inference. */
  readonly repositoryUrl: string;
  /** The commit under review: a pull request's head. */
  readonly sha: string;
}

const LOCATION_LIMIT = 200;

/** A line number the comment can show: a positive whole number. */
function isLine(line: unknown): line is number {
  return typeof line === "number" && Number.isSafeInteger(line) && line > 0;
}

/** "path:line" as text (no column: the link goes to the line). Undefined for a location with no usable line. */
export function locationText(location: SourceLocation | undefined): string | undefined {
  if (!location || typeof location.file !== "string" || location.file === "" || !isLine(location.line)) return undefined;
  return `${location.file}:${location.line}`;
}

/**
 * The URL of the location's line at the commit, or undefined when the path is not a plain
 * relative path inside the repository (absolute, with "." or ".." segments, a backslash, a
 * control or format character) or the
 * links are not known. Each segment is percent-encoded, parentheses too, so that the URL cannot
 * end the Markdown link early.
 */
export function locationUrl(location: SourceLocation, links: SourceLinks | undefined): string | undefined {
  if (!links || !/^https?:\/\/[^\s()<>]+$/.test(links.repositoryUrl) || !/^[0-9a-f]{7,64}$/i.test(links.sha)) return undefined;
  if (!isLine(location.line)) return undefined;
  const segments = location.file.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..") || /[\\\p{Cc}\p{Cf}]/u.test(location.file))
    return undefined;
  const encode = (segment: string): string =>
    encodeURIComponent(segment).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  try {
    return `${links.repositoryUrl}/blob/${links.sha}/${segments.map(encode).join("/")}#L${location.line}`;
  } catch {
    // A lone surrogate has no URL form: the location is shown, not linked.
    return undefined;
  }
}

/** The location as Markdown: `path:line` in a code span, linked when a URL can be made. Empty without a location. */
export function locationMarkdown(location: SourceLocation | undefined, links: SourceLinks | undefined): string {
  const text = locationText(location);
  if (!location || text === undefined) return "";
  const span = codeSpan(text, LOCATION_LIMIT);
  const url = locationUrl(location, links);
  return url ? `[${span}](${url})` : span;
}
