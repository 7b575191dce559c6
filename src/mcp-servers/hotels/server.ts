import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import { createLogger } from '../../telemetry/logger';
import { systemClock, type Clock } from '../shared/clock';
import { assertNotPast, daysBetween, isoDateSchema } from '../shared/dates';
import { UnknownPlaceError } from '../shared/errors';
import { cityQuerySchema, resolveCity } from '../shared/places';
import { PLACES_DATA_NOTE, READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { HOTEL_TAGS } from './hotel-catalog';
import {
  atMarketPrice,
  defaultRooms,
  generateHotelOffers,
  hotelOfferById,
  MAX_GUESTS,
  MAX_NIGHTS,
  roomsFit,
} from './hotel-offers';

const logger = createLogger('mcp:hotels');

export const searchHotelsInput = {
  city: cityQuerySchema,
  checkIn: isoDateSchema.describe('Arrival date, YYYY-MM-DD.'),
  checkOut: isoDateSchema.describe('Departure date, YYYY-MM-DD (after checkIn).'),
  guests: z.number().int().min(1).max(MAX_GUESTS).default(2).describe(`Guests (1–${MAX_GUESTS}).`),
  rooms: z
    .number()
    .int()
    .min(1)
    .max(MAX_GUESTS)
    .optional()
    .describe('Rooms for the guests (default two guests a room; at most four a room).'),
  maxNightlyPrice: z
    .number()
    .positive()
    .optional()
    .describe('Upper bound on the average nightly price for all rooms, in USD.'),
  tags: z
    .array(z.enum(HOTEL_TAGS))
    .max(HOTEL_TAGS.length)
    .optional()
    .describe('Hotels must have every tag listed.'),
};

export const getHotelDetailsInput = {
  offerId: z.string().min(1).max(64).describe('An offerId returned by search_hotels.'),
};

/** The hotels tool server: search and details over generated, deterministic hotels and rates. */
export function createHotelsServer(options: { clock?: Clock } = {}): McpServer {
  const clock = options.clock ?? systemClock;
  const server = new McpServer(serverInfo('hotels'), { instructions: PLACES_DATA_NOTE });

  server.registerTool(
    'search_hotels',
    {
      title: 'Search hotels',
      description: 'Finds hotel offers in a city for a stay, cheapest first, with nightly rates in USD.',
      inputSchema: searchHotelsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'search_hotels', () => {
        const city = resolveCity(args.city);
        if (!city) throw new UnknownPlaceError(args.city, 'city');
        assertNotPast(args.checkIn, 'checkIn', clock);
        const nights = daysBetween(args.checkIn, args.checkOut);
        if (nights < 1 || nights > MAX_NIGHTS) {
          throw new ValidationError(
            `checkOut must be 1 to ${MAX_NIGHTS} nights after checkIn (got ${nights}).`,
            [{ path: 'checkOut', issue: `must be 1 to ${MAX_NIGHTS} nights after checkIn` }],
          );
        }
        if (args.rooms !== undefined && !roomsFit(args.guests, args.rooms)) {
          throw new ValidationError(
            `${args.guests} guests do not fit ${args.rooms} room(s): at most four a room.`,
            [
              {
                path: 'rooms',
                issue: `between ${Math.ceil(args.guests / 4)} and ${args.guests} for ${args.guests} guests`,
              },
            ],
          );
        }
        const wanted = args.tags ?? [];
        const offers = generateHotelOffers(city, {
          checkIn: args.checkIn,
          checkOut: args.checkOut,
          guests: args.guests,
          // The default stays out of the offer id, so ids of ordinary stays do not change.
          ...(args.rooms !== undefined && args.rooms !== defaultRooms(args.guests)
            ? { rooms: args.rooms }
            : {}),
        })
          .map((offer) => atMarketPrice(offer))
          .filter((offer) => wanted.every((tag) => offer.hotel.tags.includes(tag)))
          .filter(
            (offer) =>
              args.maxNightlyPrice === undefined || offer.averageNightlyPrice.amount <= args.maxNightlyPrice,
          )
          .sort((a, b) => a.totalPrice.amount - b.totalPrice.amount);
        return {
          city: {
            name: city.name,
            kind: city.kind,
            country: city.country,
            countryName: city.countryName,
            timeZone: city.timeZone,
          },
          checkIn: args.checkIn,
          checkOut: args.checkOut,
          nights,
          guests: args.guests,
          offers,
        };
      }),
  );

  server.registerTool(
    'get_hotel_details',
    {
      title: 'Hotel offer details',
      description:
        'Returns a hotel offer with the hotel, its amenities, the current nightly rates and the cancellation terms. Check the price here before quoting or booking: rates can change after a search.',
      inputSchema: getHotelDetailsInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'get_hotel_details', () => ({
        offer: atMarketPrice(hotelOfferById(args.offerId), { lookup: true }),
      })),
  );

  return server;
}
