// The offline runner: a child process that runs one Pulumi program as a preview, against the
// program's own copy of the Pulumi SDK, with OfflineMonitor in the engine's place. It reports
// the recorded resources (or the program's failure) to its parent over the IPC channel and exits.
// Running each program in its own process keeps its globals, its SDK state and any crash away
// from the gate itself.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { OfflineMonitor } from "./monitor.js";
import type { ProtoModules } from "./monitor-requests.js";
import type { RunnerOutcome } from "./records.js";

export interface RunnerJob {
  readonly programDir: string;
  readonly main: string;
  readonly module: "commonjs" | "esm";
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
}

interface PulumiRuntime {
  /** The directory of the program's own @pulumi/pulumi. */
  readonly sdkRoot: string;
  readonly settings: {
    setMockOptions(monitor: unknown, project: string, stack: string, preview: boolean, organization: string): void;
    waitForRPCs(): Promise<void>;
  };
  readonly stack: { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
  readonly log: { hasErrors(): boolean; error(message: string, ...rest: unknown[]): Promise<void> };
  readonly debuggable: { debuggablePromise: (promise: Promise<unknown>, context: unknown) => Promise<unknown> };
  readonly resource: { Resource?: { callsites?: () => unknown[] } };
  readonly proto: ProtoModules;
}

function loadPulumiRuntime(programDir: string): PulumiRuntime {
  const fromProgram = createRequire(path.join(programDir, "package.json"));
  let sdkRoot: string;
  try {
    sdkRoot = path.dirname(fromProgram.resolve("@pulumi/pulumi/package.json"));
  } catch {
    throw new Error(`cannot find the package @pulumi/pulumi from ${programDir}: install the program's dependencies there first (npm ci)`);
  }
  const fromSdk = createRequire(path.join(sdkRoot, "package.json"));
  const load = <T>(request: string): T => fromSdk(request) as T;
  return {
    sdkRoot,
    settings: load(path.join(sdkRoot, "runtime/settings.js")),
    stack: load(path.join(sdkRoot, "runtime/stack.js")),
    log: load(path.join(sdkRoot, "log/index.js")),
    debuggable: load(path.join(sdkRoot, "runtime/debuggable.js")),
    resource: load(path.join(sdkRoot, "resource.js")),
    proto: {
      resource: load(path.join(sdkRoot, "proto/resource_pb.js")),
      provider: load(path.join(sdkRoot, "proto/provider_pb.js")),
      struct: load("google-protobuf/google/protobuf/struct_pb.js"),
      empty: load("google-protobuf/google/protobuf/empty_pb.js"),
    },
  };
}

/** Where in the program an error was thrown: its first stack frame outside node_modules. */
function programLocation(error: unknown, programDir: string): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match?.[1]) continue;
    const file = match[1].replace(/^file:\/\//, "");
    if (file.startsWith(programDir) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${path.relative(programDir, file)}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
}

/**
 * Makes TypeScript loadable the way Pulumi's Node.js host does: with the ts-node and TypeScript
 * that the program's @pulumi/pulumi resolves (its vendored copies at worst), transpiling only.
 * That needs nothing beside the gate, so the action runs it on a runner, and it starts faster
 * than tsx (1.1 s against 1.5 s for fixtures/alb). ES module programs need tsx (installed with
 * the gate); POLICY_GATE_TYPESCRIPT=tsx chooses it for every program.
 */
async function registerTypeScript(job: RunnerJob, sdkRoot: string): Promise<void> {
  if (job.module === "esm" || process.env.POLICY_GATE_TYPESCRIPT === "tsx") {
    let tsxApi: { register(): unknown };
    try {
      tsxApi = job.module === "esm" ? await import("tsx/esm/api") : await import("tsx/cjs/api");
    } catch {
      throw new Error(
        'this TypeScript program needs tsx (an ES module program, or POLICY_GATE_TYPESCRIPT=tsx), which is not installed beside the gate; use engine "pulumi" or a CommonJS program',
      );
    }
    tsxApi.register();
    return;
  }
  const fromSdk = createRequire(path.join(sdkRoot, "package.json"));
  const tsutils = fromSdk("./tsutils.js") as { typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string } };
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const tsNode = fromSdk(tsnodeRequire) as { register(options: Record<string, unknown>): void };
  const tsconfig = path.join(job.programDir, "tsconfig.json");
  tsNode.register({
    transpileOnly: true,
    skipProject: !existsSync(tsconfig),
    project: existsSync(tsconfig) ? tsconfig : undefined,
    compiler: typescriptRequire,
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true },
  });
}

async function loadProgram(job: RunnerJob, sdkRoot: string): Promise<unknown> {
  if (/\.[mc]?ts$/.test(job.main)) await registerTypeScript(job, sdkRoot);
  if (job.module === "esm") {
    const namespace = (await import(pathToFileURL(job.main).href)) as { default?: unknown };
    return typeof namespace.default === "function" ? namespace.default : namespace;
  }
  return createRequire(path.join(job.programDir, "package.json"))(job.main) as unknown;
}

