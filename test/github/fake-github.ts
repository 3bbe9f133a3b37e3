// A fake GitHub REST API on a loopback port, for tests that drive a real Octokit (or the whole
// action, with GITHUB_API_URL pointing here). It keeps its state in public arrays that tests
// seed and inspect, and answers the way GitHub does: JSON bodies, GitHub's error shapes and
// status codes, and pagination with `per_page`/`page` and a `Link` header.
//
//   const github = await FakeGitHub.start();              // token acts as github-actions[bot]
//   afterEach(() => github.stop());
//   github.addComment({ owner: "octo-org", repo: "infra", issueNumber: 7, body: "hi", login: "alice" });
//   github.failNext(2, { status: 502 });                  // the next two requests fail
//   github.failNext(1, FakeGitHub.secondaryRateLimit(1)); // 403 + retry-after: 1
//   github.readOnly = true;                               // writes answer 403, like a fork PR
//   ... run the code under test with baseUrl github.url ...
//   expect(github.comments).toHaveLength(1);
//
// Endpoints (owner and repo are free: every repository exists and is empty until seeded):
//   GET   /user                                   login, or options.userEndpointStatus (403 by
//                                                 default, as for an installation token)
//   GET   /repos/{o}/{r}/issues/{n}/comments      paginated, oldest first
//   POST  /repos/{o}/{r}/issues/{n}/comments      201; 422 when the body is missing or longer
//                                                 than 65,536 characters (UTF-16 code units)
//   PATCH /repos/{o}/{r}/issues/comments/{id}     200; 404 for an unknown id; same 422; the edit
//                                                 is recorded in the comment's `edits`
//   DELETE /repos/{o}/{r}/issues/comments/{id}    204; 404 for an unknown id
//   POST  /graphql                                only the query `node(id:)` on an IssueComment:
//                                                 lastEditedAt, editor { login } and
//                                                 userContentEdits { nodes { editedAt editor { login } } }
//                                                 (a bot's GraphQL login lacks "[bot]", as on GitHub)
//   POST  /repos/{o}/{r}/statuses/{sha}           201; 422 for a bad state or a description
//                                                 over 140 characters
//   GET   /repos/{o}/{r}/commits/{sha}/pulls      paginated, from `pullsForCommit` (keyed by sha)
// Anything else answers 404 {"message":"Not Found"}. A request without an Authorization header
// answers 401, as does a token other than options.token when one is given.

import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  login: string;
  type: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  owner: string;
  repo: string;
  body: string;
  user: FakeUser;
  html_url: string;
  created_at: string;
  updated_at: string;
  /** Every edit after creation, oldest first: who made it (a REST login) and when. */
  edits: FakeEdit[];
}

export interface FakeEdit {
  login: string;
  at: string;
}

export interface FakeStatus {
  owner: string;
  repo: string;
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url?: string;
}

export interface FakeRequest {
  method: string;
  /** Path and query string, e.g. "/repos/o/r/issues/1/comments?per_page=100&page=2". */
  path: string;
  authorization?: string;
}

/** The fields of a pull request the code under test reads; a real payload (a superset) fits too. */
export interface FakePullRequest {
  number: number;
  state: "open" | "closed";
  merged_at: string | null;
  head: { sha: string; repo: { full_name: string } };
  base: { repo: { full_name: string } };
  html_url: string;
}

export interface FakeResponse {
  /** 0: no failure, the request is served as usual (after `meanwhile`). */
  status: number;
  headers?: Record<string, string>;
  /** JSON body; default {"message": <the status text>}. */
  body?: unknown;
  /** Wait this long before answering (to exercise client time limits). */
  delayMs?: number;
  /** Serve the request first (a POST stores its comment), then answer with this failure. */
  afterServing?: boolean;
  /** Done just before answering: what another actor does meanwhile (e.g. deletes a comment). */
  meanwhile?: () => void;
}

/** Which requests a failure applies to; default every request. */
export interface RequestMatcher {
  method?: string;
  /** Matched against the path without the query string. */
  path?: string | RegExp;
}

