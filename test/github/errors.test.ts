import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { classifyGitHubError } from "../../src/github/errors.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const COMMENT = { owner: "octo-org", repo: "infra", issue_number: 42, body: "report" };

describe("classifyGitHubError, on real Octokit errors", () => {
  let github: FakeGitHub;
  let client: GitHubClient;

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    client = createGitHubClient({ token: TOKEN, baseUrl: github.url, retries: 0, spaceWrites: false, log: () => undefined });
  });

  afterEach(async () => {
    await github.stop();
  });

  const failureOf = async (promise: Promise<unknown>) =>
    classifyGitHubError(
      await promise.then(
        () => undefined,
        (error: unknown) => error,
      ),
    );

  it("read-only-token: explains forks, permissions, and that the gate still reported", async () => {
    github.readOnly = true;
    expect(await failureOf(client.rest.issues.createComment(COMMENT))).toEqual({
      kind: "read-only-token",
      status: 403,
      message:
        'GitHub refused POST /repos/octo-org/infra/issues/42/comments with 403 "Resource not accessible by integration": the token cannot write here. ' +
        'Pull requests from forks always get a read-only token; otherwise grant the workflow "permissions: pull-requests: write" (comments) and "statuses: write" (commit status). ' +
        "The gate still ran: its result is in the job summary, the step outputs and the exit code.",
    });
  });

  it("too-large: quotes GitHub's validation message", async () => {
    expect(await failureOf(client.rest.issues.createComment({ ...COMMENT, body: "x".repeat(65_537) }))).toEqual({
      kind: "too-large",
      status: 422,
      message:
        "GitHub rejected POST /repos/octo-org/infra/issues/42/comments as too large (422: Validation Failed: body is too long (maximum is 65536 characters)).",
    });
  });

  it("not-found", async () => {
    expect(await failureOf(client.rest.issues.updateComment({ owner: "octo-org", repo: "infra", comment_id: 1, body: "x" }))).toMatchObject(
      {
        kind: "not-found",
        status: 404,
        message:
          "GitHub answered 404 to PATCH /repos/octo-org/infra/issues/comments/1: the repository, pull request or comment does not exist or the token cannot see it (Not Found).",
      },
    );
  });

  it("rate-limited, for 403 and 429 secondary limits and an exhausted quota", async () => {
    github.failNext(1, FakeGitHub.secondaryRateLimit(3600, 403));
    expect(await failureOf(client.rest.issues.createComment(COMMENT))).toMatchObject({ kind: "rate-limited", status: 403 });
    github.failNext(1, FakeGitHub.secondaryRateLimit(3600, 429));
    expect(await failureOf(client.rest.issues.createComment(COMMENT))).toMatchObject({ kind: "rate-limited", status: 429 });
    github.failNext(1, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) },
      body: { message: "API rate limit exceeded" },
    });
    const quota = await failureOf(client.rest.issues.createComment(COMMENT));
    expect(quota).toMatchObject({ kind: "rate-limited", status: 403 });
    expect(quota.message).toContain("API rate limit exceeded");
  });

  it("a 403 that is neither read-only nor a rate limit is other", async () => {
    github.failNext(1, { status: 403, body: { message: "Must have admin rights to Repository." } });
    expect(await failureOf(client.rest.issues.createComment(COMMENT))).toMatchObject({ kind: "other", status: 403 });
  });

  it("never shows the token, even when the server echoes it", async () => {
    github.failNext(1, { status: 400, body: { message: `Bad token ${TOKEN} and Authorization: token ${TOKEN}` } });
    const failure = await failureOf(client.rest.issues.createComment(COMMENT));
    expect(failure.kind).toBe("other");
    expect(failure.message).not.toContain(TOKEN);
    expect(failure.message).toContain("[REDACTED]");
  });
});

describe("classifyGitHubError, on anything else", () => {
  it("names a plain error as other, without a status", () => {
    expect(classifyGitHubError(new Error("something broke"))).toEqual({
      kind: "other",
      message: "the GitHub API call failed: something broke",
    });
    expect(classifyGitHubError("a string")).toEqual({ kind: "other", message: "the GitHub API call failed: no details" });
    expect(classifyGitHubError(undefined)).toEqual({ kind: "other", message: "the GitHub API call failed: no details" });
  });

  it("treats a timeout as network", () => {
    expect(classifyGitHubError(new DOMException("The operation was aborted due to timeout", "TimeoutError"))).toMatchObject({
      kind: "network",
    });
  });

  it("redacts every GitHub token shape and cuts long server text", () => {
    const tokens = [
      "ghp_abcdefghijklmnop",
      "gho_abcdefghijklmnop",
      "ghu_abcdefghijklmnop",
      "ghr_abcdefghijklmnop",
      "github_pat_11ABCDEFG0123456789_abcdefghij",
      "Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature",
    ];
    const message = classifyGitHubError(new Error(`${tokens.join(" ")} ${"long ".repeat(200)}`)).message;
    for (const token of tokens) expect(message).not.toContain(token.split(" ").at(-1));
    expect(message.length).toBeLessThan(400);
    expect(message.endsWith("…")).toBe(true);
  });
});
