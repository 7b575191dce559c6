import type { Money } from '../../stores/types';
import { addDays, dateRange, daysBetween, isWeekend } from '../shared/dates';
import { priceLevel } from '../shared/cost-of-living';
import { UnknownOfferError } from '../shared/errors';
import { market } from '../shared/market';
import { roundCents, usd } from '../shared/money';
import { destinationByKey, type Destination } from '../shared/places';
import { seasonalPriceFactor } from '../shared/seasons';
import { SeededRandom } from '../shared/seeded-random';
import { hotelsIn, type Hotel } from './hotel-catalog';
import { decodeHotelOfferId, encodeHotelOfferId, type HotelOfferKey } from './hotel-offer-id';

export interface HotelOffer {
  offerId: string;
  hotel: Omit<Hotel, 'rateFactor'>;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  rooms: number;
  roomType: string;
  nightlyRates: { date: string; price: Money }[];
  /** For the whole party (all rooms), averaged over the stay. */
  averageNightlyPrice: Money;
  totalPrice: Money;
  cancellation: { refundable: boolean; freeCancellationUntil?: string };
}

export const MAX_GUESTS_PER_ROOM = 2;
export const MAX_GUESTS = 20;
/** A room takes at most this many guests (a family room). */
export const MAX_GUESTS_IN_ONE_ROOM = 4;
export const MAX_NIGHTS = 30;

const STAR_BASE_RATE: Record<Hotel['stars'], number> = { 2: 70, 3: 115, 4: 185, 5: 330 };

/** Rooms for `guests` unless the search asked for a number: two guests a room. */
export function defaultRooms(guests: number): number {
  return Math.ceil(guests / MAX_GUESTS_PER_ROOM);
}

function roomType(guests: number, rooms: number, stars: number): string {
  const quality = stars >= 4 ? 'Superior' : 'Standard';
  if (guests === 1) return `${quality} single room`;
  if (rooms === 1) return guests === 2 ? `${quality} double room` : `${quality} family room`;
  return `${rooms} × ${quality} ${guests > rooms * 2 ? 'family' : 'double'} room`;
}

function offerFor(city: Destination, hotel: Hotel, key: HotelOfferKey): HotelOffer {
  const random = SeededRandom.from(['hotel-rates', hotel.hotelId, key.checkIn, key.checkOut]);
  const rooms = key.rooms ?? defaultRooms(key.guests);
  const nights = dateRange(key.checkIn, addDays(key.checkOut, -1));
  const nightlyRates = nights.map((date) => {
    const perRoom =
      STAR_BASE_RATE[hotel.stars] *
      priceLevel(city.country) *
      hotel.rateFactor *
      seasonalPriceFactor(date, city.lat) *
      (isWeekend(date) ? 1.15 : 1) *
      random.between(0.95, 1.05);
    return { date, price: usd(perRoom * rooms) };
  });
  const total = nightlyRates.reduce((sum, night) => sum + night.price.amount, 0);
  const refundable = hotel.stars >= 3 && random.chance(0.7);
  const { rateFactor: _internal, ...publicHotel } = hotel;
  return {
    offerId: encodeHotelOfferId(key),
    hotel: publicHotel,
    checkIn: key.checkIn,
    checkOut: key.checkOut,
    nights: nights.length,
    guests: key.guests,
    rooms,
    roomType: roomType(key.guests, rooms, hotel.stars),
    nightlyRates,
    averageNightlyPrice: usd(total / nights.length),
    totalPrice: usd(roundCents(total)),
    cancellation: refundable
      ? { refundable, freeCancellationUntil: addDays(key.checkIn, -2) }
      : { refundable },
  };
}

/** Offers for every hotel in a city for a stay; deterministic for the same city, dates and guests. */
export function generateHotelOffers(
  city: Destination,
  stay: Omit<HotelOfferKey, 'cityKey' | 'hotelIndex'>,
): HotelOffer[] {
  return hotelsIn(city).map((hotel, hotelIndex) =>
    offerFor(city, hotel, { ...stay, cityKey: city.key, hotelIndex }),
  );
}

/** Whether `guests` fit `rooms` (at most four a room, nobody's room empty). */
export function roomsFit(guests: number, rooms: number): boolean {
  return rooms >= Math.ceil(guests / MAX_GUESTS_IN_ONE_ROOM) && rooms <= guests;
}

/** Re-derives a hotel offer from its id alone, or throws UnknownOfferError. */
export function hotelOfferById(offerId: string): HotelOffer {
  const key = decodeHotelOfferId(offerId);
  if (!key)
    throw new UnknownOfferError(
      offerId,
      'not a hotel offer id (expected e.g. HT-LHR-7-20270315-20270320-G2)',
    );
  const city = destinationByKey(key.cityKey);
  if (!city) throw new UnknownOfferError(offerId, `no city or airport has the key ${key.cityKey}`);
  const hotel = hotelsIn(city)[key.hotelIndex];
  if (!hotel) throw new UnknownOfferError(offerId, `${city.name} has no hotel #${key.hotelIndex}`);
  if (key.guests < 1 || key.guests > MAX_GUESTS)
    throw new UnknownOfferError(offerId, `rooms are offered for 1 to ${MAX_GUESTS} guests`);
  if (key.rooms !== undefined && !roomsFit(key.guests, key.rooms))
    throw new UnknownOfferError(offerId, `${key.guests} guests do not fit ${key.rooms} rooms`);
  const nights = daysBetween(key.checkIn, key.checkOut);
  if (nights < 1 || nights > MAX_NIGHTS)
    throw new UnknownOfferError(offerId, `a stay of ${nights} nights is not offered`);
  return offerFor(city, hotel, key);
}

/** `offer` at the market's current price (`lookup`: this is a read by id, e.g. the details tool). */
export function atMarketPrice(offer: HotelOffer, options: { lookup?: boolean } = {}): HotelOffer {
  const totalPrice = market.priceOf('hotel', offer.offerId, offer.totalPrice, options);
  if (totalPrice.amount === offer.totalPrice.amount) return offer;
  const factor = totalPrice.amount / offer.totalPrice.amount;
  return {
    ...offer,
    totalPrice,
    averageNightlyPrice: usd(totalPrice.amount / offer.nights),
    nightlyRates: offer.nightlyRates.map((night) => ({
      date: night.date,
      price: usd(night.price.amount * factor),
    })),
  };
}
