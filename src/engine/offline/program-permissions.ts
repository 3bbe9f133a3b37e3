// Node.js's permission model for the program under check, where the Node.js in use has one that
// Pulumi's runner can work under: `--permission` with `--allow-inspector` (Node.js 24; the runner
// needs the inspector to serialize closures such as Lambda callbacks, and Node.js 20's
// experimental model denies it outright). The program then reads files only below its
// repository (its own code, its node_modules) and the SDK it runs on, writes only below a
// temporary directory of its own, and starts no processes and no native addons. The
// network is not covered by the model on these versions; the program's environment holds no
// credential to send (program-environment.ts).

import { mkdtempSync, realpathSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ProgramPermissions {
  /** Node.js arguments that switch the model on, before the runner's path. */
  readonly args: readonly string[];
  /** The one directory the program may write to (its TMPDIR). */
  readonly tempDir: string | undefined;
  readonly cleanup?: () => void;
}

/** The flags that switch the model on in this Node.js, or undefined where it has no usable one. */
export function permissionFlags(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string[] | undefined {
  // Worker threads are allowed: they run under the same permissions (Node.js 24 runs module
  // loader hooks, ts-node's ES module loader among them, on a worker thread).
  // Node.js warns on every start that the inspector weakens the model; the README says so once.
  if (flags.has("--permission") && flags.has("--allow-inspector")) {
    return ["--permission", "--allow-inspector", "--allow-worker", "--disable-warning=SecurityWarning"];
  }
  return undefined;
}

/** The outermost directory that holds the program's code: the repository it is in, else its own directory. */
export function readableRoot(programDir: string): string {
  const workspace = process.env.GITHUB_WORKSPACE;
  if (workspace && isInside(programDir, realpathSync(workspace))) return realpathSync(workspace);
  for (let directory = programDir; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, ".git"))) return directory;
    if (path.dirname(directory) === directory) return programDir;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export function permissionArguments(programDir: string, sdkRoot: string): ProgramPermissions {
  const flags = permissionFlags();
  if (flags === undefined) return { args: [], tempDir: undefined };
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "policy-gate-program-"));
  const program = realpathSync(programDir);
  const root = readableRoot(program);
  const readable = new Set([root, realpathSync(sdkRoot), realpathSync(tempDir)]);
  // Above the repository, what Node.js and the SDK look for while they resolve modules and find
  // a program's package (its closure serialization walks up for package.json files): without
  // these, a missing file would be "access denied" instead of "not found".
  for (let directory = path.dirname(root); ; directory = path.dirname(directory)) {
    readable.add(path.join(directory, "package.json"));
    readable.add(path.join(directory, "node_modules"));
    if (path.dirname(directory) === directory) break;
  }
  return {
    args: [...flags, ...[...readable].map((directory) => `--allow-fs-read=${directory}`), `--allow-fs-write=${realpathSync(tempDir)}`],
    tempDir,
    cleanup: () => rmSync(tempDir, { recursive: true, force: true }),
  };
}
