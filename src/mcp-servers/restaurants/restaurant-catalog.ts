import { priceLevel } from '../shared/cost-of-living';
import type { Destination } from '../shared/places';
import { SeededRandom } from '../shared/seeded-random';
import { wordList } from '../shared/word-list';

export const CUISINES = [
  'local',
  'italian',
  'french',
  'japanese',
  'chinese',
  'indian',
  'thai',
  'mexican',
  'lebanese',
  'spanish',
  'seafood',
  'steakhouse',
  'vegetarian',
] as const;
export type Cuisine = (typeof CUISINES)[number];

export const DIETARY_OPTIONS = ['vegetarian', 'vegan', 'gluten_free', 'halal', 'kosher'] as const;
export type DietaryOption = (typeof DIETARY_OPTIONS)[number];

/** 1 = cheap eats … 4 = fine dining. */
export type PriceLevel = 1 | 2 | 3 | 4;

export interface Restaurant {
  restaurantId: string;
  name: string;
  cuisine: Cuisine;
  /** What "local" means here, e.g. "Portuguese". */
  cuisineLabel: string;
  priceLevel: PriceLevel;
  /** Typical spend per person for a main course and a drink, in USD. */
  averageMainCourseUsd: number;
  rating: number;
  reviewCount: number;
  dietary: DietaryOption[];
  neighbourhood: string;
  city: string;
  country: string;
  openingHours: string;
  reservationRequired: boolean;
}

/** The local kitchen's name by country (ISO 3166-1 alpha-2); elsewhere "Local". */
const LOCAL_CUISINE: Record<string, string> = {
  FR: 'French',
  IT: 'Italian',
  ES: 'Spanish',
  PT: 'Portuguese',
  JP: 'Japanese',
  CN: 'Chinese',
  IN: 'Indian',
  TH: 'Thai',
  MX: 'Mexican',
  LB: 'Lebanese',
  GR: 'Greek',
  TR: 'Turkish',
  VN: 'Vietnamese',
  KR: 'Korean',
  PE: 'Peruvian',
  AR: 'Argentinian',
  BR: 'Brazilian',
  MA: 'Moroccan',
  DE: 'German',
  GB: 'British',
  US: 'American',
  CL: 'Chilean',
  IE: 'Irish',
  AT: 'Austrian',
  CH: 'Swiss',
  SE: 'Scandinavian',
  NO: 'Scandinavian',
  DK: 'Scandinavian',
  AU: 'Modern Australian',
  ID: 'Indonesian',
  EG: 'Egyptian',
};

const NAME_WORDS = wordList(`
  Olive Ember Saffron Copper Fig Harbour Salt Juniper Lotus
  Oak Pepper Marigold Anchor Basil Cardamom Bramble Lantern Cellar
`);
const NAME_FORMS = [
  '{word} & Vine',
  'The {word} Table',
  'Casa {word}',
  '{word} Kitchen',
  '{word} House',
  'Little {word}',
  '{word} Bistro',
  'Café {word}',
  '{word} Canteen',
  '{word} Room',
];
const NEIGHBOURHOODS = [
  'City Centre',
  'Old Town',
  'Riverside',
  'Market District',
  'Harbour',
  'University Quarter',
  'Arts District',
];
const RESTAURANTS_PER_CITY = 18;
const MAIN_COURSE_BY_LEVEL: Record<PriceLevel, number> = { 1: 12, 2: 24, 3: 45, 4: 95 };

function dietaryFor(cuisine: Cuisine, random: SeededRandom): DietaryOption[] {
  const options = new Set<DietaryOption>();
  if (cuisine === 'vegetarian')
    ['vegetarian', 'vegan'].forEach((option) => options.add(option as DietaryOption));
  if (['indian', 'thai', 'lebanese', 'italian'].includes(cuisine) || random.chance(0.6))
    options.add('vegetarian');
  if (options.has('vegetarian') && random.chance(0.45)) options.add('vegan');
  if (random.chance(0.35)) options.add('gluten_free');
  if (['lebanese', 'indian'].includes(cuisine) ? random.chance(0.6) : random.chance(0.1))
    options.add('halal');
  if (random.chance(0.05)) options.add('kosher');
  return DIETARY_OPTIONS.filter((option) => options.has(option));
}

/** Every city has at least this many places for each dietary need (as any sizeable city does). */
const MIN_PER_DIETARY_NEED = 2;

/**
 * Needs (alone or together) that any sizeable city has a few places for: each need on its own,
 * and the common combination of a plant-based, gluten-free kitchen.
 */
const COVERED_NEEDS: readonly (readonly DietaryOption[])[] = [
  ...DIETARY_OPTIONS.map((need) => [need]),
  ['vegetarian', 'vegan', 'gluten_free'],
];

/**
 * Tops up the needs too few places cater for: the best-rated places that do not yet cater for a
 * need take it on (a vegan kitchen is a vegetarian one too).
 */
function coverDietaryNeeds(restaurants: Restaurant[]): void {
  const byRating = [...restaurants].sort(
    (a, b) => b.rating - a.rating || a.restaurantId.localeCompare(b.restaurantId),
  );
  const caters = (r: Restaurant, needs: readonly DietaryOption[]) =>
    needs.every((n) => r.dietary.includes(n));
  for (const needs of COVERED_NEEDS) {
    let serving = restaurants.filter((r) => caters(r, needs)).length;
    for (const restaurant of byRating) {
      if (serving >= MIN_PER_DIETARY_NEED) break;
      if (caters(restaurant, needs)) continue;
      const options = new Set<DietaryOption>([...restaurant.dietary, ...needs]);
      if (options.has('vegan')) options.add('vegetarian');
      restaurant.dietary = DIETARY_OPTIONS.filter((option) => options.has(option));
      serving++;
    }
  }
}

/** A city's restaurants, generated from the city alone; the local kitchen is the most common. */
export function restaurantsIn(city: Destination): Restaurant[] {
  const restaurants = generateRestaurants(city);
  coverDietaryNeeds(restaurants);
  return restaurants;
}

function generateRestaurants(city: Destination): Restaurant[] {
  const random = SeededRandom.from(['restaurants', city.key]);
  const localLabel = LOCAL_CUISINE[city.country] ?? 'Local';
  const words = random.sample(NAME_WORDS, RESTAURANTS_PER_CITY);
  return words.map((word, index) => {
    const cuisine: Cuisine = random.chance(0.35) ? 'local' : random.pick(CUISINES);
    const level = random.pick([1, 2, 2, 2, 3, 3, 4] as const);
    return {
      restaurantId: `${city.key}-R${index}`,
      name: random.pick(NAME_FORMS).replace('{word}', word),
      cuisine,
      cuisineLabel: cuisine === 'local' ? localLabel : cuisine.charAt(0).toUpperCase() + cuisine.slice(1),
      priceLevel: level,
      averageMainCourseUsd: Math.round(
        MAIN_COURSE_BY_LEVEL[level] * priceLevel(city.country) * random.between(0.85, 1.15),
      ),
      rating: Math.round(random.between(3.6, 4.9) * 10) / 10,
      reviewCount: random.int(40, 4000),
      dietary: dietaryFor(cuisine, random),
      neighbourhood: random.pick(NEIGHBOURHOODS),
      city: city.name,
      country: city.country,
      openingHours:
        level >= 3
          ? random.pick(['18:00–23:00', '19:00–23:30'])
          : random.pick(['08:00–22:00', '11:30–22:30', '12:00–15:00, 18:00–22:30']),
      reservationRequired: level === 4 || (level === 3 && random.chance(0.5)),
    };
  });
}
