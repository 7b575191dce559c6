import { dayOfYear, monthOf } from './dates';

/**
 * Travel demand by date: local summer holidays and the year-end holidays cost more, the dead
 * months before and after them less. Southern-hemisphere summers are December to February.
 */
export function seasonalPriceFactor(isoDate: string, latitude: number): number {
  const day = dayOfYear(isoDate);
  if (day >= 354 || day <= 5) return 1.35; // Christmas and New Year, everywhere.
  const month = monthOf(isoDate);
  const summerMonths = latitude >= 0 ? [7, 8] : [1, 2];
  const shoulderMonths = latitude >= 0 ? [4, 5, 6, 9] : [10, 11, 12, 3];
  if (summerMonths.includes(month)) return 1.25;
  if (shoulderMonths.includes(month)) return 1.05;
  return 0.9;
}

type Season = 'winter' | 'spring' | 'summer' | 'autumn';

/** Meteorological seasons of the north: December–February is winter, March–May spring… */
const NORTHERN_SEASONS: readonly Season[] = ['winter', 'spring', 'summer', 'autumn'];
const OPPOSITE: Record<Season, Season> = {
  winter: 'summer',
  summer: 'winter',
  spring: 'autumn',
  autumn: 'spring',
};

/** The season as felt at a latitude; the tropics have no meaningful four seasons. */
export function seasonName(isoDate: string, latitude: number): Season | 'tropical' {
  if (Math.abs(latitude) < 23.5) return 'tropical';
  const northern = NORTHERN_SEASONS[Math.floor((monthOf(isoDate) % 12) / 3)];
  return latitude >= 0 ? northern : OPPOSITE[northern];
}
