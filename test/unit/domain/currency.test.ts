import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import {
  CURRENCIES,
  fromUsd,
  isKnownCurrency,
  RATES_DATE,
  roundCents,
  toUsd,
  USD_PER_UNIT,
} from '../../../src/domain/currency';

describe('currency conversion', () => {
  it('converts to USD at the dated table rate, rounded to cents', () => {
    expect(toUsd(100, 'USD')).toBe(100);
    expect(toUsd(2000, 'EUR')).toBe(2160);
    expect(toUsd(1500, 'gbp')).toBe(1905);
    expect(toUsd(12_345, 'JPY')).toBe(82.71);
  });

  it('converts from USD, and a round trip stays within a cent per unit of rounding', () => {
    expect(fromUsd(108, 'EUR')).toBe(100);
    for (const currency of CURRENCIES) {
      const usd = toUsd(1000, currency);
      // Rounding to cents both ways loses at most half a cent each way, scaled by the rate.
      expect(Math.abs(fromUsd(usd, currency) - 1000)).toBeLessThanOrEqual(
        0.005 / USD_PER_UNIT[currency] + 0.01,
      );
    }
  });

  it('refuses an unknown currency with a ValidationError that lists the known ones', () => {
    let thrown: unknown;
    try {
      toUsd(10, 'XYZ');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toBe('Unknown currency "XYZ".');
    expect(() => fromUsd(10, 'BTC')).toThrow(ValidationError);
  });

  it('knows codes case-insensitively and not inherited object keys', () => {
    expect(isKnownCurrency('eur')).toBe(true);
    expect(isKnownCurrency('toString')).toBe(false);
    expect(() => toUsd(1, 'constructor')).toThrow(ValidationError);
  });

  it('has a dated table of positive rates, USD at 1', () => {
    expect(RATES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(USD_PER_UNIT.USD).toBe(1);
    for (const code of CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(USD_PER_UNIT[code]).toBeGreaterThan(0);
    }
    expect(roundCents(0.125)).toBe(0.13);
  });
});
