/**
 * The travel planner's shapes, zod the single source of each: what a traveller sends, what the
 * run understood, the quote it asks approval for, and the itinerary it returns.
 */
import { z } from 'zod';
import { budgetOverridesSchema } from '../agents/budgets';
import { runStatusSchema } from '../agents/run-status';
import { isKnownCurrency } from '../domain/currency';

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'not a real calendar date',
  );

const placeText = z.string().trim().min(2).max(100);

export const moneySchema = z.object({
  amount: z.number().positive().max(10_000_000),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isKnownCurrency, 'an ISO 4217 currency code we have a rate for (USD, EUR, GBP, …)'),
});
export type MoneyInput = z.infer<typeof moneySchema>;

export const travellerNameSchema = z.object({
  firstName: z.string().trim().min(1).max(60),
  lastName: z.string().trim().min(1).max(60),
});

/** Who travels: adults, children (an age each, or null when not given), infants. */
export const partySchema = z.object({
  adults: z.number().int().min(0).max(99),
  children: z.array(z.number().int().min(0).max(17).nullable()).max(20),
  infants: z.number().int().min(0).max(20),
});
export type Party = z.infer<typeof partySchema>;

export const CABINS = ['economy', 'premium_economy', 'business', 'first'] as const;

/** The facts a traveller may state as fields (on the request, or as answers to a question). */
export const tripFieldsSchema = z.object({
  origin: placeText.optional(),
  destination: placeText.optional(),
  startDate: isoDateSchema.optional(),
  endDate: isoDateSchema.optional(),
  travellers: z.number().int().min(1).max(9).optional(),
  /** Who travels, when it is more than a count (children's ages, infants). */
  party: partySchema.optional(),
  rooms: z.number().int().min(1).max(9).optional(),
  cabin: z.enum(CABINS).optional(),
  budget: moneySchema.optional(),
  /** Needed only to book. */
  contactEmail: z.email().max(200).optional(),
  travellerNames: z.array(travellerNameSchema).min(1).max(9).optional(),
});
export type TripFields = z.infer<typeof tripFieldsSchema>;

/** POST /api/trips */
export const tripRequestBodySchema = tripFieldsSchema
  .extend({
    /** What the traveller wrote. */
    request: z.string().trim().min(1).max(2000),
    /** Book after approval (also understood from the text: "… and book it"). */
    book: z.boolean().optional(),
    /** Per-request budget limits, capped by the server's maxima. */
    budgets: budgetOverridesSchema.optional(),
  })
  .strict();
export type TripRequestBody = z.infer<typeof tripRequestBodySchema>;

/** POST /api/trips/{id}/input */
export const tripInputBodySchema = tripFieldsSchema
  .strict()
  .refine((fields) => Object.values(fields).some((value) => value !== undefined), 'give at least one field');
export type TripInputBody = z.infer<typeof tripInputBodySchema>;

/** POST /api/trips/{id}/approval */
export const approvalBodySchema = z
  .object({
    approved: z.boolean(),
    note: z.string().trim().max(500).optional(),
    /**
     * The quote approved (`quote.id` of the run resource). Optional for the first quote; once a
     * price changed and the run asks again, approving needs the new quote's id, so an approval
     * can never apply to a price the traveller has not seen.
     */
    quoteId: z.string().trim().min(1).max(20).optional(),
  })
  .strict();
export type ApprovalBody = z.infer<typeof approvalBodySchema>;

/** POST /api/trips/{id}/cancel */
export const cancelBodySchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const ROUTES = ['full_trip', 'single_question', 'booking_change', 'out_of_scope'] as const;
export type TripRoute = (typeof ROUTES)[number];
export const TOPICS = ['flights', 'hotels', 'weather', 'restaurants'] as const;
export type Topic = (typeof TOPICS)[number];

/** An airport that serves a place: in town, or a gateway this far over land. */
export const servingAirportSchema = z.object({
  iata: z.string(),
  name: z.string(),
  distanceKm: z.number(),
  inTown: z.boolean(),
});

export const resolvedPlaceSchema = z.object({
  /** As the traveller wrote it. */
  query: z.string(),
  name: z.string(),
  /** English country name. */
  country: z.string(),
  countryCode: z.string().optional(),
  /** ISO 3166-2 where known ("US-ME"). */
  region: z.string().optional(),
  kind: z.enum(['city', 'airport', 'region', 'country', 'town']).optional(),
  /** The airport the tools search from/to (IATA): the place's own, or its nearest gateway. */
  airport: z.string().optional(),
  /** Every airport that serves the place, nearest or most used first. */
  airports: z.array(servingAirportSchema).optional(),
  /** How to get there from the airport when none is in town. */
  ground: z.string().optional(),
});
export type ResolvedPlace = z.infer<typeof resolvedPlaceSchema>;

