// The requests the engine sends a component package's provider plugin, filled as the Pulumi CLI
// fills them (pkg/resource/deploy/source_eval.go, providers/registry.go and
// sdk/go/common/resource/plugin/provider_plugin.go): Handshake when the plugin starts, then for
// the package's default provider CheckConfig and Configure with the stack's configuration of
// that package, then Construct for each remote component.

import { availableParallelism } from "node:os";
import providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import type resourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import { SECRET_SIGNATURE, SPECIAL_SIGNATURE_KEY, UNKNOWN_VALUE } from "../../wire-format.js";
import { downgradeStruct, type AcceptedForms } from "./property-values.js";

/** What the engine knows of the run, and passes to every Construct. */
export interface ComponentRun {
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
  /** The stack's configuration, decrypted, by full key (`aws:region`, `my-project:size`). */
  readonly config: Readonly<Record<string, string>>;
  /** The full keys of `config` whose values are secrets. */
  readonly configSecretKeys: readonly string[];
  /** The address (`127.0.0.1:port`) of the ResourceMonitor the plugin registers resources with. */
  readonly monitorAddress: string;
  /** The program's directory: plugins run in it, as under the CLI. */
  readonly programDirectory: string;
  /** The resource operations the engine allows at once; by default 4 × CPUs, as the CLI's. */
  readonly parallel?: number;
}

/** The default provider of a package, as the engine names it (`default_2_21_0` for 2.21.0). */
export function defaultProviderUrn(run: ComponentRun, pkg: string, version: string): string {
  const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
  return `urn:pulumi:${run.stack}::${run.project}::pulumi:providers:${pkg}::${name}`;
}

export function handshakeRequest(engineAddress: string, pluginDirectory: string): providerProto.ProviderHandshakeRequest {
  const request = new providerProto.ProviderHandshakeRequest();
  request.setEngineAddress(engineAddress);
  request.setRootDirectory(pluginDirectory);
  request.setProgramDirectory(pluginDirectory);
  request.setConfigureWithUrn(true);
  request.setSupportsViews(true);
  request.setSupportsRefreshBeforeUpdate(true);
  return request;
}

/** The package's configuration from the stack (`awsx:key` → `key`), plus the plugin version. */
export function packageConfig(run: ComponentRun, pkg: string, version: string): Record<string, structProto.JavaScriptValue> {
  const secretKeys = new Set(run.configSecretKeys);
  const inputs: Record<string, structProto.JavaScriptValue> = {};
  for (const [key, value] of Object.entries(run.config)) {
    if (!key.startsWith(`${pkg}:`)) continue;
    const name = key.slice(pkg.length + 1);
    inputs[name] = secretKeys.has(key) ? { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value;
  }
  if (version) inputs.version = version;
  return inputs;
}

function plainConfig(inputs: Record<string, structProto.JavaScriptValue>): Record<string, structProto.JavaScriptValue> {
  return downgradeStruct(structProto.Struct.fromJavaScript(inputs), {
    secrets: false,
    resources: false,
    outputValues: false,
  }).toJavaScript();
}

export function checkConfigRequest(
  urn: string,
  pkg: string,
  inputs: Record<string, structProto.JavaScriptValue>,
): providerProto.CheckRequest {
  const request = new providerProto.CheckRequest();
  request.setUrn(urn);
  request.setName(urn.split("::").pop() ?? "");
  request.setType(`pulumi:providers:${pkg}`);
  request.setOlds(new structProto.Struct());
  request.setNews(structProto.Struct.fromJavaScript(plainConfig(inputs)));
  return request;
}

export function configureRequest(
  urn: string,
  pkg: string,
  inputs: Record<string, structProto.JavaScriptValue>,
): providerProto.ConfigureRequest {
  const request = new providerProto.ConfigureRequest();
  request.setUrn(urn);
  request.setName(urn.split("::").pop() ?? "");
  request.setType(`pulumi:providers:${pkg}`);
  // In a preview a new provider's ID is not known yet.
  request.setId(UNKNOWN_VALUE);
  const variables = request.getVariablesMap();
  for (const [key, value] of Object.entries(plainConfig(inputs))) {
    if (key === "version") continue;
    variables.set(`${pkg}:config:${key}`, typeof value === "string" ? value : JSON.stringify(value));
  }
  request.setArgs(structProto.Struct.fromJavaScript(inputs));
  request.setAcceptsecrets(true);
  request.setAcceptresources(true);
  request.setSendsOldInputs(true);
  request.setSendsOldInputsToDelete(true);
  return request;
}

/** Construct for a remote registration: every field the engine fills, in a preview. */
export function constructRequest(
  run: ComponentRun,
  registration: resourceProto.RegisterResourceRequest,
  accepted: AcceptedForms,
): providerProto.ConstructRequest {
  const request = new providerProto.ConstructRequest();
  request.setProject(run.project);
  request.setStack(run.stack);
  request.setOrganization(run.organization);
  const config = request.getConfigMap();
  for (const [key, value] of Object.entries(run.config)) config.set(key, value);
  request.setConfigsecretkeysList([...run.configSecretKeys]);
  request.setDryrun(true);
  request.setParallel(run.parallel ?? 4 * availableParallelism());
  request.setMonitorendpoint(run.monitorAddress);
  request.setType(registration.getType());
  request.setName(registration.getName());
  request.setParent(registration.getParent());
  request.setInputs(downgradeStruct(registration.getObject(), { ...accepted, secrets: true }));
  const inputDependencies = request.getInputdependenciesMap();
  registration.getPropertydependenciesMap().forEach((urns, key) => {
    const dependencies = new providerProto.ConstructRequest.PropertyDependencies();
    dependencies.setUrnsList(urns.getUrnsList());
    inputDependencies.set(key, dependencies);
  });
  const providers = request.getProvidersMap();
  registration.getProvidersMap().forEach((reference, pkg) => providers.set(pkg, reference));
  request.setDependenciesList(registration.getDependenciesList());
  // The engine resolves aliases itself and sends none.
  request.setAliasesList([]);
  if (registration.hasProtect()) request.setProtect(registration.getProtect() ?? false);
  request.setAdditionalsecretoutputsList(registration.getAdditionalsecretoutputsList());
  const timeouts = registration.getCustomtimeouts();
  if (timeouts) {
    const custom = new providerProto.ConstructRequest.CustomTimeouts();
    custom.setCreate(timeouts.getCreate());
    custom.setUpdate(timeouts.getUpdate());
    custom.setDelete(timeouts.getDelete());
    request.setCustomtimeouts(custom);
  }
  request.setDeletedwith(registration.getDeletedwith());
  request.setReplaceWithList(registration.getReplaceWithList());
  // As the engine: delete-before-replace counts when it is marked as set, or when it is true.
  if (registration.getDeletebeforereplacedefined() || registration.getDeletebeforereplace()) {
    request.setDeletebeforereplace(registration.getDeletebeforereplace());
  }
  request.setIgnorechangesList(registration.getIgnorechangesList());
  request.setReplaceonchangesList(registration.getReplaceonchangesList());
  if (registration.hasRetainondelete()) request.setRetainondelete(registration.getRetainondelete() ?? false);
  const trigger = registration.getReplacementTrigger();
  if (trigger) request.setReplacementTrigger(trigger);
  request.setAcceptsOutputValues(true);
  return request;
}
