/**
 * Invariants of a whole plan, checked on the run resource a labelled request ends with (pure):
 * the plan's dates are the request's, the seats are the party, the rooms fit it, the quote is
 * within the traveller's budget or marked over it, and nothing is booked without an approval.
 * A check that does not apply to a run (no quote yet, nothing booked) passes.
 */
import type { RunResource } from '../api/run-resource';
import type { LabelledRequest } from './labels';

export const INVARIANTS = [
  'datesInRange',
  'seatsEqualParty',
  'roomsFit',
  'budgetKeptOrMarked',
  'bookedOnlyWhenApproved',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

/** Guests a room takes at most (infants in a cot not counted), as the labels' rule says. */
const GUESTS_PER_ROOM = 4;

/** Every quoted offer of a kind (a trip with several stops has a hotel per stop, a flight per hop). */
const offersOf = (run: RunResource, kind: 'flight' | 'hotel') =>
  (run.quote?.items ?? []).filter((item) => item.kind === kind && item.offer).map((item) => item.offer!);

/** Each invariant: true (holds), false (broken), with why when broken. */
export function checkInvariants(
  line: LabelledRequest,
  run: RunResource,
): Record<Invariant, { ok: boolean; why?: string }> {
  const e = line.expect;
  const seats = e.party ? e.party[0] + e.party[1] + e.party[2] : undefined;
  const flights = offersOf(run, 'flight');
  const hotels = offersOf(run, 'hotel').sort((a, b) => String(a.checkIn).localeCompare(String(b.checkIn)));
  const days = run.result?.itinerary?.days ?? [];
  const fail = (why: string) => ({ ok: false, why });
  const pass = { ok: true };

  // Relative dates ("next weekend") are labelled from the set's day; a run reads them from its own.
  const relative = line.tags.includes('vague-dates');
  const start = relative ? run.request.understood?.startDate : e.startDate;
  const end = relative ? run.request.understood?.endDate : e.endDate;
  const datesInRange = (() => {
    if (!start || !end || end < start) return pass;
    const outside = days.find((day) => day.date < start || day.date > end);
    if (outside) return fail(`itinerary day ${outside.date} outside ${start}…${end}`);
    if (hotels.length === 0) return pass;
    // The stays, end to end: the first from the start, each next from the last one's check-out, the last to the end.
    const nights = hotels.map((h) => `${String(h.checkIn)}…${String(h.checkOut)}`).join(', ');
    const chained = hotels.every((h, k) =>
      k === 0 ? h.checkIn === start : h.checkIn === hotels[k - 1].checkOut,
    );
    if (!chained || hotels.at(-1)!.checkOut !== end) return fail(`hotels ${nights}`);
    const stops = e.destinations?.length;
    if (stops !== undefined && hotels.length !== stops)
      return fail(`${hotels.length} hotel(s) for ${stops} stop(s)`);
    return pass;
  })();
  const wrongSeats = flights.find((flight) => seats !== undefined && flight.passengers !== seats);
  const seatsEqualParty = wrongSeats
    ? fail(`${String(wrongSeats.passengers)} seats for a party of ${String(seats)}`)
    : pass;
  const roomsFit = (() => {
    if (!e.party) return pass;
    const guests = e.party[0] + e.party[1];
    for (const hotel of hotels) {
      const rooms = Number(hotel.rooms);
      if (rooms * GUESTS_PER_ROOM < guests) return fail(`${rooms} room(s) for ${guests} guests`);
      if (e.rooms !== undefined && rooms < e.rooms)
        return fail(`${rooms} room(s), the request needs ${e.rooms}`);
    }
    return pass;
  })();
  const budgetKeptOrMarked = (() => {
    const quote = run.quote;
    if (!quote?.budget) return pass;
    const over = quote.total.amount > quote.budget.amount + 0.005;
    return over && !quote.overBudget
      ? fail(`total ${quote.total.amount} over budget ${quote.budget.amount}, not marked`)
      : pass;
  })();
  const bookings = run.result?.bookings ?? [];
  const bookedOnlyWhenApproved =
    bookings.some((b) => b.status === 'confirmed') && run.result?.approval?.approved !== true
      ? fail('booked without an approval')
      : pass;
  return { datesInRange, seatsEqualParty, roomsFit, budgetKeptOrMarked, bookedOnlyWhenApproved };
}
