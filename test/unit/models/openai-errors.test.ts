import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { TransientError, WaypointError } from '../../../src/domain/errors';
import { retryAfterMs, toModelError } from '../../../src/models/openai-errors';

const target = { provider: 'openai', model: 'gpt-4o' };

function statusError(status: number, headers: Record<string, string> = {}, code?: string): APIError {
  return APIError.generate(status, { error: { message: 'nope', code } }, undefined, new Headers(headers));
}

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '12.4' }, 13],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '100', 'retry-after': '9' }, 100],
    [{ 'retry-after': 'Sun, 29 Nov 2026 12:00:07 GMT' }, 7000],
    [{ 'retry-after': 'Sun, 29 Nov 2026 11:59:00 GMT' }, 0],
    [{ 'retry-after-ms': 'soon', 'retry-after': '3' }, 3000],
    [{ 'retry-after': 'whenever' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});

describe('toModelError', () => {
  it.each([429, 500, 502, 503, 408, 409])('%i is transient, with the server wait', (status) => {
    const error = toModelError(statusError(status, { 'retry-after': '3' }), target);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.retryAfterMs).toBe(3000);
    // Plain words for people; the status and the service's own text in the details.
    expect(error.message).not.toContain(String(status));
    expect(error.details).toMatchObject({ status, serviceMessage: expect.stringContaining('nope') });
  });

  it.each([400, 401, 403, 404, 422])('%i is a permanent model_error with its details', (status) => {
    const error = toModelError(statusError(status, {}, 'content_filter'), target);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(error).toMatchObject({
      code: 'model_error',
      retryable: false,
      details: { status, code: 'content_filter', provider: 'openai', model: 'gpt-4o' },
    });
    expect(error.message).toBe("The AI model service's content filter blocked this request.");
  });

  it('says what a refusal means in plain words, with no codes or service text in the message', () => {
    expect(toModelError(statusError(401), target).message).toBe(
      'The AI model service did not accept our credentials.',
    );
    expect(toModelError(statusError(404), target).message).toBe(
      'The configured AI model was not found at the AI model service.',
    );
    const refused = toModelError(statusError(400, {}, 'invalid_value'), target);
    expect(refused.message).toBe('The AI model service refused the request.');
    expect(refused.message).not.toMatch(/nope|invalid_value|400|model_error/);
  });

  it('maps connection failures and timeouts to TransientError, aborts to cancelled', () => {
    expect(toModelError(new APIConnectionError({ message: 'ECONNRESET' }), target)).toBeInstanceOf(
      TransientError,
    );
    expect(toModelError(new APIConnectionTimeoutError(), target)).toBeInstanceOf(TransientError);
    expect(toModelError(new APIUserAbortError(), target)).toMatchObject({
      code: 'cancelled',
      retryable: false,
    });
  });

  it('maps Entra ID credential failures: unavailable is permanent, a token endpoint hiccup transient', () => {
    const unavailable = Object.assign(new Error('no managed identity'), {
      name: 'CredentialUnavailableError',
    });
    expect(toModelError(unavailable, target)).toMatchObject({ code: 'model_error', retryable: false });
    const refused = Object.assign(new Error('bad client'), { name: 'AuthenticationError', statusCode: 400 });
    expect(toModelError(refused, target)).toMatchObject({ retryable: false });
    const hiccup = Object.assign(new Error('IMDS 503'), { name: 'AuthenticationError', statusCode: 503 });
    expect(toModelError(hiccup, target)).toBeInstanceOf(TransientError);
  });

  it('passes WaypointErrors through and makes anything else a permanent model_error', () => {
    const own = new WaypointError('cancelled', 'x');
    expect(toModelError(own, target)).toBe(own);
    expect(toModelError(new TypeError('boom'), target)).toMatchObject({
      code: 'model_error',
      retryable: false,
    });
  });
});
