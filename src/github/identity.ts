// Who the token acts as, to tell our own comments from anyone else's.
// A personal access token can read GET /user. An installation token (the workflow's
// GITHUB_TOKEN, or a GitHub App's) cannot: GitHub answers 403 (or 404). Then the login is
// assumed to be "github-actions[bot]", the workflow token's, and marked as assumed: the first
// comment this run creates shows who the token really is (see sticky-comment.ts), and the
// input comment-author names it for tokens that are not the workflow's. The answer is cached
// per client: one lookup per run.

import type { GitHubClient } from "./client.js";

export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

export interface Identity {
  readonly login: string;
  /** True when GET /user could not say and the workflow token's login is a guess. */
  readonly assumed: boolean;
}

const identities = new WeakMap<GitHubClient, Promise<Identity>>();

export async function ownIdentity(client: GitHubClient): Promise<Identity> {
  let identity = identities.get(client);
  if (identity === undefined) {
    identity = lookUpIdentity(client);
    identities.set(client, identity);
    // A failure (an outage, a revoked token) is not remembered: the next call asks again.
    identity.catch(() => identities.delete(client));
  }
  return identity;
}

export async function ownLogin(client: GitHubClient): Promise<string> {
  return (await ownIdentity(client)).login;
}

/** Records who the token turned out to be (the author of a comment it created). */
export function learnLogin(client: GitHubClient, login: string): void {
  identities.set(client, Promise.resolve({ login, assumed: false }));
}

/** The same account in REST ("github-actions[bot]") and GraphQL ("github-actions"); logins are case-insensitive. */
export function sameLogin(a: string, b: string): boolean {
  const normal = (login: string): string => login.toLowerCase().replace(/\[bot\]$/, "");
  return normal(a) === normal(b);
}

async function lookUpIdentity(client: GitHubClient): Promise<Identity> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { login: data.login, assumed: false };
  } catch (error) {
    const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
    if (status === 403 || status === 404) return { login: ACTIONS_BOT_LOGIN, assumed: true };
    throw error;
  }
}
