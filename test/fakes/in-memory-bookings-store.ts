/**
 * The in-memory BookingsStore for tests. It lives in src/ because the standalone bookings server
 * (`npm run mcp -- bookings`) uses it too; tests import it from here so the fake is easy to find
 * and to swap for the embedded SQLite store once that is wired.
 */
export { InMemoryBookingsStore } from '../../src/mcp-servers/bookings/in-memory-bookings-store';
