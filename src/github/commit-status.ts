// The gate's own named check on a commit: a commit status, which attaches to the commit
// dependably (a check run made with the workflow token lands in whichever workflow GitHub picks).

import type { GitHubClient } from "./client.js";

export type CommitState = "success" | "failure" | "error" | "pending";

export interface CommitStatusArgs {
  owner: string;
  repo: string;
  sha: string;
  state: CommitState;
  /** The check's name on the pull request, e.g. "policy-gate / infra/prod". */
  context: string;
  description: string;
  targetUrl?: string;
}

/** GitHub rejects a longer description with 422. */
export const MAX_STATUS_DESCRIPTION_LENGTH = 140;

export async function setCommitStatus(client: GitHubClient, args: CommitStatusArgs): Promise<void> {
  await client.rest.repos.createCommitStatus({
    owner: args.owner,
    repo: args.repo,
    sha: args.sha,
    state: args.state,
    context: args.context,
    description: truncateStatusDescription(args.description),
    ...(args.targetUrl === undefined ? {} : { target_url: args.targetUrl }),
  });
}

/**
 * One line of at most 140 UTF-16 code units (so at most 140 characters however GitHub
 * counts), cut between code points and ended with "…" when it was longer.
 */
export function truncateStatusDescription(description: string): string {
  const line = description.replace(/\s+/g, " ").trim();
  if (line.length <= MAX_STATUS_DESCRIPTION_LENGTH) return line;
  let cut = "";
  for (const character of line) {
    if (cut.length + character.length > MAX_STATUS_DESCRIPTION_LENGTH - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}
