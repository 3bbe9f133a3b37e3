// A small ResourceMonitor for tests: a real gRPC server (the service definition of the gate's
// @pulumi/pulumi) that records every registration a plugin makes, names resources with Pulumi's
// URN rule, answers a preview's way (a new resource's outputs are its inputs) and answers the
// lookups the test components make with fixed values.

import * as grpc from "@grpc/grpc-js";
import providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";

export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly dependencies: string[];
  readonly protect: boolean | undefined;
  readonly ignoreChanges: string[];
}

const FEATURES = new Set(["secrets", "resourceReferences", "deletedWith", "aliasSpecs"]);

/** What the monitor does with a remote component's registration (the engine: have its plugin construct it). */
export type RemoteComponentHandler = (request: resourceProto.RegisterResourceRequest) => Promise<resourceProto.RegisterResourceResponse>;

export class RecordingMonitor {
  /** Set to construct remote components; without it their registration fails. */
  remote: RemoteComponentHandler | undefined;
  readonly registrations: Registration[] = [];
  readonly invokes: string[] = [];
  readonly outputs = new Map<string, Record<string, unknown>>();
  private readonly types = new Map<string, string>();

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    private readonly stack: string,
    private readonly project: string,
    private readonly answers: Readonly<Record<string, Record<string, structProto.JavaScriptValue>>>,
  ) {}

  static async start(
    project: string,
    stack: string,
    answers: Readonly<Record<string, Record<string, structProto.JavaScriptValue>>>,
  ): Promise<RecordingMonitor> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const monitor = new RecordingMonitor(server, `127.0.0.1:${port}`, stack, project, answers);
    server.addService(resourceGrpc.ResourceMonitorService, monitor.handlers());
    return monitor;
  }

  /** The URN the engine gives a resource: the parent's type chain, then its own type and name. */
  urnFor(parent: string, type: string, name: string): string {
    const parentType = parent ? this.types.get(parent) : undefined;
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    const urn = `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    this.types.set(urn, qualified);
    return urn;
  }

  private handlers(): grpc.UntypedServiceImplementation {
    const handlers: Partial<resourceGrpc.IResourceMonitorServer> = {
      supportsFeature: (call, callback) => {
        const response = new resourceProto.SupportsFeatureResponse();
        response.setHassupport(FEATURES.has(call.request.getId()));
        callback(null, response);
      },
      registerResource: (call, callback) => {
        const request = call.request;
        if (request.getRemote()) {
          // As the engine: the plugin registers the component itself; the answer is the plugin's.
          if (!this.remote) callback({ code: grpc.status.UNIMPLEMENTED, details: "the test monitor constructs no remote components" });
          else
            this.remote(request).then(
              (response) => callback(null, response),
              (error: Error) => callback({ code: grpc.status.UNKNOWN, details: error.message }),
            );
          return;
        }
        const urn = this.urnFor(request.getParent(), request.getType(), request.getName());
        const inputs = request.getObject()?.toJavaScript() ?? {};
        this.registrations.push({
          urn,
          type: request.getType(),
          name: request.getName(),
          parent: request.getParent(),
          custom: request.getCustom(),
          inputs,
          dependencies: request.getDependenciesList(),
          protect: request.hasProtect() ? request.getProtect() : undefined,
          ignoreChanges: request.getIgnorechangesList(),
        });
        const response = new resourceProto.RegisterResourceResponse();
        response.setUrn(urn);
        response.setId("");
        if (request.getCustom()) response.setObject(structProto.Struct.fromJavaScript(inputs));
        callback(null, response);
      },
      registerResourceOutputs: (call, callback) => {
        this.outputs.set(call.request.getUrn(), call.request.getOutputs()?.toJavaScript() ?? {});
        callback(null, new emptyProto.Empty());
      },
      invoke: (call, callback) => {
        const token = call.request.getTok();
        this.invokes.push(token);
        const answer =
          token === "pulumi:pulumi:getResource" ? this.resourceState(call.request.getArgs()?.toJavaScript().urn) : this.answers[token];
        if (!answer) {
          callback({ code: grpc.status.NOT_FOUND, details: `the test monitor has no answer for ${token}` });
          return;
        }
        const response = new providerProto.InvokeResponse();
        response.setReturn(structProto.Struct.fromJavaScript(answer));
        callback(null, response);
      },
    };
    return handlers as grpc.UntypedServiceImplementation;
  }

  /**
   * What the engine answers `pulumi:pulumi:getResource` with, as the SDK asks when it receives a
   * reference to a resource (a component's outputs, a resource's inputs): its URN, ID and state.
   * In a preview a new resource's state is its inputs and its ID is not known.
   */
  private resourceState(urn: unknown): Record<string, structProto.JavaScriptValue> | undefined {
    const registered = this.registrations.find((registration) => registration.urn === urn);
    if (!registered) return undefined;
    return { urn: registered.urn, id: "", state: registered.inputs as Record<string, structProto.JavaScriptValue> };
  }

  /** The registrations whose parent is `urn`. */
  childrenOf(urn: string): Registration[] {
    return this.registrations.filter((registration) => registration.parent === urn);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
