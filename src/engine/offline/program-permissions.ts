// Node.js's permission model for the program under check, where the Node.js in use has one that
// Pulumi's runner can work under: `--permission` with `--allow-inspector` (Node.js 24; the runner
// needs the inspector to serialize closures such as Lambda callbacks, and Node.js 20's
// experimental model denies it outright). The program then reads files only below its
// repository (its own code, its node_modules) and the SDK it runs on, writes only below a
// temporary directory of its own, and starts no processes and no native addons. The
// network is not covered by the model on these versions; the program's environment holds no
// credential to send (program-environment.ts).

import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
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
 * The symbolic links below `root` that lead outside the directories the program may read: the
 * permission model follows links, so one committed in the repository (`p -> /proc`) would read
 * anything. Links are not followed while looking; `.git` is not looked into.
 */
export function linksLeaving(root: string, allowed: readonly string[], limit = 5): string[] {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0 && found.length < limit) {
    const directory = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue; // Unreadable: the program cannot read it either.
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".git") pending.push(full);
      } else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(full);
        } catch {
          continue; // Dangling: it leads nowhere.
        }
        if (!allowed.some((directory) => isInside(target, directory))) found.push(`${full} -> ${readlinkSync(full)}`);
      }
    }
  }
  return found;
}

/**
 * What in the repository's `.git/config` is a credential the program could read: the token
 * actions/checkout leaves there unless `persist-credentials: false` (before checkout v6, an
 * `http.<url>.extraheader` with an Authorization header), or a remote URL with a password in it.
 * Says what it found and where, never the value.
 */
export function persistedCredentials(root: string): string | undefined {
  const file = path.join(root, ".git", "config");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // No such file (.git is a worktree's pointer, or there is no repository).
  }
  for (const line of text.split(/\r?\n/)) {
    const entry = /^\s*([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (entry?.[1]?.toLowerCase() === "extraheader" && /^\s*"?\s*authorization\s*:/i.test(entry[2] ?? "")) {
      return `${file} holds an HTTP Authorization header (extraheader)`;
    }
    // A remote's URL, or a [url "…"] section's name, with user:password@ in it.
    if (/[a-z][\w+.-]*:\/\/[^/\s@"]*:[^/\s@"]+@/i.test(line)) return `${file} holds a URL with a password in it`;
  }
  return undefined;
}

export function permissionArguments(programDir: string, sdkRoot: string, nodeArgs: readonly string[] = []): ProgramPermissions {
  // The whole repository is readable, its .git among it (the model cannot keep one folder out).
  const credential = persistedCredentials(readableRoot(realpathSync(programDir)));
  if (credential !== undefined) {
    throw new GateError(
      "config-error",
      `${credential}, which the program under check could read and send anywhere; set \`persist-credentials: false\` on the actions/checkout step (or remove the credential), or, for a program you trust, run without the sandbox (the command line's --unrestricted skips this check with it)`,
    );
  }
  const flags = permissionFlags();
  if (flags === undefined) return { args: [], tempDir: undefined };
  const refused = refusedNodeArg(nodeArgs);
  if (refused !== undefined) {
    throw new GateError(
      "config-error",
      `Pulumi.yaml runtime.options.nodeargs has ${JSON.stringify(refused)}: the offline engine runs the program under Node.js's permission model and allows only flags for memory, stack traces, warnings and module loading there; remove it (the command line's --unrestricted runs without the model)`,
    );
  }
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "policy-gate-program-"));
  const program = realpathSync(programDir);
  const root = readableRoot(program);
  const readable = new Set([root, realpathSync(sdkRoot), realpathSync(tempDir)]);
  const leaving = linksLeaving(root, [...readable]);
  if (leaving.length > 0) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new GateError(
      "config-error",
      `symbolic links in ${root} lead outside the directories the program may read, which Node.js's permission model would follow: ${leaving.join(", ")}; remove them, or run without the model (the command line's --unrestricted)`,
    );
  }
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