export interface FakeGitHubOptions {
  /** The account the token acts as: author of the comments it creates. Default "github-actions[bot]". */
  login?: string;
  /** Status of GET /user: 200 answers with `login`; 403 (default) is what GITHUB_TOKEN gets; 404 also happens. */
  userEndpointStatus?: number;
  /** When set, requests with another token answer 401 "Bad credentials". */
  token?: string;
}

export const COMMENT_BODY_LIMIT = 65_536;
export const STATUS_DESCRIPTION_LIMIT = 140;
const READ_ONLY_MESSAGE = "Resource not accessible by integration";
const DOCS = "https://docs.github.com/rest";
const HTML_ROOT = "https://github.com";
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
// Timestamps come from a clock that advances one second per event: creation order is always
// visible in created_at, and runs are reproducible.
const EPOCH = Date.parse("2026-01-05T09:00:00Z");
const STATES = new Set(["error", "failure", "pending", "success"]);

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

interface PendingFailure {
  response: FakeResponse;
  matcher: RequestMatcher | undefined;
}

export class FakeGitHub {
  readonly comments: FakeComment[] = [];
  readonly statuses: FakeStatus[] = [];
  readonly requests: FakeRequest[] = [];
  pullsForCommit = new Map<string, FakePullRequest[]>();
  /** When true, every write answers 403 "Resource not accessible by integration", as for a fork's pull request. */
  readOnly = false;

