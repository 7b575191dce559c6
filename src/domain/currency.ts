/**
 * Currency conversion from a dated static table: how many US dollars one unit of each currency
 * bought on the table's date. Travellers state budgets in their own currency; the tools price in
 * USD; budgets compare in USD. Rates are reference mid-market rates, rounded, and the date is
 * shown wherever a converted figure is, so nobody mistakes them for live rates.
 */
import { ValidationError } from './errors';

export const RATES_DATE = '2026-11-02';

/** USD per unit of currency, as of RATES_DATE. */
export const USD_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  CHF: 1.13,
  JPY: 0.0067,
  CAD: 0.72,
  AUD: 0.65,
  NZD: 0.59,
  SEK: 0.094,
  NOK: 0.091,
  DKK: 0.145,
  PLN: 0.25,
  CZK: 0.043,
  HUF: 0.0027,
  ARS: 0.001,
  CLP: 0.00105,
  BRL: 0.18,
  MXN: 0.055,
  COP: 0.00025,
  PEN: 0.27,
  CNY: 0.14,
  HKD: 0.128,
  SGD: 0.75,
  INR: 0.0118,
  KRW: 0.00072,
  THB: 0.029,
  IDR: 0.000063,
  MYR: 0.22,
  PHP: 0.017,
  VND: 0.000039,
  AED: 0.2723,
  QAR: 0.2747,
  SAR: 0.2667,
  TRY: 0.029,
  ILS: 0.27,
  EGP: 0.02,
  ZAR: 0.055,
  MAD: 0.1,
  KES: 0.0077,
  ISK: 0.0073,
};

export const CURRENCIES = Object.keys(USD_PER_UNIT) as readonly string[];

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(USD_PER_UNIT, code.toUpperCase());
}

/** `amount` of `currency` in USD, rounded to cents. */
export function toUsd(amount: number, currency: string): number {
  return roundCents(amount * rateOf(currency));
}

/** `usd` in `currency`, rounded to cents. */
export function fromUsd(usd: number, currency: string): number {
  return roundCents(usd / rateOf(currency));
}

export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function rateOf(currency: string): number {
  const rate = USD_PER_UNIT[currency.toUpperCase()];
  if (rate === undefined) {
    throw new ValidationError(`Unknown currency "${currency}".`, [
      { path: 'currency', issue: `use one of ${CURRENCIES.join(', ')}` },
    ]);
  }
  return rate;
}
