import { compactDate, expandCompactDate } from '../shared/dates';

/** Everything a hotel offer is generated from: the offer id encodes it. */
export interface HotelOfferKey {
  /** The destination's key: a city's (its main airport's IATA code), or a town's (`T123`, `S4`). */
  cityKey: string;
  hotelIndex: number;
  checkIn: string;
  checkOut: string;
  guests: number;
}

/** e.g. `HT-LHR-7-20270315-20270320-G2`. */
export function encodeHotelOfferId(key: HotelOfferKey): string {
  return `HT-${key.cityKey}-${key.hotelIndex}-${compactDate(key.checkIn)}-${compactDate(key.checkOut)}-G${key.guests}`;
}

export function decodeHotelOfferId(offerId: string): HotelOfferKey | undefined {
  const match = /^HT-([A-Z]{3}|[TS]\d{1,10})-(\d{1,2})-(\d{8})-(\d{8})-G(\d{1,2})$/.exec(offerId);
  if (!match) return undefined;
  const [, cityKey, hotelIndex, checkIn, checkOut, guests] = match;
  const inDate = expandCompactDate(checkIn);
  const outDate = expandCompactDate(checkOut);
  if (!inDate || !outDate) return undefined;
  return {
    cityKey,
    hotelIndex: Number(hotelIndex),
    checkIn: inDate,
    checkOut: outDate,
    guests: Number(guests),
  };
}
