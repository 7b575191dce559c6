import { describe, expect, it } from 'vitest';
import { composeItinerary, type ComposeInput } from '../../../../src/travel/offline/compose-itinerary';
import { itinerarySchema } from '../../../../src/travel/schemas';

const base: ComposeInput = {
  facts: {
    destination: 'El Calafate',
    origin: 'Seattle',
    startDate: '2027-03-10',
    endDate: '2027-03-14',
    travellers: 2,
    interests: ['hiking', 'glaciers'],
    budgetUsd: 5000,
  },
  flights: {
    found: true,
    offerId: 'F1',
    description: 'Aerolíneas: out 2027-03-10 06:00 → 2027-03-10 22:00, 1 stop(s); back …',
    totalUsd: 2310.4,
  },
  hotel: {
    found: true,
    offerId: 'H1',
    name: 'Hotel Glaciar',
    description: 'Hotel Glaciar',
    totalUsd: 1288.25,
    nightlyUsd: 322.06,
  },
  weather: {
    summary: 'Cool',
    days: [
      { date: '2027-03-10', highC: 14, lowC: 4, conditions: 'sunny', precipitationMm: 0 },
      { date: '2027-03-11', highC: 12, lowC: 3, conditions: 'light rain', precipitationMm: 6 },
      { date: '2027-03-12', highC: 15, lowC: 5, conditions: 'partly cloudy', precipitationMm: 0 },
    ],
  },
  restaurants: {
    picks: [
      { name: 'La Tablita', cuisine: 'Patagonian', priceLevel: 3 },
      { name: 'Pura Vida', cuisine: 'local', priceLevel: 2 },
    ],
    summary: '2 places',
  },
  aiCostUsd: 0.012345,
};

describe('composeItinerary', () => {
  it('plans one day per date, first arrival and last departure, and passes the schema', () => {
    const itinerary = composeItinerary(base);
    expect(itinerarySchema.safeParse(itinerary).success).toBe(true);
    expect(itinerary.days.map((d) => d.date)).toEqual([
      '2027-03-10',
      '2027-03-11',
      '2027-03-12',
      '2027-03-13',
      '2027-03-14',
    ]);
    expect(itinerary.days[0].title).toBe('Arrive in El Calafate');
    expect(itinerary.days[0].plan).toContain('Check in at Hotel Glaciar');
    expect(itinerary.days.at(-1)!.title).toBe('Departure');
    expect(itinerary.days.at(-1)!.plan).toContain('Fly home');
  });

  it('fits activities to the interests and to wet days', () => {
    const [, wet, dry] = composeItinerary(base).days;
    expect(wet.title).toBe('Hiking day');
    expect(wet.plan[0]).toMatch(/^Weather looks wet: a short, sheltered walk/);
    expect(wet.weather).toBe('light rain, 3–12°C');
    expect(dry.title).toBe('Glaciers day');
    expect(dry.plan[0]).toBe('A glacier viewpoint excursion');
  });

  it('suggests a dinner per day, cycling through the picks', () => {
    const meals = composeItinerary(base).days.map((d) => d.meals?.[0]);
    expect(meals[0]).toBe('Dinner: La Tablita (Patagonian, $$$)');
    expect(meals[1]).toBe('Dinner: Pura Vida (local, $$)');
    expect(meals[2]).toBe(meals[0]);
  });

  it('adds up the costs: total = flights + hotel + AI, remaining = budget − total', () => {
    const { costs, summary } = composeItinerary(base);
    expect(costs).toEqual({
      flights: 2310.4,
      hotel: 1288.25,
      ai: 0.0123,
      total: 3598.66,
      budget: 5000,
      remaining: 1401.34,
      currency: 'USD',
    });
    expect(Math.abs(costs.flights + costs.hotel + costs.ai - costs.total)).toBeLessThan(0.01);
    expect(summary).toBe(
      '5 day(s) in El Calafate for 2, from Seattle: 3598.66 USD in total of a 5000 USD budget.',
    );
  });

  it('counts nothing for offers that were not found, and has no budget line without a budget', () => {
    const { costs } = composeItinerary({
      ...base,
      facts: { ...base.facts, budgetUsd: undefined },
      flights: { found: false, description: 'none' },
      hotel: undefined,
      aiCostUsd: 0,
    });
    expect(costs).toEqual({ flights: 0, hotel: 0, ai: 0, total: 0, currency: 'USD' });
  });

  it('plans a one-day trip as a single arrival day', () => {
    const { days } = composeItinerary({ ...base, facts: { ...base.facts, endDate: base.facts.startDate } });
    expect(days).toHaveLength(1);
    expect(days[0].title).toBe('Arrive in El Calafate');
  });
});
