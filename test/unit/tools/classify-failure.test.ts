import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/domain/errors';
import { classifyThrown, classifyToolError, type FailureDecision } from '../../../src/tools/classify-failure';

const context = {
  tool: 'bookings.book_hotel',
  timeoutMs: 500,
  abortedByCaller: false,
  retryAfterMs: undefined,
};

function retried(decision: FailureDecision): TransientError {
  if (!decision.retry) throw new Error(`expected a retry, got failure ${decision.failure.code}`);
  return decision.error;
}
function failureCode(decision: FailureDecision): string {
  if (decision.retry) throw new Error(`expected a failure, got retry: ${decision.error.message}`);
  expect(decision.failure.retryable).toBe(false);
  return decision.failure.code;
}

describe('classifyThrown', () => {
  it.each([
    ['a JSON-RPC timeout', new McpError(ErrorCode.RequestTimeout, 'Request timed out')],
    ['a closed connection', new McpError(ErrorCode.ConnectionClosed, 'Connection closed')],
    ['HTTP 503', new StreamableHTTPError(503, 'unavailable')],
    ['HTTP 502', new StreamableHTTPError(502, 'bad gateway')],
    ['HTTP 429', new StreamableHTTPError(429, 'slow down')],
    [
      'a refused connection',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
    ],
    ['an aborted fetch', new DOMException('The operation was aborted.', 'AbortError')],
    ['a timed-out fetch', new DOMException('The operation timed out.', 'TimeoutError')],
  ])('retries %s', (_, error) => {
    expect(retried(classifyThrown(error, context))).toBeInstanceOf(TransientError);
  });

  it('says how long the timeout was and keeps the cause', () => {
    const cause = new McpError(ErrorCode.RequestTimeout, 'Request timed out');
    const error = retried(classifyThrown(cause, context));
    expect(error.message).toBe('bookings.book_hotel timed out after 500 ms.');
    expect(error.cause).toBe(cause);
  });

  it('passes on the server Retry-After for throttling', () => {
    const error = retried(
      classifyThrown(new StreamableHTTPError(429, 'slow'), { ...context, retryAfterMs: 2000 }),
    );
    expect(error.retryAfterMs).toBe(2000);
  });

  it('treats a cancellation by the caller as retryable whatever the error', () => {
    expect(
      retried(classifyThrown(new StreamableHTTPError(400, 'x'), { ...context, abortedByCaller: true }))
        .message,
    ).toMatch(/cancelled by the caller/);
  });

  it('returns an invalid MCP result as a protocol error instead of retrying it forever', () => {
    // What the SDK's client rejects with when a result fails CallToolResultSchema: with zod 4 it is
    // a `$ZodError`, not a `ZodError`.
    const parsed = safeParse(CallToolResultSchema, { content: 'not a list of blocks' });
    if (parsed.success) throw new Error('expected the parse to fail');
    const decision = classifyThrown(parsed.error, context);

    expect(failureCode(decision)).toBe('protocol_error');
    expect(!decision.retry && decision.failure.details).toMatchObject({
      issues: [expect.objectContaining({ path: ['content'] })],
    });
  });

  it('recognises a classic ZodError too', () => {
    const parsed = CallToolResultSchema.safeParse({ content: 42 });
    if (parsed.success) throw new Error('expected the parse to fail');
    expect(failureCode(classifyThrown(parsed.error, context))).toBe('protocol_error');
  });

  it.each([
    ['HTTP 401', new StreamableHTTPError(401, 'no'), 'unauthorized'],
    ['HTTP 403', new StreamableHTTPError(403, 'no'), 'unauthorized'],
    ['HTTP 404', new StreamableHTTPError(404, 'wrong path'), 'http_error'],
    ['HTTP 413', new StreamableHTTPError(413, 'too big'), 'http_error'],
    [
      'an unexpected content type',
      new StreamableHTTPError(-1, 'Unexpected content type: text/html'),
      'protocol_error',
    ],
    ['invalid params', new McpError(ErrorCode.InvalidParams, 'Invalid arguments'), 'invalid_arguments'],
    ['an unknown tool', new McpError(ErrorCode.InvalidParams, 'Tool book_yacht not found'), 'unknown_tool'],
    ['no tools at all', new McpError(ErrorCode.MethodNotFound, 'Method not found'), 'unknown_tool'],
    [
      'a result breaking the output schema',
      new McpError(ErrorCode.InvalidParams, "Structured content does not match the tool's output schema"),
      'protocol_error',
    ],
    ['a malformed request', new McpError(ErrorCode.InvalidRequest, 'bad'), 'protocol_error'],
  ])('returns %s as a permanent failure', (_, error, code) => {
    expect(failureCode(classifyThrown(error, context))).toBe(code);
  });
});

describe('classifyToolError', () => {
  const text = (t: string) => [{ type: 'text' as const, text: t }];

  it('retries a tool error the server marks retryable', () => {
    const error = retried(
      classifyToolError('bookings.book_hotel', {
        content: text('book_hotel failed unexpectedly; it is safe to retry.'),
        structuredContent: { error: { code: 'internal_error', message: 'failed', retryable: true } },
        isError: true,
      }),
    );
    expect(error.message).toMatch(/failed transiently/);
  });

  it('returns a server error with its code in the details', () => {
    const decision = classifyToolError('bookings.book_hotel', {
      content: text('Offer "x" does not exist.'),
      structuredContent: {
        error: { code: 'unknown_offer', message: 'Offer "x" does not exist.', retryable: false },
      },
      isError: true,
    });
    expect(failureCode(decision)).toBe('tool_error');
    expect(!decision.retry && decision.failure.details).toEqual({
      toolError: { code: 'unknown_offer', message: 'Offer "x" does not exist.', retryable: false },
    });
  });

  it.each([
    ['idempotency_conflict', 'idempotency_conflict'],
    ['validation_failed', 'invalid_arguments'],
  ])('maps the server code %s to %s', (serverCode, code) => {
    const decision = classifyToolError('t.t', {
      content: text('no'),
      structuredContent: { error: { code: serverCode, message: 'no' } },
      isError: true,
    });
    expect(failureCode(decision)).toBe(code);
  });

  it('recognises the SDK server texts for unknown tools and schema violations', () => {
    expect(
      failureCode(
        classifyToolError('t.t', { content: text('MCP error -32602: Tool nope not found'), isError: true }),
      ),
    ).toBe('unknown_tool');
    expect(
      failureCode(
        classifyToolError('t.t', {
          content: text('MCP error -32602: Input validation error: Invalid arguments for tool x'),
          isError: true,
        }),
      ),
    ).toBe('invalid_arguments');
    expect(failureCode(classifyToolError('t.t', { content: text('it broke'), isError: true }))).toBe(
      'tool_error',
    );
  });
});
