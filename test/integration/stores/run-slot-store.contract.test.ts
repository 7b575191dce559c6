/**
 * The RunSlotStore contract, against the embedded SQLite store and Cosmos DB (the local
 * Cosmos-compatible server with the real @azure/cosmos client): a caller's slots for unfinished
 * runs never exceed the limit, however many starts race for them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/stores/clock';
import { CosmosIdempotencyStore } from '../../../src/stores/cosmos/idempotency-store';
import { CosmosRunSlotStore } from '../../../src/stores/cosmos/run-slots-store';
import { SqliteRunSlotStore } from '../../../src/stores/sqlite/run-slots-store';
import type { RunSlotStore } from '../../../src/stores/types';
import { useLocalCosmos, useTempDir } from './support/fixtures';
import { ManualClock } from './support/manual-clock';

const cosmos = useLocalCosmos();
const temp = useTempDir();

const backends: { name: string; open: (clock: Clock) => Promise<RunSlotStore> }[] = [
  { name: 'sqlite :memory:', open: async (clock) => SqliteRunSlotStore.open(':memory:', { clock }) },
  { name: 'sqlite file', open: async (clock) => SqliteRunSlotStore.open(temp.file(), { clock }) },
  {
    name: 'cosmos',
    open: (clock) =>
      CosmosRunSlotStore.create(
        cosmos().client,
        { databaseId: cosmos().uniqueDatabaseId(), containerId: 'idempotency' },
        { clock },
      ),
  },
];

describe.each(backends)('RunSlotStore contract ($name)', ({ name, open }) => {
  let time: ManualClock;
  let store: RunSlotStore;

  async function openStore(): Promise<RunSlotStore> {
    time = new ManualClock();
    store = await open(time.clock);
    return store;
  }

  afterEach(async () => {
    await store?.close?.();
  });

  it('admits up to the limit, then refuses naming the held runs, oldest first', async () => {
    await openStore();
    for (const run of ['run-a', 'run-b', 'run-c']) {
      expect(await store.acquire('ada', run, 3)).toEqual({ admitted: true });
      time.advanceSeconds(1);
    }
    expect(await store.acquire('ada', 'run-d', 3)).toEqual({
      admitted: false,
      held: [
        { runId: 'run-a', acquiredAt: '2026-03-01T09:00:00.000Z' },
        { runId: 'run-b', acquiredAt: '2026-03-01T09:00:01.000Z' },
        { runId: 'run-c', acquiredAt: '2026-03-01T09:00:02.000Z' },
      ],
    });
    // Other callers have slots of their own.
    expect(await store.acquire('grace', 'run-g', 3)).toEqual({ admitted: true });
    expect((await store.held('grace')).map((slot) => slot.runId)).toEqual(['run-g']);
  });

  it('admits a run that already holds a slot again (a retried start), even at the limit', async () => {
    await openStore();
    expect(await store.acquire('ada', 'run-a', 1)).toEqual({ admitted: true });
    expect(await store.acquire('ada', 'run-a', 1)).toEqual({ admitted: true });
    expect(await store.held('ada')).toHaveLength(1);
  });

  it('frees released slots, and ignores runs that hold none', async () => {
    await openStore();
    await store.acquire('ada', 'run-a', 2);
    await store.acquire('ada', 'run-b', 2);
    await store.release('ada', ['run-a', 'run-unknown']);
    await store.release('grace', ['run-b']);
    await store.release('ada', []);
    expect((await store.held('ada')).map((slot) => slot.runId)).toEqual(['run-b']);
    expect(await store.acquire('ada', 'run-c', 2)).toEqual({ admitted: true });
    expect(await store.acquire('ada', 'run-d', 2)).toMatchObject({ admitted: false });
  });

  it(`admits exactly the limit when 60 starts race for one caller's slots (${name})`, async () => {
    await openStore();
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => store.acquire('ada', `run-${i}`, 20)),
    );
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(20);
    expect(await store.held('ada')).toHaveLength(20);
  }, 60_000);
});

describe('Cosmos run slots beside idempotency records', () => {
  it('share the container without touching each other', async () => {
    const location = { databaseId: cosmos().uniqueDatabaseId(), containerId: 'idempotency' };
    const slots = await CosmosRunSlotStore.create(cosmos().client, location);
    const records = await CosmosIdempotencyStore.create(cosmos().client, location);
    await slots.acquire('ada', 'run-a', 5);
    // An idempotency key that spells a slot document's id cannot reach it.
    const claimed = await records.claim('run-slots~ada', 'hash-a');
    expect(claimed.outcome).toBe('claimed');
    expect((await slots.held('ada')).map((slot) => slot.runId)).toEqual(['run-a']);
  });
});
