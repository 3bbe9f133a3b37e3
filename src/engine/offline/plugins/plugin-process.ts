// One provider plugin process, started as the Pulumi CLI starts one (plugin.go, newPlugin): the
// executable with the engine's address as its only argument, in the program's directory; it
// prints the port of its gRPC server on the first line of stdout. The process leads its own
// process group so that stopping it also stops what it started (a Node.js plugin is often a shell
// script that starts node). What it prints after the port, and on stderr, is kept (the last
// few kilobytes) for error messages.

import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";

const OUTPUT_TAIL_CHARS = 8_000;
const STOP_GRACE_MS = 2_000;
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface PluginLaunch {
  readonly executable: string;
  readonly engineAddress: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly startTimeoutMs: number;
}

/** Why a plugin did not start, for the caller to turn into its own error. */
export class PluginStartError extends Error {}

/** The last characters a process printed. */
class OutputTail {
  text = "";

  keep = (chunk: Buffer): void => {
    this.text = (this.text + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
}

export class PluginProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly client: providerGrpc.ResourceProviderClient,
    private readonly output: OutputTail,
  ) {}

  /** Starts the plugin and connects to it; the process is stopped again if that fails. */
  static async start(launch: PluginLaunch): Promise<PluginProcess> {
    const child = spawn(launch.executable, [launch.engineAddress], {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that stop() reaches the plugin's children too.
      detached: process.platform !== "win32",
    });
    const output = new OutputTail();
    child.stderr?.on("data", output.keep);
    let port: number;
    try {
      port = await readPort(child, launch.startTimeoutMs, output);
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
    // After the port, stdout is just more output (the CLI traces it the same way).
    child.stdout?.on("data", output.keep);
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    const plugin = new PluginProcess(child, client, output);
    try {
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + launch.startTimeoutMs, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      await plugin.stop();
      throw new PluginStartError(`it did not accept connections on port ${port}: ${(error as Error).message}${outputNote(output.text)}`);
    }
    return plugin;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process has ended, and how. */
  get exit(): string | undefined {
    if (this.child.exitCode !== null) return `exit code ${this.child.exitCode}`;
    if (this.child.signalCode !== null) return `signal ${this.child.signalCode}`;
    return undefined;
  }

  /** The last lines the plugin printed, for error messages; empty when it printed nothing. */
  get recentOutput(): string {
    return this.output.text;
  }

  async stop(): Promise<void> {
    this.client.close();
    await stopProcess(this.child);
  }

  /** Kills the process group at once, for exit paths that cannot wait. */
  killNow(): void {
    signalGroup(this.child, "SIGKILL");
  }
}

/** ", which printed: …" with the last lines of the output, or nothing. */
export function outputNote(output: string): string {
  const lines = output.trim().split("\n").slice(-15).join("\n");
  return lines ? `; it printed:\n${lines}` : "";
}

function readPort(child: ChildProcess, timeoutMs: number, output: OutputTail): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let stdout = "";
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new PluginStartError(`${why}${outputNote(output.text || stdout)}`));
    };
    const timer = setTimeout(() => fail(`it printed no port within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString("utf8");
      const newline = stdout.indexOf("\n");
      if (newline < 0 || settled) return;
      child.stdout?.off("data", onData);
      // As the CLI: the first line, trimmed, is the port (a .NET progress escape stripped).
      const line = stdout
        .slice(0, newline)
        .replace(/\x1b\]9;4;[03];\x1b\\/g, "")
        .trim();
      const port = Number(line);
      if (!/^\d+$/.test(line) || port <= 0 || port > 65_535) {
        fail(`it printed ${JSON.stringify(line.slice(0, 200))} instead of its port`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(port);
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code, signal) => fail(`it exited before serving (exit code ${code ?? "none"}, signal ${signal ?? "none"})`));
    child.once("error", (error) => fail(`it could not be started: ${error.message}`));
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Ends the process group: SIGTERM, then SIGKILL after a grace period. */
async function stopProcess(child: ChildProcess): Promise<void> {
  const running = child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  if (running) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signalGroup(child, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  // The plugin's own children may outlive it; the group is theirs too.
  signalGroup(child, "SIGKILL");
  await groupGone(child);
}

/** Waits (briefly) until no process of the plugin's group is left. */
async function groupGone(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || process.platform === "win32") return;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (!groupAlive(child.pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Whether a process of the group still runs. A member that has exited but waits for its new
 * parent (init, once the plugin is gone) to reap it does not count: it holds nothing.
 */
function groupAlive(group: number): boolean {
  if (process.platform === "linux") {
    try {
      return readdirSync("/proc").some((entry) => /^\d+$/.test(entry) && livingMember(`/proc/${entry}/stat`, group));
    } catch {
      // No /proc to read: ask the kernel instead.
    }
  }
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

function livingMember(statFile: string, group: number): boolean {
  try {
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(statFile, "utf8");
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(pgrp) === group && state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
