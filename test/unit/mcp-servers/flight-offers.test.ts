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
