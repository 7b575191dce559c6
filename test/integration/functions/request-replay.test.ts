/** `once`: the Idempotency-Key replay of a request that changes a run, over the real SQLite store. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { once } from '../../../src/functions/request-replay';
import { SqliteIdempotencyStore } from '../../../src/stores';
import { openSqliteDatabase } from '../../../src/stores/sqlite/database';

let store: SqliteIdempotencyStore;
beforeEach(() => {
  store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
});
afterEach(async () => {
  await store.close();
});

describe('once', () => {
  it('runs the work once per key; a repeat gets the recorded answer', async () => {
    let runs = 0;
    const work = async () => ({ answer: ++runs });
    expect(await once(store, 'k', 'h', work)).toEqual({ value: { answer: 1 }, replayed: false });
    expect(await once(store, 'k', 'h', work)).toEqual({ value: { answer: 1 }, replayed: true });
    expect(runs).toBe(1);
  });

  it('runs the work every time without a key', async () => {
    let runs = 0;
    await once(store, undefined, 'h', async () => ++runs);
    await once(store, undefined, 'h', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('refuses the key with another request (422)', async () => {
    await once(store, 'k', 'h1', async () => 1);
    await expect(once(store, 'k', 'h2', async () => 2)).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
  });

  it('records nothing when the work fails, so the key can be used again', async () => {
    await expect(
      once(store, 'k', 'h', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await once(store, 'k', 'h', async () => 'second')).toEqual({ value: 'second', replayed: false });
  });

  it('does the work once when the same request arrives many times at once', async () => {
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'done';
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => once(store, 'k', 'h', work)));
    expect(runs).toBe(1);
    expect(answers.map((a) => a.value)).toEqual(Array(10).fill('done'));
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
  });
});
