// What the gate's monitor records of a program's run: every resource the program registered, in
// the shape the engine would keep for it, the lookups it made and the warnings it logged.

/** Resource options that the analyzer protocol passes to policies. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace: boolean | undefined;
  readonly additionalSecretOutputs: readonly string[];
  readonly customTimeouts: { readonly create: string; readonly update: string; readonly delete: string } | undefined;
}

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent, "" for the root stack and default providers. */
  readonly parent: string;
  readonly custom: boolean;
  /** "create" for resources the program declares, "read" for `.get()` lookups. */
  readonly op: "create" | "read";
  /** Provider reference `urn::id`, "" for components and the root stack. */
  readonly provider: string;
  /** Inputs in Pulumi's wire form: unknowns and secrets keep their sentinel encoding. */
  readonly inputs: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly options: RecordedOptions;
  /** Where the SDK says the program declared it (a file URL or path as the SDK sends it). */
  readonly source?: { readonly uri: string; readonly line: number; readonly column: number };
}

export interface RecordedInvoke {
  readonly token: string;
  readonly count: number;
}

/** What a completed run of the program left with the gate's monitor. */
export interface RunnerOutcome {
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Warnings the program or Pulumi's runner logged through the engine (pulumi.log.warn, a missing entry point). */
  readonly loggedWarnings: readonly string[];
  /** Each remote component recorded without being built (unbuilt-components "warn"): its URN and a warning. */
  readonly unbuiltComponents: readonly { readonly urn: string; readonly warning: string }[];
}
