import { afterEach, describe, expect, it } from 'vitest';
import { market } from '../../../src/mcp-servers/shared/market';

const base = { amount: 100, currency: 'USD' };
afterEach(() => {
  market.configure('flight', undefined);
  market.configure('hotel', undefined);
});

describe('the market: what an offer costs now', () => {
  it('answers the generated price when no repricing is configured', () => {
    expect(market.priceOf('flight', 'FL-A', base, { lookup: true })).toEqual(base);
    expect(market.priceOf('flight', 'FL-A', base, { lookup: true })).toEqual(base);
  });

  it('changes a price once the offer was looked up the configured number of times', () => {
    market.configure('hotel', { rate: 1, factor: 1.25, afterLookups: 2, seed: 1 });
    expect(market.priceOf('hotel', 'HT-A', base)).toEqual(base);
    expect(market.priceOf('hotel', 'HT-A', base, { lookup: true })).toEqual(base);
    expect(market.priceOf('hotel', 'HT-A', base, { lookup: true })).toEqual(base);
    // Two lookups made: the booking and every later lookup see the new price.
    expect(market.priceOf('hotel', 'HT-A', base)).toEqual({ amount: 125, currency: 'USD' });
    expect(market.priceOf('hotel', 'HT-A', base, { lookup: true })).toEqual({ amount: 125, currency: 'USD' });
    // Another kind of offer, and another offer, are unaffected.
    expect(market.priceOf('flight', 'HT-A', base, { lookup: true })).toEqual(base);
    expect(market.priceOf('hotel', 'HT-B', base)).toEqual(base);
  });

  it('reprices a seeded share of offers, the same share for the same seed', () => {
    market.configure('flight', { rate: 0.5, factor: 2, afterLookups: 1, seed: 7 });
    const ids = Array.from({ length: 200 }, (_, i) => `FL-${i}`);
    const changed = () =>
      ids.filter((id) => {
        market.priceOf('flight', id, base, { lookup: true });
        return market.priceOf('flight', id, base).amount === 200;
      });
    const first = changed();
    expect(first.length).toBeGreaterThan(60);
    expect(first.length).toBeLessThan(140);
    market.configure('flight', { rate: 0.5, factor: 2, afterLookups: 1, seed: 7 });
    expect(changed()).toEqual(first);
  });
});
