// One pull-request comment per (pull request, key), edited in place on every run.
// "Ours" means both: authored by the token's own user (see identity.ts), so that a comment by
// someone else, a copy quoted by a reviewer or another bot's comment is never taken over; and
// carrying this key's marker anywhere in the body, so that stacks and matrix jobs sharing the
// pull request keep one comment each. Every page of comments is read: on a busy pull request
// ours is rarely on the first.
//
// The marker is an HTML comment (invisible once rendered) on the first line of the body,
// followed by a blank line and the report. First, because a body that ends inside an
// unclosed code block would otherwise show a marker placed at its end as text.

import type { GitHubClient } from "./client.js";
import { ownLogin } from "./identity.js";

export interface StickyCommentResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url: string;
}

export interface StickyCommentArgs {
  owner: string;
  repo: string;
  issueNumber: number;
  key: string;
  body: string;
}

const MARKER_PREFIX = "<!-- pulumi-policy-gate:comment-key=";
const MARKER_SUFFIX = " -->";
const PAGE_SIZE = 100;
// 100 000 comments: far beyond any real pull request, but a bound on a server that keeps
// answering with a "next" page.
const MAX_PAGES = 1000;
// Kept as they are in the key (readable stack names); every other character is
// percent-encoded (UTF-8, "%" included), so the encoding is one-to-one. The encoded key holds
// no ">", "!", space or "=": it cannot end the HTML comment early ("-->", "--!>"), and the
// marker of one key is never found inside the marker of another, since the key is framed by
// "=" and " -->" (the marker of "a" is not part of the marker of "a/b" or "ba").
const KEPT = /^[A-Za-z0-9._~/-]$/u;

/** The hidden marker that identifies the comment of one key, e.g. `<!-- pulumi-policy-gate:comment-key=infra/prod -->`. */
export function commentMarker(key: string): string {
  let encoded = "";
  for (const character of key) {
    encoded += KEPT.test(character) ? character : percentEncode(character);
  }
  return `${MARKER_PREFIX}${encoded}${MARKER_SUFFIX}`;
}

/** The exact text posted: the marker, a blank line, then the body. Its length is the body's plus the marker's plus 2. */
export function markedCommentBody(body: string, key: string): string {
  return `${commentMarker(key)}\n\n${body}`;
}

export interface StickyComment {
  readonly id: number;
  readonly body: string;
  readonly url: string;
}

/** Every comment with this key by the token's own user, newest first (all pages are read). */
async function findStickyComments(client: GitHubClient, args: Omit<StickyCommentArgs, "body">): Promise<StickyComment[]> {
  const { owner, repo, issueNumber, key } = args;
  const marker = commentMarker(key);
  const login = (await ownLogin(client)).toLowerCase();
  const ours: Array<StickyComment & { createdAt: string }> = [];
  let pages = 0;
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: PAGE_SIZE,
  })) {
    pages += 1;
    if (pages > MAX_PAGES)
      throw new Error(
        `${owner}/${repo}#${issueNumber} has more than ${MAX_PAGES * PAGE_SIZE} comments; stopped looking for the comment with key "${key}".`,
      );
    for (const comment of page.data) {
      // Logins are case-insensitive on GitHub.
      if (comment.user?.login.toLowerCase() === login && comment.body?.includes(marker) === true) {
        ours.push({ id: comment.id, body: comment.body, url: comment.html_url, createdAt: comment.created_at });
      }
    }
  }
  ours.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  return ours.map(({ id, body, url }) => ({ id, body, url }));
}

/** The newest comment with this key by the token's own user, if any. */
export async function findStickyComment(client: GitHubClient, args: Omit<StickyCommentArgs, "body">): Promise<StickyComment | undefined> {
  return (await findStickyComments(client, args))[0];
}

export async function upsertStickyComment(client: GitHubClient, args: StickyCommentArgs): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber, key } = args;
  const body = markedCommentBody(args.body, key);
  const ours = await findStickyComments(client, args);
  const [newest, ...older] = ours;
  if (newest === undefined) {
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { action: "created", id: data.id, url: data.html_url };
  }

  // Two runs that each found no comment and created one (a race) leave several: keep the
  // newest up to date and leave the rest alone; deleting what another run may be editing would
  // make the race worse.
  if (older.length > 0) {
    client.log.warn(
      `${owner}/${repo}#${issueNumber} has ${ours.length} comments with the key "${key}"; updating the newest (${newest.id}) and leaving ${older.map((comment) => comment.id).join(", ")} as they are.`,
    );
  }

  // GitHub may store line endings as CRLF; they do not make the text different.
  if (normalizeLineEndings(newest.body) === normalizeLineEndings(body)) {
    return { action: "unchanged", id: newest.id, url: newest.url };
  }
  const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: newest.id, body });
  return { action: "updated", id: data.id, url: data.html_url };
}

function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function percentEncode(character: string): string {
  return utf8Bytes(character.codePointAt(0) ?? 0)
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}

// UTF-8 by hand rather than TextEncoder: a lone surrogate (possible in a JavaScript string)
// gets its own three bytes instead of becoming U+FFFD, which would make two keys collide.
function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}
