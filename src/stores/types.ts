/**
 * Store contracts shared by the MCP servers (bookings), the tool client (call-level idempotency)
 * and their two backends: embedded SQLite (local default) and Cosmos DB (Azure).
 * One contract test suite runs against every implementation.
 */

/** A call-level idempotency record: claimed as `pending` before the call, `done` after. */
export interface IdempotencyRecord {
  key: string;
  /** Stable hash of the request (tool name + canonical arguments); detects key reuse. */
  requestHash: string;
  status: 'pending' | 'done';
  /** The stored result of the first successful call, present when `done`. */
  result?: unknown;
  createdAt: string;
  updatedAt: string;
  /** When the record may be dropped (TTL). */
  expiresAt: string;
}

export type ClaimOutcome =
  /** The caller now owns the key and must call `complete` or `release`. */
  | { outcome: 'claimed'; record: IdempotencyRecord }
  /** Someone claimed it earlier; `record.status` says whether it finished. */
  | { outcome: 'existing'; record: IdempotencyRecord };

export interface IdempotencyStore {
  /**
   * Atomically creates a `pending` record for `key` if none exists.
   * Throws IdempotencyConflictError when the key exists with another requestHash.
   */
  claim(key: string, requestHash: string, options?: { ttlSeconds?: number }): Promise<ClaimOutcome>;
  /** Marks a claimed key `done` with its result (conditional on the record still being pending). */
  complete(key: string, requestHash: string, result: unknown): Promise<IdempotencyRecord>;
  /** Drops a `pending` claim (after a permanent failure) so a later call may try again. */
  release(key: string, requestHash: string): Promise<void>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  close?(): Promise<void>;
}

export interface Money {
  amount: number;
  currency: string;
}

export type BookingKind = 'flight' | 'hotel';

export interface Booking {
  bookingId: string;
  kind: BookingKind;
  status: 'confirmed' | 'cancelled';
  /** The tool-level idempotency key the booking was created with (unique per store). */
  idempotencyKey: string;
  requestHash: string;
  /** What was booked: offer id, traveller names, dates… (validated by the bookings server). */
  details: Record<string, unknown>;
  total: Money;
  createdAt: string;
  cancelledAt?: string;
}

export type CreateBookingResult = { created: true; booking: Booking } | { created: false; booking: Booking };

export interface BookingsStore {
  /**
   * Pre-write check and write in one atomic step, keyed by `booking.idempotencyKey`:
   * returns the existing booking (`created: false`) when the key was used for the same request,
   * throws IdempotencyConflictError when it was used for another request.
   */
  createOnce(booking: Booking): Promise<CreateBookingResult>;
  get(bookingId: string): Promise<Booking | undefined>;
  findByIdempotencyKey(key: string): Promise<Booking | undefined>;
  /** Idempotent: cancelling a cancelled booking returns it unchanged. */
  cancel(bookingId: string, at: string): Promise<Booking | undefined>;
  list(filter?: { kind?: BookingKind; status?: Booking['status']; limit?: number }): Promise<Booking[]>;
  count(): Promise<number>;
  close?(): Promise<void>;
}
