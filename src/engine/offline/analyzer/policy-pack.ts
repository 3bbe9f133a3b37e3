// A policy pack served over Pulumi's analyzer protocol, launched as the Pulumi CLI launches a
// Node.js pack: `node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack>` from inside the pack
// directory, which prints its gRPC port on the first line of stdout. The engine then asks for
// the pack's policies, configures it, and sends it every resource (Analyze) and the whole stack
// (AnalyzeStack). The pack process is always stopped, also when anything fails.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import analyzerProto from "@pulumi/pulumi/proto/analyzer_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { GateError } from "../../../gate/errors.js";
import { checkPolicyPackDir } from "../../policy-pack-install.js";
import { safeEnvironment } from "../program-environment.js";
import type { PolicyDescription, ResolvedPolicyConfig } from "../../policy-config.js";
import type { RecordedResource } from "../records.js";
import { LEVEL_FROM_WIRE, levelToWire, reportedLevel, severityFromWire, ResourceMessages, type Severity } from "./messages.js";

const STARTUP_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 120_000;
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
/** Analyze calls in flight at once: enough to keep the pack busy, few enough to stay ordered. */
const ANALYZE_CONCURRENCY = 16;

/**
 * Analyze calls for the resources of `messages` as they are added, the way the CLI analyzes each
 * resource while the program still registers the next ones: a bounded number in flight, results
 * kept in resource order. pump() after adding; drained() once the last resource is added.
 */
export class ResourceAnalysis {
  private next = 0;
  private running = 0;
  private readonly results: Diagnostic[][] = [];
  private failure: { readonly error: unknown } | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly pack: PolicyPackProcess,
    private readonly messages: ResourceMessages,
  ) {}

  pump(): void {
    while (this.failure === undefined && this.running < ANALYZE_CONCURRENCY && this.next < this.messages.resources.length) {
      const index = this.next++;
      const resource = this.messages.resources[index];
      if (!resource) continue;
      this.running++;
      this.pack
        .analyze(this.messages, resource)
        .then(
          (diagnostics) => {
            this.results[index] = diagnostics;
          },
          (error: unknown) => {
            this.failure ??= { error };
          },
        )
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0) this.wake();
        })
        .catch(() => undefined);
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Every added resource's diagnostics, in resource order; the first failed call's error. */
  async drained(): Promise<Diagnostic[]> {
    this.pump();
    while (this.failure === undefined ? this.running > 0 || this.next < this.messages.resources.length : this.running > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure !== undefined) throw this.failure.error;
    return this.results.flat();
  }
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly severity: Severity | undefined;
  /** The resource at fault: the diagnostic's own URN, else the analyzed resource's. */
  readonly urn: string;
}

export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly PolicyDescription[];
}

function unary<Request, Response>(
  method: (
    request: Request,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Response) => void,
  ) => unknown,
  request: Request,
  what: string,
  packName: string,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    method(request, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (error, response) => {
      if (error) reject(new GateError("policy-pack-failed", `policy pack ${packName}: ${what} failed: ${error.details || error.message}`));
      else resolve(response);
    });
  });
}

function readPackVersion(packDir: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(packDir, "package.json"), "utf8")) as { version?: unknown };
    return typeof parsed.version === "string" ? parsed.version : "";
  } catch {
    return "";
  }
}

/** Pack processes still running, ended with the gate's process whatever way it exits. */
const LIVE_PACKS = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLivePacks(): void {
  for (const child of LIVE_PACKS) child.kill("SIGKILL");
}

