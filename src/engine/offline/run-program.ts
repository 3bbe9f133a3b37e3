// Runs a Pulumi program as `pulumi preview` does: Pulumi's own Node.js runner (the program's
// `@pulumi/pulumi/cmd/run`) in a process of its own, started with the arguments and environment
// that Pulumi's Node.js language host gives it, against the monitor and engine that the gate
// serves on loopback (monitor-server.ts). Entry-point resolution, ES modules or CommonJS,
// TypeScript and the program's tsconfig are the runner's own.
//
// The verdict is built only from what reached the gate's monitor and from how the process ended:
// exit status 0, no call outstanding, no error logged through the engine. Nothing the program
// prints or sends on another channel counts.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GateError } from "../../gate/errors.js";
import { ComponentPlugins, registerResourceResponse, type ConstructedComponent } from "./component-plugins.js";
import { MonitorServer } from "./monitor-server.js";
import { processGroupRss } from "./process-memory.js";
import { programEnvironment, safeEnvironment } from "./program-environment.js";
import { permissionArguments } from "./program-permissions.js";
import type { PulumiProgram } from "./project.js";
import type { PluginDownload, UnbuiltComponents } from "../engine.js";
import type { RecordedResource, RunnerOutcome } from "./records.js";

const OUTPUT_TAIL_CHARACTERS = 8_000;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
/**
 * The program's old-generation heap limit (MB). Pulumi's SDK keeps every resource's objects
 * alive for the whole run (about 110 KB per resource at the peak); this limit keeps the heap near
 * the live set. POLICY_GATE_RUNNER_HEAP_MB raises it for larger programs.
 */
const DEFAULT_RUNNER_HEAP_MB = 4_096;
/** The cap on the resident size of the program's whole process group (MB); POLICY_GATE_PROGRAM_MEMORY_MB changes it. */
const DEFAULT_MEMORY_CAP_MB = 4_096;
const MEMORY_POLL_MS = 500;

export interface CompletedRun {
  readonly outcome: RunnerOutcome;
  readonly output: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** Type-check TypeScript as `pulumi preview` does by default (slower); off: transpile only. */
  readonly typeCheck?: boolean;
  /** Run without Node.js's permission model even where it is available. */
  readonly unrestricted?: boolean;
  /** Told of each resource as the monitor records it, while the program runs. */
  readonly onResource?: (resource: RecordedResource) => void;
  /** Download a remote component's plugin that is not installed; default: never. */
  readonly pluginDownload?: PluginDownload | undefined;
  /** What a remote component whose plugin is not available does; default: the run fails. */
  readonly unbuiltComponents?: UnbuiltComponents | undefined;
}

function megabytes(name: string, fallback: number, minimum: number): number {
  const configured = process.env[name];
  if (configured === undefined || configured === "") return fallback;
  const value = Number(configured);
  if (!Number.isInteger(value) || value < minimum) {
    throw new GateError(
      "config-error",
      `${name} is ${JSON.stringify(configured)}; expected a whole number of megabytes, ${minimum} or more`,
    );
  }
  return value;
}

/** The runner of the program's own @pulumi/pulumi, as the language host finds it. */
function runnerOf(program: PulumiProgram): { runPath: string; sdkRoot: string } {
  try {
    const sdkPackage = createRequire(path.join(program.directory, "package.json")).resolve("@pulumi/pulumi/package.json");
    const sdkRoot = path.dirname(sdkPackage);
    return { runPath: path.join(sdkRoot, "cmd", "run"), sdkRoot };
  } catch {
    throw new GateError(
      "preview-failed",
      `cannot find the package @pulumi/pulumi from ${program.directory}: install the program's dependencies there first (npm ci)`,
    );
  }
}

/**
 * Ends the program and every process it started: it leads a process group of its own, which
 * outlives it while any member does. Where there are no process groups (Windows) only it ends.
 */
function endProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") child.kill("SIGKILL");
    else process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone: the group has no members left.
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/**
 * NODE_OPTIONS with a file to preload. In NODE_OPTIONS, not the arguments: Pulumi's runner takes
 * a --require among its arguments for a custom loader and then skips its ES module mode.
 */
export function withPreload(environment: NodeJS.ProcessEnv, preload: string | undefined): NodeJS.ProcessEnv {
  if (preload === undefined) return environment;
  const options = [environment.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter((option) => option).join(" ");
  return { ...environment, NODE_OPTIONS: options };
}

/**
 * On Node.js 20, NODE_OPTIONS with the preload that keeps Pulumi's runner from hanging while it
 * formats an uncaught error (node20-inspect.cjs, beside this module: in dist/, copied by the
 * build, or in src/).
 */
export function withNode20Preload(environment: NodeJS.ProcessEnv, nodeVersion = process.versions.node): NodeJS.ProcessEnv {
  if (Number(nodeVersion.split(".")[0]) >= 22) return environment;
  const preload = fileURLToPath(new URL("./node20-inspect.cjs", import.meta.url));
  return withPreload(environment, existsSync(preload) ? preload : undefined);
}

/** What a component's provider plugin runs with: the program's clean environment, and where plugins live. */
function pluginEnvironment(gate: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...safeEnvironment(gate), ...(gate.PULUMI_HOME !== undefined ? { PULUMI_HOME: gate.PULUMI_HOME } : {}) };
}

