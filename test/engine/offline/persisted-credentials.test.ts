// A token actions/checkout leaves in .git/config (persist-credentials defaults to true before
// checkout v6) is readable by the program under check, since the whole repository is: the offline
// engine refuses to run the program then, naming the file and what it holds, never the value.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { permissionArguments, persistedCredentials } from "../../../src/engine/offline/program-permissions.js";

const TOKEN = "eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==";
let repository: string;

beforeEach(() => {
  repository = mkdtempSync(path.join(os.tmpdir(), "persisted-credentials-"));
  mkdirSync(path.join(repository, ".git"));
  mkdirSync(path.join(repository, "infra"));
});
afterEach(() => rmSync(repository, { recursive: true, force: true }));

function gitConfig(text: string): void {
  writeFileSync(path.join(repository, ".git", "config"), text);
}

/** Writes `text` to `relative` below the repository, making the folders on the way. */
function write(relative: string, text: string): string {
  const file = path.join(repository, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const CLEAN =
  '[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://github.com/acme/infra\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
const EXTRAHEADER = `${CLEAN}[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN}\n`;

describe("persistedCredentials", () => {
  it("finds the Authorization header actions/checkout persists, and a remote URL with a password", () => {
    gitConfig(`${CLEAN}[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN}\n`);
    expect(persistedCredentials(repository)).toBe(
      `${path.join(repository, ".git", "config")} holds an HTTP Authorization header (extraheader)`,
    );
    gitConfig('[remote "origin"]\n\turl = https://x-access-token:ghs_secret@github.com/acme/infra\n');
    expect(persistedCredentials(repository)).toContain("holds a URL with a password in it");
    gitConfig('[url "https://oauth2:glpat-secret@gitlab.com/"]\n\tinsteadOf = https://gitlab.com/\n');
    expect(persistedCredentials(repository)).toContain("holds a URL with a password in it");
  });

  it("passes a configuration without credentials, a user name without a password, and no .git/config", () => {
    gitConfig(CLEAN);
    expect(persistedCredentials(repository)).toBeUndefined();
    gitConfig('[remote "origin"]\n\turl = ssh://git@github.com/acme/infra\n');
    expect(persistedCredentials(repository)).toBeUndefined();
    rmSync(path.join(repository, ".git", "config"));
    expect(persistedCredentials(repository)).toBeUndefined();
  });

  it("finds a token as the user name of an https URL, and passes ssh URLs with git@", () => {
    gitConfig('[remote "origin"]\n\turl = https://ghp_secret@github.com/acme/infra.git\n');
    expect(persistedCredentials(repository)).toBe(
      `${path.join(repository, ".git", "config")} holds an https URL with a user name or token in it`,
    );
    gitConfig('[remote "origin"]\n\turl = http://glpat-secret@gitlab.example/acme/infra.git\n');
    expect(persistedCredentials(repository)).toContain("holds an https URL with a user name or token in it");
    gitConfig('[remote "origin"]\n\turl = git@github.com:acme/infra.git\n[remote "mirror"]\n\turl = ssh://git@github.com/acme/infra\n');
    expect(persistedCredentials(repository)).toBeUndefined();
  });

  it("finds the header in a second checkout in a subfolder (actions/checkout with path:)", () => {
    gitConfig(CLEAN);
    const file = write("repo/.git/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${file} holds an HTTP Authorization header (extraheader)`);
  });

  it("finds the header in a policies repository checked out with a PAT into policies/", () => {
    gitConfig(CLEAN);
    const file = write("policies/.git/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${file} holds an HTTP Authorization header (extraheader)`);
  });

  it("finds the header in a submodule's configuration below .git/modules, nested too", () => {
    gitConfig(CLEAN);
    write(".git/modules/sub/HEAD", "ref: refs/heads/main\n");
    const file = write(".git/modules/sub/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${file} holds an HTTP Authorization header (extraheader)`);
    write(".git/modules/sub/config", CLEAN);
    const nested = write(".git/modules/sub/modules/group/inner/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${nested} holds an HTTP Authorization header (extraheader)`);
  });

  it("follows a .git file to a gitdir inside the folder, and to its common directory", () => {
    gitConfig(CLEAN);
    // A gitdir not named .git, which the walk alone would not look into.
    write("vendor/lib/.git", "gitdir: ../../gitdirs/lib\n");
    write("gitdirs/lib/HEAD", "ref: refs/heads/main\n");
    const file = write("gitdirs/lib/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${file} holds an HTTP Authorization header (extraheader)`);
    rmSync(path.join(repository, "gitdirs"), { recursive: true });
    // A worktree elsewhere in the folder: its gitdir, and the repository it belongs to.
    write("worktree/.git", `gitdir: ${path.join(repository, "other", ".gitdir", "worktrees", "w")}\n`);
    write("other/.gitdir/worktrees/w/commondir", "../..\n");
    write("other/.gitdir/worktrees/w/HEAD", "ref: refs/heads/w\n");
    const common = write("other/.gitdir/config", EXTRAHEADER);
    expect(persistedCredentials(repository)).toBe(`${common} holds an HTTP Authorization header (extraheader)`);
  });

  // A regression guard: the old check, which read only .git/config, passed this too.
  it("passes clean nested repositories and submodules", () => {
    gitConfig(CLEAN);
    write("repo/.git/config", CLEAN);
    write("policies/.git/config", '[remote "origin"]\n\turl = git@github.com:acme/policies.git\n');
    write(".git/modules/sub/config", CLEAN);
    write("sub/.git", "gitdir: ../.git/modules/sub\n");
    write("outside/.git", "gitdir: /nonexistent/gitdir\n");
    expect(persistedCredentials(repository)).toBeUndefined();
  });

  it("refuses a gha-creds-*.json at the top of the folder, with the fix for google-github-actions/auth", () => {
    gitConfig(CLEAN);
    write("gha-creds-abc.json", '{"type":"external_account"}');
    expect(persistedCredentials(repository)).toBe(
      `${path.join(repository, "gha-creds-abc.json")} holds Google Cloud credentials (google-github-actions/auth)`,
    );
    let message = "";
    try {
      permissionArguments(path.join(repository, "infra"), repository);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("gha-creds-abc.json");
    expect(message).toContain("create_credentials_file: false");
    expect(message).not.toContain("external_account");
  });

  it("keeps the program from running, in a message that names the file and the fix but not the token", () => {
    gitConfig(`${CLEAN}[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN}\n`);
    let message = "";
    try {
      permissionArguments(path.join(repository, "infra"), repository);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${path.join(repository, ".git", "config")} holds an HTTP Authorization header (extraheader)`);
    expect(message).toContain("persist-credentials: false");
    expect(message).not.toContain(TOKEN);
  });
});
