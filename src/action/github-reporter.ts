// Reporting to GitHub: one client, the pull request found once, then the comment and the commit
// status published as often as the run needs (a deploy publishes "pending", then its result).
// A failure here is a warning: it never changes the verdict. Every line it writes to the log goes
// through the run's masker and the workflow-command escaping (logOf), as the rest of the log does.

import { createGitHubClient, type GitHubClient } from "../github/client.js";
import { setCommitStatus, type CommitState } from "../github/commit-status.js";
import { classifyGitHubError } from "../github/errors.js";
import { findPullRequestForCommit } from "../github/pull-requests.js";
import { findReviewedComment, upsertStickyComment } from "../github/sticky-comment.js";
import { NO_MASKING, type Masker } from "../gate/masking.js";
import type { Config } from "./inputs.js";
import { logOf } from "./publish.js";
import type { PullRequestFromEvent, RunContext } from "./run-context.js";

/** The log lines of a run: masked and without workflow commands. */
type Log = ReturnType<typeof logOf>;

/** A warning that `what` failed. Without the run's log, the text is only kept from making workflow commands. */
export function warnAboutGitHub(what: string, error: unknown, log: Log = logOf(NO_MASKING)): void {
  const { kind, message } = classifyGitHubError(error);
  const explanation =
    kind === "read-only-token"
      ? "the token is read-only (a pull request from a fork gets one); the result is in the job summary, the outputs and the exit code"
      : message;
  log.warning(`pulumi-policy-gate: could not ${what}: ${explanation}`);
}

export class GitHubReporter {
  /** Why the comment read last was not trusted as reviewed (someone else edited it), if it was not. */
  distrust: string | undefined;

  private constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
    private readonly config: Config,
    private readonly context: RunContext,
    readonly pullRequest: PullRequestFromEvent | undefined,
    private readonly log: Log,
  ) {}

  /**
   * Undefined without a token or a repository: then nothing is posted. `masker` is the run's: it
   * masks every line the reporter and its client log, including secrets it learns later.
   */
  static async connect(config: Config, context: RunContext, masker: Masker): Promise<GitHubReporter | undefined> {
    const { owner, repo } = context;
    const log = logOf(masker);
    if (!config.githubToken || !owner || !repo) {
      log.info("pulumi-policy-gate: no GitHub token or repository: no comment and no commit status.");
      return undefined;
    }
    const client = createGitHubClient({ token: config.githubToken, baseUrl: context.apiUrl, log: (message) => log.info(message) });
    let pullRequest = context.pullRequest;
    if (!pullRequest && context.sha) {
      try {
        const found = await findPullRequestForCommit(client, { owner, repo, sha: context.sha });
        if (found) pullRequest = { number: found.number, headSha: found.headSha, fromFork: found.fromFork };
      } catch (error) {
        warnAboutGitHub(`find the pull request of commit ${context.sha}`, error, log);
      }
    }
    if (!pullRequest) log.info("pulumi-policy-gate: no pull request for this run: no comment.");
    return new GitHubReporter(client, owner, repo, config, context, pullRequest, log);
  }

  /**
   * The body of this run's comment (by key) on the pull request, only when nobody but the gate
   * ever edited it; an edited comment is reported (a warning) and read as no comment.
   */
  async reviewedCommentBody(key: string): Promise<string | undefined> {
    if (!this.pullRequest) return undefined;
    try {
      const found = await findReviewedComment(this.client, {
        owner: this.owner,
        repo: this.repo,
        issueNumber: this.pullRequest.number,
        key,
        author: this.config.commentAuthor,
      });
      this.distrust = undefined;
      if (!found.found) return undefined;
      if (found.trusted) return found.body;
      this.distrust = `The comment does not count as reviewed: ${found.reason}.`;
      this.log.warning(`pulumi-policy-gate: the comment ${found.url} is not trusted as reviewed: ${found.reason}.`);
      return undefined;
    } catch (error) {
      warnAboutGitHub(`read the comment on pull request #${this.pullRequest.number}`, error, this.log);
      return undefined;
    }
  }

  /** Creates or updates the comment; returns its URL. */
  async comment(key: string, body: string): Promise<string | undefined> {
    if (!this.pullRequest || !this.config.commentOnPr) return undefined;
    try {
      const result = await upsertStickyComment(this.client, {
        owner: this.owner,
        repo: this.repo,
        issueNumber: this.pullRequest.number,
        key,
        body,
        author: this.config.commentAuthor,
      });
      this.log.info(`pulumi-policy-gate: comment ${result.action} on pull request #${this.pullRequest.number}: ${result.url}`);
      return result.url;
    } catch (error) {
      warnAboutGitHub(`comment on pull request #${this.pullRequest.number}`, error, this.log);
      return undefined;
    }
  }

  /**
   * The commit status: on a pull request's run, on its head commit (GITHUB_SHA is a merge commit
   * nobody sees); otherwise on the run's own commit, also when a pull request was found for it
   * (after a merge, that pull request's head is not the commit being checked or deployed).
   */
  async status(stack: string, state: CommitState, description: string): Promise<void> {
    const sha = this.context.pullRequest?.headSha ?? this.context.sha;
    if (!sha) return;
    try {
      await setCommitStatus(this.client, {
        owner: this.owner,
        repo: this.repo,
        sha,
        state,
        context: this.config.statusContext ?? `pulumi-policy-gate/${stack}`,
        description,
        ...(this.context.runUrl ? { targetUrl: this.context.runUrl } : {}),
      });
    } catch (error) {
      warnAboutGitHub(`set the commit status on ${sha}`, error, this.log);
    }
  }
}
