import type { Container, CosmosClient } from '@azure/cosmos';
import { IdempotencyConflictError, NotFoundError, TransientError } from '../../domain/errors';
import { systemClock, type Clock } from '../clock';
import {
  assertValidTtl,
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  expiresAtFrom,
  isExpired,
  remainingTtlSeconds,
} from '../expiry';
import type { ClaimOutcome, IdempotencyRecord, IdempotencyStore } from '../types';
import { ensureContainer } from './containers';
import { documentIdFor } from './document-ids';
import { isConflict, isNotFound, isPreconditionFailed, withCosmosErrors } from './errors';

export interface CosmosIdempotencyStoreOptions {
  /** TTL of a claim when `claim` is not given one. */
  defaultTtlSeconds?: number;
  clock?: Clock;
}

interface IdempotencyDocument extends IdempotencyRecord {
  id: string;
  /** Seconds after the last write at which Cosmos deletes the document (tracks `expiresAt`). */
  ttl: number;
  _etag?: string;
}

/** Optimistic-concurrency rounds before giving up; each round loses only to another writer's success. */
const MAX_ROUNDS = 8;

/**
 * Call-level idempotency records in Cosmos DB (Azure). One document per key, id derived from the
 * key: `items.create` is the atomic claim (409 = already claimed) and every later change is an
 * etag-conditional write, so concurrent callers never overwrite each other.
 */
export class CosmosIdempotencyStore implements IdempotencyStore {
  private readonly container: Container;
  private readonly clock: Clock;
  private readonly defaultTtlSeconds: number;

  constructor(container: Container, options: CosmosIdempotencyStoreOptions = {}) {
    this.container = container;
    this.clock = options.clock ?? systemClock;
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    assertValidTtl(this.defaultTtlSeconds);
  }

  /** Creates the database and container when missing and returns a store on them. */
  static async create(
    client: CosmosClient,
    location: { databaseId: string; containerId: string },
    options: CosmosIdempotencyStoreOptions = {},
  ): Promise<CosmosIdempotencyStore> {
    const container = await ensureContainer(client, location.databaseId, location.containerId);
    return new CosmosIdempotencyStore(container, options);
  }

  async claim(
    key: string,
    requestHash: string,
    options: { ttlSeconds?: number } = {},
  ): Promise<ClaimOutcome> {
    const ttlSeconds = options.ttlSeconds ?? this.defaultTtlSeconds;
    assertValidTtl(ttlSeconds);
    const id = documentIdFor('', key);
    return withCosmosErrors('claim', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const now = this.clock();
        const fresh = pendingDocument(id, key, requestHash, now, ttlSeconds);
        try {
          const { resource } = await this.container.items.create<IdempotencyDocument>(fresh);
          return { outcome: 'claimed', record: toRecord(resource ?? fresh) };
        } catch (error) {
          if (!isConflict(error)) throw error;
        }

        const existing = await this.read(id);
        if (!existing) continue; // released between our create and read: try to create again
        if (isExpired(existing, now)) {
          // Cosmos may not have deleted it yet (and the local server never does): take it over.
          const takenOver = await this.replaceIfUnchanged(existing, fresh);
          if (takenOver) return { outcome: 'claimed', record: toRecord(takenOver) };
          continue;
        }
        if (existing.requestHash !== requestHash) throw new IdempotencyConflictError(key);
        return { outcome: 'existing', record: toRecord(existing) };
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the claim.`);
    });
  }

  async complete(key: string, requestHash: string, result: unknown): Promise<IdempotencyRecord> {
    const id = documentIdFor('', key);
    return withCosmosErrors('complete', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const now = this.clock();
        const existing = await this.liveDocument(id, now);
        if (!existing) throw new NotFoundError(`Idempotency record "${key}"`);
        if (existing.requestHash !== requestHash) throw new IdempotencyConflictError(key);
        // The first completion wins: a late duplicate must not overwrite the result callers already saw.
        if (existing.status === 'done') return toRecord(existing);
        const done: IdempotencyDocument = {
          ...toRecord(existing),
          id,
          status: 'done',
          ...(result === undefined ? {} : { result }),
          updatedAt: now.toISOString(),
          ttl: remainingTtlSeconds(existing.expiresAt, now),
        };
        const written = await this.replaceIfUnchanged(existing, done);
        if (written) return toRecord(written);
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the completion.`);
    });
  }

  async release(key: string, requestHash: string): Promise<void> {
    const id = documentIdFor('', key);
    await withCosmosErrors('release', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const existing = await this.liveDocument(id, this.clock());
        if (!existing) return;
        if (existing.requestHash !== requestHash) throw new IdempotencyConflictError(key);
        // A finished call is never forgotten early: only a pending claim can be released.
        if (existing.status === 'done') return;
        try {
          await this.container
            .item(id, id)
            .delete({ accessCondition: { type: 'IfMatch', condition: existing._etag! } });
          return;
        } catch (error) {
          if (isNotFound(error)) return;
          if (!isPreconditionFailed(error)) throw error;
        }
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the release.`);
    });
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const id = documentIdFor('', key);
    const document = await withCosmosErrors('get', () => this.liveDocument(id, this.clock()));
    return document && toRecord(document);
  }

  private async read(id: string): Promise<IdempotencyDocument | undefined> {
    const { resource } = await this.container.item(id, id).read<IdempotencyDocument>();
    return resource;
  }

  private async liveDocument(id: string, now: Date): Promise<IdempotencyDocument | undefined> {
    const document = await this.read(id);
    return document && !isExpired(document, now) ? document : undefined;
  }

  /** Replaces `current` only if nobody wrote it since it was read; undefined when someone did. */
  private async replaceIfUnchanged(
    current: IdempotencyDocument,
    next: IdempotencyDocument,
  ): Promise<IdempotencyDocument | undefined> {
    try {
      const { resource } = await this.container
        .item(current.id, current.id)
        .replace<IdempotencyDocument>(next, {
          accessCondition: { type: 'IfMatch', condition: current._etag! },
        });
      return resource ?? next;
    } catch (error) {
      if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function pendingDocument(
  id: string,
  key: string,
  requestHash: string,
  now: Date,
  ttlSeconds: number,
): IdempotencyDocument {
  const nowIso = now.toISOString();
  return {
    id,
    key,
    requestHash,
    status: 'pending',
    createdAt: nowIso,
    updatedAt: nowIso,
    expiresAt: expiresAtFrom(now, ttlSeconds),
    ttl: ttlSeconds,
  };
}

function toRecord(document: IdempotencyRecord): IdempotencyRecord {
  return {
    key: document.key,
    requestHash: document.requestHash,
    status: document.status,
    ...(document.result === undefined ? {} : { result: document.result }),
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    expiresAt: document.expiresAt,
  };
}
