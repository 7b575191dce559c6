/**
 * The per-caller bound on unfinished runs, over the real SQLite slot store: what a start at the
 * limit frees (runs that ended, runs that never started), and what it keeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteRunSlotStore } from '../../../../src/stores/sqlite/run-slots-store';
import {
  admitRun,
  RecentStatuses,
  RECONCILE_BATCH,
  START_GRACE_MS,
  type RunQuota,
} from '../../../../src/travel/api/run-quota';

let nowMs: number;
let statuses: Map<string, string>;
let lookups: string[];
let store: SqliteRunSlotStore;
let quota: RunQuota;

beforeEach(() => {
  nowMs = Date.parse('2026-03-01T09:00:00.000Z');
  statuses = new Map();
  lookups = [];
  store = SqliteRunSlotStore.open(':memory:', { clock: () => new Date(nowMs) });
  quota = {
    slots: store,
    runtimeStatus: async (runId) => {
      lookups.push(runId);
      return statuses.get(runId);
    },
    now: () => nowMs,
  };
});
afterEach(async () => {
  await store.close();
});

/** Starts `count` runs for ada (each takes a slot and is `Running`), one second apart. */
async function fill(count: number, limit = count): Promise<string[]> {
  const runs = Array.from({ length: count }, (_, i) => `run-${i}`);
  for (const run of runs) {
    expect(await admitRun(quota, 'ada', run, limit)).toBe(true);
    statuses.set(run, 'Running');
    nowMs += 1000;
  }
  return runs;
}

describe('admitRun', () => {
  it('admits up to the limit without looking any run up', async () => {
    await fill(3);
    expect(lookups).toEqual([]);
  });

  it('refuses at the limit while every run is unfinished', async () => {
    const runs = await fill(3);
    statuses.set(runs[1], 'Suspended');
    statuses.set(runs[2], 'Pending');
    expect(await admitRun(quota, 'ada', 'run-new', 3)).toBe(false);
    expect(lookups.sort()).toEqual([...runs].sort());
  });

  it('frees the slots of runs that ended unseen (completed, failed, terminated elsewhere)', async () => {
    const runs = await fill(4);
    statuses.set(runs[0], 'Completed');
    statuses.set(runs[2], 'Terminated');
    expect(await admitRun(quota, 'ada', 'run-new', 4)).toBe(true);
    expect(await admitRun(quota, 'ada', 'run-newer', 4)).toBe(true);
    expect(await admitRun(quota, 'ada', 'run-newest', 4)).toBe(false);
    expect((await store.held('ada')).map((slot) => slot.runId)).toEqual([
      runs[1],
      runs[3],
      'run-new',
      'run-newer',
    ]);
  });

  it('frees a slot whose run never started, but only after the grace period', async () => {
    await fill(1);
    // A process took the slot for run-lost, then died before starting it.
    expect(await admitRun(quota, 'ada', 'run-lost', 2)).toBe(true);
    expect(await admitRun(quota, 'ada', 'run-new', 2)).toBe(false);
    nowMs += START_GRACE_MS + 1;
    expect(await admitRun(quota, 'ada', 'run-new', 2)).toBe(true);
  });

  it('looks up at most a batch of the oldest slots per refused start', async () => {
    await fill(RECONCILE_BATCH + 5);
    lookups = [];
    expect(await admitRun(quota, 'ada', 'run-new', RECONCILE_BATCH + 5)).toBe(false);
    expect(lookups).toEqual(Array.from({ length: RECONCILE_BATCH }, (_, i) => `run-${i}`));
  });
});

describe('RecentStatuses', () => {
  it('looks a run up once for a burst of starts, and again once the answer is old', async () => {
    let clock = 0;
    let calls = 0;
    const recent = new RecentStatuses(2_000, () => clock);
    const lookup = async () => {
      calls += 1;
      return 'Running';
    };
    await Promise.all(Array.from({ length: 50 }, () => recent.get('run-1', lookup)));
    expect(calls).toBe(1);
    clock += 2_001;
    expect(await recent.get('run-1', lookup)).toBe('Running');
    expect(calls).toBe(2);
  });

  it('forgets a failed lookup', async () => {
    const recent = new RecentStatuses(2_000, () => 0);
    await expect(recent.get('run-1', async () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
    expect(await recent.get('run-1', async () => 'Completed')).toBe('Completed');
  });
});
