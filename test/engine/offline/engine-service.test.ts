// The engine service plugins log to: warnings and errors kept, for the run to fail on errors.

import * as grpc from "@grpc/grpc-js";
import engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import engineProto from "@pulumi/pulumi/proto/engine_pb.js";
import { expect, it } from "vitest";
import { EngineService } from "../../../src/engine/offline/plugins/engine-service.js";

function log(client: engineGrpc.EngineClient, severity: engineProto.LogSeverity, message: string): Promise<void> {
  const request = new engineProto.LogRequest();
  request.setSeverity(severity);
  request.setMessage(message);
  request.setUrn("urn:pulumi:dev::shop::awsx:lb:ApplicationLoadBalancer::web");
  return new Promise((resolve, reject) => client.log(request, (error) => (error ? reject(error) : resolve())));
}

it("keeps the warnings and errors a plugin logs, and gives it no root resource", async () => {
  const engine = await EngineService.start();
  const client = new engineGrpc.EngineClient(engine.address, grpc.credentials.createInsecure());
  try {
    await log(client, engineProto.LogSeverity.INFO, "starting");
    await log(client, engineProto.LogSeverity.WARNING, "deprecated argument");
    await log(client, engineProto.LogSeverity.ERROR, "TypeError: cannot read properties of undefined");
    expect(engine.messages.map((message) => [message.severity, message.message])).toEqual([
      ["warning", "deprecated argument"],
      ["error", "TypeError: cannot read properties of undefined"],
    ]);
    expect(engine.errors).toEqual(["TypeError: cannot read properties of undefined"]);
    const root = await new Promise<engineProto.GetRootResourceResponse>((resolve, reject) =>
      client.getRootResource(new engineProto.GetRootResourceRequest(), (error, response) => (error ? reject(error) : resolve(response))),
    );
    expect(root.getUrn()).toBe("");
  } finally {
    client.close();
    await engine.stop();
  }
});
