// The engine's side-channel for plugins (pulumirpc.Engine): the address every provider plugin is
// started with. A Node.js plugin cannot construct without one, and sends its log messages there;
// an error it logs (an uncaught exception in the component, for one) is kept so that the run can
// fail on it, as the CLI fails an update whose plugins logged errors.

import * as grpc from "@grpc/grpc-js";
import engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import engineProto from "@pulumi/pulumi/proto/engine_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";

const MAX_KEPT_MESSAGES = 100;

export interface LoggedMessage {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
  readonly urn: string;
}

function severityName(severity: engineProto.LogSeverity): LoggedMessage["severity"] {
  switch (severity) {
    case engineProto.LogSeverity.DEBUG:
      return "debug";
    case engineProto.LogSeverity.INFO:
      return "info";
    case engineProto.LogSeverity.WARNING:
      return "warning";
    case engineProto.LogSeverity.ERROR:
      return "error";
  }
}

export class EngineService {
  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    /** Warnings and errors the plugins logged, oldest first (at most the first hundred). */
    readonly messages: readonly LoggedMessage[],
  ) {}

  static async start(): Promise<EngineService> {
    const server = new grpc.Server();
    const messages: LoggedMessage[] = [];
    const implementation: engineGrpc.IEngineServer = {
      log: (call, callback) => {
        const severity = severityName(call.request.getSeverity());
        if ((severity === "warning" || severity === "error") && messages.length < MAX_KEPT_MESSAGES) {
          messages.push({ severity, message: call.request.getMessage(), urn: call.request.getUrn() });
        }
        callback(null, new emptyProto.Empty());
      },
      // A plugin has no root resource of its own: its components get their parent from Construct.
      getRootResource: (_call, callback) => callback(null, new engineProto.GetRootResourceResponse()),
      setRootResource: (_call, callback) => callback(null, new engineProto.SetRootResourceResponse()),
      startDebugging: (_call, callback) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: "debugging plugins is not supported by the offline engine" }),
      requirePulumiVersion: (_call, callback) => callback(null, new engineProto.RequirePulumiVersionResponse()),
    };
    server.addService(engineGrpc.EngineService, implementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return new EngineService(server, `127.0.0.1:${port}`, messages);
  }

  get errors(): string[] {
    return this.messages.filter((message) => message.severity === "error").map((message) => message.message);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
