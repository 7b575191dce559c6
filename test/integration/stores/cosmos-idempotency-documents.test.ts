import { describe, expect, it } from 'vitest';
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
    await store.claim('trip-1:step-1', 'h', { ttlSeconds: 3600 });
    expect(await readRaw('trip-1:step-1')).toMatchObject({
      id: 'trip-1:step-1',
      key: 'trip-1:step-1',
      ttl: 3600,
    });

    // Cosmos counts ttl from the last write, so completing 100 s later must shorten it to what is left.
    time.advanceSeconds(100);
    await store.complete('trip-1:step-1', 'h', { ok: true });
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
});