export class PolicyPackProcess {
  /** How the pack's process ended, once it has: before shutdown(), the check cannot trust its answers. */
  private endedWith: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerGrpc.AnalyzerClient,
    readonly directory: string,
    private readonly stderr: () => string,
  ) {
    child.once("exit", (code, signal) => {
      this.endedWith = `exit code ${code ?? "none"}, signal ${signal ?? "none"}`;
    });
    // Whatever ends the gate ends the pack.
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once("exit", killLivePacks);
    }
    LIVE_PACKS.add(child);
    child.once("exit", () => LIVE_PACKS.delete(child));
  }

  /**
   * Set when the pack's process ended before shutdown(): something killed it (a program that
   * could reach it), and whatever answered on its port since is not the pack.
   */
  get endedEarly(): string | undefined {
    return this.endedWith;
  }

  /** Starts the pack in `packDir` and connects to it. */
  static async launch(packDir: string): Promise<PolicyPackProcess> {
    const directory = path.resolve(packDir);
    checkPolicyPackDir(packDir);
    let runPolicyPack: string;
    try {
      runPolicyPack = createRequire(path.join(directory, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
    } catch {
      throw new GateError(
        "policy-pack-failed",
        `policy pack ${packDir}: cannot find @pulumi/pulumi from it; install the pack's dependencies there (npm ci)`,
      );
    }
    // The engine address is required by run-policy-pack's usage but not used by a pack.
    // The pack needs no credential, and a process of the same user (the program under check) can
    // send it SIGUSR1 to open its inspector: it gets the safe part of the gate's environment, and
    // where Node.js can, the signal does not open the inspector.
    const noSignalInspector = process.allowedNodeEnvironmentFlags.has("--disable-sigusr1") ? ["--disable-sigusr1"] : [];
    const child = spawn(process.execPath, [...noSignalInspector, runPolicyPack, "127.0.0.1:0", "."], {
      cwd: directory,
      stdio: ["ignore", "pipe", "pipe"],
      env: safeEnvironment(process.env),
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-8000);
    });
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const fail = (why: string): void => {
        child.kill("SIGKILL");
        reject(
          new GateError(
            "policy-pack-failed",
            `policy pack ${packDir}: ${why}${stderr.trim() ? `:\n${stderr.trim().split("\n").slice(-15).join("\n")}` : ""}`,
          ),
        );
      };
      const timer = setTimeout(() => fail(`did not report its port within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        clearTimeout(timer);
        const line = stdout.slice(0, newline).trim();
        const value = Number(line);
        if (Number.isInteger(value) && value > 0) resolve(value);
        else fail(`printed ${JSON.stringify(line.slice(0, 200))} instead of its port`);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        fail(`exited before serving (exit code ${code ?? "none"}, signal ${signal ?? "none"})`);
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        fail(`could not be started: ${error.message}`);
      });
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    return new PolicyPackProcess(child, client, directory, () => stderr);
  }

  async info(): Promise<PackInfo> {
    const info = await unary<emptyProto.Empty, analyzerProto.AnalyzerInfo>(
      this.client.getAnalyzerInfo.bind(this.client),
      new emptyProto.Empty(),
      "GetAnalyzerInfo",
      this.directory,
    );
    return {
      name: info.getName(),
      version: info.getVersion() || readPackVersion(this.directory),
      policies: info.getPoliciesList().map((policy) => {
        const schema = policy.getConfigschema();
        return {
          name: policy.getName(),
          description: policy.getDescription(),
          enforcementLevel: LEVEL_FROM_WIRE[policy.getEnforcementlevel()] ?? "advisory",
          configSchema: schema
            ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
            : undefined,
        };
      }),
    };
  }

  async configure(config: ReadonlyMap<string, ResolvedPolicyConfig>): Promise<void> {
    const request = new analyzerProto.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, { enforcementLevel, properties }] of config) {
      const entry = new analyzerProto.PolicyConfig();
      entry.setEnforcementlevel(levelToWire(enforcementLevel));
      entry.setProperties(structProto.Struct.fromJavaScript(properties as Record<string, structProto.JavaScriptValue>));
      map.set(name, entry);
    }
    await unary(this.client.configure.bind(this.client), request, "Configure", this.directory);
  }

  private diagnostics(response: analyzerProto.AnalyzeResponse, fallbackUrn: string): Diagnostic[] {
    return response.getDiagnosticsList().map((diagnostic) => ({
      policyName: diagnostic.getPolicyname(),
      policyPackName: diagnostic.getPolicypackname(),
      policyPackVersion: diagnostic.getPolicypackversion(),
      description: diagnostic.getDescription(),
      message: diagnostic.getMessage(),
      enforcementLevel: reportedLevel(diagnostic.getEnforcementlevel()),
      severity: severityFromWire(diagnostic.getSeverity()),
      urn: diagnostic.getUrn() || fallbackUrn,
    }));
  }

  /** Analyze of one resource. */
  async analyze(messages: ResourceMessages, resource: RecordedResource): Promise<Diagnostic[]> {
    const response = await unary<analyzerProto.AnalyzeRequest, analyzerProto.AnalyzeResponse>(
      this.client.analyze.bind(this.client),
      messages.analyzeRequest(resource),
      `Analyze of ${resource.urn}`,
      this.directory,
    );
    return this.diagnostics(response, resource.urn);
  }

  async analyzeStack(messages: ResourceMessages, rootStackUrn: string): Promise<Diagnostic[]> {
    const response = await unary<analyzerProto.AnalyzeStackRequest, analyzerProto.AnalyzeResponse>(
      this.client.analyzeStack.bind(this.client),
      messages.analyzeStackRequest(),
      "AnalyzeStack",
      this.directory,
    );
    return this.diagnostics(response, rootStackUrn);
  }

  /** The pack's recent stderr, for error messages. */
  get recentErrors(): string {
    return this.stderr();
  }

  async shutdown(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
