// The requests a component package's plugin receives, filled as the Pulumi CLI fills them.

import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { describe, expect, it } from "vitest";
import {
  configureRequest,
  constructRequest,
  defaultProviderUrn,
  packageConfig,
  type ComponentRun,
} from "../../../src/engine/offline/plugins/provider-requests.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY, UNKNOWN_VALUE } from "../../../src/engine/wire-format.js";

const RUN: ComponentRun = {
  project: "shop",
  stack: "dev",
  organization: "acme",
  config: { "aws:region": "eu-west-1", "awsx:logLevel": "debug", "awsx:token": "s3cret", "shop:size": "small" },
  configSecretKeys: ["awsx:token"],
  monitorAddress: "127.0.0.1:4000",
  programDirectory: "/work/program",
  parallel: 8,
};

function albRegistration(): resourceProto.RegisterResourceRequest {
  const request = new resourceProto.RegisterResourceRequest();
  request.setType("awsx:lb:ApplicationLoadBalancer");
  request.setName("web");
  request.setParent("urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev");
  request.setRemote(true);
  request.setVersion("2.21.0");
  request.setObject(structProto.Struct.fromJavaScript({ subnetIds: ["subnet-a"] }));
  const dependencies = new resourceProto.RegisterResourceRequest.PropertyDependencies();
  dependencies.setUrnsList(["urn:pulumi:dev::shop::aws:ec2/subnet:Subnet::a"]);
  request.getPropertydependenciesMap().set("subnetIds", dependencies);
  request.setDependenciesList(["urn:pulumi:dev::shop::aws:ec2/subnet:Subnet::a"]);
  request.getProvidersMap().set("aws", "urn:pulumi:dev::shop::pulumi:providers:aws::eu::id-1");
  request.setProtect(true);
  request.setIgnorechangesList(["tags"]);
  request.setReplaceonchangesList(["name"]);
  request.setRetainondelete(true);
  request.setDeletedwith("urn:pulumi:dev::shop::aws:ec2/vpc:Vpc::main");
  request.setDeletebeforereplacedefined(true);
  request.setDeletebeforereplace(false);
  request.setAdditionalsecretoutputsList(["vpcId"]);
  const timeouts = new resourceProto.RegisterResourceRequest.CustomTimeouts();
  timeouts.setCreate("10m");
  request.setCustomtimeouts(timeouts);
  return request;
}

describe("the default provider's configuration", () => {
  it("is the stack's configuration of the package, secrets kept secret, plus the plugin version", () => {
    expect(packageConfig(RUN, "awsx", "2.21.0")).toEqual({
      logLevel: "debug",
      token: { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "s3cret" },
      version: "2.21.0",
    });
  });

  it("reaches Configure as `<pkg>:config:<key>` variables and as arguments, for the provider the engine names", () => {
    const urn = defaultProviderUrn(RUN, "awsx", "2.21.0");
    expect(urn).toBe("urn:pulumi:dev::shop::pulumi:providers:awsx::default_2_21_0");
    const request = configureRequest(urn, "awsx", packageConfig(RUN, "awsx", "2.21.0"));
    expect(Object.fromEntries(request.getVariablesMap().entries())).toEqual({
      "awsx:config:logLevel": "debug",
      "awsx:config:token": "s3cret",
    });
    expect(request.getArgs()?.toJavaScript().token).toEqual({ [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "s3cret" });
    expect([request.getUrn(), request.getName(), request.getType(), request.getId()]).toEqual([
      urn,
      "default_2_21_0",
      "pulumi:providers:awsx",
      UNKNOWN_VALUE,
    ]);
    expect([request.getAcceptsecrets(), request.getAcceptresources()]).toEqual([true, true]);
  });
});

describe("Construct", () => {
  it("carries the run, the registration and its options as the engine sends them in a preview", () => {
    const request = constructRequest(RUN, albRegistration(), { secrets: true, resources: true, outputValues: true });
    expect(request.toObject()).toMatchObject({
      project: "shop",
      stack: "dev",
      organization: "acme",
      dryrun: true,
      parallel: 8,
      monitorendpoint: "127.0.0.1:4000",
      type: "awsx:lb:ApplicationLoadBalancer",
      name: "web",
      parent: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
      configsecretkeysList: ["awsx:token"],
      dependenciesList: ["urn:pulumi:dev::shop::aws:ec2/subnet:Subnet::a"],
      aliasesList: [],
      protect: true,
      ignorechangesList: ["tags"],
      replaceonchangesList: ["name"],
      retainondelete: true,
      deletedwith: "urn:pulumi:dev::shop::aws:ec2/vpc:Vpc::main",
      deletebeforereplace: false,
      additionalsecretoutputsList: ["vpcId"],
      customtimeouts: { create: "10m", update: "", pb_delete: "" },
      acceptsOutputValues: true,
    });
    expect(Object.fromEntries(request.getConfigMap().entries())).toEqual(RUN.config);
    expect(Object.fromEntries(request.getProvidersMap().entries())).toEqual({
      aws: "urn:pulumi:dev::shop::pulumi:providers:aws::eu::id-1",
    });
    expect(request.getInputdependenciesMap().get("subnetIds")?.getUrnsList()).toEqual(["urn:pulumi:dev::shop::aws:ec2/subnet:Subnet::a"]);
    expect(request.getInputs()?.toJavaScript()).toEqual({ subnetIds: ["subnet-a"] });
  });

  it("leaves delete-before-replace unset when the program did not set it", () => {
    const registration = albRegistration();
    registration.setDeletebeforereplacedefined(false);
    expect(constructRequest(RUN, registration, { secrets: true, resources: true, outputValues: true }).hasDeletebeforereplace()).toBe(
      false,
    );
  });
});
