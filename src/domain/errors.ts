/**
 * One error model for Waypoint. Every error has a stable `code` and says whether retrying the
 * same call is safe and useful. Durable Functions retries every error an activity *throws*, so an
 * activity throws only retryable errors and returns permanent ones as typed failures.
 */
export class WaypointError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; retryable: boolean; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Input failed validation: never worth retrying unchanged. */
export class ValidationError extends WaypointError {
  constructor(message: string, details?: { path: string; issue: string }[]) {
    super('validation_failed', message, { retryable: false, details });
  }
}

/** A key was reused for a different request: the caller has a bug, retrying cannot help. */
export class IdempotencyConflictError extends WaypointError {
  constructor(key: string, message = `Idempotency key "${key}" was already used for a different request.`) {
    super('idempotency_conflict', message, { retryable: false, details: { key } });
  }
}

/** Another caller holds the key and has not finished yet: retry after a short wait. */
export class IdempotencyInProgressError extends WaypointError {
  constructor(key: string, retryAfterMs = 500) {
    super('idempotency_in_progress', `A call with idempotency key "${key}" is still in progress.`, {
      retryable: true,
      retryAfterMs,
      details: { key },
    });
  }
}

export class NotFoundError extends WaypointError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`, { retryable: false });
  }
}

/** A dependency failed in a way that may pass on retry (timeout, connection reset, 5xx). */
export class TransientError extends WaypointError {
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown; details?: unknown } = {}) {
    super('transient', message, { retryable: true, ...options });
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof WaypointError ? error.retryable : false;
}
