/**
 * Destinations travellers name that the town source lacks (fewer than 1,000 inhabitants, or a
 * name that is not a town's): approximate centre coordinates and populations, rounded, as the places'
 * public GeoNames (https://www.geonames.org, CC BY 4.0) and Wikipedia entries give them. Add a row when a traveller names a place the town
 * source does not know and its airports would otherwise be a guess.
 */
export interface SmallDestination {
  name: string;
  otherNames: readonly string[];
  /** ISO 3166-1 alpha-2. */
  country: string;
  population: number;
  lat: number;
  lon: number;
}

export const SMALL_DESTINATIONS: readonly SmallDestination[] = [
  { name: 'Hallstatt', otherNames: [], country: 'AT', population: 778, lat: 47.56225, lon: 13.64928 },
  {
    name: 'Santorini',
    otherNames: ['Thira', 'Fira'],
    country: 'GR',
    population: 15550,
    lat: 36.41667,
    lon: 25.43333,
  },
  { name: 'Cinque Terre', otherNames: [], country: 'IT', population: 4000, lat: 44.1275, lon: 9.71 },
  {
    name: 'Machu Picchu',
    otherNames: ['Aguas Calientes'],
    country: 'PE',
    population: 4500,
    lat: -13.15472,
    lon: -72.52544,
  },
  {
    name: 'Yosemite',
    otherNames: ['Yosemite Valley'],
    country: 'US',
    population: 1000,
    lat: 37.74556,
    lon: -119.59361,
  },
  {
    name: 'Neuschwanstein',
    otherNames: ['Schwangau'],
    country: 'DE',
    population: 3300,
    lat: 47.5772,
    lon: 10.7386,
  },
];
