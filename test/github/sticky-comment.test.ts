import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { classifyGitHubError } from "../../src/github/errors.js";
import { commentMarker, leadingMarkers, markedCommentBody, upsertStickyComment } from "../../src/github/sticky-comment.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const PR = { owner: "octo-org", repo: "infra", issueNumber: 42 };

describe("commentMarker", () => {
  it("is a hidden HTML comment that names the key readably", () => {
    expect(commentMarker("infra/prod")).toBe("<!-- pulumi-policy-gate:comment-key=infra/prod -->");
    expect(commentMarker("my-project/dev_eu.1~x")).toBe("<!-- pulumi-policy-gate:comment-key=my-project/dev_eu.1~x -->");
  });

  it("percent-encodes everything that could end the comment or blur the key's end", () => {
    expect(commentMarker("a --> b")).toBe("<!-- pulumi-policy-gate:comment-key=a%20--%3E%20b -->");
    expect(commentMarker("x--!>y")).toBe("<!-- pulumi-policy-gate:comment-key=x--%21%3Ey -->");
    expect(commentMarker("k=v %41")).toBe("<!-- pulumi-policy-gate:comment-key=k%3Dv%20%2541 -->");
    expect(commentMarker("prod/é")).toBe("<!-- pulumi-policy-gate:comment-key=prod/%C3%A9 -->");
  });

  it("tells a lone surrogate from the replacement character", () => {
    expect(commentMarker("a\uD800")).not.toBe(commentMarker("a\uFFFD"));
  });

  it("never puts one key's marker inside another's, and never closes the comment early", () => {
    const marker = commentMarker("a");
    for (const other of ["a/b", "ba", "a ", "a-", "A", "a%", "a -->"]) expect(commentMarker(other)).not.toContain(marker);
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (first, second) => {
        fc.pre(first !== second);
        const firstMarker = commentMarker(first);
        expect(commentMarker(second).includes(firstMarker)).toBe(false);
        expect(firstMarker.indexOf("-->")).toBe(firstMarker.length - 3);
        expect(firstMarker).not.toContain("--!>");
      }),
      { numRuns: 500 },
    );
  });
});

