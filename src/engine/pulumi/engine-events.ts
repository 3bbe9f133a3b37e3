// The Pulumi engine's event stream, as the Automation API hands it to `onEvent` (one JSON object
// per event, one payload key each). These types are the project's own: the SDK's events.d.ts is
// stale (newer payloads and fields are missing, enforcement levels are misnamed). Only the
// fields the gate reads are typed; every other payload is tolerated and ignored.

export interface PolicyEventPayload {
  readonly resourceUrn?: string;
  readonly message: string;
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion?: string;
  readonly enforcementLevel: string;
  readonly severity?: string;
}

export interface DiagnosticEventPayload {
  readonly urn?: string;
  readonly message: string;
  readonly severity: string;
  readonly ephemeral?: boolean;
}

/** A resource's state in a step; `custom` is left out when false. */
export interface StepState {
  readonly custom?: boolean;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

export interface StepMetadata {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: StepState | null;
  readonly new?: StepState | null;
  readonly keys?: readonly string[] | null;
  readonly diffs?: readonly string[] | null;
  readonly detailedDiff?: Record<string, { readonly kind?: string; readonly inputDiff?: boolean }> | null;
}

export interface SummaryEventPayload {
  readonly maybeCorrupt?: boolean;
  readonly durationSeconds?: number;
  readonly resourceChanges?: Record<string, number> | null;
  /** Capital P: that is how the engine spells it. */
  readonly PolicyPacks?: Record<string, string> | null;
  readonly isPreview?: boolean;
  /** succeeded | failed | canceled; absent on old CLIs. */
  readonly result?: string;
}

export interface EngineEvent {
  readonly sequence?: number;
  readonly timestamp?: number;
  readonly policyEvent?: PolicyEventPayload;
  readonly diagnosticEvent?: DiagnosticEventPayload;
  readonly resourcePreEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
  readonly resOutputsEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
  readonly resOpFailedEvent?: { readonly metadata: StepMetadata; readonly status?: number; readonly steps?: number };
  readonly summaryEvent?: SummaryEventPayload;
  readonly cancelEvent?: Record<string, never>;
  readonly errorEvent?: { readonly error?: string };
  readonly [payload: string]: unknown;
}

/** The engine's colour directives, e.g. `<{%reset%}>`, which even `color: never` can leave behind. */
export function stripColorDirectives(text: string): string {
  return text.replace(/<\{%[^%]*%\}>/g, "");
}
