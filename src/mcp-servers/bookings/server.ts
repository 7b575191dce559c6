import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { IdempotencyConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { Booking, BookingKind, BookingsStore, Money } from '../../stores/types';
import { createLogger } from '../../telemetry/logger';
import { atMarketPrice as flightAtMarketPrice, flightOfferById } from '../flights/flight-offers';
import { atMarketPrice as hotelAtMarketPrice, hotelOfferById } from '../hotels/hotel-offers';
import { systemClock, type Clock } from '../shared/clock';
import { assertNotPast } from '../shared/dates';
import { requestHash } from '../shared/request-hash';
import { READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { PriceChangedError } from '../shared/errors';
import { bookFlightInput, bookHotelInput, bookingIdInput, listBookingsInput } from './booking-inputs';

const logger = createLogger('mcp:bookings');

export interface BookingsServerOptions {
  store: BookingsStore;
  clock?: Clock;
}

const BOOKING_TOOL = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/**
 * The bookings tool server. Prices come from the offers (re-derived from their ids, at the
 * market's current price), never from the caller; the caller's `expectedTotal` only has to match. Every booking goes through `store.createOnce`: the same idempotency key with the
 * same arguments returns the first booking (even if its response was lost), with other arguments
 * it is a tool error.
 */
export function createBookingsServer({ store, clock = systemClock }: BookingsServerOptions): McpServer {
  const server = new McpServer(serverInfo('bookings'));

  /**
   * The pre-write check, then the write. A key seen before answers from the store first, so a
   * retry replays the booking even if its offer could no longer be booked (departure passed);
   * `createOnce` settles races between concurrent first attempts atomically.
   */
  async function bookOnce(
    toolName: string,
    args: Record<string, unknown> & { idempotencyKey: string },
    kind: BookingKind,
    prepare: () => { details: Record<string, unknown>; total: Money },
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

  server.registerTool(
    'book_flight',
    {
      title: 'Book a flight',
      description:
        "Books a flight offer for the named travellers at the offer's current price, which must equal expectedTotal (else price_changed, nothing booked). Idempotent per idempotencyKey: a retry returns the original booking (replayed: true).",
      inputSchema: bookFlightInput,
      annotations: BOOKING_TOOL,
    },
    (args) =>
      runTool(logger, 'book_flight', () =>
        bookOnce('book_flight', args, 'flight', () => {
          const offer = flightAtMarketPrice(flightOfferById(args.offerId));
          assertPrice(offer.offerId, offer.totalPrice, args.expectedTotal);
          assertNotPast(offer.outbound.departure.slice(0, 10), 'offerId (departure)', clock);
          if (args.travellers.length !== offer.passengers) {
            throw new ValidationError(
              `The offer is for ${offer.passengers} passenger(s) but ${args.travellers.length} traveller(s) were given.`,
              [{ path: 'travellers', issue: `expected ${offer.passengers} entries` }],
            );
          }
          const details = {
            offerId: offer.offerId,
            cabin: offer.cabin,
            travellers: args.travellers,
            contactEmail: args.contactEmail,
            outbound: offer.outbound,
            ...(offer.inbound === undefined ? {} : { inbound: offer.inbound }),
            fare: offer.fare,
          };
          return { details, total: offer.totalPrice };
        }),
      ),
  );

  server.registerTool(
    'book_hotel',
    {
      title: 'Book a hotel',
      description:
        "Books a hotel offer under the lead guest at the offer's current price, which must equal expectedTotal (else price_changed, nothing booked). Idempotent per idempotencyKey: a retry returns the original booking (replayed: true).",
      inputSchema: bookHotelInput,
      annotations: BOOKING_TOOL,
    },
    (args) =>
      runTool(logger, 'book_hotel', () =>
        bookOnce('book_hotel', args, 'hotel', () => {
          const offer = hotelAtMarketPrice(hotelOfferById(args.offerId));
          assertPrice(offer.offerId, offer.totalPrice, args.expectedTotal);
          assertNotPast(offer.checkIn, 'offerId (checkIn)', clock);
          const details = {
            offerId: offer.offerId,
            hotel: {
              hotelId: offer.hotel.hotelId,
              name: offer.hotel.name,
              city: offer.hotel.city,
              country: offer.hotel.country,
            },
            checkIn: offer.checkIn,
            checkOut: offer.checkOut,
            nights: offer.nights,
            guests: offer.guests,
            rooms: offer.rooms,
            roomType: offer.roomType,
            leadGuest: args.leadGuest,
            contactEmail: args.contactEmail,
            ...(args.specialRequests === undefined ? {} : { specialRequests: args.specialRequests }),
            cancellation: offer.cancellation,
          };
          return { details, total: offer.totalPrice };
        }),
      ),
  );

  server.registerTool(
    'get_booking',
    {
      title: 'Get a booking',
      description: 'Returns a booking by its bookingId.',
      inputSchema: bookingIdInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'get_booking', async () => {
        const booking = await store.get(args.bookingId);
        if (!booking) throw new NotFoundError(`Booking "${args.bookingId}"`);
        return { booking };
      }),
  );

  server.registerTool(
    'cancel_booking',
    {
      title: 'Cancel a booking',
      description:
        'Cancels a booking. Idempotent by nature: cancelling a cancelled booking returns it unchanged.',
      inputSchema: bookingIdInput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool(logger, 'cancel_booking', async () => {
        const booking = await store.cancel(args.bookingId, clock().toISOString());
        if (!booking) throw new NotFoundError(`Booking "${args.bookingId}"`);
        return { booking, refundable: isRefundable(booking) };
      }),
  );

  server.registerTool(
    'list_bookings',
    {
      title: 'List bookings',
      description: 'Lists bookings, newest first, optionally by kind and status.',
      inputSchema: listBookingsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'list_bookings', async () => {
        const bookings = await store.list({
          limit: args.limit,
          ...(args.kind === undefined ? {} : { kind: args.kind }),
          ...(args.status === undefined ? {} : { status: args.status }),
        });
        return { bookings };
      }),
  );

  return server;
}

/** Books only at the approved price: a different current price (or currency) refuses the booking. */
function assertPrice(offerId: string, current: Money, expected: Money): void {
  if (current.currency !== expected.currency || Math.abs(current.amount - expected.amount) > 0.005) {
    throw new PriceChangedError(offerId, expected, current);
  }
}

/** Whether the cancellation got the money back under the booked offer's terms (judged on the cancellation date, so a replayed cancel answers the same). */
function isRefundable(booking: Booking): boolean {
  const cancelledOn = (booking.cancelledAt ?? '').slice(0, 10);
  const details = booking.details as {
    fare?: { refundable?: boolean };
    cancellation?: { refundable?: boolean; freeCancellationUntil?: string };
  };
  if (booking.kind === 'flight') return details.fare?.refundable === true;
  const until = details.cancellation?.freeCancellationUntil;
  return details.cancellation?.refundable === true && until !== undefined && cancelledOn <= until;
}
