import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores, loadStoreSettings, type Stores } from '../../../src/stores';
import { LOCAL_COSMOS_KEY } from './support/cosmos-server';
import { useLocalCosmos, useTempDir } from './support/fixtures';

const cosmos = useLocalCosmos();
const temp = useTempDir();

/** One write through each store proves the pair is wired to a working backend. */
async function exercise(stores: Stores): Promise<void> {
  const claim = await stores.idempotency.claim('trip-1:step-1', 'h');
  expect(claim.outcome).toBe('claimed');
  const { created } = await stores.bookings.createOnce({
    bookingId: randomUUID(),
    kind: 'hotel',
    status: 'confirmed',
    idempotencyKey: 'trip-1:step-1',
    requestHash: 'h',
    details: { hotelId: 'h-1' },
    total: { amount: 100, currency: 'EUR' },
    createdAt: new Date().toISOString(),
  });
  expect(created).toBe(true);
}

describe('createStores', () => {
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });

  it('opens both stores on one SQLite file, creating its directory', async () => {
    const path = join(temp.file('nested-dir'), 'waypoint.sqlite');
    stores = await createStores(loadStoreSettings({ STORE_SQLITE_PATH: path }));

    expect(stores.backend).toBe('sqlite');
    await exercise(stores);
    expect(existsSync(path)).toBe(true);
  });

  it('keeps data in the SQLite file across close and reopen', async () => {
    const path = temp.file();
    stores = await createStores(loadStoreSettings({ STORE_SQLITE_PATH: path }));
    await exercise(stores);
    await stores.close();

    stores = await createStores(loadStoreSettings({ STORE_SQLITE_PATH: path }));
    expect(await stores.bookings.count()).toBe(1);
    expect((await stores.idempotency.get('trip-1:step-1'))?.status).toBe('pending');
  });

  it('creates the Cosmos database and containers from the endpoint and key settings', async () => {
    const databaseId = cosmos().uniqueDatabaseId();
    stores = await createStores(
      loadStoreSettings({
        COSMOS_ENDPOINT: cosmos().endpoint,
        COSMOS_KEY: LOCAL_COSMOS_KEY,
        COSMOS_DATABASE: databaseId,
      }),
    );

    expect(stores.backend).toBe('cosmos');
    await exercise(stores);
    const { resources } = await cosmos().client.database(databaseId).containers.readAll().fetchAll();
    expect(resources.map((c) => c.id).sort()).toEqual(['bookings', 'idempotency']);
    expect(resources.every((c) => c.defaultTtl === -1 && c.partitionKey?.paths[0] === '/id')).toBe(true);
  });

  it('uses a CosmosClient supplied by the host instead of a key', async () => {
    const settings = loadStoreSettings({
      COSMOS_ENDPOINT: cosmos().endpoint,
      COSMOS_DATABASE: cosmos().uniqueDatabaseId(),
    });
    stores = await createStores(settings, { cosmosClient: cosmos().client });

    await exercise(stores);
    await stores.close();
    stores = undefined;
    // The host's client stays usable after the stores close.
    expect((await cosmos().client.databases.readAll().fetchAll()).resources.length).toBeGreaterThan(0);
  });

  it('authenticates with Microsoft Entra ID when COSMOS_KEY is unset', async () => {
    const credential = {
      getToken: async () => ({ token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const settings = loadStoreSettings({ COSMOS_ENDPOINT: cosmos().endpoint });
    // The local server speaks plain HTTP, where the Azure SDK refuses to send a bearer token: that
    // refusal shows the client chose Entra ID (in Azure: the app's managed identity over HTTPS).
    await expect(createStores(settings, { credential })).rejects.toThrow(/Bearer token authentication/);
  });
});
