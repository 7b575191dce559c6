import { describe, expect, it } from 'vitest';
import type { ResolvedPlace, TripFacts } from '../../../../src/travel/schemas';
import { partKey, shapeOf, topicOf } from '../../../../src/travel/trip/shape';

const place = (name: string, airport: string): ResolvedPlace => ({
  query: name,
  name,
  country: 'X',
  airport,
});
const london = place('London', 'LHR');
const rome = place('Rome', 'FCO');
const florence = place('Florence', 'FLR');
const tivoli = place('Tivoli', 'FCO');

const trip = (legs: TripFacts['legs'], startDate = '2027-03-10', endDate = '2027-03-18'): TripFacts => ({
  origin: london,
  legs,
  startDate,
  endDate,
  travellers: 2,
});

describe('the shape of a trip', () => {
  it('one destination: a round trip and one stay, under the plain part keys', () => {
    const shaped = shapeOf({
      origin: london,
      destination: rome,
      startDate: '2027-03-10',
      endDate: '2027-03-14',
    });
    expect(shaped && 'shape' in shaped && shaped.shape).toEqual({
      flights: [
        { key: 'flights', from: london, to: rome, departDate: '2027-03-10', returnDate: '2027-03-14' },
      ],
      stays: [{ index: 1, place: rome, checkIn: '2027-03-10', checkOut: '2027-03-14', nights: 4 }],
      inferences: [],
    });
  });

  it('several stops: one-way flights in order and back, each stay with its dates', () => {
    const shaped = shapeOf(
      trip([
        { place: rome, nights: 4 },
        { place: florence, nights: 4 },
      ]),
    );
    if (!shaped || !('shape' in shaped)) throw new Error('no shape');
    const { flights, stays, inferences } = shaped.shape;
    expect(flights.map((f) => [f.key, f.from.airport, f.to.airport, f.departDate])).toEqual([
      ['flights:1', 'LHR', 'FCO', '2027-03-10'],
      ['flights:2', 'FCO', 'FLR', '2027-03-14'],
      ['flights:return', 'FLR', 'LHR', '2027-03-18'],
    ]);
    expect(stays.map((s) => [s.place.name, s.checkIn, s.checkOut])).toEqual([
      ['Rome', '2027-03-10', '2027-03-14'],
      ['Florence', '2027-03-14', '2027-03-18'],
    ]);
    expect(inferences).toEqual([]);
  });

  it('splits the nights nobody gave evenly, and says so', () => {
    const shaped = shapeOf(trip([{ place: rome }, { place: florence }], '2027-03-10', '2027-03-17'));
    if (!shaped || !('shape' in shaped)) throw new Error('no shape');
    expect(shaped.shape.stays.map((s) => s.nights)).toEqual([4, 3]);
    expect(shaped.shape.inferences[0].note).toMatch(/split evenly: 4 \+ 3/);
  });

  it('asks when the stops’ nights and the dates disagree', () => {
    const shaped = shapeOf(
      trip([
        { place: rome, nights: 5 },
        { place: florence, nights: 5 },
      ]),
    );
    expect(shaped).toEqual({
      issues: [{ path: 'legs', issue: expect.stringMatching(/add up to 10 nights.*give 8/) }],
    });
  });

  it('two stops served by one airport: no flight between them', () => {
    const shaped = shapeOf(
      trip([
        { place: rome, nights: 4 },
        { place: tivoli, nights: 4 },
      ]),
    );
    if (!shaped || !('shape' in shaped)) throw new Error('no shape');
    expect(shaped.shape.flights.map((f) => f.key)).toEqual(['flights:1', 'flights:return']);
  });

  it('has no shape without dates in order (the dates are asked, not the stops)', () => {
    expect(shapeOf(trip([{ place: rome }], '2027-03-10', '2027-03-05'))).toBeUndefined();
    expect(shapeOf({ origin: london, destination: rome })).toBeUndefined();
  });

  it('keys parts by topic and stop', () => {
    expect(partKey('hotels', 2, 3)).toBe('hotels:2');
    expect(partKey('hotels', 1, 1)).toBe('hotels');
    expect(topicOf('flights:return')).toBe('flights');
  });
});