// The SDK wraps every promise it creates in a leak tracker that stores a stack trace on it, and
// a large program makes hundreds of thousands: with source maps on, that took 3 of the 5 s for
// 1,000 resources, and the tracker's extra promises doubled the run time and the memory for
// 10,000. The traces are only printed under PULUMI_DEBUG_PROMISE_LEAKS, so unless that is set the
// wrapper is replaced by the identity. What it was for, a promise that never settles, still
// fails the run: see the beforeExit handler in main().
function skipPromiseLeakTracking(debuggable: PulumiRuntime["debuggable"]): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || typeof debuggable.debuggablePromise !== "function") return;
  debuggable.debuggablePromise = (promise) => promise;
}

// Offline there is no engine to receive `pulumi.log.error`: the SDK only prints the message and
// counts it. The runner keeps the messages too, so that the failure names what went wrong.
function recordLoggedErrors(log: PulumiRuntime["log"]): string[] {
  const messages: string[] = [];
  const original = log.error.bind(log);
  log.error = (message, ...rest) => {
    messages.push(String(message));
    return original(message, ...rest);
  };
  return messages;
}

function loggedErrorsMessage(messages: readonly string[]): string {
  const [first] = messages;
  if (first === undefined) return "the program logged an error (see its output)";
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? "s" : ""}: see its output)` : "";
  return `the program logged an error: ${first}${more}`;
}

// For every resource the SDK takes a full stack trace (no depth limit) and parses it, to send the
// engine the source position of the `new` that declared it. The offline engine records no source
// positions, and with ts-node's source maps those traces cost about 2 s for 10,000 resources: the
// runner answers that there is no position. (An SDK without Resource.callsites is left alone.)
function skipSourcePositions(resource: PulumiRuntime["resource"]): void {
  if (resource.Resource && typeof resource.Resource.callsites === "function") resource.Resource.callsites = () => [];
}

export async function runProgram(job: RunnerJob): Promise<RunnerOutcome> {
  const runtime = loadPulumiRuntime(job.programDir);
  skipPromiseLeakTracking(runtime.debuggable);
  skipSourcePositions(runtime.resource);
  const loggedErrors = recordLoggedErrors(runtime.log);
  const monitor = new OfflineMonitor(runtime.proto, job.project, job.stack);
  runtime.settings.setMockOptions(monitor, job.project, job.stack, true, job.organization);
  process.chdir(job.programDir);
  try {
    await runtime.stack.runInPulumiStack(async () => {
      const exported = await loadProgram(job, runtime.sdkRoot);
      // As Pulumi's Node.js host: an exported function is the program, its result the outputs.
      return typeof exported === "function" ? await (exported as () => unknown)() : exported;
    });
    await runtime.settings.waitForRPCs();
  } catch (error) {
    return { kind: "program-error", message: describe(error), location: programLocation(error, job.programDir) };
  }
  const [failure] = monitor.failures;
  if (failure !== undefined) {
    const more = monitor.failures.length > 1 ? ` (and ${monitor.failures.length - 1} more)` : "";
    return { kind: "program-error", message: `${failure}${more}`, location: undefined };
  }
  if (runtime.log.hasErrors()) {
    return { kind: "program-error", message: loggedErrorsMessage(loggedErrors), location: undefined };
  }
  return {
    kind: "completed",
    project: job.project,
    stack: job.stack,
    resources: monitor.resources,
    invokes: monitor.invokes,
    loggedErrors,
  };
}

let reported = false;

function report(outcome: RunnerOutcome): void {
  if (!process.send) throw new Error("the offline runner must be started by the engine over an IPC channel");
  if (reported) return;
  reported = true;
  process.send(outcome, () => process.exit(0));
}

function main(): void {
  const job = JSON.parse(process.argv[2] ?? "{}") as RunnerJob;
  const fail = (error: unknown): void =>
    report({ kind: "program-error", message: describe(error), location: programLocation(error, job.programDir) });
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  // The IPC channel must not keep the process alive: when nothing is left to run and the program
  // has not finished, it waits on a promise that can never settle.
  process.channel?.unref();
  // The gate ended (a signal, a crash) before this run did: end this process group, the
  // processes the program started included, instead of leaving them on the runner.
  // The group is the one this process leads (the engine starts it detached); when it leads none,
  // as on Windows, only this process ends.
  process.on("disconnect", () => {
    if (reported) return;
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      process.exit(1);
    }
  });
  process.on("beforeExit", () =>
    report({
      kind: "program-error",
      message:
        "the program stopped with Pulumi operations still pending: a promise that never settles, usually a cycle of dependencies between resources or an Output awaited inside its own apply",
      location: undefined,
    }),
  );
  runProgram(job).then(report, fail);
}

main();
