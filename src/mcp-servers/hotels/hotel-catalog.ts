import type { Destination } from '../shared/places';
import { SeededRandom } from '../shared/seeded-random';
import { wordList } from '../shared/word-list';

export const HOTEL_TAGS = [
  'pool',
  'spa',
  'gym',
  'breakfast_included',
  'free_wifi',
  'family_friendly',
  'pet_friendly',
  'business',
  'boutique',
  'accessible',
  'parking',
  'restaurant',
] as const;
export type HotelTag = (typeof HOTEL_TAGS)[number];

export interface Hotel {
  hotelId: string;
  name: string;
  stars: 2 | 3 | 4 | 5;
  /** Guest review score out of 10. */
  guestRating: number;
  neighbourhood: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  tags: HotelTag[];
  checkInFrom: string;
  checkOutUntil: string;
  /** Fixed per hotel: how its rates sit against others of its class. */
  rateFactor: number;
}

const NAME_STEMS = wordList(`
  Aurora Meridian Linden Harbour Crown Juniper Beacon Atlas Willow
  Regent Solstice Cedar Lantern Marlowe Orchard Albion Terrace Corvus
`);
const NAME_FORMS = [
  '{stem} Hotel',
  'Hotel {stem}',
  'The {stem}',
  '{stem} House',
  'Grand {stem}',
  '{stem} Suites',
  '{stem} {city}',
  '{stem} Inn',
];
const NEIGHBOURHOODS = [
  'City Centre',
  'Old Town',
  'Riverside',
  'Business District',
  'University Quarter',
  'Waterfront',
  'Museum Quarter',
  'Station Area',
  'Airport',
];
const HOTELS_PER_CITY = 14;

function tagsFor(stars: number, random: SeededRandom): HotelTag[] {
  const tags = new Set<HotelTag>(['free_wifi']);
  if (stars >= 4) ['gym', 'restaurant', 'business'].forEach((tag) => tags.add(tag as HotelTag));
  if (stars === 5) ['spa', 'pool'].forEach((tag) => tags.add(tag as HotelTag));
  for (const tag of HOTEL_TAGS) if (random.chance(0.25)) tags.add(tag);
  return HOTEL_TAGS.filter((tag) => tags.has(tag));
}

/** A city's hotels, generated from the city alone: the same hotels whatever the dates searched. */
export function hotelsIn(city: Destination): Hotel[] {
  const random = SeededRandom.from(['hotels', city.key]);
  const stems = random.sample(NAME_STEMS, HOTELS_PER_CITY);
  return stems.map((stem, index) => {
    const stars = random.pick([2, 3, 3, 3, 4, 4, 4, 5, 5] as const);
    // Hotels spread over ~15 km around the city's reference point (its main airport's coordinates).
    const latitude = city.lat + random.between(-0.07, 0.07);
    const longitude = city.lon + random.between(-0.1, 0.1);
    return {
      hotelId: `${city.key}-H${index}`,
      name: random.pick(NAME_FORMS).replace('{stem}', stem).replace('{city}', city.name),
      stars,
      guestRating: Math.round(random.between(5.8 + stars * 0.5, Math.min(9.8, 7.6 + stars * 0.45)) * 10) / 10,
      neighbourhood: random.pick(NEIGHBOURHOODS),
      city: city.name,
      country: city.country,
      latitude: Math.round(latitude * 1e5) / 1e5,
      longitude: Math.round(longitude * 1e5) / 1e5,
      tags: tagsFor(stars, random),
      checkInFrom: random.pick(['14:00', '15:00', '16:00']),
      checkOutUntil: random.pick(['10:00', '11:00', '12:00']),
      rateFactor: Math.round(random.between(0.85, 1.2) * 100) / 100,
    };
  });
}
