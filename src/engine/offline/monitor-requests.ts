// The requests the offline monitor receives, typed by what it reads of them: the protobuf
// classes of the program's own SDK copy, which the monitor must use to build its answers.

/** The protobuf classes of the program's own SDK copy (they must match the requests' classes). */
export interface ProtoModules {
  readonly resource: {
    RegisterResourceResponse: new () => ProtoMessage;
    ReadResourceResponse: new () => ProtoMessage;
    RegisterPackageResponse: new () => ProtoMessage;
    SupportsFeatureResponse: new () => ProtoMessage;
  };
  readonly provider: { InvokeResponse: new () => ProtoMessage };
  readonly struct: { Struct: { fromJavaScript(value: Record<string, unknown>): StructMessage } };
  readonly empty: { Empty: new () => ProtoMessage };
}

// Minimal views of the generated protobuf messages: only the accessors the monitor uses.
export type ProtoMessage = Record<string, (...args: never[]) => unknown>;
export interface StructMessage {
  toJavaScript(): Record<string, unknown>;
}
export interface UrnList {
  getUrnsList(): string[];
}
export interface ProtoMap<V> {
  forEach(callback: (value: V, key: string) => void): void;
}
export interface CustomTimeoutsMessage {
  getCreate(): string;
  getUpdate(): string;
  getDelete(): string;
}
export interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getVersion(): string;
  getObject(): StructMessage | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): ProtoMap<UrnList>;
  getProtect?(): boolean;
  getRemote?(): boolean;
  getSourceposition?(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getCustomtimeouts(): CustomTimeoutsMessage | undefined;
}
export interface ReadResourceRequest {
  getId(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getVersion(): string;
  getProperties(): StructMessage | undefined;
  getDependenciesList(): string[];
}
export interface InvokeRequest {
  getTok(): string;
  getArgs(): StructMessage | undefined;
}
export type Callback = (error: Error | null, response?: unknown) => void;
