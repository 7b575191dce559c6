import type { Money } from '../../stores/types';

/** Every generated price is in one currency; conversions are out of scope for the sample data. */
export const CURRENCY = 'USD';

export function usd(amount: number): Money {
  return { amount: roundCents(amount), currency: CURRENCY };
}

export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
