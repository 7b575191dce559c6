import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** Any base64 string: the local server checks the signature's shape, not the key. */
export const LOCAL_COSMOS_KEY = Buffer.from('waypoint-local-cosmos-key').toString('base64');

export interface LocalCosmos {
  endpoint: string;
  /** A client configured the way the local server needs (plain http, no endpoint discovery). */
  client: CosmosClient;
  /** A database name no other test uses, so tests never see each other's documents. */
  uniqueDatabaseId(): string;
  close(): Promise<void>;
}

/** Starts the Cosmos-compatible server in this process on a free loopback port. */
export async function startLocalCosmos(): Promise<LocalCosmos> {
  const server = createHttpServer({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CosmosClient({
    endpoint,
    key: LOCAL_COSMOS_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    endpoint,
    client,
    uniqueDatabaseId: () => `test-${randomUUID()}`,
    close: async () => {
      client.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
