import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError, IdempotencyInProgressError } from '../../../src/domain/errors';
import type { Clock } from '../../../src/stores/clock';
import { CosmosIdempotencyStore } from '../../../src/stores/cosmos/idempotency-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import type { IdempotencyStore } from '../../../src/stores/types';
import { createLogger } from '../../../src/telemetry/logger';
import { CallLedger, claimDeadline, type Admission, type CallAttempt } from '../../../src/tools/call-ledger';
import { useLocalCosmos } from '../stores/support/fixtures';
import { ManualClock } from '../stores/support/manual-clock';

const cosmos = useLocalCosmos();

const STALE_MS = 10_000;

function attemptOf(admission: Admission): CallAttempt {
  if (admission.kind !== 'proceed') throw new Error(`expected to proceed, got ${admission.kind}`);
  return admission.attempt;
}

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

  // One ledger: its in-flight set turns away the duplicates before the store is asked twice.
  it('lets exactly one of several concurrent duplicates in one process proceed', async () => {
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

  it('ends every attempt a safe margin before its claim goes stale, counting from the claim', async () => {
    const [ledger] = setUp();
    const attempt = attemptOf(await ledger.admit('k', 'h'));
    const claimedAt = time.clock().getTime();

    // 10 s window: the margin is max(2 s, 20%) = 2 s, so the attempt must be over 8 s after the claim.
    expect(attempt.deadline).toBe(claimedAt + 8_000);
    expect(claimDeadline({ updatedAt: new Date(claimedAt).toISOString() }, 60_000)).toBe(claimedAt + 48_000);
  });

  it('does not let a retry in this process take over a claim another worker took over since', async () => {
    const [ledger, rescuer] = setUp();
    attemptOf(await ledger.admit('k', 'h')).failedRetryably();
    time.advanceSeconds(11);
    attemptOf(await rescuer.admit('k', 'h')); // takes over the stale claim; still running

    await expect(ledger.admit('k', 'h')).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  it('releases the key after a permanent failure so a corrected call can claim it', async () => {
    const [ledger] = setUp();
    await attemptOf(await ledger.admit('k', 'h')).failedPermanently();

    expect(await store.get('k')).toBeUndefined();
    expect((await ledger.admit('k', 'corrected')).kind).toBe('proceed');
  });
});

/** `store` with every call to the named methods held back by `delayMs` before it runs. */
function delaying(store: IdempotencyStore, delayMs: number, methods: readonly string[]): IdempotencyStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !methods.includes(String(property))) return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

const backends: { name: string; open: (clock: Clock) => Promise<IdempotencyStore> }[] = [
  { name: 'SQLite', open: async (clock) => SqliteIdempotencyStore.open(':memory:', { clock }) },
  {
    name: 'Cosmos DB',
    open: (clock) =>
      CosmosIdempotencyStore.create(
        cosmos().client,
        { databaseId: cosmos().uniqueDatabaseId(), containerId: 'idempotency' },
        { clock },
      ),
  },
];

// Regression tests for takeovers and releases that were not tied to the claim the caller saw.
describe.each(backends)('CallLedger takeovers on $name', ({ open }) => {
  let store: IdempotencyStore;
  let time: ManualClock;
  afterEach(async () => {
    await store?.close?.();
  });

  async function setUp(): Promise<void> {
    time = new ManualClock();
    store = await open(time.clock);
  }
  const ledgerOn = (s: IdempotencyStore) =>
    new CallLedger({
      store: s,
      pendingStaleAfterMs: STALE_MS,
      clock: time.clock,
      logger: createLogger('test'),
    });

  it('lets one of two workers take over a stale claim even when the other is slowed down mid-takeover', async () => {
    await setUp();
    await ledgerOn(store).admit('k', 'h'); // the owner died mid-call
    time.advanceSeconds(11);
    const fast = ledgerOn(store);
    // The reviewer's reproduction: the second worker's store writes land 20 ms late.
    const slow = ledgerOn(delaying(store, 20, ['release', 'takeOver']));

    const results = await Promise.allSettled([fast.admit('k', 'h'), slow.admit('k', 'h')]);

    const proceeded = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'proceed');
    expect(proceeded).toHaveLength(1);
    const turnedAway = results.filter((r) => r.status === 'rejected');
    expect(turnedAway).toHaveLength(1);
    expect(turnedAway[0].reason).toBeInstanceOf(IdempotencyInProgressError);
  });

  it("keeps the new owner's claim when the slow previous owner then fails permanently", async () => {
    await setUp();
    const slowOwner = attemptOf(await ledgerOn(store).admit('k', 'h'));
    time.advanceSeconds(11);
    const rescuer = await ledgerOn(store).admit('k', 'h');
    expect(rescuer.kind).toBe('proceed');
    const rescuersClaim = await store.get('k');

    await slowOwner.failedPermanently();

    expect(await store.get('k')).toEqual(rescuersClaim);
    await expect(ledgerOn(store).admit('k', 'h')).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  it("does not let the slow previous owner's late success overwrite the new owner's claim", async () => {
    await setUp();
    const slowOwner = attemptOf(await ledgerOn(store).admit('k', 'h'));
    time.advanceSeconds(11);
    const rescuer = attemptOf(await ledgerOn(store).admit('k', 'h'));

    await slowOwner.succeeded('late');
    expect(await store.get('k')).toMatchObject({ status: 'pending' });
    await rescuer.succeeded('rescued');

    expect(await store.get('k')).toMatchObject({ status: 'done', result: 'rescued' });
  });
});
