/**
 * Where an agent's transcript lives between turns: one record per turn in the idempotency store
 * (SQLite locally, Cosmos DB in Azure), holding the messages that turn added and the model's
 * answer. The orchestration history then carries only what is new each turn, and a turn whose
 * answer is already recorded is answered from the record: a retried or replayed `agentTurn`
 * never calls the model twice for the same turn.
 */
import { agentTurnKey } from '../../domain/idempotency-keys';
import { WaypointError } from '../../domain/errors';
import type { ChatMessage } from '../../models/types';
import type { IdempotencyStore } from '../../stores/types';
import type { AgentTurnOutput } from '../contracts';

export interface TurnRecord {
  /** Messages this turn added before the model answered (task, tool results, repair request). */
  added: ChatMessage[];
  /** The assistant message the model answered with (what the next turn's model sees). */
  reply: ChatMessage;
  /** The activity output for this turn, returned again if the turn is asked for twice. */
  output: AgentTurnOutput;
}

/**
 * The largest turn record kept: below Cosmos DB's 2 MB item limit with room for the record's own
 * fields, so a record that would fail there fails the same way on SQLite, and typed.
 */
export const DEFAULT_MAX_RECORD_BYTES = 1_536 * 1024;

/** Bytes of a value as the store keeps it (JSON, UTF-8). */
export function recordBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export class TranscriptJournal {
  readonly maxRecordBytes: number;

  constructor(
    private readonly store: IdempotencyStore,
    options: { maxRecordBytes?: number } = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /**
   * Throws a permanent `transcript_record_too_large` error when `value` (a turn record, or the
   * part of one known before the model is asked) is over the cap: nothing is stored.
   */
  assertFits(value: unknown): void {
    const bytes = recordBytes(value);
    if (bytes > this.maxRecordBytes) {
      throw new WaypointError(
        'transcript_record_too_large',
        'This step of the conversation grew too large to keep, so the agent stopped.',
        { retryable: false, details: { bytes, maxRecordBytes: this.maxRecordBytes } },
      );
    }
  }

  /** The recorded turn, if its answer is already known for this same input. */
  async recorded(conversationId: string, turn: number, requestHash: string): Promise<TurnRecord | undefined> {
    const record = await this.store.get(agentTurnKey(conversationId, turn));
    if (!record || record.status !== 'done') return undefined;
    if (record.requestHash !== requestHash) {
      throw new WaypointError(
        'transcript_conflict',
        `Turn ${turn} of ${conversationId} was recorded for different input; the orchestration is not deterministic.`,
        { retryable: false },
      );
    }
    return record.result as TurnRecord;
  }

  /** The messages of turns 0…turn-1, in order. Throws when one is missing (expired or deleted). */
  async history(conversationId: string, turn: number): Promise<ChatMessage[]> {
    const records = await Promise.all(
      Array.from({ length: turn }, (_, index) => this.store.get(agentTurnKey(conversationId, index))),
    );
    const messages: ChatMessage[] = [];
    records.forEach((record, index) => {
      if (!record || record.status !== 'done') {
        throw new WaypointError(
          'transcript_lost',
          `Turn ${index} of ${conversationId} is no longer in the journal (expired?); the agent cannot continue.`,
          { retryable: false },
        );
      }
      const turnRecord = record.result as TurnRecord;
      messages.push(...turnRecord.added, turnRecord.reply);
    });
    return messages;
  }

  /**
   * Records a turn; if another attempt recorded it first, that record wins and is returned. A
   * record over the cap is refused (see `assertFits`) before anything is written.
   */
  async record(
    conversationId: string,
    turn: number,
    requestHash: string,
    value: TurnRecord,
  ): Promise<TurnRecord> {
    this.assertFits(value);
    const key = agentTurnKey(conversationId, turn);
    let claim = await this.store.claim(key, requestHash);
    // A claim still pending was left by an attempt that died between claiming and completing
    // (a killed host): left so, the next turn would find this one missing. Take it over.
    if (claim.outcome === 'existing' && claim.record.status !== 'done') {
      claim = await this.store.takeOver(key, requestHash, claim.record.claimId);
    }
    if (claim.outcome === 'existing') {
      return claim.record.status === 'done' ? (claim.record.result as TurnRecord) : value;
    }
    const done = await this.store.complete(key, requestHash, claim.record.claimId, value);
    return done.outcome === 'claim_lost' ? value : (done.record.result as TurnRecord);
  }
}
