import { WaypointError } from '../../domain/errors';

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