  private readonly failures: PendingFailure[] = [];
  private nextCommentId = 2_000_000_001;
  private ticks = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: Required<Omit<FakeGitHubOptions, "token">> & Pick<FakeGitHubOptions, "token">,
  ) {}

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, {
      login: options.login ?? "github-actions[bot]",
      userEndpointStatus: options.userEndpointStatus ?? 403,
      token: options.token,
    });
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      fake.handle(request, response).catch((error: unknown) => {
        // A bug in the fake: answer, so that the test fails on the status rather than a hang.
        if (!response.headersSent) fake.send(response, new HttpAnswer(500, { message: `fake GitHub failed: ${String(error)}` }));
        else response.destroy();
      });
    });
    return fake;
  }

  /** A secondary rate limit as GitHub sends it: 403 (or 429) with retry-after in seconds. */
  static secondaryRateLimit(retryAfterSeconds: number, status: 403 | 429 = 403): FakeResponse {
    return {
      status,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      },
    };
  }

  /** The next `count` requests (that match `when`) get `response` instead of being served. */
  failNext(count: number, response: FakeResponse, when?: RequestMatcher): void {
    for (let index = 0; index < count; index++) this.failures.push({ response, matcher: when });
  }

  /** Seed a comment. The author defaults to "octocat", a user; a login ending in "[bot]" is a bot. */
  addComment(comment: {
    owner: string;
    repo: string;
    issueNumber: number;
    body: string;
    login?: string;
    type?: string;
    createdAt?: string;
  }): FakeComment {
    const login = comment.login ?? "octocat";
    const created = comment.createdAt ?? this.now();
    const record: FakeComment = {
      id: this.nextCommentId++,
      issueNumber: comment.issueNumber,
      owner: comment.owner,
      repo: comment.repo,
      body: comment.body,
      user: { login, type: comment.type ?? (login.endsWith("[bot]") ? "Bot" : "User") },
      html_url: "",
      created_at: created,
      updated_at: created,
      edits: [],
    };
    record.html_url = `${HTML_ROOT}/${record.owner}/${record.repo}/pull/${record.issueNumber}#issuecomment-${record.id}`;
    this.comments.push(record);
    return record;
  }

  /** Someone (a maintainer, by default "octocat") edits a comment, as in GitHub's web page. */
  editComment(id: number, body: string, login = "octocat"): void {
    const comment = this.comments.find((candidate) => candidate.id === id);
    if (comment === undefined) throw new Error(`no comment ${id}`);
    comment.body = body;
    comment.updated_at = this.now();
    comment.edits.push({ login, at: comment.updated_at });
  }

  /** The comments on one pull request, oldest first. */
  commentsOn(owner: string, repo: string, issueNumber: number): FakeComment[] {
    return this.comments
      .filter((comment) => comment.owner === owner && comment.repo === repo && comment.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Octokit keeps connections alive; without this, close() waits for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private now(): string {
    return new Date(EPOCH + 1000 * this.ticks++).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const target = new URL(request.url ?? "/", this.url);
    const authorization = request.headers.authorization;
    this.requests.push({ method, path: `${target.pathname}${target.search}`, ...(authorization === undefined ? {} : { authorization }) });
    const rawBody = await readBody(request);

    const failure = this.takeFailure(method, target.pathname);
    if (failure !== undefined) {
      failure.meanwhile?.();
      if (failure.status === 0) {
        this.send(response, this.answer(method, target, authorization, rawBody));
        return;
      }
      if (failure.afterServing === true) this.answer(method, target, authorization, rawBody);
      if (failure.delayMs !== undefined) await delay(failure.delayMs, response);
      if (response.destroyed) return;
      this.send(
        response,
        new HttpAnswer(failure.status, failure.body ?? { message: STATUS_CODES[failure.status] ?? "Error" }, failure.headers),
      );
      return;
    }
    this.send(response, this.answer(method, target, authorization, rawBody));
  }

  private takeFailure(method: string, path: string): FakeResponse | undefined {
    const index = this.failures.findIndex(({ matcher }) => matches(matcher, method, path));
    if (index < 0) return undefined;
    const [failure] = this.failures.splice(index, 1);
    return failure?.response;
  }

  private answer(method: string, target: URL, authorization: string | undefined, rawBody: Buffer | undefined): HttpAnswer {
    if (rawBody === undefined) return new HttpAnswer(413, { message: "Payload too large" });
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (token === undefined) return new HttpAnswer(401, { message: "Requires authentication", documentation_url: DOCS });
    if (this.options.token !== undefined && token !== this.options.token)
      return new HttpAnswer(401, { message: "Bad credentials", documentation_url: DOCS });

    const isWrite = method !== "GET" && method !== "HEAD";
    let input: Record<string, unknown> = {};
    if (isWrite) {
      try {
        const parsed: unknown = rawBody.length === 0 ? {} : JSON.parse(rawBody.toString("utf8"));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        input = parsed as Record<string, unknown>;
      } catch {
        return new HttpAnswer(400, { message: "Problems parsing JSON", documentation_url: DOCS });
      }
    }

    const path = target.pathname;
    if (path === "/user" && method === "GET") return this.user();
    if (path === "/graphql" && method === "POST") return this.graphql(input);
    if (isWrite && this.readOnly && path.startsWith("/repos/")) {
      return new HttpAnswer(403, { message: READ_ONLY_MESSAGE, documentation_url: DOCS });
    }
    const issueComments = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (issueComments !== null) {
      const [, owner = "", repo = "", issueNumber = ""] = issueComments.map(decodeSegment);
      if (method === "GET")
        return this.page(
          target,
          this.commentsOn(owner, repo, Number(issueNumber)).map((comment) => this.commentJson(comment)),
        );
      if (method === "POST") return this.createComment(owner, repo, Number(issueNumber), input);
    }
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (comment !== null && method === "PATCH") {
      const [, owner = "", repo = "", id = ""] = comment.map(decodeSegment);
      return this.updateComment(owner, repo, Number(id), input);
    }
    if (comment !== null && method === "DELETE") {
      const [, owner = "", repo = "", id = ""] = comment.map(decodeSegment);
      const index = this.comments.findIndex(
        (candidate) => candidate.owner === owner && candidate.repo === repo && candidate.id === Number(id),
      );
      if (index < 0) return new HttpAnswer(404, { message: "Not Found", documentation_url: DOCS });
      this.comments.splice(index, 1);
      return new HttpAnswer(204, undefined);
    }
    const statuses = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/.exec(path);
    if (statuses !== null && method === "POST") {
      const [, owner = "", repo = "", sha = ""] = statuses.map(decodeSegment);
      return this.createStatus(owner, repo, sha, input);
    }
    const pulls = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/.exec(path);
    if (pulls !== null && method === "GET") {
      const [, , , sha = ""] = pulls.map(decodeSegment);
      return this.page(target, this.pullsForCommit.get(sha) ?? []);
    }
    return new HttpAnswer(404, { message: "Not Found", documentation_url: DOCS });
  }

  private user(): HttpAnswer {
    const status = this.options.userEndpointStatus;
    if (status === 200) {
      const login = this.options.login;
      return new HttpAnswer(200, { login, id: 41898282, type: login.endsWith("[bot]") ? "Bot" : "User" });
    }
    const message = status === 403 ? READ_ONLY_MESSAGE : (STATUS_CODES[status] ?? "Error");
    return new HttpAnswer(status, { message, documentation_url: DOCS });
  }

  private createComment(owner: string, repo: string, issueNumber: number, input: Record<string, unknown>): HttpAnswer {
    if (issueNumber < 1) return new HttpAnswer(404, { message: "Not Found", documentation_url: DOCS });
    const invalid = validateCommentBody(input, "create-an-issue-comment");
    if (invalid !== undefined) return invalid;
    const created = this.addComment({ owner, repo, issueNumber, body: input.body as string, login: this.options.login });
    return new HttpAnswer(201, this.commentJson(created));
  }

  private updateComment(owner: string, repo: string, id: number, input: Record<string, unknown>): HttpAnswer {
    const comment = this.comments.find((candidate) => candidate.owner === owner && candidate.repo === repo && candidate.id === id);
    if (comment === undefined) return new HttpAnswer(404, { message: "Not Found", documentation_url: DOCS });
    const invalid = validateCommentBody(input, "update-an-issue-comment");
    if (invalid !== undefined) return invalid;
    comment.body = input.body as string;
    comment.updated_at = this.now();
    comment.edits.push({ login: this.options.login, at: comment.updated_at });
    return new HttpAnswer(200, this.commentJson(comment));
  }

  // Only the one query the client makes; anything else is a GraphQL error, as GitHub answers
  // a field it does not know.
  private graphql(input: Record<string, unknown>): HttpAnswer {
    const query = typeof input.query === "string" ? input.query : "";
    const variables = input.variables as Record<string, unknown> | undefined;
    if (!/\bnode\s*\(\s*id\s*:/.test(query) || typeof variables?.id !== "string")
      return new HttpAnswer(200, { errors: [{ message: "the fake answers only node(id:) with an id variable" }] });
    const decoded = Buffer.from(variables.id, "base64").toString("utf8");
    const id = /^IssueComment(\d+)$/.exec(decoded)?.[1];
    const comment = this.comments.find((candidate) => String(candidate.id) === id);
    if (comment === undefined)
      return new HttpAnswer(200, {
        data: { node: null },
        errors: [{ type: "NOT_FOUND", path: ["node"], message: `Could not resolve to a node with the global id of '${variables.id}'` }],
      });
    const actor = (login: string): Record<string, string> => ({ login: login.replace(/\[bot\]$/, "") });
    const last = comment.edits.at(-1);
    return new HttpAnswer(200, {
      data: {
        node: {
          lastEditedAt: last?.at ?? null,
          editor: last === undefined ? null : actor(last.login),
          userContentEdits: {
            totalCount: comment.edits.length,
            nodes: [...comment.edits].reverse().map((edit) => ({ editedAt: edit.at, editor: actor(edit.login) })),
          },
        },
      },
    });
  }

  private createStatus(owner: string, repo: string, sha: string, input: Record<string, unknown>): HttpAnswer {
    const { state, context = "default", description = "", target_url: targetUrl } = input;
    const errors: Array<Record<string, string>> = [];
    if (typeof state !== "string" || !STATES.has(state))
      errors.push({ resource: "Status", code: "custom", field: "state", message: `state is not included in the list` });
    if (typeof context !== "string") errors.push({ resource: "Status", code: "invalid", field: "context" });
    if (typeof description !== "string" || description.length > STATUS_DESCRIPTION_LIMIT) {
      errors.push({
        resource: "Status",
        code: "custom",
        field: "description",
        message: `description is too long (maximum is ${STATUS_DESCRIPTION_LIMIT} characters)`,
      });
    }
    if (targetUrl !== undefined && targetUrl !== null && typeof targetUrl !== "string")
      errors.push({ resource: "Status", code: "invalid", field: "target_url" });
    if (errors.length > 0) return validationFailed(errors, "commits/statuses#create-a-commit-status");
    const status: FakeStatus = {
      owner,
      repo,
      sha,
      state: state as string,
      context: context as string,
      description: description as string,
      ...(typeof targetUrl === "string" ? { target_url: targetUrl } : {}),
    };
    this.statuses.push(status);
    const at = this.now();
    return new HttpAnswer(201, {
      id: this.statuses.length,
      url: `${this.url}/repos/${owner}/${repo}/statuses/${sha}`,
      state: status.state,
      description: status.description,
      target_url: status.target_url ?? null,
      context: status.context,
      created_at: at,
      updated_at: at,
      creator: this.userJson({ login: this.options.login, type: this.options.login.endsWith("[bot]") ? "Bot" : "User" }),
    });
  }

  /** One page of `items`, with GitHub's per_page (default 30, at most 100) and Link header. */
  private page(target: URL, items: readonly unknown[]): HttpAnswer {
    const requested = Number.parseInt(target.searchParams.get("per_page") ?? "", 10);
    const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100) : 30;
    const requestedPage = Number.parseInt(target.searchParams.get("page") ?? "", 10);
    const page = Number.isInteger(requestedPage) && requestedPage > 0 ? requestedPage : 1;
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const link = (number: number, rel: string): string => {
      const url = new URL(target.pathname + target.search, this.url);
      url.searchParams.set("per_page", String(perPage));
      url.searchParams.set("page", String(number));
      return `<${url.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, lastPage), "prev"));
    if (page < lastPage) links.push(link(page + 1, "next"), link(lastPage, "last"));
    if (page > 1) links.push(link(1, "first"));
    return new HttpAnswer(200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(", ") } : {});
  }

  private commentJson(comment: FakeComment): Record<string, unknown> {
    return {
      id: comment.id,
      node_id: Buffer.from(`IssueComment${comment.id}`).toString("base64"),
      url: `${this.url}/repos/${comment.owner}/${comment.repo}/issues/comments/${comment.id}`,
      html_url: comment.html_url,
      issue_url: `${this.url}/repos/${comment.owner}/${comment.repo}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: this.userJson(comment.user),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    };
  }

  private userJson(user: FakeUser): Record<string, unknown> {
    return {
      login: user.login,
      id: loginId(user.login),
      type: user.type,
      site_admin: false,
      html_url: `${HTML_ROOT}/${user.login.replace(/\[bot\]$/, "")}`,
    };
  }

  private send(response: ServerResponse, answer: HttpAnswer): void {
    const body = answer.status === 204 ? "" : JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      ...answer.headers,
    });
    response.end(body);
  }
}

