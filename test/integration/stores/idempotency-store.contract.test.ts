import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError, NotFoundError } from '../../../src/domain/errors';
import type { Clock } from '../../../src/stores/clock';
import { CosmosIdempotencyStore } from '../../../src/stores/cosmos/idempotency-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import type { IdempotencyStore } from '../../../src/stores/types';
import { useLocalCosmos, useTempDir } from './support/fixtures';
import { ManualClock } from './support/manual-clock';

const cosmos = useLocalCosmos();
const temp = useTempDir();

interface Backend {
  name: string;
  open: (clock: Clock) => Promise<IdempotencyStore>;
}

const backends: Backend[] = [
  { name: 'sqlite :memory:', open: async (clock) => SqliteIdempotencyStore.open(':memory:', { clock }) },
  { name: 'sqlite file', open: async (clock) => SqliteIdempotencyStore.open(temp.file(), { clock }) },
  {
    name: 'cosmos',
    open: (clock) =>
      CosmosIdempotencyStore.create(
        cosmos().client,
        { databaseId: cosmos().uniqueDatabaseId(), containerId: 'idempotency' },
        { clock },
      ),
  },
];

describe.each(backends)('IdempotencyStore contract ($name)', ({ open }) => {
  let time: ManualClock;
  let store: IdempotencyStore;

  async function openStore(): Promise<IdempotencyStore> {
    time = new ManualClock();
    store = await open(time.clock);
    return store;
  }

  afterEach(async () => {
    await store?.close?.();
  });

  it('claims a new key as pending, expiring after the TTL', async () => {
    await openStore();
    const outcome = await store.claim('trip-1:step-1', 'hash-a', { ttlSeconds: 3600 });

    expect(outcome.outcome).toBe('claimed');
    expect(outcome.record).toEqual({
      key: 'trip-1:step-1',
      requestHash: 'hash-a',
      status: 'pending',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2026-03-01T10:00:00.000Z',
    });
    expect(await store.get('trip-1:step-1')).toEqual(outcome.record);
  });

  it('reports an existing pending claim to a second caller with the same request', async () => {
    await openStore();
    await store.claim('k', 'hash-a');
    time.advanceSeconds(5);

    const second = await store.claim('k', 'hash-a');

    expect(second.outcome).toBe('existing');
    expect(second.record.status).toBe('pending');
    expect(second.record.createdAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('rejects a key reused for a different request', async () => {
    await openStore();
    await store.claim('k', 'hash-a');

    await expect(store.claim('k', 'hash-b')).rejects.toBeInstanceOf(IdempotencyConflictError);
    await store.complete('k', 'hash-a', { ok: 1 });
    await expect(store.claim('k', 'hash-b')).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('completes a claim and hands the stored result to later callers', async () => {
    await openStore();
    await store.claim('k', 'hash-a');
    time.advanceSeconds(2);

    const done = await store.complete('k', 'hash-a', {
      bookingId: 'b-1',
      total: { amount: 420.5, currency: 'EUR' },
    });
    const later = await store.claim('k', 'hash-a');

    expect(done).toMatchObject({ status: 'done', updatedAt: '2026-03-01T09:00:02.000Z' });
    expect(later).toEqual({ outcome: 'existing', record: done });
    expect(later.record.result).toEqual({ bookingId: 'b-1', total: { amount: 420.5, currency: 'EUR' } });
  });

  it('keeps the first result when a key is completed twice', async () => {
    await openStore();
    await store.claim('k', 'hash-a');
    await store.complete('k', 'hash-a', 'first');

    const again = await store.complete('k', 'hash-a', 'second');

    expect(again.result).toBe('first');
    expect((await store.get('k'))?.result).toBe('first');
  });

  it('round-trips null, arrays and an absent result', async () => {
    await openStore();
    for (const [key, result] of [
      ['null', null],
      ['array', [1, 'two', { three: 3 }]],
      ['absent', undefined],
    ] as const) {
      await store.claim(key, 'h');
      await store.complete(key, 'h', result);
    }

    expect((await store.get('null'))?.result).toBeNull();
    expect((await store.get('array'))?.result).toEqual([1, 'two', { three: 3 }]);
    expect(await store.get('absent')).not.toHaveProperty('result');
  });

  it('refuses to complete a key that was never claimed or was claimed for another request', async () => {
    await openStore();
    await expect(store.complete('missing', 'hash-a', 1)).rejects.toBeInstanceOf(NotFoundError);
    await store.claim('k', 'hash-a');
    await expect(store.complete('k', 'hash-b', 1)).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect((await store.get('k'))?.status).toBe('pending');
  });

  it('releases a pending claim so the key can be claimed again', async () => {
    await openStore();
    await store.claim('k', 'hash-a');

    await store.release('k', 'hash-a');

    expect(await store.get('k')).toBeUndefined();
    expect((await store.claim('k', 'hash-b')).outcome).toBe('claimed');
  });

  it('never releases a finished call, and ignores releasing an unknown key', async () => {
    await openStore();
    await store.claim('k', 'hash-a');
    await store.complete('k', 'hash-a', 'result');

    await store.release('k', 'hash-a');
    await store.release('never-claimed', 'hash-a');

    expect(await store.get('k')).toMatchObject({ status: 'done', result: 'result' });
    expect(await store.get('never-claimed')).toBeUndefined();
  });

  it('refuses to release a claim held for another request', async () => {
    await openStore();
    await store.claim('k', 'hash-a');
    await expect(store.release('k', 'hash-b')).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect((await store.get('k'))?.status).toBe('pending');
  });

  it('treats expired records as absent: invisible, reclaimable, not completable', async () => {
    await openStore();
    await store.claim('pending', 'hash-a', { ttlSeconds: 60 });
    await store.claim('done', 'hash-a', { ttlSeconds: 60 });
    await store.complete('done', 'hash-a', 'old result');
    time.advanceSeconds(61);

    expect(await store.get('pending')).toBeUndefined();
    expect(await store.get('done')).toBeUndefined();
    await expect(store.complete('pending', 'hash-a', 1)).rejects.toBeInstanceOf(NotFoundError);
    const reclaimed = await store.claim('done', 'hash-other', { ttlSeconds: 60 });
    expect(reclaimed.outcome).toBe('claimed');
    expect(reclaimed.record).toMatchObject({ requestHash: 'hash-other', status: 'pending' });
    expect(reclaimed.record).not.toHaveProperty('result');
  });

  it('keeps a record alive until its expiry instant', async () => {
    await openStore();
    await store.claim('k', 'hash-a', { ttlSeconds: 60 });
    time.advanceSeconds(59);
    expect((await store.get('k'))?.status).toBe('pending');
    expect((await store.claim('k', 'hash-a')).outcome).toBe('existing');
  });

  it('grants a key to exactly one of 24 concurrent claimers', async () => {
    await openStore();
    const outcomes = await Promise.all(Array.from({ length: 24 }, () => store.claim('hot-key', 'hash-a')));

    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.record.createdAt)).size).toBe(1);
  });

  it('accepts keys with characters that are not valid document ids', async () => {
    await openStore();
    const key = `trip/2026?x=1#frag\\${'long-'.repeat(60)}`;
    await store.claim(key, 'h');
    await store.complete(key, 'h', 'ok');

    expect(await store.get(key)).toMatchObject({ key, status: 'done', result: 'ok' });
    expect(await store.get('trip')).toBeUndefined();
  });

  it('rejects a TTL that is not a positive whole number of seconds', async () => {
    await openStore();
    await expect(store.claim('k', 'h', { ttlSeconds: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.claim('k', 'h', { ttlSeconds: 1.5 })).rejects.toBeInstanceOf(RangeError);
    expect(await store.get('k')).toBeUndefined();
  });
});
