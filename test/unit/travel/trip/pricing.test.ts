import { describe, expect, it } from 'vitest';
import { RATES_DATE } from '../../../../src/domain/currency';
import type { TripFacts } from '../../../../src/travel/schemas';
import { buildQuote, costsOf, money, summaryOf } from '../../../../src/travel/trip/pricing';

const facts: TripFacts = {
  origin: { query: 'London', name: 'London', country: 'United Kingdom', airport: 'LHR' },
  destination: { query: 'Lisbon', name: 'Lisbon', country: 'Portugal', airport: 'LIS' },
  startDate: '2027-05-03',
  endDate: '2027-05-09',
  travellers: 2,
};
const items = [
  { kind: 'flight' as const, offerId: 'FL-1', description: 'f', price: { amount: 612.4, currency: 'USD' } },
  { kind: 'hotel' as const, offerId: 'HT-1', description: 'h', price: { amount: 1500.25, currency: 'USD' } },
];

describe('the quote, computed in code', () => {
  it('totals the servers’ prices and compares them with the budget in USD', () => {
    const quote = buildQuote(
      { id: 'q1', round: 1, items },
      { ...facts, budget: { amount: 3000, currency: 'USD', usd: 3000 } },
    );
    expect(quote.total).toEqual({ amount: 2112.65, currency: 'USD' });
    expect(quote.budget).toEqual({ amount: 3000, currency: 'USD' });
    expect(quote.overBudget).toBeUndefined();
    expect(quote.displayTotal).toBeUndefined();
    expect(quote.ratesDate).toBeUndefined();
  });

  it('marks a quote over the traveller’s budget by how much, in their currency too', () => {
    const budget = { amount: 1500, currency: 'EUR', usd: 1620 };
    const quote = buildQuote({ id: 'q2', round: 2, items }, { ...facts, budget });
    expect(quote.overBudget?.by).toEqual({ amount: 492.65, currency: 'USD' });
    expect(quote.overBudget?.display?.currency).toBe('EUR');
    expect(quote.displayTotal).toEqual({ amount: 1956.16, currency: 'EUR' });
    expect(quote.items.map((i) => i.display?.currency)).toEqual(['EUR', 'EUR']);
    expect(quote.ratesDate).toBe(RATES_DATE);
  });

  it('breaks the costs down from the quote, AI spend apart from the trip’s total', () => {
    const f = { ...facts, budget: { amount: 2000, currency: 'GBP', usd: 2540 } };
    const quote = buildQuote({ id: 'q1', round: 1, items }, f);
    const costs = costsOf(quote, 0.01234567, f);
    expect(costs).toMatchObject({ flights: 612.4, hotel: 1500.25, total: 2112.65, ai: 0.0123, budget: 2540 });
    expect(costs.remaining).toBeCloseTo(427.35, 2);
    expect(costs.display).toMatchObject({ currency: 'GBP', budget: 2000, ratesDate: RATES_DATE });
    expect(costs.display!.total).toBeCloseTo(2112.65 / 1.27, 1);
  });

  it('writes the summary’s figures from the quote', () => {
    const f = { ...facts, budget: { amount: 2000, currency: 'USD', usd: 2000 } };
    const quote = buildQuote({ id: 'q1', round: 1, items }, f);
    expect(summaryOf(quote, f, 7)).toBe(
      '7 days in Lisbon for 2, from London: 2,112.65 USD for flights and hotel, 112.65 USD over the 2,000 USD budget.',
    );
  });

  it('names every stop with its nights, and a family by who travels', () => {
    const rome = { query: 'Rome', name: 'Rome', country: 'Italy', airport: 'FCO' };
    const florence = { query: 'Florence', name: 'Florence', country: 'Italy', airport: 'FLR' };
    const f: TripFacts = {
      ...facts,
      destination: rome,
      legs: [{ place: rome, nights: 2 }, { place: florence }],
      party: { adults: 2, children: [4, 9], infants: 1 },
      travellers: 5,
    };
    const quote = buildQuote({ id: 'q1', round: 1, items }, f);
    expect(summaryOf(quote, f, 7)).toBe(
      '7 days in Rome (2 nights) and Florence (4 nights) for 2 adults and 2 children and 1 infant, from London: 2,112.65 USD for flights and hotel.',
    );
  });

  it('formats money without locale data', () => {
    expect(money(1234567.5, 'USD')).toBe('1,234,567.50 USD');
    expect(money(-12, 'EUR')).toBe('-12 EUR');
    expect(money(0.05, 'GBP')).toBe('0.05 GBP');
  });
});
