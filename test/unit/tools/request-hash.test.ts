import { describe, expect, it } from 'vitest';
import { toolRequestHash } from '../../../src/tools/request-hash';

describe('toolRequestHash', () => {
  it('ignores key order and undefined members', () => {
    expect(
      toolRequestHash('bookings.book_hotel', { a: 1, b: { y: 2, x: [1, { q: 1, p: 2 }] }, c: undefined }),
    ).toBe(toolRequestHash('bookings.book_hotel', { b: { x: [1, { p: 2, q: 1 }], y: 2 }, a: 1 }));
  });

  it('differs when the tool or any argument differs', () => {
    const base = toolRequestHash('bookings.book_hotel', { offerId: 'o-1' });
    expect(toolRequestHash('bookings.book_flight', { offerId: 'o-1' })).not.toBe(base);
    expect(toolRequestHash('bookings.book_hotel', { offerId: 'o-2' })).not.toBe(base);
    expect(toolRequestHash('bookings.book_hotel', { offerId: 'o-1', note: '' })).not.toBe(base);
  });

  it('is a SHA-256 hex digest', () => {
    expect(toolRequestHash('t.t', {})).toMatch(/^[0-9a-f]{64}$/);
  });
});
