import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createLogger } from '../../telemetry/logger';
import { UnknownPlaceError } from '../shared/errors';
import { cityQuerySchema, resolveCity } from '../shared/places';
import { PLACES_DATA_NOTE, READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { CUISINES, DIETARY_OPTIONS, restaurantsIn } from './restaurant-catalog';

const logger = createLogger('mcp:restaurants');

export const searchRestaurantsInput = {
  city: cityQuerySchema,
  cuisine: z.enum(CUISINES).optional().describe('"local" means the city\'s own kitchen.'),
  priceLevel: z
    .number()
    .int()
    .min(1)
    .max(4)
    .optional()
    .describe('Highest acceptable price level: 1 cheap … 4 fine dining.'),
  dietary: z
    .array(z.enum(DIETARY_OPTIONS))
    .max(DIETARY_OPTIONS.length)
    .optional()
    .describe('Restaurants must cater for every need listed.'),
};

/** The restaurants tool server: search over generated, deterministic restaurants per city. */
export function createRestaurantsServer(): McpServer {
  const server = new McpServer(serverInfo('restaurants'), { instructions: PLACES_DATA_NOTE });

  server.registerTool(
    'search_restaurants',
    {
      title: 'Search restaurants',
      description: 'Finds restaurants in a city by cuisine, price level and dietary needs, best rated first.',
      inputSchema: searchRestaurantsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'search_restaurants', () => {
        const city = resolveCity(args.city);
        if (!city) throw new UnknownPlaceError(args.city, 'city');
        const needs = args.dietary ?? [];
        const restaurants = restaurantsIn(city)
          .filter((restaurant) => args.cuisine === undefined || restaurant.cuisine === args.cuisine)
          .filter((restaurant) => args.priceLevel === undefined || restaurant.priceLevel <= args.priceLevel)
          .filter((restaurant) => needs.every((need) => restaurant.dietary.includes(need)))
          .sort((a, b) => b.rating - a.rating || a.restaurantId.localeCompare(b.restaurantId));
        return {
          city: { name: city.name, kind: city.kind, country: city.country, countryName: city.countryName },
          restaurants,
        };
      }),
  );

  return server;
}
