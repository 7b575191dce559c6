import { dayOfYear } from '../shared/dates';
import type { Destination } from '../shared/places';
import { SeededRandom } from '../shared/seeded-random';
import { CLIMATE_NORMALS, type MonthlyNormals } from './climate-normals';

/**
 * A climatological model, not a live forecast: typical temperatures and precipitation for a place
 * and date from latitude, hemisphere, altitude and season, with seeded day-to-day variation.
 * Good enough to tell a traveller that Patagonia is mild in January and cold in July.
 */
export interface DailyClimate {
  date: string;
  highC: number;
  lowC: number;
  precipitationChance: number;
  precipitationMm: number;
  conditions: 'sunny' | 'partly cloudy' | 'cloudy' | 'showers' | 'rain' | 'heavy rain' | 'snow';
}

type Place = Pick<Destination, 'key' | 'lat' | 'elevationM'>;

const YEAR_DAYS = 365.25;
/** The coldest day of a northern year, on average (late January); the south is half a year apart. */
const COLDEST_DAY_NORTH = 20;
/**
 * Cooling with elevation near the ground: inhabited plateaus run warmer than the free air's
 * 6.5 °C/km would make them (Bogotá at 2,640 m averages ~14 °C, not ~10 °C).
 */
export const SURFACE_LAPSE_RATE_C_PER_KM = 5;

/** Linear interpolation over (latitude, value) anchors. */
function byLatitude(absLatitude: number, anchors: readonly (readonly [number, number])[]): number {
  for (let i = 1; i < anchors.length; i++) {
    const [lat0, v0] = anchors[i - 1];
    const [lat1, v1] = anchors[i];
    if (absLatitude <= lat1) return v0 + ((v1 - v0) * (absLatitude - lat0)) / (lat1 - lat0);
  }
  return anchors[anchors.length - 1][1];
}

/** Wet-day probability through the year: monsoon summers in the low latitudes, wet winters around 35°. */
const RAIN_BASE: readonly (readonly [number, number])[] = [
  [0, 0.55],
  [10, 0.5],
  [18, 0.35],
  [25, 0.12],
  [30, 0.18],
  [40, 0.3],
  [60, 0.42],
  [90, 0.3],
];
const RAIN_SUMMER_SWING: readonly (readonly [number, number])[] = [
  [0, 0.05],
  [10, 0.25],
  [18, 0.3],
  [25, 0],
  [30, 0],
  [40, -0.15],
  [60, -0.05],
  [90, 0.05],
];

/** +1 at the height of local summer, −1 in deep winter. */
export function summerness(isoDate: string, latitude: number): number {
  const phase = -Math.cos((2 * Math.PI * (dayOfYear(isoDate) - COLDEST_DAY_NORTH)) / YEAR_DAYS);
  return latitude >= 0 ? phase : -phase;
}

/** The typical daily mean temperature (°C) for a place and date. */
export function meanTemperatureC(place: Place, isoDate: string): number {
  const absLat = Math.abs(place.lat);
  const annualMean = 27 - 0.0065 * absLat ** 2;
  // Oceans damp the southern hemisphere's seasons.
  const amplitude = (0.5 + 0.15 * absLat) * (place.lat >= 0 ? 1 : 0.6);
  return annualMean + amplitude * summerness(isoDate, place.lat) - elevationCoolingC(place);
}

/** How much colder than sea level the place runs; 0 when its elevation is unknown. */
export function elevationCoolingC(place: Pick<Place, 'elevationM'>): number {
  return (Math.max(0, place.elevationM ?? 0) / 1000) * SURFACE_LAPSE_RATE_C_PER_KM;
}

