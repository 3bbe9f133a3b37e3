// The engine events of one run, as the Automation API hands them to `onEvent`: each one kept,
// and passed on to the caller's own handler.

import type { EngineEvent } from "./engine-events.js";

/**
 * Keeps every engine event and passes it on. The Automation API drops an event whose handler
 * throws: the event is kept all the same, and the handler's first error is rethrown afterwards.
 */
export class EventCollector {
  readonly events: EngineEvent[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly forward?: (event: EngineEvent) => void) {}

  readonly onEvent = (event: unknown): void => {
    const own = event as EngineEvent;
    this.events.push(own);
    try {
      this.forward?.(own);
    } catch (error) {
      this.failure ??= { error };
    }
  };

  /** Throws the forwarding handler's first error, if it threw. */
  rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}