/** Where in the program an error was thrown: its first stack frame outside node_modules. */
export function programLocation(text: string, programDir: string): string | undefined {
  for (const line of text.split("\n")) {
    const match = /\(?((?:file:\/\/)?\/[^()\s]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match?.[1]) continue;
    const file = match[1].replace(/^file:\/\//, "");
    if (file.startsWith(programDir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${path.relative(programDir, file)}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

/** Terminal colours, which Node.js adds to the stack traces the runner logs. */
const ANSI = /\u001b\[[0-9;]*m/g;

/** An error as the runner logged it, without its framing, colours or stack frames. */
export function errorText(logged: string): string {
  const lines = logged
    .replace(ANSI, "")
    .replace(/^Running program '[^']*' failed with an unhandled exception:\s*/, "")
    .split("\n");
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  return (firstFrame === -1 ? lines : lines.slice(0, firstFrame))
    .join("\n")
    .trim()
    .replace(/^Error: /, "");
}

/** The first error the program logged, without the runner's framing, and how many more there were. */
function loggedErrorsMessage(messages: readonly string[]): string {
  const [first] = messages;
  if (first === undefined) return "the program logged an error (see its output)";
  const text = errorText(first);
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? "s" : ""}: see its output)` : "";
  return `${text}${more}`;
}

/**
 * The stand-in answers a failed program had received: a program that trips over a made-up value
 * (a lookup result it parses, an id it splits) should say so, not look like the program's bug.
 */
function standInNote(monitor: MonitorServer["monitor"]): string {
  const answered = [
    ...monitor.invokes.map((invoke) => invoke.token),
    ...monitor.resources.filter((resource) => resource.op === "read").map((resource) => `${resource.type} '${resource.name}'`),
  ];
  if (answered.length === 0) return "";
  const shown = answered.slice(0, 10).join(", ");
  const more = answered.length > 10 ? ` and ${answered.length - 10} more` : "";
  return ` (after the offline engine answered with stand-in values: ${shown}${more})`;
}

export async function runProgram(program: PulumiProgram, stack: string, options: RunOptions = {}): Promise<CompletedRun> {
  const { runPath, sdkRoot } = runnerOf(program);
  const heapMb = megabytes("POLICY_GATE_RUNNER_HEAP_MB", DEFAULT_RUNNER_HEAP_MB, 256);
  const memoryCapMb = megabytes("POLICY_GATE_PROGRAM_MEMORY_MB", DEFAULT_MEMORY_CAP_MB, 256);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const organization = "organization";
  const permissions = options.unrestricted
    ? { args: [], tempDir: undefined }
    : permissionArguments(program.directory, sdkRoot, program.nodeArgs);
  const server = await MonitorServer.start({
    project: program.project,
    stack,
    organization,
    config: program.config,
    secretKeys: program.secretKeys,
  });
  // Remote components are built by their packages' provider plugins, found where the CLI keeps
  // them. The plugins are not the program under check, but they get its clean environment too.
  const plugins = new ComponentPlugins(
    {
      project: program.project,
      stack,
      organization,
      config: program.config,
      configSecretKeys: program.secretKeys,
      monitorAddress: server.address,
      programDirectory: program.directory,
    },
    {
      ...(process.env.PULUMI_HOME ? { pulumiHome: process.env.PULUMI_HOME } : {}),
      env: pluginEnvironment(process.env),
      download: options.pluginDownload,
    },
  );
  server.monitor.onRecorded = options.onResource;
  server.monitor.components = {
    construct: (request) => plugins.construct(request),
    response: (constructed) => registerResourceResponse(constructed as ConstructedComponent),
  };
  server.monitor.unbuiltComponents = options.unbuiltComponents;
  const args = [
    // Pulumi's SDK takes a stack trace for every promise it makes (its leak tracker) and maps each
    // frame through source maps: at V8's default depth of 10 that is half of a large program's
    // run and most of its memory. One frame keeps an error's own position (where it was thrown);
    // the per-resource source positions take their own full traces. nodeargs can raise it again.
    "--stack-trace-limit=1",
    ...program.nodeArgs,
    ...permissions.args,
    `--max-old-space-size=${heapMb}`,
    runPath,
    "--monitor",
    server.address,
    "--engine",
    server.address,
    "--organization",
    organization,
    "--project",
    program.project,
    "--stack",
    stack,
    "--pwd",
    program.directory,
    "--root-directory",
    program.directory,
    "--dry-run",
    program.entry,
  ];
  const child = spawn(process.execPath, args, {
    cwd: program.directory,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that whatever the program starts ends with it (endProcessGroup).
    detached: process.platform !== "win32",
    env: withPreload(
      withNode20Preload(
        programEnvironment(process.env, {
          config: program.config,
          secretKeys: program.secretKeys,
          typeScript: program.typeScript,
          tsconfig: program.tsconfig,
          transpileOnly: !options.typeCheck,
          tempDir: permissions.tempDir,
        }),
      ),
      permissions.preload,
    ),
  });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARACTERS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  try {
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stopped?: string }>((resolve, reject) => {
      let stopped: string | undefined;
      const stop = (why: string): void => {
        stopped ??= why;
        endProcessGroup(child);
        plugins.killNow();
      };
      // As the engine ends a deployment on a refused registration (a duplicate URN), the gate
      // ends the program: what it would do next cannot change the verdict, an error.
      server.monitor.onFailure = () => stop("");
      const timer = setTimeout(() => stop(`the program did not finish within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      const memory = setInterval(() => {
        const rss = child.pid === undefined ? undefined : processGroupRss(child.pid);
        if (rss !== undefined && rss > memoryCapMb * 1024 * 1024) {
          stop(
            `the program used ${Math.round(rss / 1024 / 1024)} MB, over the cap of ${memoryCapMb} MB on its processes' resident memory; set POLICY_GATE_PROGRAM_MEMORY_MB to a larger number of megabytes if it needs more`,
          );
        }
      }, MEMORY_POLL_MS);
      // A gate ended by a signal (a cancelled job, Ctrl-C) ends the program and the plugins first:
      // they run in process groups of their own, which would outlive it.
      const onSignal = (signal: NodeJS.Signals): void => {
        endProcessGroup(child);
        plugins.killNow();
        permissions.cleanup?.();
        process.exit(signal === "SIGINT" ? 130 : 143);
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      const removeSignalHandlers = (): void => {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
      };
      child.on("error", (error) => {
        removeSignalHandlers();
        clearTimeout(timer);
        clearInterval(memory);
        reject(new GateError("preview-failed", `could not start Pulumi's Node.js runner for ${program.entry}: ${error.message}`));
      });
      child.on("exit", (code, signal) => {
        removeSignalHandlers();
        clearTimeout(timer);
        clearInterval(memory);
        endProcessGroup(child);
        resolve({ code, signal, ...(stopped ? { stopped } : {}) });
      });
    });
    const standIns = standInNote(server.monitor);
    const tail = lastLines(output, 20);
    const shown = tail ? `\nprogram output (last lines):\n${tail}` : "";
    const name = program.entry === "." ? program.directory : program.entry;
    if (ended.stopped && server.monitor.failures.length === 0) throw new GateError("preview-failed", `${name}: ${ended.stopped}${shown}`);
    const [failure] = server.monitor.failures;
    if (failure !== undefined) {
      const more = server.monitor.failures.length > 1 ? ` (and ${server.monitor.failures.length - 1} more)` : "";
      throw new GateError("preview-failed", `the program ${name} failed: ${failure}${more}`);
    }
    if (server.log.errors.length > 0) {
      const text = loggedErrorsMessage(server.log.errors);
      const location = programLocation(server.log.errors.join("\n").replace(ANSI, ""), program.directory);
      throw new GateError("preview-failed", `the program ${name} failed${location ? ` (at ${location})` : ""}: ${text}${standIns}`);
    }
    const pluginErrors = await plugins.loggedErrors();
    if (pluginErrors.length > 0) {
      throw new GateError("preview-failed", `a component's provider plugin logged an error: ${pluginErrors[0] ?? ""}`);
    }
    if (/heap out of memory|Reached heap limit/.test(output)) {
      throw new GateError(
        "preview-failed",
        `the program ${name} needed more memory than its ${heapMb} MB heap limit; set POLICY_GATE_RUNNER_HEAP_MB to a larger number of megabytes`,
      );
    }
    if (ended.code !== 0) {
      const location = programLocation(output.replace(ANSI, ""), program.directory);
      throw new GateError(
        "preview-failed",
        `the program ${name} ended with exit code ${ended.code ?? "none"} (signal ${ended.signal ?? "none"})${location ? ` at ${location}` : ""}${standIns}${shown}`,
      );
    }
    if (server.pending > 0) {
      throw new GateError(
        "preview-failed",
        `the program ${name} ended with ${server.pending} Pulumi operation${server.pending === 1 ? "" : "s"} still unanswered: it exited before it finished`,
      );
    }
    if (!server.monitor.finished) {
      throw new GateError(
        "preview-failed",
        `the program ${name} failed: the program stopped with Pulumi operations still pending: a promise that never settles, usually a cycle of dependencies between resources or an Output awaited inside its own apply`,
      );
    }
    return {
      outcome: {
        resources: server.monitor.resources,
        invokes: server.monitor.invokes,
        loggedWarnings: server.log.warnings,
        unbuiltComponents: server.monitor.unbuilt,
      },
      output,
    };
  } catch (error) {
    // The report of a failed run still counts what the program had registered.
    const registered = server.monitor.resources.map(({ urn, type, name }) => ({ urn, type, name }));
    if (error instanceof GateError && error.resources.length === 0 && registered.length > 0) throw error.withResources(registered);
    throw error;
  } finally {
    endProcessGroup(child);
    await plugins.close();
    await server.close();
    permissions.cleanup?.();
  }
}
