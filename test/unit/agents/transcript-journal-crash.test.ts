/**
 * A turn record whose first attempt died between claiming the journal key and completing it (the
 * host killed in that moment): the attempt that runs again must still record the turn, or the
 * next turn finds the transcript lost. Found by the kill -9 trace test (test/e2e/trace-crash).
 */
import { describe, expect, it } from 'vitest';
import { TranscriptJournal, type TurnRecord } from '../../../src/agents/activities/transcript-journal';
import { agentTurnKey } from '../../../src/domain/idempotency-keys';
import { SqliteIdempotencyStore } from '../../../src/stores';
import { openSqliteDatabase } from '../../../src/stores/sqlite/database';

const conversation = 'run-1:writer:0';
const record: TurnRecord = {
  added: [{ role: 'user', content: 'hi' }],
  reply: { role: 'assistant', content: '{"text":"hello"}' },
  output: {
    kind: 'final',
    valid: true,
    output: { text: 'hello' },
    usage: { inputTokens: 10, outputTokens: 5 },
    costUsd: 0,
    provider: 'scripted',
    model: 'scripted-1',
    replayed: false,
  },
};

describe('the transcript journal after a crash mid-record', () => {
  it('takes over the claim a dead attempt left pending and records the turn', async () => {
    const store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
    try {
      const journal = new TranscriptJournal(store);
      // The first attempt claimed the key and died before completing it.
      const dead = await store.claim(agentTurnKey(conversation, 0), 'hash-0');
      expect(dead.outcome).toBe('claimed');

      const stored = await journal.record(conversation, 0, 'hash-0', record);
      expect(stored).toEqual(record);
      expect(await store.get(agentTurnKey(conversation, 0))).toMatchObject({ status: 'done' });
      await expect(journal.history(conversation, 1)).resolves.toEqual([...record.added, record.reply]);
      await expect(journal.recorded(conversation, 0, 'hash-0')).resolves.toEqual(record);
    } finally {
      await store.close();
    }
  });

  it('keeps the first completed record when the turn is recorded twice', async () => {
    const store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
    try {
      const journal = new TranscriptJournal(store);
      await journal.record(conversation, 0, 'hash-0', record);
      const second: TurnRecord = { ...record, reply: { role: 'assistant', content: '{"text":"other"}' } };
      await expect(journal.record(conversation, 0, 'hash-0', second)).resolves.toEqual(record);
    } finally {
      await store.close();
    }
  });
});
