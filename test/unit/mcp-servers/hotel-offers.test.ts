import { describe, expect, it } from 'vitest';
import { hotelsIn } from '../../../src/mcp-servers/hotels/hotel-catalog';
import { decodeHotelOfferId, encodeHotelOfferId } from '../../../src/mcp-servers/hotels/hotel-offer-id';
import { generateHotelOffers, hotelOfferById } from '../../../src/mcp-servers/hotels/hotel-offers';
import { UnknownOfferError } from '../../../src/mcp-servers/shared/errors';
import { resolveCity } from '../../../src/mcp-servers/shared/places';

const lisbon = resolveCity('Lisbon')!;
const zurich = resolveCity('Zurich')!;
const stay = { checkIn: '2027-05-10', checkOut: '2027-05-14', guests: 3 };

describe('hotel offers', () => {
  it('offers stays in a town without an airport, and finds them again by id', () => {
    const zermatt = resolveCity('Zermatt')!;
    const offers = generateHotelOffers(zermatt, stay);
    expect(offers.length).toBeGreaterThan(0);
    expect(offers[0].hotel.city).toBe('Zermatt');
    expect(decodeHotelOfferId(offers[0].offerId)?.cityKey).toBe(zermatt.key);
    expect(hotelOfferById(offers[0].offerId)).toEqual(offers[0]);
  });

  it('gives a city the same hotels whatever the dates, and the same rates for the same stay', () => {
    expect(hotelsIn(lisbon)).toEqual(hotelsIn(lisbon));
    expect(hotelsIn(lisbon).map((hotel) => hotel.name)).not.toEqual(
      hotelsIn(zurich).map((hotel) => hotel.name),
    );
    expect(generateHotelOffers(lisbon, stay)).toEqual(generateHotelOffers(lisbon, { ...stay }));
  });

  it('round-trips offer ids', () => {
    const key = { cityKey: 'LIS', hotelIndex: 7, checkIn: '2027-05-10', checkOut: '2027-05-14', guests: 3 };
    expect(encodeHotelOfferId(key)).toBe('HT-LIS-7-20270510-20270514-G3');
    expect(decodeHotelOfferId(encodeHotelOfferId(key))).toEqual(key);
    for (const offer of generateHotelOffers(lisbon, stay))
      expect(hotelOfferById(offer.offerId)).toEqual(offer);
    expect(() => hotelOfferById('HT-LIS-99-20270510-20270514-G3')).toThrow(UnknownOfferError);
    expect(() => hotelOfferById('HT-LIS-1-20270514-20270510-G3')).toThrow(UnknownOfferError);
  });

  it('charges per night and per room, more at weekends and in dearer countries', () => {
    const offer = generateHotelOffers(lisbon, stay)[0];
    expect(offer.nights).toBe(4);
    expect(offer.rooms).toBe(2);
    expect(offer.nightlyRates.map((night) => night.date)).toEqual([
      '2027-05-10',
      '2027-05-11',
      '2027-05-12',
      '2027-05-13',
    ]);
    const sum = offer.nightlyRates.reduce((total, night) => total + night.price.amount, 0);
    expect(offer.totalPrice.amount).toBeCloseTo(sum, 2);

    const weekNight = (city: typeof lisbon, checkIn: string, checkOut: string) => {
      const offers = generateHotelOffers(city, { checkIn, checkOut, guests: 2 });
      return offers.reduce((total, o) => total + o.totalPrice.amount, 0) / offers.length;
    };
    expect(weekNight(lisbon, '2027-05-14', '2027-05-15')).toBeGreaterThan(
      weekNight(lisbon, '2027-05-11', '2027-05-12'),
    ); // Friday vs Tuesday
    expect(weekNight(zurich, '2027-05-11', '2027-05-12')).toBeGreaterThan(
      weekNight(lisbon, '2027-05-11', '2027-05-12'),
    );
  });
});
