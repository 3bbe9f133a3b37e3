// The fake answers like GitHub where the code under test depends on it: pagination and its
// Link header, status codes, error shapes, authentication, injected failures.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./fake-github.js";

const AUTH = { authorization: "token ghs_test" };

describe("FakeGitHub", () => {
  let github: FakeGitHub;

  beforeEach(async () => {
    github = await FakeGitHub.start();
    for (let index = 0; index < 75; index++) github.addComment({ owner: "o", repo: "r", issueNumber: 1, body: `c${index}` });
  });

  afterEach(async () => {
    await github.stop();
  });

  const get = async (path: string, headers: Record<string, string> = AUTH) => {
    const response = await fetch(`${github.url}${path}`, { headers });
    return { status: response.status, link: response.headers.get("link"), body: await response.json() };
  };
  const send = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${github.url}${path}`, {
      method,
      headers: { ...AUTH, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("pages 30 at a time by default, with GitHub's Link header", async () => {
    const first = await get("/repos/o/r/issues/1/comments");
    expect(first.status).toBe(200);
    expect((first.body as unknown[]).length).toBe(30);
    expect(first.link).toBe(
      `<${github.url}/repos/o/r/issues/1/comments?per_page=30&page=2>; rel="next", <${github.url}/repos/o/r/issues/1/comments?per_page=30&page=3>; rel="last"`,
    );
    const last = await get("/repos/o/r/issues/1/comments?page=3");
    expect((last.body as Array<{ body: string }>).map((comment) => comment.body)).toEqual(
      Array.from({ length: 15 }, (_, index) => `c${index + 60}`),
    );
    expect(last.link).toBe(
      `<${github.url}/repos/o/r/issues/1/comments?page=2&per_page=30>; rel="prev", <${github.url}/repos/o/r/issues/1/comments?page=1&per_page=30>; rel="first"`,
    );
  });

  it("caps per_page at 100 and answers a page past the end with an empty list", async () => {
    const all = await get("/repos/o/r/issues/1/comments?per_page=500");
    expect((all.body as unknown[]).length).toBe(75);
    expect(all.link).toBeNull();
    expect((await get("/repos/o/r/issues/1/comments?page=9")).body).toEqual([]);
  });

  it("answers 401 without a token and 404 for what it does not serve", async () => {
    expect(await get("/repos/o/r/issues/1/comments", {})).toMatchObject({ status: 401, body: { message: "Requires authentication" } });
    expect(await get("/repos/o/r/branches")).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });

  it("creates and edits comments as the token's account, validating the body like GitHub", async () => {
    const created = await send("POST", "/repos/o/r/issues/1/comments", { body: "hello" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ body: "hello", user: { login: "github-actions[bot]", type: "Bot" } });
    const id = created.body.id as number;
    expect(await send("PATCH", `/repos/o/r/issues/comments/${id}`, { body: "edited" })).toMatchObject({
      status: 200,
      body: { id, body: "edited" },
    });
    expect(await send("PATCH", `/repos/o/r/issues/comments/${id}`, { body: "z".repeat(65_537) })).toMatchObject({
      status: 422,
      body: { message: "Validation Failed", errors: [{ resource: "IssueComment", field: "body", code: "custom" }] },
    });
    expect(await send("POST", "/repos/o/r/issues/1/comments", { body: "z".repeat(65_536) })).toMatchObject({ status: 201 });
    expect(await send("POST", "/repos/o/r/issues/1/comments", {})).toMatchObject({ status: 422 });
    expect(await send("PATCH", "/repos/o/r/issues/comments/1", { body: "x" })).toMatchObject({ status: 404 });
  });

  it("records statuses and rejects a bad state or a long description", async () => {
    expect(await send("POST", "/repos/o/r/statuses/abc", { state: "success", context: "c", description: "d" })).toMatchObject({
      status: 201,
    });
    expect(await send("POST", "/repos/o/r/statuses/abc", { state: "green" })).toMatchObject({ status: 422 });
    expect(await send("POST", "/repos/o/r/statuses/abc", { state: "success", description: "d".repeat(141) })).toMatchObject({
      status: 422,
    });
    expect(github.statuses).toEqual([{ owner: "o", repo: "r", sha: "abc", state: "success", context: "c", description: "d" }]);
  });

  it("fails the requests it is told to, in order, only those that match", async () => {
    github.failNext(1, { status: 502 }, { method: "POST" });
    github.failNext(1, FakeGitHub.secondaryRateLimit(7));
    const limited = await fetch(`${github.url}/user`, { headers: AUTH });
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await send("POST", "/repos/o/r/statuses/abc", { state: "success" })).toMatchObject({
      status: 502,
      body: { message: "Bad Gateway" },
    });
    expect(await send("POST", "/repos/o/r/statuses/abc", { state: "success" })).toMatchObject({ status: 201 });
  });

  it("refuses writes when read-only, as for a fork's pull request", async () => {
    github.readOnly = true;
    expect(await send("POST", "/repos/o/r/issues/1/comments", { body: "x" })).toMatchObject({
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    expect((await get("/repos/o/r/issues/1/comments")).status).toBe(200);
  });
});
