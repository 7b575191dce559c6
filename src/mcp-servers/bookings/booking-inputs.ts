import { z } from 'zod';
import { MAX_PASSENGERS } from '../flights/flight-offer-id';
import { isoDateSchema } from '../shared/dates';

/** Input schemas of the bookings tools (raw shapes, as `registerTool` takes them). */

const idempotencyKey = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\w.:/@-]+$/, 'letters, digits and . _ : / @ - only')
  .describe('Unique per intended booking; retrying with the same key and arguments never books twice.');

const name = z.string().trim().min(1).max(60);

export const travellerSchema = z.object({
  firstName: name,
  lastName: name,
  dateOfBirth: isoDateSchema.optional(),
});

/**
 * The total the caller agreed to pay (what the traveller approved). The server books only at
 * that price: if the offer's current price differs, the booking is refused with `price_changed`
 * and the current price, and nothing is booked.
 */
const expectedTotal = z
  .object({
    amount: z.number().positive().max(10_000_000),
    currency: z.string().length(3).toUpperCase(),
  })
  .describe('The total price approved for this booking, e.g. {"amount": 1234.5, "currency": "USD"}.');

export const bookFlightInput = {
  idempotencyKey,
  offerId: z.string().min(1).max(64).describe('An offerId from search_flights.'),
  travellers: z
    .array(travellerSchema)
    .min(1)
    .max(MAX_PASSENGERS)
    .describe('One entry per passenger of the offer.'),
  contactEmail: z.email(),
  expectedTotal,
};

export const bookHotelInput = {
  idempotencyKey,
  offerId: z.string().min(1).max(64).describe('An offerId from search_hotels.'),
  leadGuest: travellerSchema.describe('The guest the rooms are booked under.'),
  contactEmail: z.email(),
  specialRequests: z.string().trim().max(500).optional(),
  expectedTotal,
};

export const bookingIdInput = {
  bookingId: z.string().min(1).max(64),
};

export const listBookingsInput = {
  kind: z.enum(['flight', 'hotel']).optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
  limit: z.number().int().min(1).max(100).default(20),
};
