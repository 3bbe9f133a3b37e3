import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type ClientOptions } from "../../src/github/client.js";
import { classifyGitHubError } from "../../src/github/errors.js";
import { setCommitStatus } from "../../src/github/commit-status.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghp_FakePersonalToken0123456789abcdefABCD";
const STATUS = {
  owner: "octo-org",
  repo: "infra",
  sha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
  state: "success",
  context: "policy-gate",
  description: "ok",
} as const;

describe("createGitHubClient", () => {
  let github: FakeGitHub;
  let logs: string[];

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    logs = [];
  });

  afterEach(async () => {
    await github.stop();
  });

  const client = (options: Partial<ClientOptions> = {}) =>
    createGitHubClient({
      token: TOKEN,
      baseUrl: github.url,
      backoffUnitMs: 10,
      spaceWrites: false,
      log: (message) => logs.push(message),
      ...options,
    });
  const attempts = (): number => github.requests.filter((request) => request.path.startsWith("/repos/octo-org/infra/statuses/")).length;
  const failureOf = async (promise: Promise<unknown>) =>
    classifyGitHubError(
      await promise.then(
        () => undefined,
        (error: unknown) => error,
      ),
    );

  it("sends the token and talks to the given base URL (a trailing slash is fine)", async () => {
    await setCommitStatus(client({ baseUrl: `${github.url}/` }), STATUS);
    expect(github.requests).toEqual([
      { method: "POST", path: `/repos/octo-org/infra/statuses/${STATUS.sha}`, authorization: `token ${TOKEN}` },
    ]);
  });

  it("retries a 502 twice, then succeeds", async () => {
    github.failNext(2, { status: 502, body: { message: "Server Error" } });
    await setCommitStatus(client(), STATUS);
    expect(attempts()).toBe(3);
    expect(github.statuses).toHaveLength(1);
  });

  it("retries a secondary rate limit (403 with retry-after: 1) after waiting as asked", async () => {
    github.failNext(1, FakeGitHub.secondaryRateLimit(1, 403));
    const started = performance.now();
    await setCommitStatus(client(), STATUS);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(attempts()).toBe(2);
    expect(github.statuses).toHaveLength(1);
    expect(logs).toEqual([`GitHub secondary rate limit on POST /repos/{owner}/{repo}/statuses/{sha}: retrying in 1 s (retry 1 of 3).`]);
  });

  it("retries a 429 secondary rate limit; retry-after: 0 waits a second, not the plugin's minute", async () => {
    github.failNext(2, FakeGitHub.secondaryRateLimit(0, 429));
    const started = performance.now();
    await setCommitStatus(client(), STATUS);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(attempts()).toBe(3);
    expect(github.statuses).toHaveLength(1);
  });

  it("retries an exhausted primary quota when it resets within the minute", async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    github.failNext(1, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      body: { message: "API rate limit exceeded for installation ID 1." },
    });
    await setCommitStatus(client(), STATUS);
    expect(attempts()).toBe(2);
    expect(logs[0]).toMatch(/^GitHub primary rate limit on POST .*: retrying in [0-2] s \(retry 1 of 3\)\.$/);
  });

  it("gives up on a permanent 502 after retries + 1 attempts, in bounded time", async () => {
    github.failNext(100, { status: 502 });
    const started = performance.now();
    const failure = await failureOf(setCommitStatus(client({ retries: 2 }), STATUS));
    expect(attempts()).toBe(3);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(failure).toMatchObject({ kind: "network", status: 502 });
    expect(failure.message).toBe(
      `GitHub answered 502 to POST /repos/octo-org/infra/statuses/${STATUS.sha} on every attempt (Bad Gateway); it is probably a temporary outage.`,
    );
  });

  it("retries 3 times by default", async () => {
    github.failNext(100, { status: 503 });
    await failureOf(setCommitStatus(client({ backoffUnitMs: 1 }), STATUS));
    expect(attempts()).toBe(4);
  });

  it("with retries: 0, makes one attempt", async () => {
    github.failNext(100, { status: 500 });
    await failureOf(setCommitStatus(client({ retries: 0 }), STATUS));
    expect(attempts()).toBe(1);
  });

  it("gives up on a permanent secondary rate limit after retries + 1 attempts", async () => {
    github.failNext(100, FakeGitHub.secondaryRateLimit(0, 429));
    const failure = await failureOf(setCommitStatus(client({ retries: 2 }), STATUS));
    expect(attempts()).toBe(3);
    expect(failure).toMatchObject({ kind: "rate-limited", status: 429 });
    expect(logs.at(-1)).toBe("GitHub secondary rate limit on POST /repos/{owner}/{repo}/statuses/{sha}: giving up (tried 2 retries).");
  });

  it("does not wait when GitHub asks for more than a minute", async () => {
    github.failNext(1, FakeGitHub.secondaryRateLimit(3600, 403));
    const started = performance.now();
    const failure = await failureOf(setCommitStatus(client(), STATUS));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(attempts()).toBe(1);
    expect(failure).toMatchObject({ kind: "rate-limited", status: 403 });
    expect(logs).toEqual([
      "GitHub secondary rate limit on POST /repos/{owner}/{repo}/statuses/{sha}: it asks to wait 3600 s, more than 60 s; giving up.",
    ]);
  });

  it("does not retry answers that will not change: 404, 422, 401", async () => {
    github.failNext(1, { status: 404, body: { message: "Not Found" } });
    expect((await failureOf(setCommitStatus(client(), STATUS))).kind).toBe("not-found");
    github.failNext(1, {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource: "Status", code: "custom", field: "sha", message: "No commit found for SHA" }],
      },
    });
    expect((await failureOf(setCommitStatus(client(), STATUS))).kind).toBe("other");
    const rejected = await failureOf(setCommitStatus(client({ token: "ghp_SomeOtherToken0123456789abcdefABCD" }), STATUS));
    expect(rejected).toMatchObject({ kind: "other", status: 401 });
    expect(rejected.message).toMatch(/rejected the token .*Bad credentials/);
    expect(rejected.message).not.toContain("ghp_SomeOtherToken");
    expect(attempts()).toBe(3);
  });

  it("limits the time of each attempt", async () => {
    github.failNext(1, { status: 200, delayMs: 10_000 });
    const started = performance.now();
    const failure = await failureOf(setCommitStatus(client({ retries: 0, attemptTimeoutMs: 200 }), STATUS));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(failure.kind).toBe("network");
    expect(failure.message).toMatch(/could not be reached for POST \/repos\/octo-org\/infra\/statuses\/.*timeout/i);
  });

  it("retries an attempt that timed out", async () => {
    github.failNext(1, { status: 200, delayMs: 10_000 });
    await setCommitStatus(client({ attemptTimeoutMs: 200 }), STATUS);
    expect(attempts()).toBe(2);
    expect(github.statuses).toHaveLength(1);
  });

  it("reports a server that cannot be reached as network", async () => {
    const closedPort = await unusedPort();
    const failure = await failureOf(setCommitStatus(client({ baseUrl: `http://127.0.0.1:${closedPort}`, retries: 1 }), STATUS));
    expect(failure.kind).toBe("network");
    expect(failure.message).toMatch(/ECONNREFUSED/);
    expect(failure.message).not.toContain(TOKEN);
  });

  it("spaces writes one second apart by default, as GitHub asks", async () => {
    const spaced = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    const started = performance.now();
    await setCommitStatus(spaced, STATUS);
    await setCommitStatus(spaced, { ...STATUS, state: "failure" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(github.statuses.map((status) => status.state)).toEqual(["success", "failure"]);
  });

  it("refuses a negative or fractional retry count", () => {
    expect(() => createGitHubClient({ token: TOKEN, baseUrl: github.url, retries: -1 })).toThrow(RangeError);
    expect(() => createGitHubClient({ token: TOKEN, baseUrl: github.url, retries: 1.5 })).toThrow(RangeError);
  });
});

/** A loopback port with nothing listening on it. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
