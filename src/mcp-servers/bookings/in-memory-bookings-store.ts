import { IdempotencyConflictError } from '../../domain/errors';
import type { Booking, BookingKind, BookingsStore, CreateBookingResult } from '../../stores/types';

/**
 * A BookingsStore in process memory: the standalone CLI's store (bookings last as long as the
 * process) and the tests' fake. It honours the contract: `createOnce` checks and writes in one
 * synchronous step, so concurrent callers with one key get one booking.
 */
export class InMemoryBookingsStore implements BookingsStore {
  private readonly byId = new Map<string, Booking>();
  private readonly idByKey = new Map<string, string>();
  private readonly latencyMs: number;

  /** `latencyMs` simulates storage I/O before each operation, so concurrent calls really overlap. */
  constructor(options: { latencyMs?: number } = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  async createOnce(booking: Booking): Promise<CreateBookingResult> {
    await this.io();
    // From here to the return nothing awaits: the check and the write are one atomic step.
    const existingId = this.idByKey.get(booking.idempotencyKey);
    const existing = existingId === undefined ? undefined : this.byId.get(existingId);
    if (existing) {
      if (existing.requestHash !== booking.requestHash)
        throw new IdempotencyConflictError(booking.idempotencyKey);
      return { created: false, booking: structuredClone(existing) };
    }
    const stored = structuredClone(booking);
    this.byId.set(stored.bookingId, stored);
    this.idByKey.set(stored.idempotencyKey, stored.bookingId);
    return { created: true, booking: structuredClone(stored) };
  }

  async get(bookingId: string): Promise<Booking | undefined> {
    await this.io();
    const booking = this.byId.get(bookingId);
    return booking && structuredClone(booking);
  }

  async findByIdempotencyKey(key: string): Promise<Booking | undefined> {
    const id = this.idByKey.get(key);
    return id === undefined ? undefined : this.get(id);
  }

  async cancel(bookingId: string, at: string): Promise<Booking | undefined> {
    await this.io();
    const booking = this.byId.get(bookingId);
    if (!booking) return undefined;
    if (booking.status !== 'cancelled') {
      booking.status = 'cancelled';
      booking.cancelledAt = at;
    }
    return structuredClone(booking);
  }

  async list(
    filter: { kind?: BookingKind; status?: Booking['status']; limit?: number } = {},
  ): Promise<Booking[]> {
    await this.io();
    return [...this.byId.values()]
      .filter((booking) => filter.kind === undefined || booking.kind === filter.kind)
      .filter((booking) => filter.status === undefined || booking.status === filter.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.bookingId.localeCompare(b.bookingId))
      .slice(0, filter.limit ?? Number.POSITIVE_INFINITY)
      .map((booking) => structuredClone(booking));
  }

  async count(): Promise<number> {
    await this.io();
    return this.byId.size;
  }

  private async io(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}
