/**
 * Bounds on the work one caller can make the host do. A run that passes a per-execution limit
 * fails with a message naming it; a start or event past a queue limit is refused (HTTP 429).
 */
export interface InstanceLimits {
  /** History events one execution may hold (long loops should use continueAsNew). */
  maxHistoryEvents: number;
  /** Activities, timers and sub-orchestrations one execution may have outstanding at once. */
  maxPendingActions: number;
  /** Events waiting in one instance's inbox (raised faster than delivered, or while suspended). */
  maxQueuedEvents: number;
  /** Unfinished instances the host holds. */
  maxActiveInstances: number;
}

export const defaultInstanceLimits: InstanceLimits = {
  maxHistoryEvents: 20_000,
  maxPendingActions: 1_000,
  maxQueuedEvents: 1_000,
  maxActiveInstances: 5_000,
};

/** The flag for each limit (the host.json `localHost` key is the limit's own name). */
const limitFlags: Record<keyof InstanceLimits, string> = {
  maxHistoryEvents: '--max-history-events',
  maxPendingActions: '--max-pending-actions',
  maxQueuedEvents: '--max-queued-events',
  maxActiveInstances: '--max-active-instances',
};

/** How to raise a limit, for the messages that name it. */
export function raiseHint(limit: keyof InstanceLimits): string {
  return `raise it with host.json "localHost": { "${limit}": … } or ${limitFlags[limit]}`;
}

/** A start or an event refused because a queue limit is reached; the caller may retry later. */
export class LimitExceededError extends Error {
  constructor(
    readonly code: 'too_many_instances' | 'too_many_events',
    message: string,
  ) {
    super(message);
  }
}

/** Checks a count setting: a whole number of at least 1. */
export function atLeastOne(setting: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${setting} must be a whole number of at least 1, not ${value}.`);
  return value;
}
