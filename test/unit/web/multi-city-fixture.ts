/**
 * A trip with two stops as the run resource states it — London → Rome (4 nights) → Florence (4
 * nights) → London, 10–18 Mar 2027, two travellers — with every offer made by the real tool
 * servers' generators (the same data their tools return), so the views are tried on the shapes
 * the planner passes through: one-way flights per journey (`flights:1`, `flights:2`,
 * `flights:return`), a hotel per stop (`hotels:1`, `hotels:2`), the itinerary's `stays` and
 * `journeys`, and quote items filed by `part`. Shared by the unit tests and the browser test.
 */
import { generateFlightOffers } from '../../../src/mcp-servers/flights/flight-offers';
import { generateHotelOffers } from '../../../src/mcp-servers/hotels/hotel-offers';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import type { RunResource } from '../../../src/travel/api/run-resource';
import { describeFlight, describeHotel } from '../../../src/travel/trip/offers';

const PASSENGERS = 2;

function flight(origin: string, destination: string, departDate: string) {
  const offers = generateFlightOffers({ origin, destination, departDate, cabin: 'economy', passengers: 2 });
  // The first non-stop offer, as a specialist would choose.
  return offers.find((o) => o.outbound.stops === 0) ?? offers[0];
}

function hotel(city: string, checkIn: string, checkOut: string) {
  const place = resolveCity(city);
  if (!place) throw new Error(`no city ${city}`);
  const offers = generateHotelOffers(place, { checkIn, checkOut, guests: PASSENGERS });
  return [...offers].sort((a, b) => (b.hotel.stars ?? 0) - (a.hotel.stars ?? 0))[0];
}

const place = (name: string, country: string, airport: string) => ({
  query: name,
  name,
  country,
  airport,
});

export const LONDON = place('London', 'United Kingdom', 'LHR');
export const ROME = place('Rome', 'Italy', 'FCO');
export const FLORENCE = place('Florence', 'Italy', 'FLR');

export const offers = {
  'flights:1': flight('LHR', 'FCO', '2027-03-10'),
  'flights:2': flight('FCO', 'FLR', '2027-03-14'),
  'flights:return': flight('FLR', 'LHR', '2027-03-18'),
  'hotels:1': hotel('Rome', '2027-03-10', '2027-03-14'),
  'hotels:2': hotel('Florence', '2027-03-14', '2027-03-18'),
};

const flightChoice = (offer: (typeof offers)['flights:1']) => ({
  found: true,
  offerId: offer.offerId,
  description: describeFlight(offer as never),
  totalUsd: offer.totalPrice.amount,
  details: offer,
});

const hotelChoice = (offer: (typeof offers)['hotels:1']) => ({
  found: true,
  offerId: offer.offerId,
  name: offer.hotel.name,
  description: describeHotel(offer as never),
  totalUsd: offer.totalPrice.amount,
  nightlyUsd: Math.round((offer.totalPrice.amount / offer.nights) * 100) / 100,
  details: offer,
});

const cents = (n: number) => Math.round(n * 100) / 100;
const flightsUsd = cents(
  offers['flights:1'].totalPrice.amount +
    offers['flights:2'].totalPrice.amount +
    offers['flights:return'].totalPrice.amount,
);
const hotelsUsd = cents(offers['hotels:1'].totalPrice.amount + offers['hotels:2'].totalPrice.amount);
export const TOTAL_USD = cents(flightsUsd + hotelsUsd);
export const BUDGET_USD = Math.ceil((TOTAL_USD + 400) / 100) * 100;

const day = (date: string, title: string, plan: string[], meals?: string[]) => ({
  date,
  title,
  plan,
  ...(meals ? { meals } : {}),
});

