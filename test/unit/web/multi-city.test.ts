/**
 * A trip with several stops in the web UI's pure parts: the heading names the stops, the days
 * carry each stay's check-in and check-out and each flight in order, the checkout lists the items
 * stop by stop, confirmations say which flight or hotel they are, and the calendar file has every
 * flight and stay. The offers come from the tool servers' own generators (see the fixture).
 */
import { describe, expect, it } from 'vitest';
import { generateFlightOffers } from '../../../src/mcp-servers/flights/flight-offers';
import { itineraryCalendar } from '../../../web/src/ics';
import { dayViews, journeysOf, journeysPlan, stopsOf } from '../../../web/src/itinerary-model';
import { tripHeading } from '../../../web/src/trip';
import { bookingLabel, itemsByStop, partRef } from '../../../web/src/trip-parts';
import { itinerary, multiCityRun, offers, quoteItems } from './multi-city-fixture';

type Itinerary = Parameters<typeof dayViews>[0];
const trip = itinerary as unknown as Itinerary;

describe('a trip with several stops', () => {
  it('is headed by its stops, where it starts, the dates and the party', () => {
    expect(tripHeading(multiCityRun('awaiting_approval'))).toEqual({
      title: 'Rome → Florence',
      subtitle: 'From London · 10–18 Mar 2027 · 2 travellers',
      documentTitle: 'Rome → Florence',
    });
  });

  it('reads the part keys the planner files items under', () => {
    expect(partRef('flights', 'flight')).toEqual({ kind: 'flight' });
    expect(partRef('hotels:2', 'hotel')).toEqual({ kind: 'hotel', stop: 2 });
    expect(partRef('flights:return', 'flight')).toEqual({ kind: 'flight', stop: 'return' });
    expect(partRef('weird', 'hotel')).toEqual({ kind: 'hotel' });
    expect(partRef(undefined, 'flight')).toEqual({ kind: 'flight' });
  });

  it('lists the checkout stop by stop: the flight in, the hotel, and the flight home last', () => {
    const run = multiCityRun('awaiting_approval');
    // Hotels first in the quote: the groups still put each stop's flight before its hotel.
    const shuffled = [...run.quote!.items].reverse();
    const groups = itemsByStop(run, shuffled);
    expect(
      groups.map((g) => ({
        title: g.title,
        when: g.when,
        items: g.items.map(({ item, label }) => `${label} ${item.offerId}`),
      })),
    ).toEqual([
      {
        title: 'Rome',
        when: '10–14 Mar 2027',
        items: [
          `Flight to Rome ${offers['flights:1'].offerId}`,
          `Hotel in Rome ${offers['hotels:1'].offerId}`,
        ],
      },
      {
        title: 'Florence',
        when: '14–18 Mar 2027',
        items: [
          `Flight to Florence ${offers['flights:2'].offerId}`,
          `Hotel in Florence ${offers['hotels:2'].offerId}`,
        ],
      },
      {
        title: 'Back to London',
        when: 'Thu 18 Mar',
        items: [`Flight home ${offers['flights:return'].offerId}`],
      },
    ]);
    // Without understood stops, the hotel offer names the place and its dates.
    const bare = multiCityRun('awaiting_approval');
    delete (bare.request.understood as { legs?: unknown }).legs;
    expect(itemsByStop(bare, bare.quote!.items).map((g) => g.title)).toEqual([
      offers['hotels:1'].hotel.city,
      offers['hotels:2'].hotel.city,
      'Back to London',
    ]);
  });

  it('keeps one untitled group for a trip with one destination (items without parts)', () => {
    const run = multiCityRun('awaiting_approval');
    const single = run.quote!.items.slice(0, 1).map((item) => {
      const { part: _part, ...rest } = item as typeof item & { part?: string };
      return rest;
    });
    expect(itemsByStop(run, single)).toEqual([
      { key: 'trip', title: '', items: [{ item: single[0], label: 'Flights' }] },
    ]);
  });

  it('names each confirmation by its part', () => {
    const run = multiCityRun('completed');
    expect(run.result!.bookings!.map((b) => bookingLabel(run, b))).toEqual([
      'Flight to Rome',
      'Flight to Florence',
      'Flight home',
      'Hotel in Rome',
      'Hotel in Florence',
    ]);
  });

  it('reads the journeys and stays, and the flights card titles each journey', () => {
    const journeys = journeysOf(trip);
    expect(journeys.map((j) => `${j.part} ${j.from} → ${j.to} ${j.date}`)).toEqual([
      'flights:1 London → Rome 2027-03-10',
      'flights:2 Rome → Florence 2027-03-14',
      'flights:return Florence → London 2027-03-18',
    ]);
    expect(journeysPlan(journeys)!.legs.map((l) => `${l.title}: ${l.from}-${l.to}`)).toEqual([
      'London → Rome: LHR-FCO',
      'Rome → Florence: FCO-FLR',
      'Florence → London: FLR-LHR',
    ]);
    // Short-haul economy fares carry no bag, said as such (not "0 checked bags each").
    expect(offers['flights:2'].fare.checkedBags).toBe(0);
    expect(journeysPlan(journeys)!.fareNotes).toContain('no checked bag');
    const stops = stopsOf(trip);
    expect(
      stops.map((s) => [s.place, s.hotel?.name, s.hotel?.checkIn, s.hotel?.checkOut, s.weather]),
    ).toEqual([
      ['Rome', offers['hotels:1'].hotel.name, '2027-03-10', '2027-03-14', 'Mild and mostly dry, 9–17 °C.'],
      [
        'Florence',
        offers['hotels:2'].hotel.name,
        '2027-03-14',
        '2027-03-18',
        'Cool with some rain, 6–15 °C.',
      ],
    ]);
    expect(stops[0].restaurants).toEqual(['Da Enzo']);
  });

  it('puts each stay’s check-in and check-out and each flight on its day, and says where each day is', () => {
    const days = dayViews(trip);
    expect(days.map((d) => d.place)).toEqual([
      'Rome',
      'Rome',
      'Rome',
      'Rome',
      'Rome → Florence',
      'Florence',
      'Florence',
      'Florence',
      'Florence',
    ]);
    const rome = offers['hotels:1'].hotel.name;
    const florence = offers['hotels:2'].hotel.name;
    const moving = days[4];
    // Out of the Rome hotel before the flight (its 11:00 is a deadline), into Florence's after.
    expect(moving.events.map((e) => [e.kind, e.title])).toEqual([
      ['check-out', `Check out of ${rome}`],
      ['flight', expect.stringMatching(/^Flight FCO → FLR/)],
      ['check-in', `Check in at ${florence}`],
    ]);
    expect(moving.events[0].detail).toBe(`before your ${moving.events[1].time} flight`);
    // The plan's own "Check out"/"Fly to" lines are said by the events.
    expect(moving.activities).toEqual(['Ponte Vecchio at dusk']);
    expect(days[0].events.some((e) => e.kind === 'flight' && /LHR → FCO/.test(e.title))).toBe(true);
    expect(days[8].events.some((e) => e.kind === 'flight' && /FLR → LHR/.test(e.title))).toBe(true);
    expect(days[8].events.find((e) => e.kind === 'check-out')!.title).toBe(`Check out of ${florence}`);
  });

  it('checks in after the flight lands when it lands after the room is ready', () => {
    // The last flight of the day from Rome to Florence, as the tools offer it.
    const late = [
      ...generateFlightOffers({
        origin: 'FCO',
        destination: 'FLR',
        departDate: '2027-03-14',
        cabin: 'economy',
        passengers: 2,
      }),
    ].sort((a, b) => b.outbound.departure.localeCompare(a.outbound.departure))[0];
    const lands = late.outbound.arrival.slice(11, 16);
    expect(lands > '16:00').toBe(true);
    const journeys = itinerary.journeys.map((j) =>
      j.part === 'flights:2' ? { ...j, flight: { ...j.flight, offerId: late.offerId, details: late } } : j,
    );
    const moving = dayViews({ ...itinerary, journeys } as unknown as Itinerary)[4];
    expect(moving.events.map((e) => [e.kind, e.time, e.detail])).toEqual([
      ['check-out', '11:00', 'by 11:00'],
      [
        'flight',
        late.outbound.departure.slice(11, 16),
        expect.stringMatching(new RegExp(`^arrives ${lands}`)),
      ],
      ['check-in', undefined, `from 16:00 · after you land at ${lands}`],
    ]);
  });

  it('exports every flight and every stay to the calendar', () => {
    const ics = itineraryCalendar('trip-1', trip, 'Rome → Florence', '2026-12-06T10:00:00Z');
    const flights = [...ics.matchAll(/SUMMARY:Flight (\w{3}) → (\w{3})/g)].map((m) => `${m[1]}-${m[2]}`);
    expect(flights).toEqual(['LHR-FCO', 'FCO-FLR', 'FLR-LHR']);
    expect(ics).toContain('UID:trip-1-flights-return-outbound-0@waypoint');
    const stays = [
      ...ics.matchAll(/DTSTART;VALUE=DATE:(\d{8})\r\nDTEND;VALUE=DATE:(\d{8})\r\nSUMMARY:Stay: /g),
    ].map((m) => `${m[1]}-${m[2]}`);
    expect(stays).toEqual(['20270310-20270314', '20270314-20270318']);
    // One event a day, nine days.
    expect(ics.match(/SUMMARY:Rome → Florence: /g)).toHaveLength(9);
  });

  it('has quote items made by the servers (the fixture is real data)', () => {
    expect(quoteItems.map((i) => i.part)).toEqual([
      'flights:1',
      'flights:2',
      'flights:return',
      'hotels:1',
      'hotels:2',
    ]);
    expect(offers['flights:2'].outbound.from).toBe('FCO');
    expect(offers['flights:2'].inbound).toBeUndefined();
  });
});
