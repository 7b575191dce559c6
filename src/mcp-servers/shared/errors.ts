import { WaypointError } from '../../domain/errors';
import type { Money } from '../../stores/types';

/** The tool servers' own failures; all are permanent: the same arguments fail the same way. */

export class UnknownPlaceError extends WaypointError {
  constructor(query: string, field: string) {
    super(
      'unknown_place',
      `${field}: no airport or city matches "${query}". Use an IATA code of an airport with scheduled passenger service (e.g. "LHR") or a city name, optionally with its country ("Paris, France").`,
      { details: { field, query } },
    );
  }
}

export class UnknownOfferError extends WaypointError {
  constructor(offerId: string, reason: string) {
    super('unknown_offer', `Offer "${offerId}" does not exist: ${reason}.`, { details: { offerId } });
  }
}

/** The offer's price is not the one the caller approved: nothing was booked. */
export class PriceChangedError extends WaypointError {
  constructor(offerId: string, expected: Money, current: Money) {
    super(
      'price_changed',
      `The price of offer "${offerId}" is ${current.amount} ${current.currency}, not the ${expected.amount} ${expected.currency} approved; nothing was booked.`,
      { details: { offerId, expected, current } },
    );
  }
}
