// Node.js's permission model for the program under check, where the Node.js in use has one that
// Pulumi's runner can work under: `--permission` with `--allow-inspector` (Node.js 24; the runner
// needs the inspector to serialize closures such as Lambda callbacks, and Node.js 20's
// experimental model denies it outright). The program then reads files only below its
// repository (its own code, its node_modules) and the SDK it runs on, writes only below a
// temporary directory of its own, and starts no processes and no native addons. The
// network is not covered by the model on these versions; the program's environment holds no
// credential to send (program-environment.ts).

import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, type Dirent } from "node:fs";
import { GateError } from "../../gate/errors.js";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface ProgramPermissions {
  /** Node.js arguments that switch the model on, before the runner's path. */
  readonly args: readonly string[];
  /** The one directory the program may write to (its TMPDIR). */
  readonly tempDir: string | undefined;
  /** A file to preload with the model (sqlite-unlisted.cjs), through NODE_OPTIONS (see withPreload). */
  readonly preload?: string;
  readonly cleanup?: () => void;
}

/** The flags that switch the model on in this Node.js, or undefined where it has no usable one. */
export function permissionFlags(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string[] | undefined {
  // Worker threads are allowed: they run under the same permissions (Node.js 24 runs module
  // loader hooks, ts-node's ES module loader among them, on a worker thread).
  // Node.js warns on every start that the inspector weakens the model; the README says so once.
  if (flags.has("--permission") && flags.has("--allow-inspector")) {
    // node:sqlite writes its database files without asking the permission model (Node.js 24).
    return ["--permission", "--allow-inspector", "--allow-worker", "--disable-warning=SecurityWarning", "--no-experimental-sqlite"];
  }
  return undefined;
}

/** The outermost directory that holds the program's code: the repository it is in, else its own directory. */
export function readableRoot(programDir: string): string {
  const workspace = process.env.GITHUB_WORKSPACE;
  if (workspace && isInside(programDir, realpathSync(workspace))) return realpathSync(workspace);
  return nearestRepository(programDir) ?? programDir;
}

/** The nearest directory at or above `directory` that holds `.git`, if there is one. */
export function nearestRepository(directory: string): string | undefined {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

const ALLOWED_NODE_ARGS =
  /^--(max-old-space-size|max-semi-space-size|stack-trace-limit|stack-size|enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-deprecation|trace-uncaught|unhandled-rejections|conditions|experimental-vm-modules|experimental-specifier-resolution|experimental-loader|loader|import|require|title|preserve-symlinks|preserve-symlinks-main|no-experimental-fetch|expose-gc|use-strict|harmony)(=|$)/;

/**
 * The first of a program's nodeargs the gate does not allow under the permission model: only the
 * flags on ALLOWED_NODE_ARGS (memory, stack traces, warnings, module loading) pass. Anything else
 * could widen or switch off the model (--allow-*, a node.config.json through
 * --experimental-default-config-file), or write files the model never sees (V8's --logfile,
 * --localstorage-file, profiles, reports).
 */
export function refusedNodeArg(nodeArgs: readonly string[]): string | undefined {
  return nodeArgs.find((arg) => !ALLOWED_NODE_ARGS.test(arg) && !/^-r$/.test(arg) && arg.startsWith("-"));
}

/**
 * Visits every entry below `root`, breadth first (a folder's entries before its subfolders'),
 * without following links: `visit` says whether to go into a directory. Folders that cannot be
 * read are passed over: the program cannot read them either.
 */
function walkTree(root: string, visit: (entry: Dirent, full: string) => boolean): void {
  const pending = [root];
  // Without shifting the queue: the walk may cover a whole workspace with its node_modules.
  for (let next = 0; next < pending.length; next++) {
    const directory = pending[next] as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (visit(entry, full) && entry.isDirectory()) pending.push(full);
    }
  }
}

/** A credential the program could read: the file, what it holds, and how to keep it out. */
export interface PersistedCredential {
  readonly file: string;
  readonly holds: string;
  readonly fix: string;
}

const CHECKOUT_FIX = "set `persist-credentials: false` on the actions/checkout step (or remove the credential)";
const GHA_CREDS_FIX =
  "set `create_credentials_file: false` on the google-github-actions/auth step, or have it write the file outside the workspace";

/** What in one git configuration file is a credential, if anything: never the value. */
function credentialInConfig(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // No such file, or unreadable: the program cannot read it either.
  }
  for (const line of text.split(/\r?\n/)) {
    const entry = /^\s*([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (entry?.[1]?.toLowerCase() === "extraheader" && /^\s*"?\s*authorization\s*:/i.test(entry[2] ?? "")) {
      return "an HTTP Authorization header (extraheader)";
    }
    // A remote's URL, or a [url "…"] section's name, with user:password@ in it (any scheme).
    if (/[a-z][\w+.-]*:\/\/[^/\s@"]*:[^/\s@"]+@/i.test(line)) return "a URL with a password in it";
    // An http(s) URL with a user name: over HTTP that is a token (`https://$PAT@github.com/…`);
    // ssh's `git@` is not a secret.
    if (/https?:\/\/[^/\s@"]+@/i.test(line)) return "an https URL with a user name or token in it";
  }
  return undefined;
}

/**
 * The configuration files of a git directory (`.git`, a submodule's or a worktree's gitdir):
 * its `config` and `config.worktree`, its worktrees' `config.worktree`, and, nested, those of
 * its submodules below `modules/` (a submodule's name may hold slashes: `modules/a/b/`).
 */
function gitDirConfigs(gitDir: string, into: string[]): void {
  into.push(path.join(gitDir, "config"), path.join(gitDir, "config.worktree"));
  for (const worktree of directoriesIn(path.join(gitDir, "worktrees"))) {
    into.push(path.join(gitDir, "worktrees", worktree, "config.worktree"));
  }
  const pending = directoriesIn(path.join(gitDir, "modules")).map((name) => path.join(gitDir, "modules", name));
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    if (existsSync(path.join(directory, "HEAD")) || existsSync(path.join(directory, "config"))) {
      gitDirConfigs(directory, into);
    } else {
      pending.push(...directoriesIn(directory).map((name) => path.join(directory, name)));
    }
  }
}

/** The directories (not links to them) in `directory`; none where it cannot be read. */
function directoriesIn(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/**
 * The git configuration files a `.git` file (`gitdir: <path>`, in a worktree or a submodule's
 * working tree) points at, where its gitdir lies inside `root`: the gitdir's own, and its
 * common directory's (`commondir`, a worktree's main repository).
 */
function linkedGitDirConfigs(file: string, root: string, into: string[]): void {
  let gitDir: string;
  try {
    const pointer = /^gitdir:\s*(.*?)\s*$/m.exec(readFileSync(file, "utf8"));
    if (!pointer?.[1]) return;
    gitDir = realpathSync(path.resolve(path.dirname(file), pointer[1]));
  } catch {
    return; // Unreadable, or pointing nowhere.
  }
  if (!isInside(gitDir, root)) return; // Outside what the program may read.
  gitDirConfigs(gitDir, into);
  try {
    const common = readFileSync(path.join(gitDir, "commondir"), "utf8").trim();
    const commonDir = realpathSync(path.resolve(gitDir, common));
    if (isInside(commonDir, root)) gitDirConfigs(commonDir, into);
  } catch {
    // No commondir: not a worktree.
  }
}

/** What one walk of the tree the program may read finds (a workspace with its node_modules is walked once). */
interface ReadableTree {
  /**
   * Every git configuration file in it: each `.git` found (the repository's own, a second
   * checkout's in a subfolder, a submodule's), the root's first; a `.git` directory is looked
   * into only for its configuration files.
   */
  readonly gitConfigs: readonly string[];
  /**
   * The symbolic links in it that lead outside `allowed` (at most 5): the permission model
   * follows links, so one committed in the repository (`p -> /proc`) would read anything.
   * Only looked for when `allowed` is given; links are not followed, and `.git` is not looked into.
   */
  readonly leaving: readonly string[];
}

function scanReadable(root: string, allowed: readonly string[] | undefined, linkLimit = 5): ReadableTree {
  const gitConfigs: string[] = [];
  const leaving: string[] = [];
  walkTree(root, (entry, full) => {
    if (entry.name === ".git" && entry.isDirectory()) gitDirConfigs(full, gitConfigs);
    else if (entry.name === ".git" && entry.isFile()) linkedGitDirConfigs(full, root, gitConfigs);
    else if (entry.isDirectory()) return true;
    else if (allowed && entry.isSymbolicLink() && leaving.length < linkLimit) {
      let target: string;
      try {
        target = realpathSync(full);
      } catch {
        return false; // Dangling: it leads nowhere.
      }
      if (!allowed.some((directory) => isInside(target, directory))) leaving.push(`${full} -> ${readlinkSync(full)}`);
    }
    return false;
  });
  return { gitConfigs, leaving };
}

/**
 * The first credential below `root` the program under check could read: in any git
 * configuration there (the token actions/checkout leaves unless `persist-credentials: false` —
 * before checkout v6 an `http.<url>.extraheader` with an Authorization header — or a URL with a
 * password or, over http(s), a user name in it), or the credentials file
 * google-github-actions/auth writes at the top of the workspace (`gha-creds-*.json`).
 */
export function findPersistedCredential(root: string): PersistedCredential | undefined {
  return credentialIn(root, scanReadable(root, undefined).gitConfigs);
}

/** The first credential in `root`'s top level or in the git configurations found below it. */
function credentialIn(root: string, gitConfigs: readonly string[]): PersistedCredential | undefined {
  const ghaCreds = (() => {
    try {
      return readdirSync(root, { withFileTypes: true }).find((entry) => !entry.isDirectory() && /^gha-creds-.*\.json$/.test(entry.name));
    } catch {
      return undefined;
    }
  })();
  if (ghaCreds !== undefined) {
    return { file: path.join(root, ghaCreds.name), holds: "Google Cloud credentials (google-github-actions/auth)", fix: GHA_CREDS_FIX };
  }
  const seen = new Set<string>();
  for (const file of gitConfigs) {
    if (seen.has(file)) continue;
    seen.add(file);
    const holds = credentialInConfig(file);
    if (holds !== undefined) return { file, holds, fix: CHECKOUT_FIX };
  }
  return undefined;
}

/** The first credential below `root` the program could read, as `<file> holds <what>`; never the value. */
export function persistedCredentials(root: string): string | undefined {
  const found = findPersistedCredential(root);
  return found && `${found.file} holds ${found.holds}`;
}

export function permissionArguments(programDir: string, sdkRoot: string, nodeArgs: readonly string[] = []): ProgramPermissions {
  const root = readableRoot(realpathSync(programDir));
  const flags = permissionFlags();
  // One walk of what the program may read. A link into the program's temporary directory cannot
  // be there yet: it is made after the walk, with a name no one knows beforehand.
  const tree = scanReadable(root, flags === undefined ? undefined : [root, realpathSync(sdkRoot)]);
  // The whole repository is readable, its .git among it (the model cannot keep one folder out).
  const credential = credentialIn(root, tree.gitConfigs);
  if (credential !== undefined) {
    throw new GateError(
      "config-error",
      `${credential.file} holds ${credential.holds}, which the program under check could read and send anywhere; ${credential.fix}, or, for a program you trust, run without the sandbox (the command line's --unrestricted skips this check with it)`,
    );
  }
  if (flags === undefined) return { args: [], tempDir: undefined };
  const refused = refusedNodeArg(nodeArgs);
  if (refused !== undefined) {
    throw new GateError(
      "config-error",
      `Pulumi.yaml runtime.options.nodeargs has ${JSON.stringify(refused)}: the offline engine runs the program under Node.js's permission model and allows only flags for memory, stack traces, warnings and module loading there; remove it (the command line's --unrestricted runs without the model)`,
    );
  }
  if (tree.leaving.length > 0) {
    throw new GateError(
      "config-error",
      `symbolic links in ${root} lead outside the directories the program may read, which Node.js's permission model would follow: ${tree.leaving.join(", ")}; remove them, or run without the model (the command line's --unrestricted)`,
    );
  }
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "policy-gate-program-"));
  const readable = new Set([root, realpathSync(sdkRoot), realpathSync(tempDir)]);
  // Above the repository, what Node.js and the SDK look for while they resolve modules and find
  // a program's package (its closure serialization walks up for package.json files): without
  // these, a missing file would be "access denied" instead of "not found".
  for (let directory = path.dirname(root); ; directory = path.dirname(directory)) {
    readable.add(path.join(directory, "package.json"));
    readable.add(path.join(directory, "node_modules"));
    if (path.dirname(directory) === directory) break;
  }
  // Beside this module (in dist/, copied there by the build).
  const preload = fileURLToPath(new URL("./sqlite-unlisted.cjs", import.meta.url));
  if (!existsSync(preload)) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`${preload} is missing: the gate's installation is incomplete`);
  }
  readable.add(preload);
  return {
    args: [...flags, ...[...readable].map((directory) => `--allow-fs-read=${directory}`), `--allow-fs-write=${realpathSync(tempDir)}`],
    tempDir,
    preload,
    cleanup: () => rmSync(tempDir, { recursive: true, force: true }),
  };
}
