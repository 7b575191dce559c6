/**
 * The trips API's error answers: refusals with their own status, capacity (recognised by type,
 * never by message text) as 429/503 with Retry-After, and every other error as a generic 500.
 */
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '../../../../src/domain/error-codes';
import { WaypointError } from '../../../../src/domain/errors';
import { DurableCapacityError } from '../../../../src/functions/durable-client-capacity';
import { capacityError, errorResponse } from '../../../../src/functions/trips/error-response';
import { ApiError } from '../../../../src/travel/api/errors';

const request = { method: 'POST', url: 'http://localhost/api/trips' };

describe('errorResponse', () => {
  it('answers the Durable endpoint’s 429 with 429 too_busy and Retry-After', () => {
    expect(errorResponse(new DurableCapacityError(429, 7000), request)).toEqual({
      status: 429,
      jsonBody: {
        error: { code: 'too_busy', message: 'The server is at capacity for now; retry after a few seconds.' },
      },
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers the Durable endpoint’s 503 with 503 unavailable and Retry-After', () => {
    expect(errorResponse(new DurableCapacityError(503, undefined), request)).toEqual({
      status: 503,
      jsonBody: {
        error: {
          code: 'unavailable',
          message: 'The orchestration backend is unavailable; retry after a few seconds.',
        },
      },
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers a store that is busy for now (a retryable WaypointError) with 503 and Retry-After', () => {
    const busy = new WaypointError('transient', 'database is locked', { retryable: true });
    expect(errorResponse(busy, request)).toMatchObject({
      status: 503,
      jsonBody: { error: { code: 'unavailable' } },
      headers: { 'Retry-After': '5' },
    });
  });

  it('does not read capacity from message text: an untyped error naming 429 or 503 is a 500', () => {
    for (const text of [
      'The operation failed with an unexpected status code: 429. Details: {}',
      'The operation failed with an unexpected status code: 503. Details: {}',
    ]) {
      expect(capacityError(new Error(text))).toBeUndefined();
      expect(errorResponse(new Error(text), request)).toEqual({
        status: 500,
        jsonBody: {
          error: { code: 'internal_error', message: 'The request failed on the server; try again.' },
        },
      });
    }
  });

  it('answers a refusal with its own status and body', () => {
    const refusal = new ApiError(409, 'already_final', 'The run is already completed.');
    expect(errorResponse(refusal, request)).toEqual({
      status: 409,
      jsonBody: { error: { code: 'already_final', message: 'The run is already completed.' } },
    });
  });

  it('asks an unauthenticated caller for a bearer, and one at its run cap to wait 30 s', () => {
    expect(errorResponse(new ApiError(401, 'unauthenticated', 'Sign in first.'), request).headers).toEqual({
      'WWW-Authenticate': 'Bearer',
    });
    expect(errorResponse(new ApiError(429, 'too_many_runs', 'Finish one.'), request).headers).toEqual({
      'Retry-After': '30',
    });
  });

  it('keeps a refusal that is itself a 503 as it is (not as busy)', () => {
    const refusal = new ApiError(503, 'unavailable', 'Not now.');
    expect(capacityError(refusal)).toBeUndefined();
    expect(errorResponse(refusal, request)).toEqual({
      status: 503,
      jsonBody: { error: { code: 'unavailable', message: 'Not now.' } },
    });
  });

  it('answers any other error with a 500 that reveals nothing', () => {
    const answer = errorResponse(new TypeError('secret internals at /srv/app.js:12'), request);
    expect(answer).toEqual({
      status: 500,
      jsonBody: {
        error: { code: 'internal_error', message: 'The request failed on the server; try again.' },
      },
    });
  });

  it('answers every capacity refusal with the status the catalogue gives its code', () => {
    for (const error of [
      new DurableCapacityError(429, undefined),
      new DurableCapacityError(503, undefined),
    ]) {
      const answer = errorResponse(error, request);
      const { code } = (answer.jsonBody as { error: { code: keyof typeof API_ERROR_CODES } }).error;
      expect(API_ERROR_CODES[code].status).toBe(answer.status);
    }
  });
});

describe('ApiError', () => {
  it('takes only a catalogued API code', () => {
    // @ts-expect-error a free string is not an API error code
    const free = new ApiError(400, 'made_up_code', 'no');
    expect(free.code).toBe('made_up_code');
    expect(new ApiError(404, 'not_found', 'No run.').body()).toEqual({
      error: { code: 'not_found', message: 'No run.' },
    });
  });
});
