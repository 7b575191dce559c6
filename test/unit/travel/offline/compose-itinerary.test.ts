import { describe, expect, it } from 'vitest';
import {
  composeItinerary,
  transferMinutes,
  type ComposeInput,
} from '../../../../src/travel/offline/compose-itinerary';
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

  describe('built around the real flight times', () => {
    const leg = (flightNumber: string, from: string, to: string, departure: string, arrival: string) => ({
      flightNumber,
      airline: { code: flightNumber.slice(0, 2), name: 'Airline' },
      from,
      to,
      departure,
      arrival,
    });
    const prague: ComposeInput = {
      ...base,
      facts: {
        ...base.facts,
        destination: 'Prague',
        origin: 'Seattle',
        startDate: '2027-05-03',
        endDate: '2027-05-08',
        interests: [],
      },
      weather: undefined,
      flights: {
        found: true,
        offerId: 'FL-SEA-PRG',
        description: 'Lufthansa …',
        totalUsd: 1800,
        details: {
          outbound: {
            from: 'SEA',
            to: 'PRG',
            departure: '2027-05-03T05:40:00-07:00',
            arrival: '2027-05-04T00:45:00+02:00',
            stops: 1,
            segments: [
              leg('LH491', 'SEA', 'FRA', '2027-05-03T05:40:00-07:00', '2027-05-03T22:40:00+02:00'),
              leg('LH1398', 'FRA', 'PRG', '2027-05-03T23:40:00+02:00', '2027-05-04T00:45:00+02:00'),
            ],
          },
          inbound: {
            from: 'PRG',
            to: 'SEA',
            departure: '2027-05-08T07:15:00+02:00',
            arrival: '2027-05-08T12:05:00-07:00',
            stops: 1,
            segments: [
              leg('LH1399', 'PRG', 'FRA', '2027-05-08T07:15:00+02:00', '2027-05-08T08:25:00+02:00'),
              leg('LH490', 'FRA', 'SEA', '2027-05-08T10:20:00+02:00', '2027-05-08T12:05:00-07:00'),
            ],
          },
        },
      },
    };

    it('lands after midnight: the first day is the journey, the arrival goes straight to the hotel, no evening walk', () => {
      const itinerary = composeItinerary(prague);
      expect(itinerarySchema.safeParse(itinerary).success).toBe(true);
      const [first, second] = itinerary.days;
      const text = (day: { plan: string[]; meals?: string[] }) =>
        [...day.plan, ...(day.meals ?? [])].join(' | ');
      expect(text(first)).toMatch(/SEA 05:40/);
      expect(text(first) + text(second)).not.toMatch(/evening walk/i);
      expect(second.plan[0]).toMatch(/00:45/);
      expect(text(second)).toMatch(/straight to .*hotel|Hotel Glaciar/i);
      expect(first.meals ?? []).toEqual([]);
    });

    it('leaves on a morning flight: no dinner, and the time to leave for the airport', () => {
      const last = composeItinerary(prague).days.at(-1)!;
      expect(last.date).toBe('2027-05-08');
      expect(last.meals ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/dinner/i)]));
      expect(last.plan.join(' | ')).toMatch(/Leave for the airport by 04:45/);
      expect(last.plan.join(' | ')).not.toMatch(/last stroll/i);
    });

    it('shows each flight segment with its airports and local times', () => {
      const days = composeItinerary(prague).days;
      const all = days.flatMap((d) => d.plan).join(' | ');
      expect(all).toContain('LH491 SEA 05:40 → FRA 22:40');
      expect(all).toContain('LH1398 FRA 23:40 → PRG 00:45 (+1)');
      expect(all).toContain('LH1399 PRG 07:15 → FRA 08:25');
      expect(all).toContain('LH490 FRA 10:20 → SEA 12:05');
    });

    it('an afternoon arrival gets check-in, a first walk and dinner; an evening departure keeps the day', () => {
      const easy = structuredClone(prague);
      const details = easy.flights!.details as {
        outbound: { arrival: string; segments: { departure: string; arrival: string }[] };
        inbound: { departure: string; segments: { departure: string; arrival: string }[] };
      };
      details.outbound.segments = [
        {
          ...details.outbound.segments[0],
          departure: '2027-05-03T08:00:00+02:00',
          arrival: '2027-05-03T14:30:00+02:00',
        },
      ];
      details.outbound.arrival = '2027-05-03T14:30:00+02:00';
      details.inbound.segments = [
        {
          ...details.inbound.segments[0],
          departure: '2027-05-08T19:30:00+02:00',
          arrival: '2027-05-08T21:00:00+02:00',
        },
      ];
      details.inbound.departure = '2027-05-08T19:30:00+02:00';
      const days = composeItinerary(easy).days;
      expect(days[0].title).toBe('Arrive in Prague');
      expect(days[0].plan.join(' | ')).toMatch(/evening walk/);
      expect(days[0].meals?.[0]).toMatch(/Dinner/);
      expect(days.at(-1)!.plan.join(' | ')).toMatch(/Leave for the airport by 17:00/);
    });

    it('a stay that is not the last travels on to the next stop, not home', () => {
      const rome = structuredClone(prague);
      rome.facts.next = 'Florence';
      const last = composeItinerary(rome).days.at(-1)!;
      expect(last.title).toBe('On to Florence');
      expect(last.plan.join(' | ')).toMatch(/Fly to Florence: LH1399/);
      expect(last.plan.join(' | ')).not.toMatch(/Fly home/);
    });

    it('a town without an airport: the way over land after landing and before leaving, timed', () => {
      const zermatt = structuredClone(prague);
      zermatt.facts.destination = 'Zermatt';
      zermatt.facts.ground = { airport: 'PRG', km: 90 };
      expect(transferMinutes(90)).toBe(180);
      const days = composeItinerary(zermatt).days;
      const arrival = days[1].plan.join(' | ');
      // Lands 00:45, three hours over land: there about 03:45, straight to rest.
      expect(arrival).toMatch(/By train or road from PRG \(90 km, about 3 h\) to Zermatt: there about 03:45/);
      // The 07:15 flight: leave 2.5 h before it and 3 h earlier still.
      expect(days.at(-1)!.plan.join(' | ')).toMatch(
        /Leave for the airport by 01:45: By train or road from PRG/,
      );
    });
  });
});
