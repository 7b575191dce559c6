/**
 * The trips API as the end-to-end tests use it: JSON calls against an app host, starting runs,
 * waiting for a status, and counting the bookings the app's store holds.
 */
import { expect } from 'vitest';
import { SqliteBookingsStore } from '../../src/stores';
import { openSqliteDatabase } from '../../src/stores/sqlite/database';
import { FINAL_STATUSES } from '../../src/agents/run-status';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import type { AppHost } from './app-host';

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export interface TripsClient {
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** POSTs a trip request; expects 202 and returns the run id. */
  start(body: Record<string, unknown>, idempotencyKey?: string): Promise<string>;
  /**
   * Polls until the run reaches one of `statuses`; fails fast when it ends in another final
   * status, and after `timeoutMs`.
   */
  waitFor(id: string, statuses: readonly string[], timeoutMs?: number): Promise<RunResource>;
  /** Polls until the run awaits approval of quote `quoteId` (a new quote after a price change). */
  waitForQuote(id: string, quoteId: string, timeoutMs?: number): Promise<RunResource>;
  /** Bookings in the app's bookings store. */
  bookings(): Promise<number>;
  /** What the bookings store charged for each booking id, in order. */
  bookedTotals(bookingIds: readonly string[]): Promise<{ amount: number; currency: string }[]>;
}

/** A client of `app`'s trips API; `caller` headers (a signed-in user, say) go with every call. */
export function tripsClient(app: AppHost, caller: Record<string, string> = {}): TripsClient {
  const api: TripsClient['api'] = async (method, path, body, headers = {}) => {
    const response = await app.host.fetch(path, {
      method,
      headers: { 'content-type': 'application/json', ...caller, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    api,
    async start(body, idempotencyKey) {
      const answer = await api(
        'POST',
        '/api/trips',
        body,
        idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(202);
      return answer.body.id as string;
    },
    async waitFor(id, statuses, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await api('GET', `/api/trips/${id}`);
        expect(status).toBe(200);
        const run = runResourceSchema.parse(body);
        if (statuses.includes(run.status)) return run;
        if (FINAL_STATUSES.includes(run.status) || Date.now() > deadline) {
          throw new Error(
            `run ${id} is ${run.status}, expected ${statuses.join('|')}: ${JSON.stringify(run.error ?? run.needsInput ?? {})}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async waitForQuote(id, quoteId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await this.waitFor(id, ['awaiting_approval', 'running', 'booking'], timeoutMs);
        if (run.status === 'awaiting_approval' && run.quote?.id === quoteId) return run;
        if (Date.now() > deadline) throw new Error(`run ${id} never asked to approve ${quoteId}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async bookings() {
      const store = new SqliteBookingsStore(openSqliteDatabase(app.storePath), { ownsDatabase: true });
      try {
        return await store.count();
      } finally {
        await store.close();
      }
    },
    async bookedTotals(bookingIds) {
      const store = new SqliteBookingsStore(openSqliteDatabase(app.storePath), { ownsDatabase: true });
      try {
        const totals = [];
        for (const id of bookingIds) {
          const booking = await store.get(id);
          if (!booking) throw new Error(`booking ${id} is not in the store`);
          totals.push(booking.total);
        }
        return totals;
      } finally {
        await store.close();
      }
    },
  };
}
