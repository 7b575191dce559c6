/**
 * What a failed chat.completions call means for the caller, in our error model: worth retrying
 * (rate limits, server errors, timeouts, lost connections — with the server's retry-after when it
 * gave one) or not (bad request, auth, content filter, unknown model or deployment). The openai
 * client has already spent its own transport retries by the time an error reaches here.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { TransientError, WaypointError } from '../domain/errors';

/** Statuses the openai client itself retries: request timeout, lock conflict, rate limit, 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait a response asks for, from `retry-after-ms` (milliseconds) or `retry-after` (seconds
 * or an HTTP date). `now` is the clock for the date form.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const after = headers?.get('retry-after');
  if (after != null && after.trim() !== '') {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** The error a failed model call surfaces as; the original is kept as `cause`. */
export function toModelError(error: unknown, target: { provider: string; model: string }): WaypointError {
  if (error instanceof WaypointError) return error;
  const where = `${target.provider} model "${target.model}"`;

  if (error instanceof APIUserAbortError) {
    return new WaypointError('cancelled', 'The model call was cancelled.', {
      retryable: false,
      cause: error,
    });
  }
  // Covers timeouts too (APIConnectionTimeoutError extends it).
  if (error instanceof APIConnectionError) {
    return new TransientError(`Could not reach the ${where}: ${error.message}`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const details = {
      status,
      ...(error.code ? { code: error.code } : {}),
      ...(error.type ? { type: error.type } : {}),
      ...(error.param ? { param: error.param } : {}),
      ...(error.requestID ? { requestId: error.requestID } : {}),
    };
    if (isRetryableStatus(status)) {
      const wait = retryAfterMs(error.headers as Headers | undefined);
      return new TransientError(`The ${where} failed with ${status}: ${error.message}`, {
        cause: error,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    }
    return new WaypointError(
      'model_error',
      `The ${where} refused the request (${status}): ${error.message}`,
      {
        retryable: false,
        cause: error,
        details,
      },
    );
  }
  // Credentials (@azure/identity): unavailable or refused is configuration; anything else in
  // getting a token (the token endpoint briefly down) may pass on retry.
  if (error instanceof Error && error.name === 'CredentialUnavailableError') {
    return new WaypointError(
      'model_error',
      `No Microsoft Entra ID credential for the ${where}: ${error.message}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'AuthenticationError') {
    const status = (error as { statusCode?: unknown }).statusCode;
    const retryable = typeof status !== 'number' || isRetryableStatus(status);
    const message = `Getting a Microsoft Entra ID token for the ${where} failed: ${error.message}`;
    return retryable
      ? new TransientError(message, { cause: error })
      : new WaypointError('model_error', message, { retryable: false, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new WaypointError('model_error', `The ${where} call failed: ${message}`, {
    retryable: false,
    cause: error,
  });
}