function validateCommentBody(input: Record<string, unknown>, docs: string): HttpAnswer | undefined {
  if (typeof input.body !== "string") {
    return new HttpAnswer(422, {
      message: 'Invalid request.\n\n"body" wasn\'t supplied.',
      documentation_url: `${DOCS}/issues/comments#${docs}`,
      status: "422",
    });
  }
  if (input.body.length > COMMENT_BODY_LIMIT) {
    return validationFailed(
      [
        {
          resource: "IssueComment",
          code: "custom",
          field: "body",
          message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
        },
      ],
      `issues/comments#${docs}`,
    );
  }
  return undefined;
}

function validationFailed(errors: Array<Record<string, string>>, docs: string): HttpAnswer {
  return new HttpAnswer(422, { message: "Validation Failed", errors, documentation_url: `${DOCS}/${docs}`, status: "422" });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matches(matcher: RequestMatcher | undefined, method: string, path: string): boolean {
  if (matcher === undefined) return true;
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== method) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === "string" ? matcher.path === path : matcher.path.test(path);
}

function loginId(login: string): number {
  let hash = 7;
  for (const character of login) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 100_000_000;
  return hash;
}

/** The request body, or undefined when it is larger than the fake accepts. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Waits, but gives up early when the client goes away (it timed out) or the server stops. */
async function delay(milliseconds: number, response: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, milliseconds);
    response.once("close", done);
    function done(): void {
      clearTimeout(timer);
      response.off("close", done);
      resolve();
    }
  });
}
