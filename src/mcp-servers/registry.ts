import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WaypointError } from '../domain/errors';
import type { BookingsStore } from '../stores/types';
import { createBookingsServer } from './bookings/server';
import { createFlightsServer } from './flights/server';
import { createHotelsServer } from './hotels/server';
import { createRestaurantsServer } from './restaurants/server';
import type { Clock } from './shared/clock';
import { createWeatherServer } from './weather/server';

/** The tool servers, by the name used in URLs (`/mcp/{name}`), settings and the CLI. */
export const MCP_SERVER_NAMES = ['flights', 'hotels', 'weather', 'restaurants', 'bookings'] as const;
export type McpServerName = (typeof MCP_SERVER_NAMES)[number];

export function isMcpServerName(value: string): value is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(value);
}

export interface McpServerDependencies {
  /** Required by `bookings` only. */
  bookingsStore?: BookingsStore | undefined;
  clock?: Clock | undefined;
}

/** Builds a fresh server (stateless HTTP builds one per request). */
export function createMcpServer(name: McpServerName, deps: McpServerDependencies = {}): McpServer {
  const clockOption = deps.clock === undefined ? {} : { clock: deps.clock };
  switch (name) {
    case 'flights':
      return createFlightsServer(clockOption);
    case 'hotels':
      return createHotelsServer(clockOption);
    case 'weather':
      return createWeatherServer();
    case 'restaurants':
      return createRestaurantsServer();
    case 'bookings':
      if (!deps.bookingsStore) {
        throw new WaypointError('invalid_config', 'The bookings server needs a bookings store.');
      }
      return createBookingsServer({ store: deps.bookingsStore, ...clockOption });
  }
}

/** Tools that write state, per server (the targets of drop-after-commit): see write-tools.ts. */
export { writeToolsOf } from './write-tools';
