import type { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import type { Money } from '../../stores/types';
import { atMarketPrice as flightAtMarketPrice, flightOfferById } from '../flights/flight-offers';
import { atMarketPrice as hotelAtMarketPrice, hotelOfferById } from '../hotels/hotel-offers';
import type { Clock } from '../shared/clock';
import { assertNotPast } from '../shared/dates';
import { PriceChangedError } from '../shared/errors';
import type { PreparedBooking } from './book-once';
import type { bookFlightInput, bookHotelInput } from './booking-inputs';

export type BookFlightArgs = z.output<z.ZodObject<typeof bookFlightInput>>;
export type BookHotelArgs = z.output<z.ZodObject<typeof bookHotelInput>>;

/**
 * What a flight booking stores. The offer is re-derived from its id at the market's current
 * price, never taken from the caller; it must still cost what was approved and not have left.
 */
export function prepareFlightBooking(args: BookFlightArgs, clock: Clock): PreparedBooking {
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
}

/** What a hotel booking stores, from the offer at today's price (which must be the approved one). */
export function prepareHotelBooking(args: BookHotelArgs, clock: Clock): PreparedBooking {
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
}

/** Books only at the approved price: a different current price (or currency) refuses the booking. */
function assertPrice(offerId: string, current: Money, expected: Money): void {
  if (current.currency !== expected.currency || Math.abs(current.amount - expected.amount) > 0.005) {
    throw new PriceChangedError(offerId, expected, current);
  }
}
