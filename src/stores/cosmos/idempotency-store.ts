import { randomUUID } from 'node:crypto';
import type { Container, CosmosClient } from '@azure/cosmos';
import { IdempotencyConflictError, TransientError } from '../../domain/errors';
import { systemClock, type Clock } from '../clock';
import {
  assertValidTtl,
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  expiresAtFrom,
  isExpired,
  remainingTtlSeconds,
} from '../expiry';
import type { ClaimOutcome, CompleteOutcome, IdempotencyRecord, IdempotencyStore } from '../types';
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
 * etag-conditional write made after checking the caller's claim id on the version it read, so a
 * caller acts only on its own claim and concurrent callers never overwrite each other.
 */
export class CosmosIdempotencyStore implements IdempotencyStore {
  readonly defaultTtlSeconds: number;
  private readonly container: Container;
  private readonly clock: Clock;

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
    const ttlSeconds = this.ttl(options);
    const id = documentIdFor('', key);
    return withCosmosErrors('claim', () => this.claimDocument(id, key, requestHash, ttlSeconds));
  }

  async takeOver(
    key: string,
    requestHash: string,
    observedClaimId: string,
    options: { ttlSeconds?: number } = {},
  ): Promise<ClaimOutcome> {
    const ttlSeconds = this.ttl(options);
    const id = documentIdFor('', key);
    return withCosmosErrors('takeOver', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const now = this.clock();
        const existing = await this.liveDocument(id, key, now);
        if (
          !existing ||
          existing.status !== 'pending' ||
          claimIdOf(existing) !== observedClaimId ||
          existing.requestHash !== requestHash
        ) {
          // The observed claim is gone: a plain claim reports who holds the key now, or claims it if free.
          return this.claimDocument(id, key, requestHash, ttlSeconds);
        }
        // The etag pins the replace to the version that carried the observed claim: of several
        // callers taking it over, one replace succeeds and the others get 412.
        const next: IdempotencyDocument = {
          ...toDocument(id, existing),
          claimId: randomUUID(),
          updatedAt: now.toISOString(),
          expiresAt: expiresAtFrom(now, ttlSeconds),
          ttl: ttlSeconds,
        };
        const takenOver = await this.replaceIfUnchanged(existing, next);
        if (takenOver) return { outcome: 'claimed', record: toRecord(takenOver) };
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the takeover.`);
    });
  }

  async complete(
    key: string,
    requestHash: string,
    claimId: string,
    result: unknown,
  ): Promise<CompleteOutcome> {
    const id = documentIdFor('', key);
    return withCosmosErrors('complete', async (): Promise<CompleteOutcome> => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const now = this.clock();
        const existing = await this.liveDocument(id, key, now);
        if (!existing) return { outcome: 'claim_lost', record: undefined };
        if (existing.requestHash !== requestHash) throw new IdempotencyConflictError(key);
        // The first completion wins: a late duplicate must not overwrite the result callers already saw.
        if (existing.status === 'done') return { outcome: 'already_done', record: toRecord(existing) };
        if (claimIdOf(existing) !== claimId) return { outcome: 'claim_lost', record: toRecord(existing) };
        const done: IdempotencyDocument = {
          ...toDocument(id, existing),
          status: 'done',
          ...(result === undefined ? {} : { result }),
          updatedAt: now.toISOString(),
          ttl: remainingTtlSeconds(existing.expiresAt, now),
        };
        // Conditional on the version read above, which carried the caller's claim.
        const written = await this.replaceIfUnchanged(existing, done);
        if (written) return { outcome: 'completed', record: toRecord(written) };
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the completion.`);
    });
  }

  async release(key: string, requestHash: string, claimId: string): Promise<boolean> {
    const id = documentIdFor('', key);
    return withCosmosErrors('release', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const existing = await this.liveDocument(id, key, this.clock());
        if (!existing || claimIdOf(existing) !== claimId) return false;
        if (existing.requestHash !== requestHash) throw new IdempotencyConflictError(key);
        // A finished call is never forgotten early: only a pending claim can be released.
        if (existing.status === 'done') return false;
        try {
          await this.container
            .item(id, id)
            .delete({ accessCondition: { type: 'IfMatch', condition: existing._etag! } });
          return true;
        } catch (error) {
          if (isNotFound(error)) return false;
          if (!isPreconditionFailed(error)) throw error;
        }
      }
      throw new TransientError(`Idempotency key "${key}" is under heavy contention; retry the release.`);
    });
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const id = documentIdFor('', key);
    const document = await withCosmosErrors('get', () => this.liveDocument(id, key, this.clock()));
    return document && toRecord(document);
  }

  private ttl(options: { ttlSeconds?: number }): number {
    const ttlSeconds = options.ttlSeconds ?? this.defaultTtlSeconds;
    assertValidTtl(ttlSeconds);
    return ttlSeconds;
  }

  /** `items.create` is the atomic claim; a 409 means someone holds the key (or held it, if expired). */
  private async claimDocument(
    id: string,
    key: string,
    requestHash: string,
    ttlSeconds: number,
  ): Promise<ClaimOutcome> {
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
      assertSameKey(existing, key);
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
  }

  private async read(id: string): Promise<IdempotencyDocument | undefined> {
    const { resource } = await this.container.item(id, id).read<IdempotencyDocument>();
    return resource;
  }

  private async liveDocument(id: string, key: string, now: Date): Promise<IdempotencyDocument | undefined> {
    const document = await this.read(id);
    if (!document || isExpired(document, now)) return undefined;
    assertSameKey(document, key);
    return document;
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

/**
 * A hashed document id (see documentIdFor) is shared by two keys only if SHA-256 collides; should
 * it ever happen, the second key must fail loudly rather than read or overwrite the first's record.
 */
function assertSameKey(document: IdempotencyDocument, key: string): void {
  if (document.key !== key) {
    throw new IdempotencyConflictError(
      key,
      `Idempotency key "${key}" maps to the same document as key "${document.key}".`,
    );
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
    claimId: randomUUID(),
    createdAt: nowIso,
    updatedAt: nowIso,
    expiresAt: expiresAtFrom(now, ttlSeconds),
    ttl: ttlSeconds,
  };
}

/** Documents written before claims had owner tokens carry none: the empty token stands for it. */
function claimIdOf(document: IdempotencyRecord): string {
  return (document.claimId as string | undefined) ?? '';
}

function toDocument(id: string, document: IdempotencyDocument): IdempotencyDocument {
  return { ...toRecord(document), id, ttl: document.ttl };
}

function toRecord(document: IdempotencyRecord): IdempotencyRecord {
  return {
    key: document.key,
    requestHash: document.requestHash,
    status: document.status,
    claimId: claimIdOf(document),
    ...(document.result === undefined ? {} : { result: document.result }),
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    expiresAt: document.expiresAt,
  };
}
