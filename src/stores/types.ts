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
  /**
   * The owner token of the current claim: a random id, new on every claim and every takeover.
   * Whoever claimed the key holds it; `takeOver`, `complete` and `release` act only on the claim
   * whose id they are given, so a caller working from an outdated view can never touch another
   * caller's claim.
   */
  claimId: string;
  /** The stored result of the first successful call, present when `done`. */
  result?: unknown;
  createdAt: string;
  /** When the record last changed; for a `pending` record, when its current claim was made. */
  updatedAt: string;
  /** When the record may be dropped (TTL). */
  expiresAt: string;
}

export type ClaimOutcome =
  /** The caller now owns the key (`record.claimId`) and must `complete` or `release` it. */
  | { outcome: 'claimed'; record: IdempotencyRecord }
  /** Someone else holds or finished the key; `record.status` says which. */
  | { outcome: 'existing'; record: IdempotencyRecord };

export type CompleteOutcome =
  /** The caller's claim is now `done` with its result. */
  | { outcome: 'completed'; record: IdempotencyRecord }
  /** The key was already `done`: the first completion wins and `record.result` is unchanged. */
  | { outcome: 'already_done'; record: IdempotencyRecord }
  /**
   * The caller no longer holds the key: it was taken over (`record` is the new owner's pending
   * claim), or released or expired (`record` undefined). Nothing was written.
   */
  | { outcome: 'claim_lost'; record: IdempotencyRecord | undefined };

export interface IdempotencyStore {
  /** TTL, in seconds, of a claim made without `ttlSeconds`. */
  readonly defaultTtlSeconds: number;
  /**
   * Atomically creates a `pending` record for `key` with a new `claimId` if no live record exists.
   * Throws IdempotencyConflictError when the key exists with another requestHash.
   */
  claim(key: string, requestHash: string, options?: { ttlSeconds?: number }): Promise<ClaimOutcome>;
  /**
   * Replaces the `pending` claim `observedClaimId` with a new claim owned by the caller, in one
   * conditional write that succeeds only if the record still carries that claim: of several
   * callers taking over the same claim, exactly one gets `claimed`. When the record has moved on
   * (another takeover, a completion) the current record comes back as `existing`; when it is gone
   * (released or expired) this is a plain `claim`.
   * Throws IdempotencyConflictError when the key exists with another requestHash.
   */
  takeOver(
    key: string,
    requestHash: string,
    observedClaimId: string,
    options?: { ttlSeconds?: number },
  ): Promise<ClaimOutcome>;
  /**
   * Marks the caller's claim `done` with its result, only if the record still carries `claimId`.
   * A `done` record is never changed (first completion wins). Throws IdempotencyConflictError
   * when the key belongs to another request.
   */
  complete(key: string, requestHash: string, claimId: string, result: unknown): Promise<CompleteOutcome>;
  /**
   * Drops the caller's `pending` claim (after a permanent failure) so a later call may try again.
   * Returns false, changing nothing, when the record is done, gone, or held by another claim.
   * Throws IdempotencyConflictError when the caller's claim was made for another request.
   */
  release(key: string, requestHash: string, claimId: string): Promise<boolean>;
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

/** A run holding one of its owner's limited slots for unfinished runs. */
export interface RunSlot {
  runId: string;
  /** When the slot was taken (ISO 8601). */
  acquiredAt: string;
}

export type SlotAdmission =
  /** The run holds a slot: taken now, or already its own. */
  | { admitted: true }
  /** Every slot is held; `held` names their runs, oldest first. */
  | { admitted: false; held: RunSlot[] };

/**
 * Slots that bound how many unfinished runs one owner (a trips API caller) may have. Taking a
 * slot is one atomic check-and-write, so concurrent starts can never overshoot the limit, and it
 * costs the same however many runs exist. Slots are released when their run is seen to have
 * ended; a slot whose run ended unseen (the host was down, the run was terminated elsewhere)
 * stays until the caller of `acquire` finds it so and releases it.
 */
export interface RunSlotStore {
  /**
   * Atomically takes a slot of `owner` for `runId` unless `limit` slots are held already. A run
   * that holds a slot is admitted again (a retried start).
   */
  acquire(owner: string, runId: string, limit: number): Promise<SlotAdmission>;
  /** Frees the slots of `runIds` (those that are held; the rest is ignored). */
  release(owner: string, runIds: readonly string[]): Promise<void>;
  /** The runs holding a slot of `owner`, oldest first. */
  held(owner: string): Promise<RunSlot[]>;
  close?(): Promise<void>;
}
