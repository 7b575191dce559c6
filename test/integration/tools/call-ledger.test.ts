import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError, IdempotencyInProgressError } from '../../../src/domain/errors';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { createLogger } from '../../../src/telemetry/logger';
import { CallLedger, type Admission, type CallAttempt } from '../../../src/tools/call-ledger';
import { ManualClock } from '../stores/support/manual-clock';

const STALE_MS = 10_000;

describe('CallLedger', () => {
  let store: SqliteIdempotencyStore;
  let time: ManualClock;
  afterEach(async () => {
    await store?.close();
  });

  /** Two workers sharing one store: each ledger is one process's view. */
  function setUp(): [CallLedger, CallLedger] {
    time = new ManualClock();
    store = SqliteIdempotencyStore.open(':memory:', { clock: time.clock });
    const ledger = () =>
      new CallLedger({
        store,
        pendingStaleAfterMs: STALE_MS,
        clock: time.clock,
        logger: createLogger('test'),
      });
    return [ledger(), ledger()];
  }

  function attemptOf(admission: Admission): CallAttempt {
    if (admission.kind !== 'proceed') throw new Error(`expected to proceed, got ${admission.kind}`);
    return admission.attempt;
  }

  it('lets a fresh key proceed, then replays its recorded result', async () => {
    const [ledger] = setUp();
    await attemptOf(await ledger.admit('k', 'h')).succeeded({ bookingId: 'b-1' });

    expect(await ledger.admit('k', 'h')).toEqual({ kind: 'replay', result: { bookingId: 'b-1' } });
    expect(await store.get('k')).toMatchObject({ status: 'done' });
  });

  it('rejects a key reused for another request', async () => {
    const [ledger] = setUp();
    await ledger.admit('k', 'h');
    await expect(ledger.admit('k', 'other')).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('lets exactly one of several concurrent duplicates proceed', async () => {
    const [ledger] = setUp();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => ledger.admit('k', 'h')));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const rejected of results.filter((r) => r.status === 'rejected')) {
      expect(rejected.reason).toBeInstanceOf(IdempotencyInProgressError);
    }
  });

  it('tells another worker to wait until a running call could have timed out', async () => {
    const [first, second] = setUp();
    await first.admit('k', 'h');
    time.advanceSeconds(4);

    const waiting = second.admit('k', 'h');

    await expect(waiting).rejects.toBeInstanceOf(IdempotencyInProgressError);
    await expect(waiting).rejects.toMatchObject({ retryable: true, retryAfterMs: 6_000 });
  });

  it('lets the same process retry at once after its attempt failed retryably', async () => {
    const [ledger, otherWorker] = setUp();
    attemptOf(await ledger.admit('k', 'h')).failedRetryably();

    await expect(otherWorker.admit('k', 'h')).rejects.toBeInstanceOf(IdempotencyInProgressError);
    const retry = attemptOf(await ledger.admit('k', 'h'));
    await retry.succeeded('booked');
    expect(await otherWorker.admit('k', 'h')).toEqual({ kind: 'replay', result: 'booked' });
  });

  it('lets any worker take over a pending claim once it is stale, refreshing it for the others', async () => {
    const [crashed, rescuer] = setUp();
    await crashed.admit('k', 'h'); // never settled: the worker died mid-call
    time.advanceSeconds(11);

    const takeover = await rescuer.admit('k', 'h');

    expect(takeover.kind).toBe('proceed');
    expect(await store.get('k')).toMatchObject({ status: 'pending', updatedAt: time.clock().toISOString() });
    await expect(crashed.admit('k', 'h')).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  it('releases the key after a permanent failure so a corrected call can claim it', async () => {
    const [ledger] = setUp();
    await attemptOf(await ledger.admit('k', 'h')).failedPermanently();

    expect(await store.get('k')).toBeUndefined();
    expect((await ledger.admit('k', 'corrected')).kind).toBe('proceed');
  });
});
