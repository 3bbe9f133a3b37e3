// A constructed component as the monitor answers the SDK's RegisterResource with it, as the engine
// does (source_eval.go): the component's URN, its outputs in the forms the registering SDK accepts
// (output values always resolved; unknowns dropped for an SDK that cannot take partial values),
// and per output the resources it depends on, those carried by output values included.

import type providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { containsUnknowns, downgradeStruct, outputValueDependencies } from "./property-values.js";

/** What the monitor answers the SDK's RegisterResource with: the component's URN and outputs. */
export interface ConstructedComponent {
  readonly urn: string;
  /** The outputs, in the forms the registering SDK accepts (its acceptSecrets, acceptResources). */
  readonly state: structProto.Struct;
  /** Per output, the URNs of the resources it depends on. */
  readonly stateDependencies: Readonly<Record<string, readonly string[]>>;
}

/** The component as the engine answers the SDK: its URN, its outputs in the forms the SDK accepts, their dependencies. */
export function constructedComponent(
  registration: resourceProto.RegisterResourceRequest,
  response: providerProto.ConstructResponse,
): ConstructedComponent {
  const raw = response.getState()?.toJavaScript() ?? {};
  const dependencies: Record<string, string[]> = {};
  response.getStatedependenciesMap().forEach((urns, key) => {
    dependencies[key] = urns.getUrnsList();
  });
  // As the engine: dependencies carried by output values count too.
  for (const [key, value] of Object.entries(raw)) {
    const found = outputValueDependencies(value, new Set(dependencies[key] ?? []));
    if (found.size > 0) dependencies[key] = [...found];
  }
  let state = downgradeStruct(response.getState(), {
    secrets: registration.getAcceptsecrets(),
    resources: registration.getAcceptresources(),
    outputValues: false,
  });
  // An SDK that cannot take partly known values gets only the outputs that are fully known.
  if (!registration.getSupportspartialvalues()) {
    const known = Object.entries(state.toJavaScript()).filter(([, value]) => !containsUnknowns(value));
    state = structProto.Struct.fromJavaScript(Object.fromEntries(known));
  }
  return { urn: response.getUrn(), state, stateDependencies: dependencies };
}

/** The RegisterResourceResponse the monitor sends the SDK for a constructed component. */
export function registerResourceResponse(constructed: ConstructedComponent): resourceProto.RegisterResourceResponse {
  const response = new resourceProto.RegisterResourceResponse();
  response.setUrn(constructed.urn);
  response.setId("");
  response.setObject(constructed.state);
  const dependencies = response.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(constructed.stateDependencies)) {
    const entry = new resourceProto.RegisterResourceResponse.PropertyDependencies();
    entry.setUrnsList([...urns]);
    dependencies.set(key, entry);
  }
  return response;
}
