import { afterEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/github/client.js";
import { classifyGitHubError } from "../../src/github/errors.js";
import { ACTIONS_BOT_LOGIN, ownLogin } from "../../src/github/identity.js";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";

describe("ownLogin", () => {
  let github: FakeGitHub | undefined;

  afterEach(async () => {
    await github?.stop();
    github = undefined;
  });

  const start = async (options: FakeGitHubOptions) => {
    github = await FakeGitHub.start(options);
    return { github, client: createGitHubClient({ token: TOKEN, baseUrl: github.url, retries: 0 }) };
  };
  const userLookups = (fake: FakeGitHub): number => fake.requests.filter((request) => request.path === "/user").length;

  it("is the token's user when GET /user answers (a personal access token)", async () => {
    const { github, client } = await start({ login: "alice", userEndpointStatus: 200 });
    expect(await ownLogin(client)).toBe("alice");
    expect(userLookups(github)).toBe(1);
  });

  it("is github-actions[bot] when GET /user answers 403, as it does for GITHUB_TOKEN", async () => {
    const { client } = await start({ userEndpointStatus: 403 });
    expect(await ownLogin(client)).toBe(ACTIONS_BOT_LOGIN);
    expect(ACTIONS_BOT_LOGIN).toBe("github-actions[bot]");
  });

  it("is github-actions[bot] when GET /user answers 404", async () => {
    const { client } = await start({ userEndpointStatus: 404 });
    expect(await ownLogin(client)).toBe(ACTIONS_BOT_LOGIN);
  });

  it("asks once per client, even when asked twice at the same time", async () => {
    const { github, client } = await start({ login: "alice", userEndpointStatus: 200 });
    expect(await Promise.all([ownLogin(client), ownLogin(client)])).toEqual(["alice", "alice"]);
    expect(await ownLogin(client)).toBe("alice");
    expect(userLookups(github)).toBe(1);
    const otherClient = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    expect(await ownLogin(otherClient)).toBe("alice");
    expect(userLookups(github)).toBe(2);
  });

  it("fails on other answers, and does not remember the failure", async () => {
    const { github, client } = await start({ login: "alice", userEndpointStatus: 200 });
    github.failNext(1, { status: 500 });
    const failure = classifyGitHubError(await ownLogin(client).catch((error: unknown) => error));
    expect(failure).toMatchObject({ kind: "network", status: 500 });
    expect(await ownLogin(client)).toBe("alice");
  });

  it("fails on a rejected token (401) rather than guessing", async () => {
    const { github } = await start({ token: "ghs_TheRightToken0123456789" });
    const client = createGitHubClient({ token: TOKEN, baseUrl: github.url, retries: 0 });
    const failure = classifyGitHubError(await ownLogin(client).catch((error: unknown) => error));
    expect(failure).toMatchObject({ kind: "other", status: 401 });
    expect(failure.message).not.toContain(TOKEN);
  });
});
