import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError } from '../../../src/domain/errors';
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
      claimId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2026-03-01T10:00:00.000Z',
    });
    expect(await store.get('trip-1:step-1')).toEqual(outcome.record);
  });

  it('reports an existing pending claim, with its owner token, to a second caller', async () => {
    await openStore();
    const first = await store.claim('k', 'hash-a');
    time.advanceSeconds(5);

    const second = await store.claim('k', 'hash-a');

    expect(second.outcome).toBe('existing');
    expect(second.record.status).toBe('pending');
    expect(second.record.claimId).toBe(first.record.claimId);
    expect(second.record.createdAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('gives every claim of a key a new owner token', async () => {
    await openStore();
    const first = await store.claim('k', 'hash-a');
    await store.release('k', 'hash-a', first.record.claimId);
    const second = await store.claim('k', 'hash-a');

    expect(second.outcome).toBe('claimed');
    expect(second.record.claimId).not.toBe(first.record.claimId);
  });

  it('rejects a key reused for a different request', async () => {
    await openStore();
    await store.claim('k', 'hash-a');

    const { record } = await store.claim('k', 'hash-a');

    await expect(store.claim('k', 'hash-b')).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(store.takeOver('k', 'hash-b', record.claimId)).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
    await store.complete('k', 'hash-a', record.claimId, { ok: 1 });
    await expect(store.claim('k', 'hash-b')).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('completes a claim and hands the stored result to later callers', async () => {
    await openStore();
    const { record } = await store.claim('k', 'hash-a');
    time.advanceSeconds(2);

    const done = await store.complete('k', 'hash-a', record.claimId, {
      bookingId: 'b-1',
      total: { amount: 420.5, currency: 'EUR' },
    });
    const later = await store.claim('k', 'hash-a');

    expect(done.outcome).toBe('completed');
    expect(done.record).toMatchObject({ status: 'done', updatedAt: '2026-03-01T09:00:02.000Z' });
    expect(later).toEqual({ outcome: 'existing', record: done.record });
    expect(later.record.result).toEqual({ bookingId: 'b-1', total: { amount: 420.5, currency: 'EUR' } });
  });

  it('keeps the first result when a key is completed twice', async () => {
    await openStore();
    const { record } = await store.claim('k', 'hash-a');
    await store.complete('k', 'hash-a', record.claimId, 'first');

    const again = await store.complete('k', 'hash-a', record.claimId, 'second');

    expect(again).toMatchObject({ outcome: 'already_done', record: { result: 'first' } });
    expect((await store.get('k'))?.result).toBe('first');
  });

  it('round-trips null, arrays and an absent result', async () => {
    await openStore();
    for (const [key, result] of [
      ['null', null],
      ['array', [1, 'two', { three: 3 }]],
      ['absent', undefined],
    ] as const) {
      const { record } = await store.claim(key, 'h');
      await store.complete(key, 'h', record.claimId, result);
    }

    expect((await store.get('null'))?.result).toBeNull();
    expect((await store.get('array'))?.result).toEqual([1, 'two', { three: 3 }]);
    expect(await store.get('absent')).not.toHaveProperty('result');
  });

  it('completes nothing for a key never claimed, and refuses a key claimed for another request', async () => {
    await openStore();
    expect(await store.complete('missing', 'hash-a', 'no-such-claim', 1)).toEqual({
      outcome: 'claim_lost',
      record: undefined,
    });
    expect(await store.get('missing')).toBeUndefined();
    const { record } = await store.claim('k', 'hash-a');
    await expect(store.complete('k', 'hash-b', record.claimId, 1)).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
    expect((await store.get('k'))?.status).toBe('pending');
  });

  it('releases a pending claim so the key can be claimed again', async () => {
    await openStore();
    const { record } = await store.claim('k', 'hash-a');

    expect(await store.release('k', 'hash-a', record.claimId)).toBe(true);

    expect(await store.get('k')).toBeUndefined();
    expect((await store.claim('k', 'hash-b')).outcome).toBe('claimed');
  });

  it('never releases a finished call, and ignores releasing an unknown key', async () => {
    await openStore();
    const { record } = await store.claim('k', 'hash-a');
    await store.complete('k', 'hash-a', record.claimId, 'result');

    expect(await store.release('k', 'hash-a', record.claimId)).toBe(false);
    expect(await store.release('never-claimed', 'hash-a', record.claimId)).toBe(false);

    expect(await store.get('k')).toMatchObject({ status: 'done', result: 'result' });
    expect(await store.get('never-claimed')).toBeUndefined();
  });

  it('refuses to release a claim for another request, and ignores a release naming another claim', async () => {
    await openStore();
    const { record } = await store.claim('k', 'hash-a');
    await expect(store.release('k', 'hash-b', record.claimId)).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
    expect(await store.release('k', 'hash-a', 'someone-else')).toBe(false);
    expect(await store.get('k')).toEqual(record);
  });

  // The takeovers below that run "at once" overlap on Cosmos; on SQLite they take turns (better-sqlite3
  // is synchronous), which still checks that a takeover acts only on the claim it observed.
  // sqlite-multithread-race.test.ts races SQLite takeovers on threads.
  describe('takeover of a pending claim', () => {
    it('replaces the observed claim with a new one, refreshing its time and expiry', async () => {
      await openStore();
      const stale = await store.claim('k', 'hash-a', { ttlSeconds: 3600 });
      time.advanceSeconds(30);

      const takeover = await store.takeOver('k', 'hash-a', stale.record.claimId, { ttlSeconds: 3600 });

      expect(takeover.outcome).toBe('claimed');
      expect(takeover.record).toEqual({
        ...stale.record,
        claimId: expect.any(String),
        updatedAt: '2026-03-01T09:00:30.000Z',
        expiresAt: '2026-03-01T10:00:30.000Z',
      });
      expect(takeover.record.claimId).not.toBe(stale.record.claimId);
      expect(await store.get('k')).toEqual(takeover.record);
    });

    it('lets exactly one of two takeovers of one stale claim proceed', async () => {
      await openStore();
      const stale = await store.claim('k', 'hash-a');
      time.advanceSeconds(30);

      const outcomes = await Promise.all([
        store.takeOver('k', 'hash-a', stale.record.claimId),
        store.takeOver('k', 'hash-a', stale.record.claimId),
      ]);

      const winners = outcomes.filter((o) => o.outcome === 'claimed');
      expect(winners).toHaveLength(1);
      const loser = outcomes.find((o) => o.outcome === 'existing');
      expect(loser?.record).toEqual(winners[0].record);
      expect((await store.get('k'))?.claimId).toBe(winners[0].record.claimId);
    });

    it('lets exactly one of 12 simultaneous takeovers of one stale claim proceed', async () => {
      await openStore();
      const stale = await store.claim('k', 'hash-a');

      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => store.takeOver('k', 'hash-a', stale.record.claimId)),
      );

      const winners = outcomes.filter((o) => o.outcome === 'claimed');
      expect(winners).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.record.claimId))).toEqual(new Set([winners[0].record.claimId]));
    });

    it('does not take over a claim that was already taken over since it was observed', async () => {
      await openStore();
      const stale = await store.claim('k', 'hash-a');
      const first = await store.takeOver('k', 'hash-a', stale.record.claimId);

      const late = await store.takeOver('k', 'hash-a', stale.record.claimId);

      expect(late).toEqual({ outcome: 'existing', record: first.record });
    });

    it('replays a claim that was completed since it was observed', async () => {
      await openStore();
      const { record } = await store.claim('k', 'hash-a');
      await store.complete('k', 'hash-a', record.claimId, 'booked');

      const late = await store.takeOver('k', 'hash-a', record.claimId);

      expect(late).toMatchObject({ outcome: 'existing', record: { status: 'done', result: 'booked' } });
    });

    it('claims the key afresh when the observed claim was released or expired', async () => {
      await openStore();
      const released = await store.claim('released', 'hash-a');
      await store.release('released', 'hash-a', released.record.claimId);
      const expired = await store.claim('expired', 'hash-a', { ttlSeconds: 60 });
      time.advanceSeconds(61);

      const afterRelease = await store.takeOver('released', 'hash-a', released.record.claimId);
      const afterExpiry = await store.takeOver('expired', 'hash-a', expired.record.claimId);

      expect(afterRelease.outcome).toBe('claimed');
      expect(afterExpiry.outcome).toBe('claimed');
      expect(afterExpiry.record.createdAt).toBe(time.clock().toISOString());
    });

    it("leaves the new owner's claim intact when the previous owner releases late", async () => {
      await openStore();
      const previous = await store.claim('k', 'hash-a');
      const current = await store.takeOver('k', 'hash-a', previous.record.claimId);

      expect(await store.release('k', 'hash-a', previous.record.claimId)).toBe(false);

      expect(await store.get('k')).toEqual(current.record);
      expect(await store.release('k', 'hash-a', current.record.claimId)).toBe(true);
    });

    it("does not let the previous owner's late completion overwrite the new owner's claim", async () => {
      await openStore();
      const previous = await store.claim('k', 'hash-a');
      const current = await store.takeOver('k', 'hash-a', previous.record.claimId);

      const late = await store.complete('k', 'hash-a', previous.record.claimId, 'late');

      expect(late).toEqual({ outcome: 'claim_lost', record: current.record });
      expect(await store.get('k')).toEqual(current.record);
      const done = await store.complete('k', 'hash-a', current.record.claimId, 'current');
      expect(done).toMatchObject({ outcome: 'completed', record: { status: 'done', result: 'current' } });
    });

    it("keeps the new owner's result when the previous owner completes after it", async () => {
      await openStore();
      const previous = await store.claim('k', 'hash-a');
      const current = await store.takeOver('k', 'hash-a', previous.record.claimId);
      await store.complete('k', 'hash-a', current.record.claimId, 'first');

      const late = await store.complete('k', 'hash-a', previous.record.claimId, 'second');

      expect(late).toMatchObject({ outcome: 'already_done', record: { result: 'first' } });
      expect((await store.get('k'))?.result).toBe('first');
    });
  });

  it('treats expired records as absent: invisible, reclaimable, not completable', async () => {
    await openStore();
    const pending = await store.claim('pending', 'hash-a', { ttlSeconds: 60 });
    const done = await store.claim('done', 'hash-a', { ttlSeconds: 60 });
    await store.complete('done', 'hash-a', done.record.claimId, 'old result');
    time.advanceSeconds(61);

    expect(await store.get('pending')).toBeUndefined();
    expect(await store.get('done')).toBeUndefined();
    expect(await store.complete('pending', 'hash-a', pending.record.claimId, 1)).toEqual({
      outcome: 'claim_lost',
      record: undefined,
    });
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

  // On SQLite these calls run one after another (better-sqlite3 is synchronous), so this checks the
  // outcome of many claims, not a race; sqlite-multithread-race.test.ts races threads on one file.
  it('grants a key to exactly one of 24 claimers', async () => {
    await openStore();
    const outcomes = await Promise.all(Array.from({ length: 24 }, () => store.claim('hot-key', 'hash-a')));

    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.record.claimId)).size).toBe(1);
  });

  it('accepts keys with characters that are not valid document ids', async () => {
    await openStore();
    const key = `trip/2026?x=1#frag\\${'long-'.repeat(60)}`;
    const { record } = await store.claim(key, 'h');
    await store.complete(key, 'h', record.claimId, 'ok');

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
