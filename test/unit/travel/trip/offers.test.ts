import { describe, expect, it } from 'vitest';
import { flightOfferById, generateFlightOffers } from '../../../../src/mcp-servers/flights/flight-offers';
import { generateHotelOffers } from '../../../../src/mcp-servers/hotels/hotel-offers';
import { resolveCity } from '../../../../src/mcp-servers/shared/places';
import type { TripFacts } from '../../../../src/travel/schemas';
import {
  checkFlightOffer,
  checkHotelOffer,
  describeFlight,
  describeHotel,
  flightOfferSchema,
  hotelOfferSchema,
  needsOf,
} from '../../../../src/travel/trip/offers';

const facts: TripFacts = {
  origin: { query: 'Seattle', name: 'Seattle', country: 'United States', airport: 'SEA' },
  destination: { query: 'El Calafate', name: 'El Calafate', country: 'Argentina', airport: 'FTE' },
  startDate: '2027-03-10',
  endDate: '2027-03-14',
  travellers: 2,
};
const need = needsOf(facts);
const flight = (over: Partial<Parameters<typeof generateFlightOffers>[0]> = {}) =>
  flightOfferSchema.parse(
    generateFlightOffers({
      origin: 'SEA',
      destination: 'FTE',
      departDate: '2027-03-10',
      returnDate: '2027-03-14',
      cabin: 'economy',
      passengers: 2,
      ...over,
    })[0],
  );
const hotel = (over: Partial<{ checkIn: string; checkOut: string; guests: number }> = {}) =>
  hotelOfferSchema.parse(
    generateHotelOffers(resolveCity('El Calafate')!, {
      checkIn: '2027-03-10',
      checkOut: '2027-03-14',
      guests: 2,
      ...over,
    })[0],
  );

describe('what an offer must be to be quoted', () => {
  it('derives the need from the facts: airports, dates, party, cabin, rooms', () => {
    expect(need.flights.flights).toEqual({
      from: ['SEA'],
      to: ['FTE'],
      departDate: '2027-03-10',
      returnDate: '2027-03-14',
      passengers: 2,
      cabin: 'economy',
    });
    expect(need.hotels.hotels).toEqual({
      city: 'El Calafate',
      checkIn: '2027-03-10',
      checkOut: '2027-03-14',
      guests: 2,
      rooms: 1,
    });
    expect(needsOf({ ...facts, travellers: 5 }).hotels.hotels?.rooms).toBe(3);
    expect(needsOf({ ...facts, rooms: 4 }).hotels.hotels?.rooms).toBe(4);
    expect(needsOf({ ...facts, cabin: 'business' }).flights.flights?.cabin).toBe('business');
  });

  it('accepts the offer the search returned for this trip', () => {
    expect(checkFlightOffer(flight(), need.flights.flights)).toEqual([]);
    expect(checkHotelOffer(hotel(), need.hotels.hotels)).toEqual([]);
  });

  it('refuses first class for eight, another route, other dates or one way', () => {
    const paths = (issues: { path: string }[]) => issues.map((i) => i.path).sort();
    expect(paths(checkFlightOffer(flight({ cabin: 'first', passengers: 8 }), need.flights.flights))).toEqual([
      'flights.cabin',
      'flights.passengers',
    ]);
    expect(paths(checkFlightOffer(flight({ origin: 'PDX' }), need.flights.flights))).toEqual([
      'flights.origin',
      'flights.returnRoute',
    ]);
    expect(paths(checkFlightOffer(flight({ departDate: '2027-03-11' }), need.flights.flights))).toEqual([
      'flights.departDate',
    ]);
    const oneWay = flightOfferSchema.parse(flightOfferById(flight().offerId.replace('-20270314-', '-OW-')));
    expect(paths(checkFlightOffer(oneWay, need.flights.flights))).toEqual(['flights.returnDate']);
  });

  it('refuses thirty nights, eight guests, another city or too few rooms', () => {
    const paths = (issues: { path: string }[]) => issues.map((i) => i.path).sort();
    expect(paths(checkHotelOffer(hotel({ checkOut: '2027-04-09', guests: 8 }), need.hotels.hotels))).toEqual([
      'hotels.checkOut',
      'hotels.guests',
    ]);
    expect(paths(checkHotelOffer(hotel(), { ...need.hotels.hotels, city: 'Ushuaia' }))).toEqual([
      'hotels.city',
    ]);
    expect(paths(checkHotelOffer(hotel(), { ...need.hotels.hotels, rooms: 2 }))).toEqual(['hotels.rooms']);
  });

  it('describes offers from their own data, with no price', () => {
    const f = flight();
    expect(describeFlight(f)).toMatch(
      /^.+: SEA 10 Mar \d\d:\d\d → FTE .+; back FTE 14 Mar .+; 2 passengers, economy$/,
    );
    expect(describeHotel(hotel())).toMatch(/, El Calafate: 10 Mar → 14 Mar, 4 nights, 2 guests, 1 room/);
    expect(describeFlight(f)).not.toMatch(/USD|\$/);
  });
});
