/**
 * The in-memory BookingsStore, for tests about the bookings server rather than its storage (the
 * real SQLite and Cosmos DB stores have their own contract suite in test/integration/stores). It
 * lives in src/ because the standalone bookings server (`npm run mcp -- bookings`) keeps its
 * bookings in memory too; tests import it from here so the fake is easy to find.
 */
export { InMemoryBookingsStore } from '../../src/mcp-servers/bookings/in-memory-bookings-store';
