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

export class TranscriptJournal {
  constructor(private readonly store: IdempotencyStore) {}

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

  /** Records a turn; if another attempt recorded it first, that record wins and is returned. */
  async record(
    conversationId: string,
    turn: number,
    requestHash: string,
    value: TurnRecord,
  ): Promise<TurnRecord> {
    const key = agentTurnKey(conversationId, turn);
    const claim = await this.store.claim(key, requestHash);
    if (claim.outcome === 'existing') {
      return claim.record.status === 'done' ? (claim.record.result as TurnRecord) : value;
    }
    const done = await this.store.complete(key, requestHash, claim.record.claimId, value);
    return done.outcome === 'claim_lost' ? value : (done.record.result as TurnRecord);
  }
}
