import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { findReviewedComment, markedCommentBody, upsertStickyComment } from "../../src/github/sticky-comment.js";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const PR = { owner: "octo-org", repo: "infra", issueNumber: 42 };
const KEY = "infra/prod";

let github: FakeGitHub;
let logs: string[];

async function startGitHub(options: FakeGitHubOptions = {}): Promise<void> {
  github = await FakeGitHub.start({ token: TOKEN, ...options });
}

/** One run's client: each run of the action has its own. */
function newClient(): GitHubClient {
  return createGitHubClient({ token: TOKEN, baseUrl: github.url, backoffUnitMs: 5, spaceWrites: false, log: (line) => logs.push(line) });
}

const posts = (): number => github.requests.filter((request) => request.method === "POST" && request.path.endsWith("/comments")).length;

beforeEach(() => {
  logs = [];
});

afterEach(async () => {
  await github.stop();
});

describe("exactly one comment per key", () => {
  it("three runs of one key started together leave one comment, showing one run's report (40 trials)", async () => {
    await startGitHub();
    const TRIALS = 40;
    for (let trial = 0; trial < TRIALS; trial++) {
      const pr = { ...PR, issueNumber: 100 + trial };
      await Promise.all(["run A", "run B", "run C"].map((body) => upsertStickyComment(newClient(), { ...pr, key: KEY, body })));
      const remaining = github.commentsOn(pr.owner, pr.repo, pr.issueNumber);
      expect(remaining, `trial ${trial}`).toHaveLength(1);
      expect(["run A", "run B", "run C"].map((body) => markedCommentBody(body, KEY))).toContain(remaining[0]?.body);
    }
  });

  it("does not post again when GitHub stored the comment but answered 502: it looks first", async () => {
    await startGitHub();
    github.failNext(1, { status: 502, afterServing: true }, { method: "POST", path: /\/issues\/42\/comments$/ });
    const result = await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "report" });
    expect(posts()).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(result).toMatchObject({ action: "unchanged", id: github.comments[0]?.id });
    expect(github.comments[0]?.body).toBe(markedCommentBody("report", KEY));
  });

  it("posts again when the 502 came before anything was stored", async () => {
    await startGitHub();
    github.failNext(1, { status: 502 }, { method: "POST", path: /\/issues\/42\/comments$/ });
    const result = await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "report" });
    expect(result.action).toBe("created");
    expect(github.comments).toHaveLength(1);
  });

  it("recreates a comment deleted between reading and updating", async () => {
    await startGitHub();
    const old = github.addComment({ ...PR, body: markedCommentBody("old", KEY), login: "github-actions[bot]" });
    const deleteIt = (): void => void github.comments.splice(github.comments.indexOf(old), 1);
    github.failNext(1, { status: 0, meanwhile: deleteIt }, { method: "PATCH" });
    const result = await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "new" });
    expect(result.action).toBe("created");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toBe(markedCommentBody("new", KEY));
  });

  it("a token that cannot read GET /user finds its comment through comment-author", async () => {
    await startGitHub({ login: "deploy-user", userEndpointStatus: 403 });
    const ours = github.addComment({ ...PR, body: markedCommentBody("old", KEY), login: "deploy-user" });
    const result = await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "new", author: "deploy-user" });
    expect(result).toMatchObject({ action: "updated", id: ours.id });
    expect(posts()).toBe(0);
    expect(github.comments).toHaveLength(1);
  });

  it("without comment-author, such a token learns who it is from its first comment and removes the duplicate", async () => {
    await startGitHub({ login: "deploy-user", userEndpointStatus: 403 });
    const ours = github.addComment({ ...PR, body: markedCommentBody("passed", KEY), login: "deploy-user" });
    const client = newClient();
    const result = await upsertStickyComment(client, { ...PR, key: KEY, body: "failed" });
    expect(github.comments).toEqual([ours]);
    expect(ours.body).toBe(markedCommentBody("failed", KEY));
    expect(result.id).toBe(ours.id);
    expect(logs[0]).toContain('set the input comment-author to "deploy-user"');
    // Learned for the rest of the run: no second POST.
    await upsertStickyComment(client, { ...PR, key: KEY, body: "failed again" });
    expect(posts()).toBe(1);
    expect(github.comments).toHaveLength(1);
  });
});

describe("findReviewedComment: only the gate's own, unedited words", () => {
  it("trusts a comment edited only by the gate (GraphQL shows the bot without [bot])", async () => {
    await startGitHub();
    await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "run 1" });
    await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "run 2" });
    const found = await findReviewedComment(newClient(), { ...PR, key: KEY });
    expect(found).toMatchObject({ found: true, trusted: true, body: markedCommentBody("run 2", KEY) });
    expect(github.requests.some((request) => request.method === "POST" && request.path === "/graphql")).toBe(true);
  });

  it("does not trust a comment a maintainer edited, even after the gate edited it again", async () => {
    await startGitHub();
    const { id } = await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "reviewed" });
    github.editComment(id, markedCommentBody("tampered fingerprint", KEY), "mallory");
    expect(await findReviewedComment(newClient(), { ...PR, key: KEY })).toMatchObject({
      found: true,
      trusted: false,
      reason: "it was edited by @mallory, not only by the gate (github-actions[bot])",
    });
    await upsertStickyComment(newClient(), { ...PR, key: KEY, body: "later run" });
    expect(await findReviewedComment(newClient(), { ...PR, key: KEY })).toMatchObject({ found: true, trusted: false });
  });

  it("does not read a marker quoted in another key's report", async () => {
    await startGitHub();
    await upsertStickyComment(newClient(), { ...PR, key: "infra/dev", body: `diagnostics:\n\n${markedCommentBody("x", KEY)}` });
    expect(await findReviewedComment(newClient(), { ...PR, key: KEY })).toEqual({ found: false });
  });
});
