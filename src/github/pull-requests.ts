// Which pull request a commit belongs to, for runs that are not pull_request events (a push,
// a workflow_dispatch) but should still comment on the pull request being reviewed.

import type { GitHubClient } from "./client.js";

export interface PullRequestRef {
  number: number;
  headSha: string;
  url: string;
  /** The head branch lives in another repository (or one since deleted): the token is read-only there. */
  fromFork: boolean;
}

interface ListedPullRequest {
  number: number;
  state: string;
  merged_at: string | null;
  html_url: string;
  head: { sha: string; repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}

// A commit belongs to a handful of pull requests at most; this bounds a server that keeps
// answering with a "next" page.
const MAX_PAGES = 10;

/**
 * The open pull request whose head is this commit; else the first open one that contains it;
 * else the most recently merged one (a push to the default branch after a merge); else none.
 */
export async function findPullRequestForCommit(
  client: GitHubClient,
  args: { owner: string; repo: string; sha: string },
): Promise<PullRequestRef | undefined> {
  const pulls: ListedPullRequest[] = [];
  let pages = 0;
  for await (const page of client.paginate.iterator(client.rest.repos.listPullRequestsAssociatedWithCommit, {
    owner: args.owner,
    repo: args.repo,
    commit_sha: args.sha,
    per_page: 100,
  })) {
    pulls.push(...page.data);
    pages += 1;
    if (pages >= MAX_PAGES) break;
  }

  const open = pulls.filter((pull) => pull.state === "open");
  const merged = pulls
    .filter((pull) => pull.merged_at !== null)
    .sort((a, b) => Date.parse(b.merged_at ?? "") - Date.parse(a.merged_at ?? ""));
  const chosen = open.find((pull) => pull.head.sha === args.sha) ?? open[0] ?? merged[0];
  if (chosen === undefined) return undefined;
  return {
    number: chosen.number,
    headSha: chosen.head.sha,
    url: chosen.html_url,
    fromFork: chosen.head.repo === null || chosen.head.repo.full_name.toLowerCase() !== chosen.base.repo.full_name.toLowerCase(),
  };
}
