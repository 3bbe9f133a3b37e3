import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { findPullRequestForCommit } from "../../src/github/pull-requests.js";
import { FakeGitHub, type FakePullRequest } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

// A real pull request object (from an "opened" webhook payload: the same shape the API lists),
// changed one field at a time below. The package is a JSON file: required, not imported.
const webhooks = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
const definition = webhooks.find((event) => event.name === "pull_request");
const opened = definition?.examples.find((example) => "action" in example && example.action === "opened");
if (opened === undefined || !("pull_request" in opened)) throw new Error("@octokit/webhooks-examples has no pull_request.opened example");
const realPullRequest = opened.pull_request;
const repository = realPullRequest.base.repo.full_name; // Codertocat/Hello-World
const [owner = "", repo = ""] = repository.split("/");

function pullRequest(
  number: number,
  changes: { state?: "open" | "closed"; merged_at?: string | null; headSha?: string; headRepository?: string } = {},
): FakePullRequest {
  const copy = structuredClone(realPullRequest) as unknown as FakePullRequest;
  copy.number = number;
  copy.html_url = `https://github.com/${repository}/pull/${number}`;
  copy.state = changes.state ?? "open";
  copy.merged_at = changes.merged_at ?? null;
  copy.head.sha = changes.headSha ?? copy.head.sha;
  if (changes.headRepository !== undefined) copy.head.repo.full_name = changes.headRepository;
  return copy;
}

describe("findPullRequestForCommit", () => {
  let github: FakeGitHub;
  let client: GitHubClient;

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    client = createGitHubClient({ token: TOKEN, baseUrl: github.url });
  });

  afterEach(async () => {
    await github.stop();
  });

  const find = () => findPullRequestForCommit(client, { owner, repo, sha: SHA });

  it("prefers the open pull request whose head is the commit", async () => {
    github.pullsForCommit.set(SHA, [
      pullRequest(3, { headSha: "1111111111111111111111111111111111111111" }),
      pullRequest(5, { headSha: SHA }),
    ]);
    expect(await find()).toEqual({ number: 5, headSha: SHA, url: `https://github.com/${repository}/pull/5`, fromFork: false });
    expect(github.requests.map((request) => request.path)).toEqual([`/repos/${owner}/${repo}/commits/${SHA}/pulls?per_page=100`]);
  });

  it("else takes the first open one", async () => {
    github.pullsForCommit.set(SHA, [
      pullRequest(2, { state: "closed", merged_at: "2026-01-02T10:00:00Z" }),
      pullRequest(3, { headSha: "2222222222222222222222222222222222222222" }),
      pullRequest(4, { headSha: "3333333333333333333333333333333333333333" }),
    ]);
    expect(await find()).toMatchObject({ number: 3, headSha: "2222222222222222222222222222222222222222" });
  });

  it("else the most recently merged one (a push to main after a merge)", async () => {
    github.pullsForCommit.set(SHA, [
      pullRequest(7, { state: "closed", merged_at: "2026-01-02T10:00:00Z" }),
      pullRequest(8, { state: "closed", merged_at: null }),
      pullRequest(9, { state: "closed", merged_at: "2026-01-03T08:00:00Z" }),
    ]);
    expect(await find()).toMatchObject({ number: 9 });
  });

  it("is undefined when only closed, unmerged pull requests contain the commit", async () => {
    github.pullsForCommit.set(SHA, [pullRequest(8, { state: "closed" })]);
    expect(await find()).toBeUndefined();
  });

  it("is undefined when no pull request contains the commit", async () => {
    expect(await find()).toBeUndefined();
  });

  it("says when the head branch is in a fork", async () => {
    github.pullsForCommit.set(SHA, [pullRequest(11, { headSha: SHA, headRepository: "someone/Hello-World" })]);
    expect(await find()).toMatchObject({ number: 11, fromFork: true });
  });

  it("treats a differently cased repository name as the same repository", async () => {
    github.pullsForCommit.set(SHA, [pullRequest(12, { headSha: SHA, headRepository: repository.toUpperCase() })]);
    expect(await find()).toMatchObject({ number: 12, fromFork: false });
  });
});
