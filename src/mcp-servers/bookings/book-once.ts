import { randomUUID } from 'node:crypto';
import { IdempotencyConflictError } from '../../domain/errors';
import type { BookingKind, BookingsStore, Money } from '../../stores/types';
import type { Logger } from '../../telemetry/logger';
import type { Clock } from '../shared/clock';
import { requestHash } from '../shared/request-hash';

/** What a booking tool writes: the booked details and the price, from the re-priced offer. */
export interface PreparedBooking {
  details: Record<string, unknown>;
  total: Money;
}

export interface BookOnceContext {
  store: BookingsStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Books at most once per idempotency key: the pre-write check, then the write. A key seen before
 * answers from the store first, so a retry replays the booking even if its offer could no longer
 * be booked (departure passed); the same key with other arguments is an IdempotencyConflictError.
 * `createOnce` settles races between concurrent first attempts atomically.
 */
export async function bookOnce(
  { store, clock, logger }: BookOnceContext,
  toolName: string,
  args: Record<string, unknown> & { idempotencyKey: string },
  kind: BookingKind,
  prepare: () => PreparedBooking,
): Promise<Record<string, unknown>> {
  const hash = requestHash(toolName, args);
  const earlier = await store.findByIdempotencyKey(args.idempotencyKey);
  if (earlier) {
    if (earlier.requestHash !== hash) throw new IdempotencyConflictError(args.idempotencyKey);
    logger.info('booking replayed', {
      tool: toolName,
      bookingId: earlier.bookingId,
      idempotencyKey: args.idempotencyKey,
    });
    return { booking: earlier, replayed: true };
  }
  const { details, total } = prepare();
  const result = await store.createOnce({
    bookingId: `BK-${randomUUID()}`,
    kind,
    status: 'confirmed',
    idempotencyKey: args.idempotencyKey,
    requestHash: hash,
    details,
    total,
    createdAt: clock().toISOString(),
  });
  logger.info(result.created ? 'booking created' : 'booking replayed', {
    tool: toolName,
    bookingId: result.booking.bookingId,
    idempotencyKey: args.idempotencyKey,
  });
  return { booking: result.booking, replayed: !result.created };
}
