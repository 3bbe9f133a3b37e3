// The resource monitor the offline runner installs in the program's Pulumi SDK. It plays the
// engine's part in a preview: it names every resource with its real URN, records its inputs,
// dependencies and options, answers that every new resource's outputs are its inputs (all else
// unknown, as in a real preview), and answers lookups with stand-in values. It does the least
// work it can per resource: the SDK's own bookkeeping dominates the cost of a large program.

import type { UnbuiltComponents } from "../engine.js";
import { ComponentPluginError, type ComponentPluginFailure } from "./plugins/component-plugin-error.js";
import { answerInvoke, answerRead } from "./stand-in-values.js";
import {
  OUTPUT_VALUE_SIGNATURE,
  RESOURCE_REFERENCE_SIGNATURE,
  SECRET_SIGNATURE,
  SPECIAL_SIGNATURE_KEY,
  UNKNOWN_VALUE,
} from "../wire-format.js";
import type {
  Callback,
  InvokeRequest,
  ProtoMessage,
  ProtoModules,
  ReadResourceRequest,
  RegisterResourceRequest,
} from "./monitor-requests.js";
import type { RecordedInvoke, RecordedOptions, RecordedResource } from "./records.js";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const GET_RESOURCE = "pulumi:pulumi:getResource";

// Features the offline engine answers like the CLI does for a Node.js program. Resource references
// are needed by remote components (a component's outputs are resources); the monitor records each
// one in a resource's inputs as the engine shows it to policies: the resource's ID, or a
// component's URN. Output values are needed by remote components too: with them the SDK sends a
// component's inputs with each output kept where it is, and the component's plugin gets plain
// objects with outputs inside, as under the CLI; without them it would get each input that
// depends on a resource wrapped whole in an output, and awsx's components fail on that
// ("Exactly one of [container] or [containers] must be provided"). The SDK sends output values
// only for remote components; a recorded resource shows their values, as the engine does.
export const SUPPORTED_FEATURES: ReadonlySet<string> = new Set([
  "secrets",
  "resourceReferences",
  "outputValues",
  "deletedWith",
  "aliasSpecs",
]);

/**
 * The failures unbuilt-components "warn" lets pass: the plugin is simply not available to the gate.
 * A plugin that is there and fails (does not start, refuses its config, its Construct throws)
 * would fail `pulumi preview` too, so it stays an error. So does any failure of a component whose
 * package the gate has a plugin for (in another version, or to download): the program under
 * check must not be able to choose which of its components go unchecked.
 */
const UNAVAILABLE_PLUGIN: ReadonlySet<ComponentPluginFailure> = new Set(["plugin-not-installed", "plugin-download-failed", "unsupported"]);

/** Builds a remote component through its package's provider plugin (component-plugins.ts). */
export interface ComponentConstructor {
  construct(request: never): Promise<unknown>;
  response(constructed: unknown): unknown;
}

/**
 * A value as the engine passes it to policies: resource references become the resource's ID (a
 * custom resource, unknown while it is not created) or its URN (a component), as the engine's
 * marshalling without resources does.
 */
export function withoutResourceReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutResourceReferences);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SPECIAL_SIGNATURE_KEY] === RESOURCE_REFERENCE_SIGNATURE) {
    if (typeof record.id === "string") return record.id === "" ? UNKNOWN_VALUE : record.id;
    return record.urn;
  }
  if (record[SPECIAL_SIGNATURE_KEY] === OUTPUT_VALUE_SIGNATURE) {
    const inner = "value" in record && record.value !== undefined ? withoutResourceReferences(record.value) : UNKNOWN_VALUE;
    return record.secret === true ? { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value: inner } : inner;
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, withoutResourceReferences(inner)]));
}

export class OfflineMonitor {
  readonly resources: RecordedResource[] = [];
  /**
   * Registrations and reads the monitor refused (a duplicate URN, …). The engine fails the
   * deployment on these; the SDK only hands the error to the resource's outputs, which a program
   * rarely awaits, so the runner checks this list to fail the run instead of dropping the resource.
   */
  readonly failures: string[] = [];
  /** Resources whose outputs the program registered (registerResourceOutputs). */
  private readonly completed = new Set<string>();
  private readonly qualifiedTypes = new Map<string, string>();
  private readonly defaultProviders = new Map<string, string>();
  private readonly invokeCounts = new Map<string, number>();

  constructor(
    private readonly proto: ProtoModules,
    private readonly project: string,
    private readonly stack: string,
  ) {}

  get invokes(): RecordedInvoke[] {
    return [...this.invokeCounts].map(([token, count]) => ({ token, count }));
  }

