import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { NotFoundError } from '../../domain/errors';
import type { Booking, BookingsStore } from '../../stores/types';
import { createLogger } from '../../telemetry/logger';
import { systemClock, type Clock } from '../shared/clock';
import { READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { bookOnce, type BookOnceContext } from './book-once';
import { bookFlightInput, bookHotelInput, bookingIdInput, listBookingsInput } from './booking-inputs';
import { prepareFlightBooking, prepareHotelBooking } from './prepare-booking';

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
 * market's current price), never from the caller; the caller's `expectedTotal` only has to match.
 * Every booking goes through `bookOnce`: the same idempotency key with the same arguments returns
 * the first booking (even if its response was lost), with other arguments it is a tool error.
 */
export function createBookingsServer({ store, clock = systemClock }: BookingsServerOptions): McpServer {
  const server = new McpServer(serverInfo('bookings'));
  const context: BookOnceContext = { store, clock, logger };
  registerBookFlight(server, context);
  registerBookHotel(server, context);
  registerGetBooking(server, store);
  registerCancelBooking(server, store, clock);
  registerListBookings(server, store);
  return server;
}

function registerBookFlight(server: McpServer, context: BookOnceContext): void {
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
        bookOnce(context, 'book_flight', args, 'flight', () => prepareFlightBooking(args, context.clock)),
      ),
  );
}

function registerBookHotel(server: McpServer, context: BookOnceContext): void {
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
        bookOnce(context, 'book_hotel', args, 'hotel', () => prepareHotelBooking(args, context.clock)),
      ),
  );
}

function registerGetBooking(server: McpServer, store: BookingsStore): void {
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
}

function registerCancelBooking(server: McpServer, store: BookingsStore, clock: Clock): void {
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
}

function registerListBookings(server: McpServer, store: BookingsStore): void {
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