/** One stay of the trip: where, for how many nights, and (once known) its dates. */
export const legSchema = z.object({
  place: resolvedPlaceSchema,
  nights: z.number().int().min(1).max(60).optional(),
  checkIn: isoDateSchema.optional(),
  checkOut: isoDateSchema.optional(),
});
export type Leg = z.infer<typeof legSchema>;

/** Where a fact came from: a span of the request's text, a field, an answer, or a model's reading. */
export const factSourceSchema = z.object({
  from: z.enum(['text', 'field', 'answer', 'model']),
  span: z.tuple([z.number().int(), z.number().int()]).optional(),
  text: z.string().optional(),
  inferred: z.boolean().optional(),
  note: z.string().optional(),
});

/** What the run understood: facts merged from the text, the fields and the answers. */
export const tripFactsSchema = z.object({
  route: z.enum(ROUTES).optional(),
  topics: z.array(z.enum(TOPICS)).optional(),
  origin: resolvedPlaceSchema.optional(),
  /** The first (or only) destination: `legs[0].place`. */
  destination: resolvedPlaceSchema.optional(),
  /** Every destination in order, with its nights and dates (one leg for a single destination). */
  legs: z.array(legSchema).max(10).optional(),
  startDate: isoDateSchema.optional(),
  endDate: isoDateSchema.optional(),
  nights: z.number().int().min(0).max(60).optional(),
  party: partySchema.optional(),
  /** Seats: adults, children and infants. */
  travellers: z.number().int().min(1).max(99).optional(),
  /** Rooms the party needs (from the party: two adults a room, at most four guests). */
  rooms: z.number().int().min(1).max(50).optional(),
  /** Cabin the flights are searched and checked in (default economy). */
  cabin: z.enum(CABINS).optional(),
  budget: moneySchema.extend({ usd: z.number().nonnegative() }).optional(),
  interests: z.array(z.string().max(40)).max(10).optional(),
  dietary: z.array(z.string().max(40)).max(10).optional(),
  /** Per fact ("origin", "legs.1", "startDate", "party" …): where it came from. */
  sources: z.record(z.string(), factSourceSchema).optional(),
  /** Readings that change the request (an assumed year, a gateway airport): stated to the traveller. */
  inferences: z
    .array(z.object({ field: z.string(), note: z.string() }))
    .max(30)
    .optional(),
  book: z.boolean().optional(),
  contactEmail: z.string().optional(),
  travellerNames: z.array(travellerNameSchema).optional(),
});
export type TripFacts = z.infer<typeof tripFactsSchema>;

const amountSchema = z.object({ amount: z.number(), currency: z.string() });
export type Amount = z.infer<typeof amountSchema>;

/** What the traveller is asked to approve, item by item, as the tool servers priced it. */
export const quoteItemSchema = z.object({
  kind: z.enum(['flight', 'hotel']),
  /** Which part of the trip: `flights`/`hotels` for one destination, `flights:2`, `hotels:1` … for several. */
  part: z.string().optional(),
  offerId: z.string(),
  /** Written in code from the offer's own details (never a model's words). */
  description: z.string(),
  /** The server's price (USD), fetched by offer id and checked against the facts. */
  price: amountSchema,
  /** The price in the traveller's currency (see the quote's `ratesDate`). */
  display: amountSchema.optional(),
  /** The offer's facts as the server states them (route, times, party, dates, rooms). */
  offer: z.record(z.string(), z.unknown()).optional(),
  /** Set once the item is booked (a later quote round lists it as booked, not to approve again). */
  booked: z.boolean().optional(),
});
export type QuoteItem = z.infer<typeof quoteItemSchema>;

/** A cheaper offer the tools returned, shown when the quote is over the traveller's budget. */
export const quoteAlternativeSchema = z.object({
  kind: z.enum(['flight', 'hotel']),
  part: z.string().optional(),
  offerId: z.string(),
  description: z.string(),
  price: amountSchema,
  display: amountSchema.optional(),
  /** How much cheaper than the quoted item (USD). */
  saves: amountSchema,
});

