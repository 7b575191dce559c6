import { describe, expect, it } from 'vitest';
import {
  idempotencyKeySchema,
  isRunId,
  newRunId,
  requestHash,
  runIdFor,
} from '../../../../src/travel/api/run-id';
import { tripRequestBodySchema } from '../../../../src/travel/schemas';

describe('runIdFor', () => {
  it('is deterministic for one caller and key', () => {
    expect(runIdFor('local-user', 'key-1')).toBe(runIdFor('local-user', 'key-1'));
    expect(isRunId(runIdFor('local-user', 'key-1'))).toBe(true);
  });

  it('gives another caller’s same key another run, and another key another run', () => {
    const ids = new Set([
      runIdFor('user:aad:ada', 'key-1'),
      runIdFor('user:aad:grace', 'key-1'),
      runIdFor('user:aad:ada', 'key-2'),
      // Owner and key stay apart whatever they contain: ("a", "b\0c") is not ("a\0b", "c").
      runIdFor('a', 'b\0c'),
      runIdFor('a\0b', 'c'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('looks like a fresh id, so an id does not tell how it was made', () => {
    expect(newRunId()).toMatch(/^trip-[0-9a-f]{32}$/);
    expect(runIdFor('local-user', 'k')).toMatch(/^trip-[0-9a-f]{32}$/);
    expect(newRunId()).not.toBe(newRunId());
  });
});

describe('isRunId', () => {
  it('accepts only trip- and 32 lowercase hex digits', () => {
    expect(isRunId('trip-' + 'a'.repeat(32))).toBe(true);
    for (const id of ['trip-' + 'A'.repeat(32), 'trip-123', 'helloSequence', '../trip-' + 'a'.repeat(32), ''])
      expect(isRunId(id)).toBe(false);
  });
});

describe('idempotencyKeySchema', () => {
  it('takes 1–200 printable characters', () => {
    expect(idempotencyKeySchema.safeParse('order-42 retry').success).toBe(true);
    expect(idempotencyKeySchema.safeParse('k'.repeat(200)).success).toBe(true);
    for (const bad of ['', 'k'.repeat(201), 'tab\there', 'naïve', 'nul\0'])
      expect(idempotencyKeySchema.safeParse(bad).success).toBe(false);
  });
});

describe('requestHash', () => {
  const parse = (body: unknown) => tripRequestBodySchema.parse(body);

  it('ignores key order, whitespace the schema trims and the currency’s case', () => {
    const a = parse({ request: 'Patagonia', travellers: 2, budget: { amount: 3000, currency: 'usd' } });
    const b = parse({ budget: { currency: 'USD', amount: 3000 }, travellers: 2, request: '  Patagonia ' });
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('differs when anything the run would use differs', () => {
    const base = requestHash(parse({ request: 'Patagonia', travellers: 2 }));
    expect(requestHash(parse({ request: 'Patagonia', travellers: 3 }))).not.toBe(base);
    expect(requestHash(parse({ request: 'Patagonia', travellers: 2, book: true }))).not.toBe(base);
    expect(requestHash(parse({ request: 'Patagonia', travellers: 2, budgets: { steps: 5 } }))).not.toBe(base);
  });
});
