// The engine's side of a Pulumi program, served on loopback: `pulumirpc.ResourceMonitor` and
// `pulumirpc.Engine`, from the service definitions that @pulumi/pulumi ships, with grpc-js. The
// program runs in its own process under Pulumi's own runner and talks to this server exactly as
// it talks to the CLI's engine; everything the verdict is built from arrives here, in the gate's
// process, so nothing the program does inside its own process can change what was recorded.
// An RPC this server does not implement answers UNIMPLEMENTED, as an older engine would.

import * as grpc from "@grpc/grpc-js";
import engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import engineProto from "@pulumi/pulumi/proto/engine_pb.js";
import providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { OfflineMonitor, SUPPORTED_FEATURES } from "./monitor.js";
import type { Callback, ProtoModules } from "./monitor-requests.js";

/** The gate's own protobuf classes: the server deserializes every request with them. */
export const GATE_PROTO: ProtoModules = {
  resource: resourceProto as unknown as ProtoModules["resource"],
  provider: providerProto as unknown as ProtoModules["provider"],
  struct: structProto,
  empty: emptyProto as unknown as ProtoModules["empty"],
};

/** What the program logged through the engine (pulumi.log, and the runner's report of an uncaught error). */
export interface EngineLog {
  readonly errors: string[];
  readonly warnings: string[];
}

export interface DeploymentSettings {
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

// The features in GetDeploymentInfo, as the SDK maps their names (SDKs from 3.256 on ask this,
// not SupportsFeature): a feature left off this list is one the SDK does without.
const FEATURE_IDS: Readonly<Record<string, number>> = {
  secrets: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  resourceReferences: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  outputValues: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
  aliasSpecs: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  deletedWith: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
};

type Handler = (call: { request: unknown }, callback: Callback) => void;

export class MonitorServer {
  readonly log: EngineLog = { errors: [], warnings: [] };
  /** Calls received and not yet answered: a program that ends with one outstanding did not finish. */
  private outstanding = 0;
  private rootResource = "";
  private shutdownSignalled = false;

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    readonly monitor: OfflineMonitor,
  ) {}

  get pending(): number {
    return this.outstanding;
  }

  /** Whether the program's runner signalled its normal end (SignalAndWaitForShutdown). */
  get signalledShutdown(): boolean {
    return this.shutdownSignalled;
  }

  static async start(settings: DeploymentSettings, monitor?: OfflineMonitor): Promise<MonitorServer> {
    const recorder = monitor ?? new OfflineMonitor(GATE_PROTO, settings.project, settings.stack);
    const server = new grpc.Server({
      // Pulumi's engine accepts messages as large as a program can build (a big Lambda archive).
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
    const instance = new MonitorServer(server, `127.0.0.1:${port}`, recorder);
    instance.addServices(settings);
    return instance;
  }

  /** Counts a call while it is answered, so that the end of the program can be checked against it. */
  private tracked(handler: (request: never, callback: Callback) => void): Handler {
    return (call, callback) => {
      this.outstanding++;
      let answered = false;
      const done: Callback = (error, response) => {
        if (answered) return;
        answered = true;
        this.outstanding--;
        callback(error, response);
      };
      try {
        handler(call.request as never, done);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    };
  }

  private addServices(settings: DeploymentSettings): void {
    const monitor = this.monitor;
    const resourceMonitor: Record<string, Handler> = {
      supportsFeature: this.tracked((request, callback) => monitor.supportsFeature(request, callback)),
      invoke: this.tracked((request, callback) => monitor.invoke(request, callback)),
      call: this.tracked((request, callback) => monitor.call(request, callback)),
      readResource: this.tracked((request, callback) => monitor.readResource(request, callback)),
      registerResource: this.tracked((request, callback) => monitor.registerResource(request, callback)),
      registerResourceOutputs: this.tracked((request, callback) => monitor.registerResourceOutputs(request, callback)),
      registerPackage: this.tracked((request, callback) => monitor.registerPackage(request, callback)),
      registerStackTransform: this.tracked((request, callback) => monitor.registerStackTransform(request, callback)),
      getDeploymentInfo: this.tracked((_request, callback) => callback(null, deploymentInfo(settings))),
      signalAndWaitForShutdown: this.tracked((_request, callback) => {
        this.shutdownSignalled = true;
        callback(null, new emptyProto.Empty());
      }),
    };
    this.server.addService(resourceGrpc.ResourceMonitorService, resourceMonitor);

    const engine: Record<string, Handler> = {
      log: this.tracked((request: InstanceType<typeof engineProto.LogRequest>, callback) => {
        const severity = request.getSeverity();
        const message = request.getMessage();
        if (severity === engineProto.LogSeverity.ERROR) this.log.errors.push(message);
        else if (severity === engineProto.LogSeverity.WARNING) this.log.warnings.push(message);
        callback(null, new emptyProto.Empty());
      }),
      getRootResource: this.tracked((_request, callback) => {
        const response = new engineProto.GetRootResourceResponse();
        response.setUrn(this.rootResource);
        callback(null, response);
      }),
      setRootResource: this.tracked((request: InstanceType<typeof engineProto.SetRootResourceRequest>, callback) => {
        this.rootResource = request.getUrn();
        callback(null, new engineProto.SetRootResourceResponse());
      }),
    };
    this.server.addService(engineGrpc.EngineService, engine);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.tryShutdown(() => resolve());
      // A client that keeps its connection open must not hold the gate: force it after a moment.
      setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1_000).unref();
    });
  }
}

function deploymentInfo(settings: DeploymentSettings): InstanceType<typeof resourceProto.DeploymentInfo> {
  const info = new resourceProto.DeploymentInfo();
  info.setProject(settings.project);
  info.setStack(settings.stack);
  info.setOrganization(settings.organization);
  const config = info.getConfigMap();
  for (const [key, value] of Object.entries(settings.config)) config.set(key, value);
  info.setConfigsecretkeysList([...settings.secretKeys]);
  info.setDryrun(true);
  info.setParallel(0);
  info.setSupportedfeaturesList([...SUPPORTED_FEATURES].map((feature) => FEATURE_IDS[feature]).filter((id) => id !== undefined));
  return info;
}
