// What the engine does with a provider plugin between starting it and the first Construct, in
// the engine's order: Handshake (a plugin may not implement it), then for the package's default
// provider CheckConfig (likewise optional) and Configure with the stack's configuration of the
// package. The answer is what the plugin accepts on the wire.

import * as grpc from "@grpc/grpc-js";
import type providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import { ComponentPluginError, type ComponentIdentity } from "./component-plugin-error.js";
import type { InstalledPlugin } from "./plugin-location.js";
import { outputNote, type PluginProcess } from "./plugin-process.js";
import type { AcceptedForms } from "./property-values.js";
import {
  checkConfigRequest,
  configureRequest,
  defaultProviderUrn,
  handshakeRequest,
  packageConfig,
  type ComponentRun,
} from "./provider-requests.js";

/** One unary call with a deadline, as a promise. */
export function unary<Request, Response>(
  call: (
    request: Request,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Response>,
  ) => unknown,
  request: Request,
  timeoutMs: number,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    call(request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error || response === undefined) reject(error ?? new Error("no response"));
      else resolve(response);
    });
  });
}

/** What a failed call says, a missed deadline in words. */
export function grpcDetail(error: unknown, timeoutMs: number): string {
  const serviceError = error as Partial<grpc.ServiceError>;
  if (serviceError.code === grpc.status.DEADLINE_EXCEEDED) return `it did not answer within ${timeoutMs / 1000} s`;
  return serviceError.details || (error instanceof Error ? error.message : String(error));
}

function unimplemented(error: unknown): boolean {
  return (error as Partial<grpc.ServiceError>).code === grpc.status.UNIMPLEMENTED;
}

export interface SetupContext {
  readonly run: ComponentRun;
  readonly plugin: PluginProcess;
  readonly installed: InstalledPlugin;
  readonly engineAddress: string;
  readonly component: ComponentIdentity;
  readonly callTimeoutMs: number;
}

/** Handshake, CheckConfig and Configure; the forms the plugin accepts. */
export async function configurePlugin(context: SetupContext): Promise<AcceptedForms> {
  const { run, plugin, installed, component, callTimeoutMs } = context;
  const client = plugin.client;
  const fail = (what: string, error: unknown): ComponentPluginError =>
    new ComponentPluginError(
      plugin.exit ? "plugin-did-not-start" : "plugin-failed",
      component,
      `${what} failed: ${grpcDetail(error, callTimeoutMs)}${outputNote(plugin.recentOutput)}`,
    );
  let accepted: AcceptedForms | undefined;
  try {
    const handshake = await unary(
      client.handshake.bind(client),
      handshakeRequest(context.engineAddress, installed.directory),
      callTimeoutMs,
    );
    accepted = {
      secrets: handshake.getAcceptSecrets(),
      resources: handshake.getAcceptResources(),
      outputValues: handshake.getAcceptOutputs(),
    };
  } catch (error) {
    // Without Handshake, Configure says what the plugin accepts.
    if (!unimplemented(error)) throw fail("Handshake", error);
  }
  const urn = defaultProviderUrn(run, installed.name, installed.version);
  let inputs = packageConfig(run, installed.name, installed.version);
  let checked: providerProto.CheckResponse | undefined;
  try {
    checked = await unary(client.checkConfig.bind(client), checkConfigRequest(urn, installed.name, inputs), callTimeoutMs);
  } catch (error) {
    // Without CheckConfig, the engine takes the configuration as it is.
    if (!unimplemented(error)) throw fail("CheckConfig", error);
  }
  if (checked) {
    const failures = checked.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`);
    if (failures.length > 0) {
      throw new ComponentPluginError("plugin-failed", component, `its configuration is invalid: ${failures.join("; ")}`);
    }
    inputs = { ...inputs, ...(checked.getInputs()?.toJavaScript() ?? {}) };
  }
  let configured: providerProto.ConfigureResponse;
  try {
    configured = await unary(client.configure.bind(client), configureRequest(urn, installed.name, inputs), callTimeoutMs);
  } catch (error) {
    throw fail("Configure", error);
  }
  accepted ??= {
    secrets: configured.getAcceptsecrets(),
    resources: configured.getAcceptresources(),
    outputValues: configured.getAcceptoutputs(),
  };
  if (!accepted.secrets) {
    throw new ComponentPluginError("plugin-failed", component, "plugins that can construct components must support secrets");
  }
  return accepted;
}
