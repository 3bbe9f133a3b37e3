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

const CLEAN =
  '[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://github.com/acme/infra\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';

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
