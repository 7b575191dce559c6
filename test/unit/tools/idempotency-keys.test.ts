import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { toolCallKey } from '../../../src/domain/idempotency-keys';

/** The bookings tools' rule for keys (src/mcp-servers/bookings/booking-inputs.ts). */
const BOOKINGS_KEY_RULE = /^[\w.:/@-]{8,200}$/;

describe('toolCallKey', () => {
  it('is deterministic and readable for plain ids', () => {
    expect(toolCallKey('trip-42', 'book-flight')).toBe('toolcall:trip-42:book-flight');
    expect(toolCallKey('trip-42', 'book-flight')).toBe(toolCallKey('trip-42', 'book-flight'));
  });

  it('separates instance and step unambiguously', () => {
    expect(toolCallKey('a:b', 'c')).not.toBe(toolCallKey('a', 'b:c'));
    expect(toolCallKey('a@3Ab', 'c')).not.toBe(toolCallKey('a:b', 'c'));
  });

  it('escapes characters that tool arguments and Cosmos ids do not accept', () => {
    const key = toolCallKey('Client Key/7?#ü', "step (1)*!~'");
    expect(key).toBe('toolcall:Client@20Key@2F7@3F@23@C3@BC:step@20@281@29@2A@21@7E@27');
    expect(key).toMatch(BOOKINGS_KEY_RULE);
  });

  it('keeps long keys within 200 characters and still distinct', () => {
    const long = 'x'.repeat(300);
    const a = toolCallKey(long, 'step-1');
    const b = toolCallKey(long, 'step-2');
    expect(a).toHaveLength(200);
    expect(a).toMatch(BOOKINGS_KEY_RULE);
    expect(a).not.toBe(b);
    expect(toolCallKey(long, 'step-1')).toBe(a);
  });

  it('rejects empty parts', () => {
    expect(() => toolCallKey('', 'step')).toThrow(ValidationError);
    expect(() => toolCallKey('trip', '')).toThrow(ValidationError);
  });
});