  /** Pulumi's URN rule: the parent's qualified type prefixes the type, except for the root stack. */
  private urnFor(parent: string, type: string, name: string): string {
    const parentType = parent ? this.qualifiedTypes.get(parent) : undefined;
    const qualified = parentType !== undefined && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    const urn = `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    // As in the engine: two resources under one URN would be one resource in the state, and
    // policies could not tell which of them a violation is about.
    if (this.qualifiedTypes.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    this.qualifiedTypes.set(urn, qualified);
    return urn;
  }

  /** A custom resource without an explicit provider gets the engine's default provider for its package. */
  private providerFor(type: string, provider: string, version: string): string {
    if (provider) return provider;
    const pkg = type.split(":")[0] ?? "unknown";
    const key = `${pkg}@${version}`;
    const known = this.defaultProviders.get(key);
    if (known) return known;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const urn = this.urnFor("", `pulumi:providers:${pkg}`, name);
    const reference = `${urn}::${UNKNOWN_VALUE}`;
    this.defaultProviders.set(key, reference);
    this.record({
      urn,
      type: `pulumi:providers:${pkg}`,
      name,
      parent: "",
      custom: true,
      op: "create",
      provider: "",
      inputs: version ? { version } : {},
      dependencies: [],
      propertyDependencies: {},
      options: NO_OPTIONS,
    });
    return reference;
  }

  /** Told of each resource as it is recorded (the policy packs analyze it while the program goes on). */
  onRecorded: ((resource: RecordedResource) => void) | undefined;

  private record(resource: RecordedResource): void {
    this.resources.push(resource);
    this.onRecorded?.(resource);
  }

  /** Builds remote components; without one, a remote component fails the run (no silent pass). */
  components: ComponentConstructor | undefined;

  /** What a remote component whose plugin is not available does; undefined: it fails the run. */
  unbuiltComponents: UnbuiltComponents | undefined;

  /** Each remote component recorded without being built: its URN, and a warning for the report. */
  readonly unbuilt: { readonly urn: string; readonly warning: string }[] = [];

  /** Called on the first refused registration: the engine ends the deployment there, and so does the gate. */
  onFailure: (() => void) | undefined;

  private fail(error: unknown, callback: Callback): void {
    const failure = asError(error);
    this.failures.push(failure.message);
    callback(failure);
    this.onFailure?.();
  }

  registerResource(request: RegisterResourceRequest, callback: Callback): void {
    try {
      // As the engine: a remote component is built by its package's provider plugin, which
      // registers the component itself and its children with this monitor. Without a plugin the
      // run fails closed: passing on an empty shell would pass everything inside it unseen. Only
      // the user can trade that for a warning (unbuilt-components "warn").
      if (request.getRemote?.() === true) {
        const components = this.components;
        if (!components) throw new Error(remoteComponentMessage(request.getType(), request.getName(), request.getVersion()));
        components.construct(request as never).then(
          (constructed) => callback(null, components.response(constructed)),
          (error: unknown) => {
            const unbuilt = this.unbuiltComponents;
            if (
              unbuilt?.mode === "warn" &&
              error instanceof ComponentPluginError &&
              UNAVAILABLE_PLUGIN.has(error.failure) &&
              !error.packageHasPlugin
            ) {
              this.registerUnbuilt(request, error, unbuilt.setting, callback);
            } else {
              this.fail(error, callback);
            }
          },
        );
        return;
      }
      this.register(request, callback);
    } catch (error) {
      this.fail(error, callback);
    }
  }

  /**
   * A remote component the user let pass unbuilt: recorded as a local component would be, so that
   * the report lists it and what the program parents to it is named under it, and answered with
   * its URN and no outputs, which the SDK takes as unknown in a preview. What it would hold is
   * not there: the warning says so.
   */
  private registerUnbuilt(request: RegisterResourceRequest, error: ComponentPluginError, setting: string, callback: Callback): void {
    const { type, name, package: pkg, version } = error.component;
    const release = version ? ` v${version}` : "";
    if (this.register(request, callback)) {
      // register() recorded the component last: a component gets no default provider before it.
      const urn = this.resources[this.resources.length - 1]?.urn ?? "";
      this.unbuilt.push({
        urn,
        warning:
          `the resources inside the component '${name}' (${type}, package ${pkg}${release}) were NOT checked: ` +
          `it was not built, and ${setting} lets the check go on without them; ${error.message}`,
      });
    }
  }

  /** Records a resource the program registers and answers the SDK; false when it was refused. */
  private register(request: RegisterResourceRequest, callback: Callback): boolean {
    try {
      const type = request.getType();
      const name = request.getName();
      const parent = request.getParent();
      const custom = request.getCustom();
      const urn = this.urnFor(parent, type, name);
      const object = request.getObject();
      const propertyDependencies: Record<string, string[]> = {};
      request.getPropertydependenciesMap().forEach((urns, key) => {
        propertyDependencies[key] = urns.getUrnsList();
      });
      const timeouts = request.getCustomtimeouts();
      const position = request.getSourceposition?.();
      this.record({
        urn,
        type,
        name,
        parent,
        custom,
        op: "create",
        provider:
          custom && !type.startsWith("pulumi:providers:") ? this.providerFor(type, request.getProvider(), request.getVersion()) : "",
        inputs: object ? (withoutResourceReferences(object.toJavaScript()) as Record<string, unknown>) : {},
        dependencies: request.getDependenciesList(),
        propertyDependencies,
        ...(position && position.getUri()
          ? { source: { uri: position.getUri(), line: position.getLine(), column: position.getColumn() } }
          : {}),
        options: {
          protect: request.getProtect?.() ?? false,
          ignoreChanges: request.getIgnorechangesList(),
          deleteBeforeReplace: request.getDeletebeforereplacedefined() ? request.getDeletebeforereplace() : undefined,
          additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
          customTimeouts: timeouts
            ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() }
            : undefined,
        },
      });
      const response = new this.proto.resource.RegisterResourceResponse();
      call(response, "setUrn", urn);
      // In a preview a new resource has no id yet and its outputs are its inputs; the SDK
      // treats everything else as unknown.
      call(response, "setId", "");
      if (object && custom) call(response, "setObject", object);
      callback(null, response);
      return true;
    } catch (error) {
      this.fail(error, callback);
      return false;
    }
  }

  readResource(request: ReadResourceRequest, callback: Callback): void {
    try {
      const type = request.getType();
      const name = request.getName();
      const parent = request.getParent();
      const id = request.getId();
      const urn = this.urnFor(parent, type, name);
      const state = answerRead(type, name, id, request.getProperties()?.toJavaScript());
      this.record({
        urn,
        type,
        name,
        parent,
        custom: true,
        op: "read",
        provider: this.providerFor(type, request.getProvider(), request.getVersion()),
        inputs: state,
        dependencies: request.getDependenciesList(),
        propertyDependencies: {},
        options: NO_OPTIONS,
      });
      const response = new this.proto.resource.ReadResourceResponse();
      call(response, "setUrn", urn);
      call(response, "setProperties", this.proto.struct.Struct.fromJavaScript(state));
      callback(null, response);
    } catch (error) {
      this.fail(error, callback);
    }
  }

  invoke(request: InvokeRequest, callback: Callback): void {
    try {
      const token = request.getTok();
      const args = request.getArgs()?.toJavaScript() ?? {};
      if (token === GET_RESOURCE) {
        // The SDK resolves a resource reference it receives (a remote component's outputs) by its
        // URN: in a preview a new resource's state is its inputs, its ID not known yet.
        const found = this.resources.find((resource) => resource.urn === args.urn);
        if (!found) throw new Error(`no resource ${JSON.stringify(args.urn)} is registered`);
        const response = new this.proto.provider.InvokeResponse();
        call(response, "setReturn", this.proto.struct.Struct.fromJavaScript({ urn: found.urn, id: "", state: found.inputs }));
        callback(null, response);
        return;
      }
      this.invokeCounts.set(token, (this.invokeCounts.get(token) ?? 0) + 1);
      const response = new this.proto.provider.InvokeResponse();
      call(response, "setReturn", this.proto.struct.Struct.fromJavaScript(answerInvoke(token, args)));
      callback(null, response);
    } catch (error) {
      callback(asError(error));
    }
  }

  call(_request: unknown, callback: Callback): void {
    callback(new Error("method calls on multi-language components cannot run offline; use engine 'pulumi'"));
  }

  registerResourceOutputs(request: { getUrn(): string }, callback: Callback): void {
    this.completed.add(request.getUrn());
    callback(null, new this.proto.empty.Empty());
  }

  /**
   * Whether the program ran to its end: the SDK registers the root stack's outputs once the
   * program's code (and the promise an exported function returns) has finished, in every SDK
   * version. A program stuck on a promise that never settles ends without it.
   */
  get finished(): boolean {
    const stack = this.resources.find((resource) => resource.type === ROOT_STACK_TYPE && resource.parent === "");
    return stack !== undefined && this.completed.has(stack.urn);
  }

  supportsFeature(request: { getId(): string }, callback: Callback): void {
    const response = new this.proto.resource.SupportsFeatureResponse();
    call(response, "setHassupport", SUPPORTED_FEATURES.has(request.getId()));
    callback(null, response);
  }

  registerPackage(_request: unknown, callback: Callback): void {
    const response = new this.proto.resource.RegisterPackageResponse();
    call(response, "setRef", "offline-package");
    callback(null, response);
  }

  registerStackTransform(_request: unknown, callback: Callback): void {
    callback(new Error("stack transforms are not supported by the offline engine"));
  }

  close(): void {}
}

const NO_OPTIONS: RecordedOptions = {
  protect: false,
  ignoreChanges: [],
  deleteBeforeReplace: undefined,
  additionalSecretOutputs: [],
  customTimeouts: undefined,
};

/** Names the component, its package (the type token's first part) and version, and the way out. */
export function remoteComponentMessage(type: string, name: string, version: string): string {
  const pkg = type.split(":")[0] ?? type;
  const release = version ? ` v${version}` : "";
  return (
    `the component '${name}' (${type}) is a remote component of package ${pkg}${release}: ` +
    `its resources are built by the ${pkg} provider plugin, which this run cannot start, ` +
    `so no policy would see them; run the gate with engine "pulumi" to check this program`
  );
}

function call(message: ProtoMessage, method: string, value: unknown): void {
  const setter = message[method] as ((value: unknown) => unknown) | undefined;
  if (typeof setter !== "function") throw new Error(`the Pulumi SDK's ${method} is missing: unsupported SDK version`);
  setter.call(message, value);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
