import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../../src/github/client.js";
import { MAX_STATUS_DESCRIPTION_LENGTH, setCommitStatus, truncateStatusDescription } from "../../src/github/commit-status.js";
import { classifyGitHubError } from "../../src/github/errors.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

describe("truncateStatusDescription", () => {
  it("keeps a description of up to 140 characters as it is", () => {
    const exactly = "x".repeat(140);
    expect(truncateStatusDescription(exactly)).toBe(exactly);
    expect(truncateStatusDescription("2 mandatory violations in infra/prod")).toBe("2 mandatory violations in infra/prod");
  });

  it("cuts a longer one to 140 characters ending in an ellipsis", () => {
    const cut = truncateStatusDescription("y".repeat(141));
    expect(cut).toBe(`${"y".repeat(139)}…`);
    expect(cut).toHaveLength(MAX_STATUS_DESCRIPTION_LENGTH);
  });

  it("never splits a surrogate pair and counts it as two", () => {
    const cut = truncateStatusDescription(`${"a".repeat(138)}😀😀😀`);
    expect(cut).toBe(`${"a".repeat(138)}…`);
    expect(truncateStatusDescription(`${"a".repeat(137)}😀b`)).toBe(`${"a".repeat(137)}😀b`);
  });

  it("makes one line of it", () => {
    expect(truncateStatusDescription("  two\nlines\t ")).toBe("two lines");
  });
});

describe("setCommitStatus", () => {
  let github: FakeGitHub;
  let client: GitHubClient;

  beforeEach(async () => {
    github = await FakeGitHub.start({ token: TOKEN });
    client = createGitHubClient({ token: TOKEN, baseUrl: github.url, spaceWrites: false, backoffUnitMs: 5 });
  });

  afterEach(async () => {
    await github.stop();
  });

  it("sets the status on the given commit, with the description cut to GitHub's limit", async () => {
    const description = `Policy gate: ${"3 mandatory violations, ".repeat(10)}`;
    await setCommitStatus(client, {
      owner: "octo-org",
      repo: "infra",
      sha: SHA,
      state: "failure",
      context: "pulumi-policy-gate / infra/prod",
      description,
      targetUrl: "https://github.com/octo-org/infra/actions/runs/1",
    });
    expect(github.statuses).toEqual([
      {
        owner: "octo-org",
        repo: "infra",
        sha: SHA,
        state: "failure",
        context: "pulumi-policy-gate / infra/prod",
        description: truncateStatusDescription(description),
        target_url: "https://github.com/octo-org/infra/actions/runs/1",
      },
    ]);
    expect(github.statuses[0]?.description).toHaveLength(140);
  });

  it("sends no target URL when there is none", async () => {
    await setCommitStatus(client, {
      owner: "octo-org",
      repo: "infra",
      sha: SHA,
      state: "pending",
      context: "pulumi-policy-gate",
      description: "Previewing",
    });
    expect(github.statuses).toEqual([
      { owner: "octo-org", repo: "infra", sha: SHA, state: "pending", context: "pulumi-policy-gate", description: "Previewing" },
    ]);
  });

  it("fails as read-only-token on a fork's pull request", async () => {
    github.readOnly = true;
    const error = await setCommitStatus(client, {
      owner: "octo-org",
      repo: "infra",
      sha: SHA,
      state: "success",
      context: "c",
      description: "d",
    }).catch((caught: unknown) => caught);
    const failure = classifyGitHubError(error);
    expect(failure.kind).toBe("read-only-token");
    expect(failure.message).toContain(`POST /repos/octo-org/infra/statuses/${SHA}`);
    expect(failure.message).toContain('"statuses: write"');
    expect(github.statuses).toHaveLength(0);
  });
});