export const quoteSchema = z.object({
  /** Which quote this is ("q1", "q2" … a new one whenever a price changed); approval names it. */
  id: z.string().default('q1'),
  round: z.number().int().min(1).default(1),
  items: z.array(quoteItemSchema),
  /** Sum of the items, computed in code (USD). */
  total: amountSchema,
  /** The total in the traveller's currency. */
  displayTotal: amountSchema.optional(),
  /** The traveller's budget (USD, converted at `ratesDate` when it was in another currency). */
  budget: amountSchema.optional(),
  /** Set when the total is over the traveller's budget: by how much (USD and their currency). */
  overBudget: z.object({ by: amountSchema, display: amountSchema.optional() }).optional(),
  /** Cheaper offers the tools returned (over budget only). */
  alternatives: z.array(quoteAlternativeSchema).optional(),
  ratesDate: z.string().optional(),
  /** Until when approval is awaited (the price is held no longer). */
  expiresAt: z.string().optional(),
  /** Why there is a new quote: the items whose server price changed since the last one. */
  changes: z.array(z.object({ offerId: z.string(), from: amountSchema, to: amountSchema })).optional(),
});
export type Quote = z.infer<typeof quoteSchema>;

export const itineraryDaySchema = z.object({
  date: isoDateSchema,
  title: z.string(),
  plan: z.array(z.string()),
  weather: z.string().optional(),
  meals: z.array(z.string()).optional(),
});

/** The trip's costs, computed in code from the quote (never from a model's numbers). */
export const costBreakdownSchema = z.object({
  flights: z.number(),
  hotel: z.number(),
  /** Model spend of the run so far: the operator's cost, not part of the trip's total. */
  ai: z.number(),
  /** Flights plus hotel, as quoted. */
  total: z.number(),
  budget: z.number().optional(),
  /** Budget minus total (negative: over budget). */
  remaining: z.number().optional(),
  currency: z.literal('USD'),
  /** The same figures in the traveller's currency, converted at `ratesDate`. */
  display: z
    .object({
      currency: z.string(),
      flights: z.number(),
      hotel: z.number(),
      total: z.number(),
      budget: z.number().optional(),
      remaining: z.number().optional(),
      ratesDate: z.string(),
    })
    .optional(),
});

export const itinerarySchema = z.object({
  summary: z.string(),
  days: z.array(itineraryDaySchema),
  /** The round trip (one destination), or the first flight (several). */
  flights: z.unknown().optional(),
  /** The hotel (one destination), or the first stop's. */
  hotel: z.unknown().optional(),
  /** A trip with several stops: each stay, with its hotel, weather and restaurants. */
  stays: z
    .array(
      z.object({
        place: z.string(),
        checkIn: isoDateSchema,
        checkOut: isoDateSchema,
        hotel: z.unknown().optional(),
        weather: z.unknown().optional(),
        restaurants: z.unknown().optional(),
      }),
    )
    .optional(),
  /** A trip with several stops: every flight, in order. */
  journeys: z
    .array(
      z.object({
        part: z.string(),
        from: z.string(),
        to: z.string(),
        date: isoDateSchema,
        flight: z.unknown(),
      }),
    )
    .optional(),
  weather: z.unknown().optional(),
  restaurants: z.unknown().optional(),
  costs: costBreakdownSchema,
});
export type Itinerary = z.infer<typeof itinerarySchema>;

export const bookingResultSchema = z.object({
  item: z.enum(['flight', 'hotel']),
  offerId: z.string(),
  bookingId: z.string().optional(),
  status: z.enum(['confirmed', 'failed']),
  replayed: z.boolean().optional(),
  error: z.string().optional(),
});

export const tripResultSchema = z.object({
  /** Full trips. */
  itinerary: itinerarySchema.optional(),
  /** Single questions and refusals: the answer in words. */
  answer: z.string().optional(),
  /** Single questions: the specialist's data. */
  data: z.unknown().optional(),
  bookings: z.array(bookingResultSchema).optional(),
  approval: z.object({ approved: z.boolean(), note: z.string().optional() }).optional(),
});
export type TripResult = z.infer<typeof tripResultSchema>;

export const tripStatusSchema = runStatusSchema({
  request: tripFactsSchema,
  quote: quoteSchema,
  result: tripResultSchema,
});
export type TripStatus = z.infer<typeof tripStatusSchema>;

export const TRIP_ORCHESTRATION = 'tripPlanner';
