import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/canonical-json';
import { requestHash } from '../../../src/mcp-servers/shared/request-hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('requestHash', () => {
  const args = {
    idempotencyKey: 'trip-1:step-4',
    offerId: 'FL-LHR-JFK-20270315-OW-Y1-0',
    travellers: [{ firstName: 'Ada', lastName: 'Lovelace' }],
  };

  it('is a SHA-256 hex digest that ignores key order and the idempotency key itself', () => {
    const hash = requestHash('book_flight', args);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { travellers: args.travellers, offerId: args.offerId, idempotencyKey: 'another-key' };
    expect(requestHash('book_flight', reordered)).toBe(hash);
  });

  it('changes with the arguments and with the tool', () => {
    const hash = requestHash('book_flight', args);
    expect(requestHash('book_flight', { ...args, offerId: 'FL-LHR-JFK-20270315-OW-Y1-1' })).not.toBe(hash);
    expect(requestHash('book_hotel', args)).not.toBe(hash);
  });
});