describe("upsertStickyComment", () => {
  let github: FakeGitHub;
  let client: GitHubClient;
  let logs: string[];

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    logs = [];
    client = createGitHubClient({
      token: TOKEN,
      baseUrl: github.url,
      backoffUnitMs: 5,
      spaceWrites: false,
      log: (message) => logs.push(message),
    });
  });

  afterEach(async () => {
    await github.stop();
  });

  const writes = (): string[] =>
    github.requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`);

  it("creates the comment, then updates it in place, then leaves identical text alone", async () => {
    const created = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "## Policy gate\n\n1 violation" });
    expect(created.action).toBe("created");
    expect(github.comments).toHaveLength(1);
    const [comment] = github.comments;
    expect(comment).toMatchObject({
      id: created.id,
      html_url: created.url,
      issueNumber: 42,
      user: { login: "github-actions[bot]", type: "Bot" },
    });
    expect(comment?.body).toBe("<!-- pulumi-policy-gate:comment-key=infra/prod -->\n\n## Policy gate\n\n1 violation");
    expect(created.url).toBe(`https://github.com/octo-org/infra/pull/42#issuecomment-${created.id}`);

    const updated = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "## Policy gate\n\nno violations" });
    expect(updated).toEqual({ action: "updated", id: created.id, url: created.url });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toBe(markedCommentBody("## Policy gate\n\nno violations", "infra/prod"));

    const unchanged = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "## Policy gate\n\nno violations" });
    expect(unchanged).toEqual({ action: "unchanged", id: created.id, url: created.url });
    expect(writes()).toEqual([
      `POST /repos/octo-org/infra/issues/42/comments`,
      `PATCH /repos/octo-org/infra/issues/comments/${created.id}`,
    ]);
    // GET /user once (cached), then one listing per call.
    expect(github.requests.filter((request) => request.path === "/user")).toHaveLength(1);
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it("reads every page: finds its comment on page 3 of 260", async () => {
    for (let index = 0; index < 230; index++)
      github.addComment({ ...PR, body: `comment ${index}`, login: index % 2 === 0 ? "alice" : "renovate[bot]" });
    const ours = github.addComment({ ...PR, body: markedCommentBody("old report", "infra/prod"), login: "github-actions[bot]" });
    for (let index = 0; index < 29; index++) github.addComment({ ...PR, body: `later ${index}`, login: "bob" });

    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "new report" });

    expect(result).toMatchObject({ action: "updated", id: ours.id });
    expect(github.comments).toHaveLength(260);
    expect(ours.body).toBe(markedCommentBody("new report", "infra/prod"));
    const listings = github.requests
      .filter((request) => request.method === "GET" && request.path.includes("/issues/42/comments"))
      .map((request) => request.path);
    // Once to find it, once after writing to look for duplicates.
    const everyPage = [
      "/repos/octo-org/infra/issues/42/comments?per_page=100",
      "/repos/octo-org/infra/issues/42/comments?per_page=100&page=2",
      "/repos/octo-org/infra/issues/42/comments?per_page=100&page=3",
    ];
    expect(listings).toEqual([...everyPage, ...everyPage]);
  });

  it("does not take over a comment by someone else that carries its marker", async () => {
    const quoted = github.addComment({ ...PR, body: `> ${markedCommentBody("copied", "infra/prod")}`, login: "alice" });
    const otherBot = github.addComment({ ...PR, body: markedCommentBody("another bot", "infra/prod"), login: "pulumi[bot]" });

    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "report" });

    expect(result.action).toBe("created");
    expect(github.comments).toHaveLength(3);
    expect(quoted.body).toBe(`> ${markedCommentBody("copied", "infra/prod")}`);
    expect(otherBot.body).toBe(markedCommentBody("another bot", "infra/prod"));
  });

  it("finds the key only in the leading block of markers, never in the report below it", async () => {
    // A dev report whose diagnostics quote the prod key's marker: not prod's comment.
    const dev = github.addComment({
      ...PR,
      body: markedCommentBody(`error:\n\n\`\`\`\n${commentMarker("infra/prod")}\n\`\`\``, "infra/dev"),
      login: "github-actions[bot]",
    });
    const devBody = dev.body;
    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "prod report" });
    expect(result.action).toBe("created");
    expect(result.id).not.toBe(dev.id);
    expect(dev.body).toBe(devBody);
    expect(github.comments).toHaveLength(2);
    // Text before the marker: not a comment the gate wrote.
    expect(leadingMarkers(`edited by hand\n\n${markedCommentBody("x", "a")}`)).toEqual([]);
  });

  it("keeps one comment per key on the same pull request", async () => {
    const prod = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "prod 1" });
    const dev = await upsertStickyComment(client, { ...PR, key: "infra/dev", body: "dev 1" });
    const prodAgain = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "prod 2" });
    const devAgain = await upsertStickyComment(client, { ...PR, key: "infra/dev", body: "dev 1" });

    expect([prod.action, dev.action, prodAgain.action, devAgain.action]).toEqual(["created", "created", "updated", "unchanged"]);
    expect(prod.id).not.toBe(dev.id);
    expect(github.comments.map((comment) => comment.body)).toEqual([
      markedCommentBody("prod 2", "infra/prod"),
      markedCommentBody("dev 1", "infra/dev"),
    ]);
  });

  it("does not confuse keys that are prefixes of each other", async () => {
    const short = await upsertStickyComment(client, { ...PR, key: "a", body: "for a" });
    const long = await upsertStickyComment(client, { ...PR, key: "a/b", body: "for a/b" });
    const longer = await upsertStickyComment(client, { ...PR, key: "a/b-c", body: "for a/b-c" });
    const shortAgain = await upsertStickyComment(client, { ...PR, key: "a", body: "for a, again" });

    expect([short.action, long.action, longer.action, shortAgain.action]).toEqual(["created", "created", "created", "updated"]);
    expect(shortAgain.id).toBe(short.id);
    expect(github.comments.map((comment) => comment.body)).toEqual([
      markedCommentBody("for a, again", "a"),
      markedCommentBody("for a/b", "a/b"),
      markedCommentBody("for a/b-c", "a/b-c"),
    ]);
  });

  it("keeps pull requests and repositories apart", async () => {
    github.addComment({
      owner: "octo-org",
      repo: "infra",
      issueNumber: 7,
      body: markedCommentBody("other PR", "infra/prod"),
      login: "github-actions[bot]",
    });
    github.addComment({
      owner: "octo-org",
      repo: "web",
      issueNumber: 42,
      body: markedCommentBody("other repo", "infra/prod"),
      login: "github-actions[bot]",
    });
    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "report" });
    expect(result.action).toBe("created");
  });

  it("after a race, writes into the oldest of several, deletes the rest and says so", async () => {
    const older = github.addComment({
      ...PR,
      body: markedCommentBody("run 1", "infra/prod"),
      login: "github-actions[bot]",
      createdAt: "2026-01-05T10:00:00Z",
    });
    const newer = github.addComment({
      ...PR,
      body: markedCommentBody("run 2", "infra/prod"),
      login: "github-actions[bot]",
      createdAt: "2026-01-05T10:00:05Z",
    });

    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "run 3" });

    expect(result).toMatchObject({ action: "updated", id: older.id });
    expect(github.comments).toEqual([older]);
    expect(older.body).toBe(markedCommentBody("run 3", "infra/prod"));
    expect(logs).toEqual([
      `octo-org/infra#42 had 2 comments with the key "infra/prod"; kept the oldest (${older.id}) and deleted ${newer.id}.`,
    ]);
  });

  it("with a personal access token, its comments are the ones by the token's user", async () => {
    await github.stop();
    github = await FakeGitHub.start({ login: "alice", userEndpointStatus: 200, token: TOKEN });
    client = createGitHubClient({ token: TOKEN, baseUrl: github.url, backoffUnitMs: 5, spaceWrites: false });
    github.addComment({ ...PR, body: markedCommentBody("by the bot", "infra/prod"), login: "github-actions[bot]" });
    const alices = github.addComment({ ...PR, body: markedCommentBody("by alice", "infra/prod"), login: "Alice" });

    const result = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "report" });

    expect(result).toMatchObject({ action: "updated", id: alices.id });
  });

  it("surfaces GitHub's 422 for a body over 65,536 characters as too-large", async () => {
    const error = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "x".repeat(65_536) }).catch(
      (caught: unknown) => caught,
    );
    expect(github.comments).toHaveLength(0);
    const failure = classifyGitHubError(error);
    expect(failure).toMatchObject({ kind: "too-large", status: 422 });
    expect(failure.message).toContain("body is too long (maximum is 65536 characters)");
    expect(github.requests.filter((request) => request.method === "POST")).toHaveLength(1); // 422 is final
  });

  it("also when the comment exists and the update is too long", async () => {
    const ours = github.addComment({ ...PR, body: markedCommentBody("short", "infra/prod"), login: "github-actions[bot]" });
    const error = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "y".repeat(70_000) }).catch(
      (caught: unknown) => caught,
    );
    expect(classifyGitHubError(error).kind).toBe("too-large");
    expect(ours.body).toBe(markedCommentBody("short", "infra/prod"));
  });

  it("on a read-only token (a fork's pull request), fails with an explanation and no token", async () => {
    github.readOnly = true;
    const error = await upsertStickyComment(client, { ...PR, key: "infra/prod", body: "report" }).catch((caught: unknown) => caught);
    const failure = classifyGitHubError(error);
    expect(failure).toMatchObject({ kind: "read-only-token", status: 403 });
    expect(failure.message).toMatch(/forks always get a read-only token/);
    expect(failure.message).toMatch(/job summary, the step outputs and the exit code/);
    expect(failure.message).toContain("POST /repos/octo-org/infra/issues/42/comments");
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String(error)).not.toContain(TOKEN);
    expect(failure.message).not.toContain(TOKEN);
    expect(github.comments).toHaveLength(0);
  });
});