export const itinerary = {
  summary: `9 days in Rome and Florence for ${PASSENGERS}.`,
  days: [
    day('2027-03-10', 'Arrive in Rome', ['Fly in', 'Check in', 'Evening walk in Trastevere']),
    day('2027-03-11', 'Ancient Rome', ['Colosseum and the Forum'], ['Dinner: Da Enzo']),
    day('2027-03-12', 'Vatican', ['Vatican Museums']),
    day('2027-03-13', 'Villa Borghese', ['Galleria Borghese']),
    day('2027-03-14', 'On to Florence', [
      'Check out',
      'Fly to Florence',
      'Check in',
      'Ponte Vecchio at dusk',
    ]),
    day('2027-03-15', 'Uffizi', ['Uffizi Gallery']),
    day('2027-03-16', 'Fiesole', ['Walk up to Fiesole']),
    day('2027-03-17', 'Oltrarno', ['Boboli Gardens']),
    day('2027-03-18', 'Home', ['Check out', 'Fly home']),
  ],
  flights: flightChoice(offers['flights:1']),
  hotel: hotelChoice(offers['hotels:1']),
  stays: [
    {
      place: 'Rome',
      checkIn: '2027-03-10',
      checkOut: '2027-03-14',
      hotel: hotelChoice(offers['hotels:1']),
      weather: { summary: 'Mild and mostly dry, 9–17 °C.', days: [] },
      restaurants: {
        summary: 'Roman classics.',
        picks: [{ name: 'Da Enzo', cuisine: 'Roman', priceLevel: 2 }],
      },
    },
    {
      place: 'Florence',
      checkIn: '2027-03-14',
      checkOut: '2027-03-18',
      hotel: hotelChoice(offers['hotels:2']),
      weather: { summary: 'Cool with some rain, 6–15 °C.', days: [] },
    },
  ],
  journeys: [
    {
      part: 'flights:1',
      from: 'London',
      to: 'Rome',
      date: '2027-03-10',
      flight: flightChoice(offers['flights:1']),
    },
    {
      part: 'flights:2',
      from: 'Rome',
      to: 'Florence',
      date: '2027-03-14',
      flight: flightChoice(offers['flights:2']),
    },
    {
      part: 'flights:return',
      from: 'Florence',
      to: 'London',
      date: '2027-03-18',
      flight: flightChoice(offers['flights:return']),
    },
  ],
  costs: {
    flights: flightsUsd,
    hotel: hotelsUsd,
    ai: 0.004,
    total: TOTAL_USD,
    budget: BUDGET_USD,
    remaining: cents(BUDGET_USD - TOTAL_USD),
    currency: 'USD' as const,
  },
};

/** The quote's items in the order the planner lists them: flights by part, then hotels. */
export const quoteItems = (['flights:1', 'flights:2', 'flights:return', 'hotels:1', 'hotels:2'] as const).map(
  (part) => {
    const offer = offers[part];
    const kind = part.startsWith('flights') ? ('flight' as const) : ('hotel' as const);
    return {
      kind,
      part,
      offerId: offer.offerId,
      description: kind === 'flight' ? describeFlight(offer as never) : describeHotel(offer as never),
      price: { amount: offer.totalPrice.amount, currency: 'USD' },
      offer,
    };
  },
);

/** The run at `status`: awaiting approval (with the quote), or completed and booked. */
export function multiCityRun(
  status: 'awaiting_approval' | 'completed',
  id = 'trip-multicity00000000000000000000000',
): RunResource {
  const booked = status === 'completed';
  return {
    id,
    status,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:01:10.000Z',
    request: {
      text: 'London to Rome and Florence, 4 nights each, 10-18 March 2027, for two, budget $' + BUDGET_USD,
      fields: {},
      book: true,
      understood: {
        route: 'full_trip',
        topics: ['flights', 'hotels', 'weather', 'restaurants'],
        origin: LONDON,
        destination: ROME,
        legs: [
          { place: ROME, nights: 4, checkIn: '2027-03-10', checkOut: '2027-03-14' },
          { place: FLORENCE, nights: 4, checkIn: '2027-03-14', checkOut: '2027-03-18' },
        ],
        startDate: '2027-03-10',
        endDate: '2027-03-18',
        travellers: PASSENGERS,
        budget: { amount: BUDGET_USD, currency: 'USD', usd: BUDGET_USD },
        book: true,
        contactEmail: 'ada@example.org',
        travellerNames: [
          { firstName: 'Ada', lastName: 'Lovelace' },
          { firstName: 'Grace', lastName: 'Hopper' },
        ],
      },
    },
    progress: { step: 0, steps: [] },
    budgets: {
      limits: { steps: 120, tokens: 400000, wallTimeMs: 7200000, toolCalls: 60, money: BUDGET_USD * 2 },
      usage: {
        steps: 40,
        tokens: 90000,
        wallTimeMs: 70000,
        toolCalls: 24,
        money: TOTAL_USD,
        modelCost: 0.004,
        externalCost: TOTAL_USD,
      },
    },
    quote: {
      id: 'q1',
      round: 1,
      items: quoteItems.map((item) => ({ ...item, ...(booked ? { booked: true } : {}) })),
      total: { amount: TOTAL_USD, currency: 'USD' },
      budget: { amount: BUDGET_USD, currency: 'USD' },
      expiresAt: '2026-12-06T10:31:10.000Z',
    },
    // The itinerary is written before approval (the checkout page shows it below); booked adds
    // the confirmations.
    ...(!booked ? { result: { itinerary } } : {}),
    ...(booked
      ? {
          result: {
            itinerary,
            bookings: quoteItems.map((item, i) => ({
              item: item.kind,
              offerId: item.offerId,
              bookingId: `BK-0000000${i}`,
              status: 'confirmed' as const,
            })),
            approval: { approved: true },
          },
        }
      : {}),
    links: {
      self: `/api/trips/${id}`,
      input: `/api/trips/${id}/input`,
      approval: `/api/trips/${id}/approval`,
      cancel: `/api/trips/${id}/cancel`,
      trace: `/api/trips/${id}/trace`,
    },
  } as unknown as RunResource;
}
