import { compactDate, expandCompactDate } from '../shared/dates';

/** Everything a hotel offer is generated from: the offer id encodes it. */
export interface HotelOfferKey {
  /** The destination's key: a city's (its main airport's IATA code), or a town's (`T123`, `S4`). */
  cityKey: string;
  hotelIndex: number;
  checkIn: string;
  checkOut: string;
  guests: number;
  /** Rooms, when not the default for the guests (two a room). */
  rooms?: number;
}

/** e.g. `HT-LHR-7-20270315-20270320-G2`, or `…-G5R2` for five guests in two rooms. */
export function encodeHotelOfferId(key: HotelOfferKey): string {
  const rooms = key.rooms === undefined ? '' : `R${key.rooms}`;
  return `HT-${key.cityKey}-${key.hotelIndex}-${compactDate(key.checkIn)}-${compactDate(key.checkOut)}-G${key.guests}${rooms}`;
}

export function decodeHotelOfferId(offerId: string): HotelOfferKey | undefined {
  const match = /^HT-([A-Z]{3}|[TS]\d{1,10})-(\d{1,2})-(\d{8})-(\d{8})-G(\d{1,2})(?:R(\d{1,2}))?$/.exec(
    offerId,
  );
  if (!match) return undefined;
  const [, cityKey, hotelIndex, checkIn, checkOut, guests, rooms] = match;
  const inDate = expandCompactDate(checkIn);
  const outDate = expandCompactDate(checkOut);
  if (!inDate || !outDate) return undefined;
  return {
    cityKey,
    hotelIndex: Number(hotelIndex),
    checkIn: inDate,
    checkOut: outDate,
    guests: Number(guests),
    ...(rooms === undefined ? {} : { rooms: Number(rooms) }),
  };
}
