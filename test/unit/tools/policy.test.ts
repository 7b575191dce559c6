import { describe, expect, it } from 'vitest';
import { ToolPolicy } from '../../../src/tools/policy';

describe('ToolPolicy', () => {
  const policy = new ToolPolicy({
    flights: ['flights.search_flights', 'flights.get_flight_details'],
    booker: ['bookings.*'],
  });

  it('allows exactly the listed tools', () => {
    expect(policy.isAllowed('flights', 'flights.search_flights')).toBe(true);
    expect(policy.isAllowed('flights', 'hotels.search_hotels')).toBe(false);
    expect(policy.isAllowed('flights', 'flights.search')).toBe(false);
  });

  it('allows every tool of a server listed as server.*', () => {
    expect(policy.isAllowed('booker', 'bookings.book_flight')).toBe(true);
    expect(policy.isAllowed('booker', 'bookingsX.book_flight')).toBe(false);
    expect(policy.isAllowed('booker', 'book_flight')).toBe(false);
  });

  it('never lets server.* cover a name without a dot', () => {
    // "bookingsX" minus its last character is "bookings": an index of -1 must not become a prefix.
    expect(policy.isAllowed('booker', 'bookingsX')).toBe(false);
    expect(policy.isAllowed('booker', 'bookings')).toBe(false);
    expect(policy.isAllowed('booker', '.book_flight')).toBe(false);
  });

  it('allows nothing to an unlisted agent', () => {
    expect(policy.isAllowed('stranger', 'flights.search_flights')).toBe(false);
    expect(policy.toolsFor('stranger')).toEqual([]);
  });
});
