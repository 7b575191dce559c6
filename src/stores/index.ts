import { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { createLogger } from '../telemetry/logger';
import type { Clock } from './clock';
import { CosmosBookingsStore } from './cosmos/bookings-store';
import { CosmosIdempotencyStore } from './cosmos/idempotency-store';
import { CosmosRunSlotStore } from './cosmos/run-slots-store';
import type { StoreSettings } from './settings';
import { SqliteBookingsStore } from './sqlite/bookings-store';
import { openSqliteDatabase } from './sqlite/database';
import { SqliteIdempotencyStore } from './sqlite/idempotency-store';
import { SqliteRunSlotStore } from './sqlite/run-slots-store';
import type { BookingsStore, IdempotencyStore, RunSlotStore } from './types';

export type { StoreSettings } from './settings';
export { loadStoreSettings } from './settings';
export type * from './types';
export { SqliteIdempotencyStore } from './sqlite/idempotency-store';
export { SqliteBookingsStore } from './sqlite/bookings-store';
export { CosmosIdempotencyStore } from './cosmos/idempotency-store';
export { CosmosBookingsStore } from './cosmos/bookings-store';
export { SqliteRunSlotStore } from './sqlite/run-slots-store';
export { CosmosRunSlotStore } from './cosmos/run-slots-store';

export interface Stores {
  backend: StoreSettings['backend'];
  idempotency: IdempotencyStore;
  bookings: BookingsStore;
  /** The per-caller slots for unfinished trip runs (in the idempotency database/container). */
  runSlots: RunSlotStore;
  /** Closes both stores and whatever connection `createStores` opened for them. */
  close(): Promise<void>;
}

export interface CreateStoresOptions {
  /**
   * A ready Cosmos client, e.g. one built with `DefaultAzureCredential` for Entra ID in Azure.
   * When given, COSMOS_KEY is not needed and `close()` leaves the client open.
   */
  cosmosClient?: CosmosClient;
  /** The Entra ID credential used when COSMOS_KEY is unset (default: DefaultAzureCredential). */
  credential?: TokenCredential;
  clock?: Clock;
}

const log = createLogger('stores');

/** Builds the idempotency and bookings stores for the configured backend. */
export async function createStores(
  settings: StoreSettings,
  options: CreateStoresOptions = {},
): Promise<Stores> {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  if (settings.backend === 'sqlite') {
    // One connection for both stores: a single file, a single WAL, one thing to close.
    const db = openSqliteDatabase(settings.sqlitePath);
    const idempotency = new SqliteIdempotencyStore(db, {
      defaultTtlSeconds: settings.idempotencyTtlSeconds,
      ...clock,
    });
    const bookings = new SqliteBookingsStore(db);
    const runSlots = new SqliteRunSlotStore(db, options.clock === undefined ? {} : { clock: options.clock });
    log.info('using embedded SQLite stores', { path: settings.sqlitePath });
    return {
      backend: 'sqlite',
      idempotency,
      bookings,
      runSlots,
      close: async () => {
        if (db.open) db.close();
      },
    };
  }

  const { cosmos } = settings;
  const client = options.cosmosClient ?? createCosmosClient(cosmos.endpoint, cosmos.key, options.credential);
  const location = (containerId: string) => ({ databaseId: cosmos.databaseId, containerId });
  try {
    const idempotency = await CosmosIdempotencyStore.create(client, location(cosmos.idempotencyContainerId), {
      defaultTtlSeconds: settings.idempotencyTtlSeconds,
      ...clock,
    });
    const bookings = await CosmosBookingsStore.create(client, location(cosmos.bookingsContainerId));
    const runSlots = await CosmosRunSlotStore.create(client, location(cosmos.idempotencyContainerId), clock);
    log.info('using Cosmos DB stores', { endpoint: cosmos.endpoint, database: cosmos.databaseId });
    return {
      backend: 'cosmos',
      idempotency,
      bookings,
      runSlots,
      close: async () => {
        if (!options.cosmosClient) client.dispose();
      },
    };
  } catch (error) {
    if (!options.cosmosClient) client.dispose();
    throw error;
  }
}

/**
 * A key when COSMOS_KEY is set (local Cosmos-compatible servers, key-auth accounts); otherwise
 * Microsoft Entra ID through DefaultAzureCredential — in Azure, the app's managed identity
 * (AZURE_CLIENT_ID picks a user-assigned one), so accounts can run with local auth disabled.
 */
function createCosmosClient(
  endpoint: string,
  key: string | undefined,
  credential: TokenCredential | undefined,
): CosmosClient {
  // Endpoint discovery would switch a plain-http endpoint (a local Cosmos-compatible server) to https.
  const isLocal = new URL(endpoint).protocol === 'http:';
  const connection = isLocal ? { connectionPolicy: { enableEndpointDiscovery: false } } : {};
  if (key) return new CosmosClient({ endpoint, key, ...connection });
  return new CosmosClient({
    endpoint,
    aadCredentials: credential ?? new DefaultAzureCredential(),
    ...connection,
  });
}
