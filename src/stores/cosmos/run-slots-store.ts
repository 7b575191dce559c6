import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, CosmosClient } from '@azure/cosmos';
import { TransientError } from '../../domain/errors';
import { systemClock, type Clock } from '../clock';
import type { RunSlot, RunSlotStore, SlotAdmission } from '../types';
import { ensureContainer } from './containers';
import { isConflict, isNotFound, isPreconditionFailed, withCosmosErrors } from './errors';

interface SlotsDocument {
  id: string;
  owner: string;
  /** Run id → when its slot was taken. */
  slots: Record<string, string>;
  /** Seconds after the last write at which Cosmos drops the document (an owner idle that long). */
  ttl: number;
  _etag?: string;
}

/**
 * Optimistic-concurrency rounds before answering "busy". Of the writers racing on one owner's
 * document each round one wins, and once the slots are full the rest need no write at all: a
 * burst of N concurrent starts settles within limit + 1 rounds.
 */
const MAX_ROUNDS = 64;
/** An owner's document outlives any run (a week at most) by far. */
const TTL_SECONDS = 30 * 24 * 3600;

/**
 * Run slots in Cosmos DB (Azure): one document per owner in the idempotency container, its slots
 * a map of run id → time taken. Every change is an etag-conditional replace of what was read (or
 * a create, 409 when another writer was first), so the check against the limit and the write are
 * one atomic step. The id (`run-slots~<sha256 of the owner>`) holds `~`, which no idempotency
 * record id holds (see document-ids.ts), so the two kinds of document can never collide.
 */
export class CosmosRunSlotStore implements RunSlotStore {
  constructor(
    private readonly container: Container,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates the database and container when missing and returns a store on them. */
  static async create(
    client: CosmosClient,
    location: { databaseId: string; containerId: string },
    options: { clock?: Clock } = {},
  ): Promise<CosmosRunSlotStore> {
    const container = await ensureContainer(client, location.databaseId, location.containerId);
    return new CosmosRunSlotStore(container, options.clock);
  }

  async acquire(owner: string, runId: string, limit: number): Promise<SlotAdmission> {
    return this.update<SlotAdmission>('acquire', owner, (slots) => {
      if (Object.hasOwn(slots, runId)) return { result: { admitted: true } };
      if (Object.keys(slots).length >= limit) return { result: { admitted: false, held: sorted(slots) } };
      return { result: { admitted: true }, next: { ...slots, [runId]: this.clock().toISOString() } };
    });
  }

  async release(owner: string, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.update('release', owner, (slots) => {
      const next = { ...slots };
      for (const runId of runIds) delete next[runId];
      return {
        result: undefined,
        next: Object.keys(next).length === Object.keys(slots).length ? undefined : next,
      };
    });
  }

  async held(owner: string): Promise<RunSlot[]> {
    return withCosmosErrors('held', async () => sorted((await this.read(documentId(owner)))?.slots ?? {}));
  }

  /**
   * Reads the owner's slots, lets `decide` compute the result and the slots to write (none: no
   * write), and writes them only if nobody wrote since the read; otherwise reads again.
   */
  private async update<T>(
    operation: string,
    owner: string,
    decide: (slots: Record<string, string>) => { result: T; next?: Record<string, string> },
  ): Promise<T> {
    const id = documentId(owner);
    return withCosmosErrors(operation, async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const current = await this.read(id);
        const { result, next } = decide(current?.slots ?? {});
        if (next === undefined || (await this.write(id, owner, current, next))) return result;
        // Lost the race: another writer changed the slots. Back off a little, with jitter.
        await sleep(Math.random() * Math.min(50, 2 + round * 2));
      }
      throw new TransientError(`The run slots of one caller are too busy to ${operation}; retry shortly.`);
    });
  }

  private async read(id: string): Promise<SlotsDocument | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<SlotsDocument>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** True when written; false when another writer got there first (the caller reads again). */
  private async write(
    id: string,
    owner: string,
    current: SlotsDocument | undefined,
    slots: Record<string, string>,
  ): Promise<boolean> {
    const document: SlotsDocument = { id, owner, slots, ttl: TTL_SECONDS };
    try {
      if (current === undefined) await this.container.items.create(document);
      else {
        await this.container.item(id, id).replace(document, {
          accessCondition: { type: 'IfMatch', condition: current._etag! },
        });
      }
      return true;
    } catch (error) {
      if (isConflict(error) || isPreconditionFailed(error) || isNotFound(error)) return false;
      throw error;
    }
  }
}

function documentId(owner: string): string {
  return `run-slots~${createHash('sha256').update(owner, 'utf8').digest('hex')}`;
}

function sorted(slots: Record<string, string>): RunSlot[] {
  return Object.entries(slots)
    .map(([runId, acquiredAt]) => ({ runId, acquiredAt }))
    .sort((a, b) => a.acquiredAt.localeCompare(b.acquiredAt) || a.runId.localeCompare(b.runId));
}
