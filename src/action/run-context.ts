// What the runner tells the action about this run (GITHUB_* variables and the event payload),
// read once into plain data. Read from the environment passed in, not at import time.

import { readFileSync } from "node:fs";
import os from "node:os";

export interface PullRequestFromEvent {
  readonly number: number;
  /** The pull request's head commit: where its status belongs (GITHUB_SHA is the merge commit). */
  readonly headSha: string;
  readonly fromFork: boolean;
}

export interface RunContext {
  readonly eventName: string;
  readonly owner: string | undefined;
  readonly repo: string | undefined;
  readonly sha: string | undefined;
  readonly apiUrl: string;
  /** GITHUB_SERVER_URL: where the repository's pages are (links to source lines). */
  readonly serverUrl: string;
  readonly runUrl: string | undefined;
  /** GITHUB_RUN_ID: the run a fingerprint was computed by. */
  readonly runId: string | undefined;
  readonly workspace: string;
  readonly tempDir: string;
  readonly pullRequest: PullRequestFromEvent | undefined;
}

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function pullRequestOf(payload: Record<string, unknown>): PullRequestFromEvent | undefined {
  const pullRequest = record(payload.pull_request);
  const number = pullRequest.number ?? payload.number;
  const head = record(pullRequest.head);
  if (typeof number !== "number" || typeof head.sha !== "string") return undefined;
  const headRepo = record(head.repo).full_name;
  const baseRepo = record(record(pullRequest.base).repo).full_name;
  return { number, headSha: head.sha, fromFork: typeof headRepo === "string" && typeof baseRepo === "string" && headRepo !== baseRepo };
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    owner: owner || undefined,
    repo: repo || undefined,
    sha: env.GITHUB_SHA || undefined,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    runUrl: owner && repo && env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    runId: env.GITHUB_RUN_ID || undefined,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? os.tmpdir(),
    pullRequest: pullRequestOf(payload),
  };
}
