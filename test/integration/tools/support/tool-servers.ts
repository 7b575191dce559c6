import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../../src/mcp-servers/http/node-http-server';
import type { FaultOptions } from '../../../../src/mcp-servers/http/faults';
import type { BookingsStore } from '../../../../src/stores/types';

export interface ToolServers {
  flights: RunningMcpHttpServer;
  bookings: RunningMcpHttpServer;
  close(): Promise<void>;
}

/** The real flights and bookings servers on loopback, the bookings server writing to `bookingsStore`. */
export async function startToolServers(options: {
  bookingsStore: BookingsStore;
  bookingsFaults?: FaultOptions;
  key?: string;
}): Promise<ToolServers> {
  const flights = await startMcpHttpServer({ server: 'flights', key: options.key });
  const bookings = await startMcpHttpServer({
    server: 'bookings',
    bookingsStore: options.bookingsStore,
    key: options.key,
    faults: options.bookingsFaults,
  });
  return {
    flights,
    bookings,
    close: async () => {
      await Promise.all([flights.close(), bookings.close()]);
    },
  };
}

/** A departure date a month ahead, so the servers' "not in the past" checks always pass. */
export function futureDate(daysAhead = 30): string {
  return new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}
