import type { Container, CosmosClient } from '@azure/cosmos';
import { withCosmosErrors } from './errors';

/**
 * Returns the container, creating the database and container if they are missing. Both stores use
 * `/id` as partition key: ids are unique only within a partition, so this makes them globally unique.
 * `defaultTtl: -1` switches TTL on without expiring anything by default; records set their own `ttl`.
 */
export async function ensureContainer(
  client: CosmosClient,
  databaseId: string,
  containerId: string,
): Promise<Container> {
  return withCosmosErrors(`creating container ${databaseId}/${containerId}`, async () => {
    const { database } = await client.databases.createIfNotExists({ id: databaseId });
    const { container } = await database.containers.createIfNotExists({
      id: containerId,
      partitionKey: { paths: ['/id'] },
      defaultTtl: -1,
    });
    return container;
  });
}
