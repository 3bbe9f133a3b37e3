// The action's own overhead, which every pull request pays: from the process starting to the
// preview starting, and from the last engine event to the end. Kept per run, printed as a debug line.

export class Timings {
  private previewStartedAt: number | undefined;
  private lastEventAt: number | undefined;

  previewStarts(): void {
    this.previewStartedAt = Date.now();
  }

  readonly onProgress = (): void => {
    this.lastEventAt = Date.now();
  };

  /** The debug line, once a preview ran. */
  describe(end = Date.now()): string | undefined {
    if (this.previewStartedAt === undefined) return undefined;
    const before = Math.round(this.previewStartedAt - performance.timeOrigin);
    const after = this.lastEventAt === undefined ? "n/a" : `${end - this.lastEventAt} ms`;
    return `pulumi-policy-gate timings: process start to preview start ${before} ms; last engine event to end ${after}`;
  }
}
