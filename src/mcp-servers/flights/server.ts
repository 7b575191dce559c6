import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import { createLogger } from '../../telemetry/logger';
import { systemClock, type Clock } from '../shared/clock';
import { assertNotPast, assertOrdered, isoDateSchema } from '../shared/dates';
import { UnknownPlaceError } from '../shared/errors';
import { countryName } from '../../geo';
import { destinationOfAirport, resolveAirport, type Airport } from '../shared/places';
import { PLACES_DATA_NOTE, READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { CABINS, MAX_PASSENGERS } from './flight-offer-id';
import { atMarketPrice, flightOfferById, generateFlightOffers } from './flight-offers';

const logger = createLogger('mcp:flights');

const placeSchema = z.string().trim().min(2).max(100);

export const searchFlightsInput = {
  origin: placeSchema.describe('Departure airport as an IATA code ("LHR") or a city name ("London").'),
  destination: placeSchema.describe('Arrival airport as an IATA code ("JFK") or a city name ("New York").'),
  departDate: isoDateSchema.describe('Outbound date, YYYY-MM-DD.'),
  returnDate: isoDateSchema.optional().describe('Return date, YYYY-MM-DD; omit for one way.'),
  passengers: z
    .number()
    .int()
    .min(1)
    .max(MAX_PASSENGERS)
    .default(1)
    .describe(`Number of travellers (1–${MAX_PASSENGERS}).`),
  cabin: z.enum(CABINS).default('economy'),
  maxPrice: z
    .number()
    .positive()
    .optional()
    .describe('Upper bound on the total price for all passengers, in USD.'),
};

export const getFlightDetailsInput = {
  offerId: z.string().min(1).max(64).describe('An offerId returned by search_flights.'),
};

function describeAirport(airport: Airport) {
  return {
    iata: airport.iata,
    name: airport.name,
    city: airport.cityName,
    country: airport.country,
    countryName: countryName(airport.country),
    timeZone: airport.timeZone,
  };
}

function airportFor(query: string, field: string): Airport {
  const airport = resolveAirport(query);
  if (!airport) throw new UnknownPlaceError(query, field);
  return airport;
}

/** The flights tool server: search and details over generated, deterministic offers. */
export function createFlightsServer(options: { clock?: Clock } = {}): McpServer {
  const clock = options.clock ?? systemClock;
  const server = new McpServer(serverInfo('flights'), { instructions: PLACES_DATA_NOTE });

  server.registerTool(
    'search_flights',
    {
      title: 'Search flights',
      description:
        'Finds flight offers between two airports or cities on a date, one way or round trip, cheapest first. Prices are in USD.',
      inputSchema: searchFlightsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'search_flights', () => {
        const origin = airportFor(args.origin, 'origin');
        const destination = airportFor(args.destination, 'destination');
        if (destinationOfAirport(origin).key === destinationOfAirport(destination).key) {
          throw new ValidationError(
            `origin and destination are both in ${origin.cityName}: there is no flight to search.`,
            [{ path: 'destination', issue: 'same city as origin' }],
          );
        }
        assertNotPast(args.departDate, 'departDate', clock);
        if (args.returnDate !== undefined) {
          assertOrdered(
            { field: 'departDate', date: args.departDate },
            { field: 'returnDate', date: args.returnDate },
          );
        }
        const offers = generateFlightOffers({
          origin: origin.iata,
          destination: destination.iata,
          departDate: args.departDate,
          ...(args.returnDate === undefined ? {} : { returnDate: args.returnDate }),
          cabin: args.cabin,
          passengers: args.passengers,
        })
          .map((offer) => atMarketPrice(offer))
          .filter((offer) => args.maxPrice === undefined || offer.totalPrice.amount <= args.maxPrice)
          .sort((a, b) => a.totalPrice.amount - b.totalPrice.amount);
        return {
          origin: describeAirport(origin),
          destination: describeAirport(destination),
          departDate: args.departDate,
          returnDate: args.returnDate,
          passengers: args.passengers,
          cabin: args.cabin,
          offers,
        };
      }),
  );

  server.registerTool(
    'get_flight_details',
    {
      title: 'Flight offer details',
      description:
        'Returns the full itinerary, fare conditions and current price of a flight offer. Check the price here before quoting or booking: fares can change after a search.',
      inputSchema: getFlightDetailsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'get_flight_details', () => ({
        offer: atMarketPrice(flightOfferById(args.offerId), { lookup: true }),
      })),
  );

  return server;
}
