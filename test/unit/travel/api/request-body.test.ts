import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/travel/api/errors';
import { readJsonBody } from '../../../../src/travel/api/request-body';

function request(
  body: string | Uint8Array | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return new Request('http://127.0.0.1/api/trips', { method: 'POST', body, headers });
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('readJsonBody', () => {
  it('parses a JSON object', async () => {
    expect(await readJsonBody(request('{"request":"hi"}'))).toEqual({ request: 'hi' });
    expect(
      await readJsonBody(request('{"a":1}', { 'content-type': 'application/merge-patch+json' })),
    ).toEqual({ a: 1 });
  });

  it('answers 415 to a body without a content type (a cross-site request needs no preflight then)', async () => {
    const untyped = request('{"a":1}');
    const refused = await refusal(readJsonBody({ headers: new Headers(), body: untyped.body }));
    expect(refused.body()).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'Send the body as JSON (Content-Type: application/json).',
      },
    });
    expect(refused.status).toBe(415);
    const plain = await refusal(readJsonBody(request('{"a":1}', { 'content-type': 'text/plain' })));
    expect(plain.status).toBe(415);
    // An empty optional body needs the content type too: the check comes before anything is read.
    expect((await refusal(readJsonBody(request(null, {}), { optional: true }))).status).toBe(415);
  });

  it('answers 400 for bad JSON and bad UTF-8, 415 for another format', async () => {
    expect((await refusal(readJsonBody(request('{"request":')))).code).toBe('invalid_json');
    expect((await refusal(readJsonBody(request(new Uint8Array([0x7b, 0xff, 0x7d]))))).status).toBe(400);
    const form = await refusal(
      readJsonBody(request('request=hi', { 'content-type': 'application/x-www-form-urlencoded' })),
    );
    expect([form.status, form.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses an empty body unless it is optional', async () => {
    expect((await refusal(readJsonBody(request('')))).code).toBe('validation_failed');
    expect(await readJsonBody(request(null), { optional: true })).toBeUndefined();
  });

  it('answers 413 past the limit, by the declared length or while reading', async () => {
    const big = JSON.stringify({ request: 'x'.repeat(70_000) });
    expect((await refusal(readJsonBody(request(big)))).status).toBe(413);
    expect((await refusal(readJsonBody(request('{"a":"12345"}'), { maxBytes: 8 }))).status).toBe(413);
    // A stream with no declared length is cut off as soon as it passes the limit.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const error = await refusal(
      readJsonBody(
        { headers: new Headers({ 'content-type': 'application/json' }), body: endless },
        { maxBytes: 4096 },
      ),
    );
    expect(error.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});
