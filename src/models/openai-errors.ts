/**
 * What a failed chat.completions call means for the caller, in our error model: worth retrying
 * (rate limits, server errors, timeouts, lost connections, unreadable answers — with the server's
 * retry-after when it gave one) or not (bad request, auth, content filter, unknown model or
 * deployment, an answer over the size cap). Messages are plain words for the people who read a
 * run's error; the technical facts (status, the service's own code and message, request id) are
 * in `details`, for logs and traces.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { TransientError, WaypointError } from '../domain/errors';

/** Statuses worth another attempt: request timeout, lock conflict, rate limit, 5xx. */
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

export interface ModelTarget {
  provider: string;
  model: string;
}

/** What a refused request (4xx) means, in plain words, by status and the service's code. */
function refusalMessage(status: number, code: string | undefined): string {
  if (code === 'content_filter' || code === 'content_policy_violation') {
    return "The AI model service's content filter blocked this request.";
  }
  if (status === 401 || status === 403) return 'The AI model service did not accept our credentials.';
  if (status === 404) return 'The configured AI model was not found at the AI model service.';
  if (code === 'context_length_exceeded') return 'The conversation grew longer than the AI model can read.';
  return 'The AI model service refused the request.';
}

/** The error a failed model call surfaces as; the original is kept as `cause`. */
export function toModelError(error: unknown, target: ModelTarget): WaypointError {
  if (error instanceof WaypointError) return error;
  const where = { provider: target.provider, model: target.model };

  if (error instanceof APIUserAbortError) {
    return new WaypointError('cancelled', 'The model call was cancelled.', {
      retryable: false,
      cause: error,
    });
  }
  // Covers timeouts too (APIConnectionTimeoutError extends it). Our transport's own failures
  // (an answer over the cap, an unreadable one) reach here as the connection error's cause.
  if (error instanceof APIConnectionError) {
    if (error.cause instanceof WaypointError) return error.cause;
    const timedOut = error.name === 'APIConnectionTimeoutError';
    return new TransientError(
      timedOut ? 'The AI model did not answer in time.' : 'The AI model service could not be reached.',
      { cause: error, details: { ...where, error: error.message, ...causeOf(error) } },
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const details = {
      ...where,
      status,
      ...(code ? { code } : {}),
      ...(error.type ? { type: error.type } : {}),
      ...(error.param ? { param: error.param } : {}),
      ...(error.requestID ? { requestId: error.requestID } : {}),
      serviceMessage: error.message,
    };
    if (isRetryableStatus(status)) {
      const wait = retryAfterMs(error.headers as Headers | undefined);
      const message =
        status === 429
          ? 'The AI model service is busy right now.'
          : 'The AI model service had a problem on its side.';
      return new TransientError(message, {
        cause: error,
        details: { ...details, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    }
    return new WaypointError('model_error', refusalMessage(status, code), {
      retryable: false,
      cause: error,
      details,
    });
  }
  // Credentials (@azure/identity): unavailable or refused is configuration; anything else in
  // getting a token (the token endpoint briefly down) may pass on retry.
  if (error instanceof Error && error.name === 'CredentialUnavailableError') {
    return new WaypointError('model_error', 'We could not sign in to the AI model service.', {
      retryable: false,
      cause: error,
      details: { ...where, error: error.message },
    });
  }
  if (error instanceof Error && error.name === 'AuthenticationError') {
    const status = (error as { statusCode?: unknown }).statusCode;
    const retryable = typeof status !== 'number' || isRetryableStatus(status);
    const message = 'We could not sign in to the AI model service.';
    const details = { ...where, error: error.message, ...(typeof status === 'number' ? { status } : {}) };
    return retryable
      ? new TransientError(message, { cause: error, details })
      : new WaypointError('model_error', message, { retryable: false, cause: error, details });
  }
  return new WaypointError('model_error', 'The AI model call failed.', {
    retryable: false,
    cause: error,
    details: { ...where, error: error instanceof Error ? error.message : String(error) },
  });
}

function causeOf(error: Error): Record<string, unknown> {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? { cause: cause.message } : {};
}
