// One pull-request comment per (pull request, key), edited in place on every run.
// "Ours" means both: authored by the token's own user (see identity.ts), so that a comment by
// someone else, a copy quoted by a reviewer or another bot's comment is never taken over; and
// carrying this key's marker in its leading block of hidden markers (the lines the gate writes
// first), never further down: program output or diagnostics quoted in the report may contain
// another key's marker. Every page of comments is read: on a busy pull request ours is rarely on
// the first.
//
// Exactly one per key, also when runs race or GitHub fails mid-write: a POST is never retried
// blindly (a 502 may come after GitHub stored the comment), the comments are read again first;
// after every write the duplicates are removed, and the OLDEST wins (every run agrees on which
// that is, so racing runs never delete each other's survivor): a run whose own comment is not
// the oldest writes its report into the oldest and deletes the rest. A comment deleted between
// reading and updating is created again.

import type { GitHubClient } from "./client.js";
import { commentTrust } from "./comment-history.js";
import { learnLogin, ownIdentity, sameLogin } from "./identity.js";

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
  /** Who the comments are by (the input comment-author); default: the token's own login. */
  author?: string | undefined;
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
  readonly nodeId: string;
  readonly body: string;
  readonly url: string;
}

/** How many times a write is attempted after reading again (a POST that may have been stored, a comment deleted meanwhile). */
const WRITE_ATTEMPTS = 3;
const ANY_HIDDEN_COMMENT = /^<!--.*-->$/;

/** The one-line hidden comments at the start of a body (blank lines skipped), up to the first line of anything else. */
export function leadingMarkers(body: string): string[] {
  const markers: string[] = [];
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "") continue;
    if (!ANY_HIDDEN_COMMENT.test(line)) break;
    markers.push(line);
  }
  return markers;
}

/** Who the comments of this run are by: the input comment-author, else the token's own login. */
export async function commentAuthor(client: GitHubClient, author: string | undefined): Promise<string> {
  return author ?? (await ownIdentity(client)).login;
}

/** Every comment with this key by `login`, oldest first (all pages are read). */
async function findStickyComments(client: GitHubClient, args: Omit<StickyCommentArgs, "body">, login: string): Promise<StickyComment[]> {
  const { owner, repo, issueNumber, key } = args;
  const marker = commentMarker(key);
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
      const author = comment.user?.login;
      if (author !== undefined && sameLogin(author, login) && leadingMarkers(comment.body ?? "").includes(marker)) {
        ours.push({
          id: comment.id,
          nodeId: comment.node_id,
          body: comment.body ?? "",
          url: comment.html_url,
          createdAt: comment.created_at,
        });
      }
    }
  }
  ours.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id);
  return ours.map(({ id, nodeId, body, url }) => ({ id, nodeId, body, url }));
}

/** The comment with this key by the run's author (the oldest, should a race have left several), if any. */
export async function findStickyComment(client: GitHubClient, args: Omit<StickyCommentArgs, "body">): Promise<StickyComment | undefined> {
  return (await findStickyComments(client, args, await commentAuthor(client, args.author)))[0];
}

export type ReviewedComment =
  | { readonly found: false }
  | { readonly found: true; readonly trusted: true; readonly body: string; readonly url: string }
  | { readonly found: true; readonly trusted: false; readonly reason: string; readonly url: string };

/** The comment with this key, trusted only when nobody but its author ever edited it. */
export async function findReviewedComment(client: GitHubClient, args: Omit<StickyCommentArgs, "body">): Promise<ReviewedComment> {
  const login = await commentAuthor(client, args.author);
  const comment = (await findStickyComments(client, args, login))[0];
  if (comment === undefined) return { found: false };
  const trust = await commentTrust(client, comment.nodeId, login);
  return trust.trusted
    ? { found: true, trusted: true, body: comment.body, url: comment.url }
    : { found: true, trusted: false, reason: trust.reason, url: comment.url };
}

export async function upsertStickyComment(client: GitHubClient, args: StickyCommentArgs): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber, key } = args;
  const body = markedCommentBody(args.body, key);
  let login = await commentAuthor(client, args.author);
  let written: StickyCommentResult | undefined;
  for (let attempt = 1; written === undefined; attempt++) {
    const [oldest] = await findStickyComments(client, args, login);
    try {
      if (oldest === undefined) {
        // Not retried by Octokit: a POST answered 5xx may have been stored; the loop looks first.
        const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body, request: { retries: 0 } });
        written = { action: "created", id: data.id, url: data.html_url };
        const author = data.user?.login;
        if (args.author === undefined && author !== undefined && !sameLogin(author, login)) {
          client.log.warn(
            `the token comments as ${author}, not ${login} as assumed (GET /user is not allowed for it); set the input comment-author to "${author}" so that its comment is found before posting.`,
          );
          login = author;
          learnLogin(client, author);
        }
      } else if (normalizeLineEndings(oldest.body) === normalizeLineEndings(body)) {
        written = { action: "unchanged", id: oldest.id, url: oldest.url };
      } else {
        const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body });
        written = { action: "updated", id: data.id, url: data.html_url };
      }
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !worthLookingAgain(error, oldest === undefined)) throw error;
      client.log.warn(`writing the comment with key "${key}" failed (${statusOf(error) ?? "no answer"}); reading the comments again.`);
    }
  }
  return removeDuplicates(client, args, login, body, written);
}

/** After a write: one comment with this key remains, the oldest, holding `body`. */
async function removeDuplicates(
  client: GitHubClient,
  args: Omit<StickyCommentArgs, "body">,
  login: string,
  body: string,
  written: StickyCommentResult,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber } = args;
  const [oldest, ...newer] = await findStickyComments(client, args, login);
  if (oldest === undefined || newer.length === 0) return written;
  if (oldest.id !== written.id && normalizeLineEndings(oldest.body) !== normalizeLineEndings(body))
    await client.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body });
  for (const duplicate of newer) {
    try {
      await client.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
    } catch (error) {
      // Another run of the same key removed it first.
      if (statusOf(error) !== 404) throw error;
    }
  }
  client.log.warn(
    `${owner}/${repo}#${issueNumber} had ${newer.length + 1} comments with the key "${args.key}"; kept the oldest (${oldest.id}) and deleted ${newer.map((comment) => comment.id).join(", ")}.`,
  );
  return { action: written.action, id: oldest.id, url: oldest.url };
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  return typeof status === "number" ? status : undefined;
}

// A POST with no answer or a 5xx may have been stored; a PATCH answered 404: the comment was deleted meanwhile.
function worthLookingAgain(error: unknown, creating: boolean): boolean {
  const status = statusOf(error);
  if (creating) return status === undefined || status >= 500;
  return status === 404;
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
