import { describe, expect, it } from 'vitest';
import { decodeFlightOfferId, encodeFlightOfferId } from '../../../src/mcp-servers/flights/flight-offer-id';
import {
  blockMinutes,
  flightOfferById,
  generateFlightOffers,
} from '../../../src/mcp-servers/flights/flight-offers';
import { UnknownOfferError } from '../../../src/mcp-servers/shared/errors';

const londonToNewYork = {
  origin: 'LHR',
  destination: 'JFK',
  departDate: '2027-03-15',
  cabin: 'economy',
  passengers: 2,
} as const;

describe('flight offers', () => {
  it('generates the same offers for the same query', () => {
    expect(generateFlightOffers(londonToNewYork)).toEqual(generateFlightOffers({ ...londonToNewYork }));
    expect(generateFlightOffers(londonToNewYork)).not.toEqual(
      generateFlightOffers({ ...londonToNewYork, departDate: '2027-03-16' }),
    );
  });

  it('round-trips offer ids through encoding and lookup', () => {
    const key = { ...londonToNewYork, returnDate: '2027-03-22', cabin: 'business' as const, index: 3 };
    expect(encodeFlightOfferId(key)).toBe('FL-LHR-JFK-20270315-20270322-J2-3');
    expect(decodeFlightOfferId(encodeFlightOfferId(key))).toEqual(key);
    for (const offer of generateFlightOffers({ ...londonToNewYork, returnDate: '2027-03-22' })) {
      expect(flightOfferById(offer.offerId)).toEqual(offer);
    }
  });

  it('rejects malformed and out-of-range offer ids', () => {
    expect(decodeFlightOfferId('FL-LHR-JFK-20270230-OW-Y1-0')).toBeUndefined();
    expect(decodeFlightOfferId('HT-LHR-1-20270315-20270320-G2')).toBeUndefined();
    expect(() => flightOfferById('FL-LHR-JFK-20270315-OW-Y1-99')).toThrow(UnknownOfferError);
    expect(() => flightOfferById('FL-QQQ-JFK-20270315-OW-Y1-0')).toThrow(UnknownOfferError);
  });

  it('derives durations from great-circle distance, with plausible local times', () => {
    const nonstop = generateFlightOffers(londonToNewYork).find((offer) => offer.outbound.stops === 0);
    expect(nonstop).toBeDefined();
    const leg = nonstop!.outbound.segments[0];
    expect(leg.distanceKm).toBeGreaterThan(5500);
    expect(leg.durationMinutes).toBeGreaterThanOrEqual(7 * 60);
    expect(leg.durationMinutes).toBeLessThanOrEqual(8 * 60);
    expect(leg.departure).toMatch(/^2027-03-15T\d{2}:\d{2}:00\+00:00$/);
    expect(leg.arrival).toMatch(/-04:00$/); // New York is on daylight time by mid-March.
    expect(blockMinutes(350)).toBeLessThan(blockMinutes(5500));
  });

  describe('carriers that plausibly fly the route', () => {
    const query = (origin: string, destination: string) =>
      ({ origin, destination, departDate: '2027-05-03', cabin: 'economy', passengers: 2 }) as const;
    const carriers = (offers: ReturnType<typeof generateFlightOffers>, stops: number) =>
      new Set(
        offers
          .filter((offer) => offer.outbound.stops === stops)
          .flatMap((offer) => offer.outbound.segments.map((leg) => leg.airline.code)),
      );

    it('flies Amsterdam–Prague non-stop with the two countries’ own airlines, never a US one', () => {
      const offers = generateFlightOffers(query('AMS', 'PRG'));
      const nonstop = carriers(offers, 0);
      expect(nonstop.size).toBeGreaterThan(0);
      for (const code of nonstop) expect(['KL', 'QS']).toContain(code);
      for (const code of ['AA', 'DL', 'UA', 'EK', 'QR']) expect(nonstop.has(code)).toBe(false);
    });

    it('flies short routes with the two ends’ own airlines only', () => {
      // Both ends listed, one carrier each: Lisbon–Athens, TAP and Aegean.
      for (const code of carriers(generateFlightOffers(query('LIS', 'ATH')), 0)) {
        expect(['TP', 'A3']).toContain(code);
      }
    });

    it('flies a long-haul route between two airports that are not long-haul gateways with one stop via a hub', () => {
      const offers = generateFlightOffers(query('PRG', 'SEA'));
      expect(offers.length).toBeGreaterThan(0);
      for (const offer of offers) expect(offer.outbound.stops).toBeGreaterThanOrEqual(1);
    });

    it('flies long-haul between gateways non-stop with the home carriers of either end', () => {
      const nonstop = carriers(generateFlightOffers(query('AMS', 'JFK')), 0);
      expect(nonstop.size).toBeGreaterThan(0);
      for (const code of nonstop) expect(['KL', 'AA', 'DL', 'UA']).toContain(code);
    });

    it('flies each one-stop itinerary with the hub’s own airline', () => {
      const hubAirline: Record<string, string> = {
        LHR: 'BA',
        CDG: 'AF',
        FRA: 'LH',
        IST: 'TK',
        ORD: 'UA',
        ATL: 'DL',
      };
      for (const offer of generateFlightOffers(query('PRG', 'SEA'))) {
        const hub = offer.outbound.segments[0].to;
        if (hubAirline[hub]) expect(offer.outbound.segments[0].airline.code).toBe(hubAirline[hub]);
      }
    });
  });

  it('connects one-stop itineraries through hubs on the way', () => {
    const offers = generateFlightOffers({
      origin: 'SYD',
      destination: 'LHR',
      departDate: '2027-03-15',
      cabin: 'economy',
      passengers: 1,
    });
    expect(offers.length).toBeGreaterThan(0);
    for (const offer of offers) {
      expect(offer.outbound.stops).toBe(1);
      const [first, second] = offer.outbound.segments;
      expect(first.to).toBe(second.from);
      expect(Date.parse(second.departure)).toBeGreaterThan(Date.parse(first.arrival));
    }
  });

  it('prices by distance, cabin, passengers and season', () => {
    const cheapest = (query: Parameters<typeof generateFlightOffers>[0]) =>
      Math.min(...generateFlightOffers(query).map((offer) => offer.pricePerPassenger.amount));
    const short = {
      origin: 'LHR',
      destination: 'CDG',
      departDate: '2027-03-15',
      cabin: 'economy',
      passengers: 1,
    } as const;
    expect(cheapest(londonToNewYork)).toBeGreaterThan(cheapest(short));
    expect(cheapest({ ...londonToNewYork, cabin: 'business' })).toBeGreaterThan(
      2 * cheapest(londonToNewYork),
    );
    const offer = generateFlightOffers(londonToNewYork)[0];
    expect(offer.totalPrice.amount).toBeCloseTo(offer.pricePerPassenger.amount * 2, 2);
    const average = (date: string) => {
      const offers = generateFlightOffers({ ...londonToNewYork, departDate: date });
      return offers.reduce((sum, o) => sum + o.pricePerPassenger.amount, 0) / offers.length;
    };
    expect(average('2027-08-04')).toBeGreaterThan(average('2027-02-03')); // summer peak vs February lull
  });
});
