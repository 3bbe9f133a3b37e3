// The monitor's features as each SDK asks for them: SDKs before 3.256 ask SupportsFeature one name
// at a time, later ones read GetDeploymentInfo's list. Both must say the same, or an SDK goes without
// a feature the gate has (a component's resource outputs, its inputs' output values) on one side.
import * as grpc from "@grpc/grpc-js";
import resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MonitorServer } from "../../../src/engine/offline/monitor-server.js";

// The SDK's own names for the features (runtime/settings.js, legacyFeatureMapping).
const FEATURES: Record<string, number> = {
  secrets: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  resourceReferences: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  outputValues: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
  deletedWith: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  aliasSpecs: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  transforms: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
  invokeTransforms: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
  parameterization: resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
};

let server: MonitorServer;
let client: InstanceType<typeof resourceGrpc.ResourceMonitorClient>;

beforeAll(async () => {
  server = await MonitorServer.start({ project: "shop", stack: "dev", organization: "acme", config: {}, secretKeys: [] });
  client = new resourceGrpc.ResourceMonitorClient(server.address, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

function supports(id: string): Promise<boolean> {
  const request = new resourceProto.SupportsFeatureRequest();
  request.setId(id);
  return new Promise((resolve, reject) =>
    client.supportsFeature(request, (error, response) => (error ? reject(error) : resolve(response.getHassupport()))),
  );
}

function deploymentFeatures(): Promise<number[]> {
  return new Promise((resolve, reject) =>
    client.getDeploymentInfo(new emptyProto.Empty(), (error, response) =>
      error ? reject(error) : resolve(response.getSupportedfeaturesList()),
    ),
  );
}

describe("the monitor's features", () => {
  it("are the same through SupportsFeature and GetDeploymentInfo, and include what remote components need", async () => {
    const listed = new Set(await deploymentFeatures());
    const answered: string[] = [];
    for (const [name, id] of Object.entries(FEATURES)) {
      const supported = await supports(name);
      expect({ name, listed: listed.has(id) }).toEqual({ name, listed: supported });
      if (supported) answered.push(name);
    }
    expect(answered).toEqual(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"]);
  });
});
