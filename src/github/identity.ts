// Who the token acts as, to tell our own comments from anyone else's.
// A personal access token can read GET /user. An installation token (the workflow's
// GITHUB_TOKEN) cannot: GitHub answers 403 (or 404), and its comments are authored by
// "github-actions[bot]". The answer is cached per client: one lookup per run.

import type { GitHubClient } from "./client.js";

export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

const logins = new WeakMap<GitHubClient, Promise<string>>();

export async function ownLogin(client: GitHubClient): Promise<string> {
  let login = logins.get(client);
  if (login === undefined) {
    login = lookUpLogin(client);
    logins.set(client, login);
    // A failure (an outage, a revoked token) is not remembered: the next call asks again.
    login.catch(() => logins.delete(client));
  }
  return login;
}

async function lookUpLogin(client: GitHubClient): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
    if (status === 403 || status === 404) return ACTIONS_BOT_LOGIN;
    throw error;
  }
}
