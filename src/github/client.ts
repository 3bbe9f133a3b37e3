// The one way this project talks to GitHub: an Octokit from @actions/github with GitHub's
// recommended failure handling, bounded so that a step never hangs on the API.
// - 5xx answers and dropped connections: @octokit/plugin-retry, `retries` times, with a
//   quadratic backoff (1 s, 4 s, 9 s by default).
// - Rate limits (403/429 with retry-after, or an exhausted quota): @octokit/plugin-throttling,
//   at most `retries` times, and only when GitHub asks to wait no longer than a minute;
//   otherwise the call fails at once and the caller reports it ("rate-limited").
// - Every attempt has a time limit, so a silent server costs at most that much per attempt.
// - Writes are spaced as GitHub asks of integrations (the throttling plugin: 1 s between
//   writes, 3 s between those that notify, such as new comments); a run makes a few at most.
// The two plugins are kept apart: the retry plugin leaves 403 and 429 to the throttling
// plugin, or a rate-limited call would be retried by both.

import { getOctokit } from "@actions/github";
import { defaults as actionsDefaults } from "@actions/github/lib/utils";
import type { OctokitOptions, OctokitPlugin } from "@octokit/core/types";
import { retry } from "@octokit/plugin-retry";
import { throttling, type ThrottlingOptions } from "@octokit/plugin-throttling";

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** The REST API root, e.g. GITHUB_API_URL (https://api.github.com, or a loopback fake in tests). */
  baseUrl: string;
  /** Retries after the first attempt, for server errors and for rate limits alike. Default 3. */
  retries?: number;
  /** Where retry and rate-limit notices go (also Octokit's own warnings). Default: console. */
  log?: (message: string) => void;
  /** Unit of the 5xx backoff: retry n waits n² units. Default 1000 ms; tests shorten it. */
  backoffUnitMs?: number;
  /** Time limit of one attempt. Default 30 000 ms. */
  attemptTimeoutMs?: number;
  /** Space writes apart as GitHub asks. Default true; tests that make many writes turn it off. */
  spaceWrites?: boolean;
}

export const DEFAULT_RETRIES = 3;
/** The longest wait a rate limit may ask for before the call is given up rather than retried. */
export const MAX_RETRY_AFTER_SECONDS = 60;
const DEFAULT_BACKOFF_UNIT_MS = 1000;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
// The retry plugin's defaults (client errors are final), plus 429, which is the throttling
// plugin's to handle.
const NOT_RETRIED_BY_BACKOFF = [400, 401, 403, 404, 410, 422, 429, 451];

export function createGitHubClient(options: ClientOptions): GitHubClient {
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`retries must be a whole number of at least 0, not ${String(options.retries)}`);
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const log = options.log;

  const onLimit =
    (which: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const route = `${request.method} ${request.url}`;
      if (retryCount >= retries) {
        const tried = retries === 0 ? "retries are off" : `tried ${retryCount} ${retryCount === 1 ? "retry" : "retries"}`;
        client.log.warn(`GitHub ${which} rate limit on ${route}: giving up (${tried}).`);
        return false;
      }
      if (retryAfter > MAX_RETRY_AFTER_SECONDS) {
        client.log.warn(
          `GitHub ${which} rate limit on ${route}: it asks to wait ${retryAfter} s, more than ${MAX_RETRY_AFTER_SECONDS} s; giving up.`,
        );
        return false;
      }
      client.log.warn(`GitHub ${which} rate limit on ${route}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${retries}).`);
      return true;
    };

  const octokitOptions: OctokitOptions = {
    baseUrl,
    // @actions/github's fetch honours the runner's proxy settings, but it is bound to the API
    // URL of the environment (GITHUB_API_URL); any other base URL uses Node's own fetch.
    request: baseUrl === actionsDefaults.baseUrl?.replace(/\/+$/, "") ? { ...actionsDefaults.request } : { fetch: globalThis.fetch },
    retry: { retries, doNotRetry: NOT_RETRIED_BY_BACKOFF, retryAfterBaseValue: options.backoffUnitMs ?? DEFAULT_BACKOFF_UNIT_MS },
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      fallbackSecondaryRateRetryAfter: MAX_RETRY_AFTER_SECONDS,
      ...(options.spaceWrites === false ? { write: UNSPACED, notifications: UNSPACED } : {}),
    },
    ...(log === undefined ? {} : { log: { debug: () => undefined, info: log, warn: log, error: log } }),
  };
  // The plugins of our own come first: Octokit runs the hooks registered first innermost, so
  // they act on each attempt rather than on the whole call with its retries.
  const client: GitHubClient = getOctokit(
    options.token,
    octokitOptions,
    attemptTimeout(options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS),
    retryAfterZeroAsOneSecond(),
    retry,
    throttling,
  );
  return client;
}

// Stands in for the throttling plugin's write queues (Bottleneck groups, of which the plugin
// only calls key(id).schedule(options, job)): runs every job at once.
const UNSPACED = {
  key: () => ({ schedule: async (_options: unknown, job: () => Promise<unknown>) => job() }),
} as unknown as NonNullable<Extract<ThrottlingOptions, { onRateLimit: unknown }>["write"]>;

function attemptTimeout(milliseconds: number): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap("request", (request, requestOptions) => {
      // Every hook gets the same options object and the next one ignores what is handed down:
      // the signal goes on that object (a fresh `request` part, not the client's defaults).
      requestOptions.request = { ...requestOptions.request, signal: AbortSignal.timeout(milliseconds) };
      return request(requestOptions);
    });
  };
}

// The throttling plugin reads "retry-after: 0" as no header and waits its fallback, a whole
// minute; 0 means "retry now", so it is read as 1 s, the shortest wait the plugin keeps.
function retryAfterZeroAsOneSecond(): OctokitPlugin {
  return (octokit) => {
    octokit.hook.error("request", (error) => {
      const headers = typeof error === "object" && error !== null && "response" in error ? error.response?.headers : undefined;
      if (headers !== undefined && headers["retry-after"] !== undefined && String(headers["retry-after"]).trim() === "0")
        headers["retry-after"] = "1";
      throw error;
    });
  };
}
