import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { callTool, connectClient, dataOf, textOf } from './mcp-test-client';

describe('restaurants server over Streamable HTTP', () => {
  let server: RunningMcpHttpServer;
  let client: Client;

  beforeAll(async () => {
    server = await startMcpHttpServer({ server: 'restaurants' });
    client = await connectClient(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('lists search_restaurants with its schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_restaurants']);
    expect(tools[0].inputSchema.properties).toHaveProperty(
      'dietary.items.enum',
      expect.arrayContaining(['vegan', 'halal']),
    );
  });

  it('finds restaurants, best rated first, and filters by cuisine, price level and diet', async () => {
    const all = dataOf(await callTool(client, 'search_restaurants', { city: 'Rome' }));
    expect(all.city).toEqual({ name: 'Rome', kind: 'city', country: 'IT', countryName: 'Italy' });
    const ratings = all.restaurants.map((restaurant: any) => restaurant.rating);
    expect(ratings).toEqual([...ratings].sort((a, b) => b - a));
    expect(
      all.restaurants.some(
        (restaurant: any) => restaurant.cuisine === 'local' && restaurant.cuisineLabel === 'Italian',
      ),
    ).toBe(true);

    const filtered = dataOf(
      await callTool(client, 'search_restaurants', { city: 'Rome', priceLevel: 2, dietary: ['vegetarian'] }),
    );
    expect(filtered.restaurants.length).toBeGreaterThan(0);
    for (const restaurant of filtered.restaurants) {
      expect(restaurant.priceLevel).toBeLessThanOrEqual(2);
      expect(restaurant.dietary).toContain('vegetarian');
    }
  });

  it('rejects bad arguments with field paths and unknown cities as tool errors', async () => {
    const bad = await callTool(client, 'search_restaurants', {
      city: 'Rome',
      priceLevel: 5,
      dietary: ['carnivore'],
    });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/at priceLevel/);
    expect(textOf(bad)).toMatch(/at dietary\[0\]/);
    const nowhere = await callTool(client, 'search_restaurants', { city: 'Narnia' });
    expect(nowhere.isError).toBe(true);
    expect(textOf(nowhere)).toMatch(/city: no airport or city matches "Narnia"/);
  });
});
