// Turns a failed GitHub call into a kind a caller can branch on and one sentence it can show.
// Posting to GitHub is a side channel of the gate: the main module decides whether a failure
// here is a warning or fatal, so every kind comes with a message that stands on its own.
// Messages never carry a credential: the request's Authorization header is not read, and
// anything shaped like a GitHub token in the server's text is redacted.

export type GitHubFailureKind = "read-only-token" | "rate-limited" | "not-found" | "too-large" | "network" | "other";

export interface GitHubFailure {
  kind: GitHubFailureKind;
  status?: number;
  message: string;
}

const READ_ONLY_MESSAGE = "Resource not accessible by integration";
// The longest server text quoted in a message: error bodies can be whole HTML pages.
const MAX_QUOTED_LENGTH = 300;
// Personal, OAuth, user-to-server, installation and refresh tokens, fine-grained tokens, and
// whatever follows an authorization scheme.
const TOKEN_SHAPES = [/\bgh[opusr]_[A-Za-z0-9_]{8,}/g, /\bgithub_pat_[A-Za-z0-9_]{8,}/g, /\b(token|bearer|basic)\s+[^\s"',;]{8,}/gi];

interface ErrorShape {
  status?: unknown;
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { data?: unknown; headers?: Record<string, unknown> };
}

export function classifyGitHubError(error: unknown): GitHubFailure {
  const shape: ErrorShape = typeof error === "object" && error !== null ? error : {};
  const status = typeof shape.status === "number" && shape.status > 0 ? shape.status : undefined;
  const serverText = quote(serverMessage(shape));
  const where = describeRequest(shape);
  const answered = shape.response !== undefined;

  if (status === 403 && serverText.includes(READ_ONLY_MESSAGE)) {
    return {
      kind: "read-only-token",
      status,
      message:
        `GitHub refused ${where} with 403 "${READ_ONLY_MESSAGE}": the token cannot write here. ` +
        "Pull requests from forks always get a read-only token; otherwise grant the workflow " +
        '"permissions: pull-requests: write" (comments) and "statuses: write" (commit status). ' +
        "The gate still ran: its result is in the job summary, the step outputs and the exit code.",
    };
  }
  if (isRateLimit(status, serverText, shape.response?.headers)) {
    return {
      kind: "rate-limited",
      status,
      message: `GitHub rate-limited ${where} (${status}: ${serverText}); the retries allowed were used up or the wait asked for was too long.`,
    };
  }
  if (status === 404 || status === 410) {
    return {
      kind: "not-found",
      status,
      message: `GitHub answered ${status} to ${where}: the repository, pull request or comment does not exist or the token cannot see it (${serverText}).`,
    };
  }
  if (status === 413 || (status === 422 && /too long|too large|maximum is/i.test(serverText))) {
    return {
      kind: "too-large",
      status,
      message: `GitHub rejected ${where} as too large (${status}: ${serverText}).`,
    };
  }
  if (!answered && (status === undefined || status === 500) && isTransportFailure(shape)) {
    return {
      kind: "network",
      message: `GitHub could not be reached for ${where}: ${quote(transportMessage(shape))}.`,
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      kind: "network",
      status,
      message: `GitHub answered ${status} to ${where} on every attempt (${serverText}); it is probably a temporary outage.`,
    };
  }
  if (status === 401) {
    return {
      kind: "other",
      status,
      message: `GitHub rejected the token for ${where} (401: ${serverText}): it is missing, expired or revoked.`,
    };
  }
  return {
    kind: "other",
    ...(status === undefined ? {} : { status }),
    message: status === undefined ? `${where} failed: ${serverText}` : `GitHub answered ${status} to ${where} (${serverText}).`,
  };
}

/** GitHub's own text: the "message" of its JSON error body (with validation details), else the error's message. */
function serverMessage(shape: ErrorShape): string {
  const data = shape.response?.data;
  if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") {
    const details =
      "errors" in data && Array.isArray(data.errors)
        ? data.errors.map((detail: unknown) =>
            typeof detail === "object" && detail !== null && "message" in detail ? String(detail.message) : JSON.stringify(detail),
          )
        : [];
    return details.length > 0 ? `${data.message}: ${details.join("; ")}` : data.message;
  }
  if (typeof shape.message === "string" && shape.message !== "") return shape.message;
  return "no details";
}

function describeRequest(shape: ErrorShape): string {
  const method = typeof shape.request?.method === "string" ? shape.request.method : undefined;
  const url = typeof shape.request?.url === "string" ? shape.request.url : undefined;
  if (method === undefined || url === undefined) return "the GitHub API call";
  let path: string;
  try {
    path = new URL(url, "http://placeholder.invalid").pathname;
  } catch {
    path = url.split("?")[0] ?? url;
  }
  return `${method} ${redact(path)}`;
}

function isRateLimit(status: number | undefined, serverText: string, headers: Record<string, unknown> | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return /rate limit/i.test(serverText) || headers?.["x-ratelimit-remaining"] === "0" || headers?.["retry-after"] !== undefined;
}

// Octokit turns a fetch failure (refused connection, DNS, reset, timeout) into a RequestError
// with status 500 and no response; an abort arrives as the raw AbortError/TimeoutError.
function isTransportFailure(shape: ErrorShape): boolean {
  return shape.request !== undefined || shape.name === "AbortError" || shape.name === "TimeoutError" || typeof shape.code === "string";
}

function transportMessage(shape: ErrorShape): string {
  const parts: string[] = [];
  if (typeof shape.message === "string") parts.push(shape.message);
  const cause = shape.cause;
  if (
    typeof cause === "object" &&
    cause !== null &&
    "code" in cause &&
    typeof cause.code === "string" &&
    !parts.join(" ").includes(cause.code)
  ) {
    parts.push(cause.code);
  } else if (typeof shape.code === "string" && !parts.join(" ").includes(shape.code)) {
    parts.push(shape.code);
  }
  return parts.length > 0 ? parts.join(" ") : "no answer";
}

function quote(text: string): string {
  const single = redact(text).replace(/\s+/g, " ").trim();
  if (single.length <= MAX_QUOTED_LENGTH) return single;
  // Cut between code points, never inside a surrogate pair.
  return `${Array.from(single.slice(0, MAX_QUOTED_LENGTH)).slice(0, -1).join("")}…`;
}

function redact(text: string): string {
  return TOKEN_SHAPES.reduce(
    (result, shape) =>
      result.replace(shape, (match) => (/^(token|bearer|basic)\s/i.test(match) ? `${match.split(/\s/)[0]} [REDACTED]` : "[REDACTED]")),
    text,
  );
}
