import { describe, expect, it } from 'vitest';
import { IdempotencyConflictError } from '../../../src/domain/errors';
import { documentIdFor } from '../../../src/stores/cosmos/document-ids';
import { CosmosIdempotencyStore } from '../../../src/stores/cosmos/idempotency-store';
import { useLocalCosmos } from './support/fixtures';
import { ManualClock } from './support/manual-clock';

const cosmos = useLocalCosmos();

/** What the contract suite cannot see: the documents Cosmos DB stores and expires. */
describe('CosmosIdempotencyStore documents', () => {
  async function open() {
    const time = new ManualClock();
    const databaseId = cosmos().uniqueDatabaseId();
    const store = await CosmosIdempotencyStore.create(
      cosmos().client,
      { databaseId, containerId: 'idempotency' },
      { clock: time.clock },
    );
    const container = cosmos().client.database(databaseId).container('idempotency');
    const readRaw = async (id: string) =>
      (await container.item(id, id).read<Record<string, unknown>>()).resource;
    return { store, time, container, readRaw };
  }

  it('creates the container partitioned by /id with TTL enabled and nothing expiring by default', async () => {
    const { container } = await open();
    const { resource } = await container.read();
    expect(resource?.partitionKey?.paths).toEqual(['/id']);
    expect(resource?.defaultTtl).toBe(-1);
  });

  it('gives each record a ttl that tracks expiresAt across writes', async () => {
    const { store, time, readRaw } = await open();
    const { record } = await store.claim('trip-1:step-1', 'h', { ttlSeconds: 3600 });
    expect(await readRaw('trip-1:step-1')).toMatchObject({
      id: 'trip-1:step-1',
      key: 'trip-1:step-1',
      claimId: record.claimId,
      ttl: 3600,
    });

    // Cosmos counts ttl from the last write, so completing 100 s later must shorten it to what is left.
    time.advanceSeconds(100);
    await store.complete('trip-1:step-1', 'h', record.claimId, { ok: true });
    expect(await readRaw('trip-1:step-1')).toMatchObject({
      status: 'done',
      ttl: 3500,
      expiresAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('stores keys that are not valid ids under a hashed id, keeping the key readable', async () => {
    const { store, container } = await open();
    await store.claim('client/key?with#odd\\chars', 'h');

    const { resources } = await container.items
      .query<{ id: string; key: string }>('SELECT c.id, c.key FROM c')
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0].key).toBe('client/key?with#odd\\chars');
    expect(resources[0].id).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it('takes over an expired document the server has not deleted yet', async () => {
    const { store, time, readRaw } = await open();
    await store.claim('k', 'old', { ttlSeconds: 10 });
    time.advanceSeconds(11);

    const outcome = await store.claim('k', 'new', { ttlSeconds: 60 });

    expect(outcome.outcome).toBe('claimed');
    expect(await readRaw('k')).toMatchObject({ requestHash: 'new', status: 'pending', ttl: 60 });
  });

  it('takes over a pending document written before claims had owner tokens', async () => {
    const { store, time, container } = await open();
    // What an older release wrote: no claimId.
    await container.items.create({
      id: 'k',
      key: 'k',
      requestHash: 'h',
      status: 'pending',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2026-03-08T09:00:00.000Z',
      ttl: 604_800,
    });
    time.advanceSeconds(60);

    const seen = await store.claim('k', 'h');
    expect(seen).toMatchObject({ outcome: 'existing', record: { claimId: '' } });
    const takeover = await store.takeOver('k', 'h', seen.record.claimId);

    expect(takeover.outcome).toBe('claimed');
    expect(takeover.record.claimId).not.toBe('');
  });

  it('refuses a key whose hashed document id belongs to another key instead of answering for it', async () => {
    const { store, container } = await open();
    const key = 'client/key?with#odd\\chars';
    // A SHA-256 collision cannot be produced, so plant the document another key would have made.
    const id = documentIdFor('', key);
    await container.items.create({
      id,
      key: 'some/other?key',
      requestHash: 'h',
      status: 'done',
      claimId: 'c',
      result: 'not yours',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2026-03-08T09:00:00.000Z',
      ttl: 604_800,
    });

    await expect(store.claim(key, 'h')).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(store.get(key)).rejects.toBeInstanceOf(IdempotencyConflictError);
  });
});