export function precipitationChance(place: Place, isoDate: string): number {
  const absLat = Math.abs(place.lat);
  const chance =
    byLatitude(absLat, RAIN_BASE) + byLatitude(absLat, RAIN_SUMMER_SWING) * summerness(isoDate, place.lat);
  return Math.min(0.9, Math.max(0.03, chance));
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Typical days for a place: from its monthly normals when we have them, else the labelled estimate. */
export interface PlaceClimate {
  basis: 'normals' | 'estimate';
  /** Where the figures come from (a cited table, or how the estimate is made). */
  source: string;
  day(isoDate: string): DailyClimate;
}

export const ESTIMATE_SOURCE =
  'Estimated from latitude, hemisphere, elevation and season (no climate normals on file for this place)';

export function climateFor(place: Place): PlaceClimate {
  const normals = CLIMATE_NORMALS[place.key];
  if (normals) {
    return {
      basis: 'normals',
      source: normals.source,
      day: (date) => dailyFromNormals(place, normals, date),
    };
  }
  return { basis: 'estimate', source: ESTIMATE_SOURCE, day: (date) => dailyClimate(place, date) };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A monthly series at a date: linear between mid-months, so the year has no steps at month ends. */
function monthlyAt(series: readonly number[], isoDate: string): number {
  const month = Number(isoDate.slice(5, 7)) - 1;
  const day = Number(isoDate.slice(8, 10));
  const middle = (MONTH_DAYS[month] + 1) / 2;
  const other = day >= middle ? (month + 1) % 12 : (month + 11) % 12;
  const span =
    day >= middle
      ? MONTH_DAYS[month] - middle + (MONTH_DAYS[other] + 1) / 2
      : middle + (MONTH_DAYS[other] - 1) / 2;
  const weight = Math.abs(day - middle) / span;
  return series[month] * (1 - weight) + series[other] * weight;
}

/**
 * One typical day from the monthly normals: the mean high and low with seeded day-to-day
 * variation, a wet day with the month's share of wet days, and on it the month's mean amount
 * per wet day (exponentially spread).
 */
export function dailyFromNormals(
  place: Pick<Place, 'key'>,
  normals: MonthlyNormals,
  isoDate: string,
): DailyClimate {
  const random = SeededRandom.from(['climate-normals', place.key, isoDate]);
  const month = Number(isoDate.slice(5, 7)) - 1;
  const swing = random.between(-2, 2);
  const highC = round1(monthlyAt(normals.highC, isoDate) + swing + random.between(-0.7, 0.7));
  const lowC = round1(
    Math.min(highC - 1, monthlyAt(normals.lowC, isoDate) + swing * 0.7 + random.between(-0.7, 0.7)),
  );
  const chance = Math.min(0.95, Math.max(0, monthlyAt(normals.wetDays, isoDate) / MONTH_DAYS[month]));
  const wet = random.chance(chance);
  const perWetDay = normals.wetDays[month] > 0 ? normals.precipitationMm[month] / normals.wetDays[month] : 1;
  const precipitationMm = wet ? round1(-Math.log(1 - random.next()) * perWetDay + 0.2) : 0;
  return climateDay({ isoDate, highC, lowC, chance, wet, precipitationMm }, random);
}

/** The latitude-and-elevation estimate for one day (the fallback where no normals are on file). */
export function dailyClimate(place: Place, isoDate: string): DailyClimate {
  const random = SeededRandom.from(['climate', place.key, isoDate]);
  const chance = precipitationChance(place, isoDate);
  const mean = meanTemperatureC(place, isoDate) + random.between(-2.5, 2.5);
  // Dry air cools more at night: the diurnal range grows as rain gets rarer.
  const diurnalRange = 4 + 8 * (1 - chance) ** 2 + random.between(-1, 1);
  const highC = round1(mean + diurnalRange / 2);
  const lowC = round1(mean - diurnalRange / 2);
  const wet = random.chance(chance);
  const typicalWetDayMm = Math.abs(place.lat) < 25 ? 14 : 6;
  const precipitationMm = wet ? round1(-Math.log(1 - random.next()) * typicalWetDayMm + 0.2) : 0;
  return climateDay({ isoDate, highC, lowC, chance, wet, precipitationMm }, random);
}

/**
 * What the model does not know about a place, said in the answer so the traveller can weigh it.
 * It follows latitude, season and elevation only: no coasts, currents, deserts or rain shadows.
 */
export function climateLimitations(place: Pick<Place, 'elevationM'>): string[] {
  const limitations = [
    'Coasts and oceans are not modelled: maritime places (e.g. western Europe, coastal Patagonia) have milder winters and cooler summers than shown, cold-current coasts (Lima, Cape Town, San Francisco) are cooler and drier, and monsoon and desert rainfall is approximated from latitude alone.',
  ];
  if (place.elevationM === undefined) {
    limitations.push(
      `Elevation unknown for this place, so temperatures are for sea level; expect about ${SURFACE_LAPSE_RATE_C_PER_KM} °C colder per 1,000 m of altitude.`,
    );
  } else if (place.elevationM >= 1500) {
    limitations.push(
      `High altitude (about ${place.elevationM.toLocaleString('en-US')} m): temperatures are lowered by ${round1(elevationCoolingC(place))} °C for it; nights can be colder, and sun, wind and storms stronger, than the figures suggest.`,
    );
  }
  return limitations;
}

/** The day's sky from its rain and temperature (dry days draw from `random`), and the record. */
function climateDay(
  day: {
    isoDate: string;
    highC: number;
    lowC: number;
    chance: number;
    wet: boolean;
    precipitationMm: number;
  },
  random: SeededRandom,
): DailyClimate {
  const { isoDate, highC, lowC, chance, wet, precipitationMm } = day;
  let conditions: DailyClimate['conditions'];
  if (wet && highC <= 1.5) conditions = 'snow';
  else if (wet) conditions = precipitationMm > 15 ? 'heavy rain' : precipitationMm > 4 ? 'rain' : 'showers';
  else conditions = random.chance(chance) ? 'cloudy' : random.chance(0.5) ? 'partly cloudy' : 'sunny';
  return {
    date: isoDate,
    highC,
    lowC,
    precipitationChance: Math.round(chance * 100) / 100,
    precipitationMm,
    conditions,
  };
}
