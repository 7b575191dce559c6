/**
 * Which calls failed retryably a moment ago, so their retry can say so on its own span. Durable
 * retries an activity by running it again: the new attempt knows nothing of the old one, but the
 * call carries the same id (tool-call id or idempotency key), and retries usually land in the same
 * process. Bounded and time-limited, like any cache of what may never come back.
 */
export interface PreviousAttempts {
  /** Attempts that failed before this one. */
  failures: number;
  /** `error.type` of the latest of them. */
  lastErrorType: string;
}

export class AttemptTracker {
  private readonly failures = new Map<string, PreviousAttempts & { at: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly forgetAfterMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a retryable failure of the call `id`. */
  failed(id: string, errorType: string): void {
    const previous = this.previous(id);
    this.failures.delete(id); // re-inserted last: Map order is the eviction order
    this.failures.set(id, {
      failures: (previous?.failures ?? 0) + 1,
      lastErrorType: errorType,
      at: this.now(),
    });
    while (this.failures.size > this.maxEntries) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** What is known of earlier failed attempts of `id`, if any. */
  previous(id: string): PreviousAttempts | undefined {
    const entry = this.failures.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.forgetAfterMs) {
      this.failures.delete(id);
      return undefined;
    }
    return { failures: entry.failures, lastErrorType: entry.lastErrorType };
  }

  /** The call `id` ended (succeeded or failed for good): its retries are over. */
  settled(id: string): void {
    this.failures.delete(id);
  }
}
