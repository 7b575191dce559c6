/**
 * The trip as an iCalendar file (RFC 5545) for the traveller's calendar: each flight segment at
 * its real time (the offsets in the tool data make UTC exact), the hotel stay and each day as
 * all-day events. Text is escaped and lines folded at 75 octets as the RFC asks; UIDs are
 * derived from the run, so importing the file twice updates rather than duplicates.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { dayViews, flightPlanOf, hotelStayOf, journeysOf, stopsOf, type FlightPlan } from './itinerary-model';

type Itinerary = NonNullable<NonNullable<RunResource['result']>['itinerary']>;

export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line into 75-octet pieces (continuations start with a space). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const pieces: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    const limit = pieces.length === 0 ? 75 : 74;
    if (size + bytes > limit) {
      pieces.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/** "2027-03-10T08:55:00-08:00" → "20270310T165500Z". */
export function utcStamp(iso: string): string | undefined {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return undefined;
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const dateValue = (day: string) => day.replace(/-/g, '');

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * A flight's segments as timed events; `raw` is the flight as the itinerary carries it, whose ISO
 * times keep their offsets (the plan keeps local wall-clock times only). The UIDs of a trip with
 * one destination stay as they were, so a re-import updates the events it made before.
 */
function flightCalendarEvents(
  runId: string,
  key: string,
  plan: FlightPlan | undefined,
  raw: unknown,
): Event[] {
  const details = (raw as { details?: Record<string, { segments?: unknown[] }> } | undefined)?.details;
  const prefix = key === 'flights' ? runId : `${runId}-${key.replace(':', '-')}`;
  return (plan?.legs ?? []).flatMap((leg) => {
    const rawSegments = details?.[leg.direction === 'outbound' ? 'outbound' : 'inbound']?.segments ?? [];
    return leg.segments.flatMap((s, index): Event[] => {
      const source = rawSegments[index] as { departure?: string; arrival?: string } | undefined;
      const start = utcStamp(source?.departure ?? '');
      const end = utcStamp(source?.arrival ?? '');
      if (!start || !end) return [];
      return [
        {
          uid: `${prefix}-${leg.direction}-${index}@waypoint`,
          summary: `Flight ${s.from} → ${s.to}${s.flightNumber ? ` (${s.flightNumber})` : ''}`,
          description: [s.airline, s.aircraft].filter(Boolean).join(' · ') || undefined,
          location: s.from,
          start,
          end,
          allDay: false,
        },
      ];
    });
  });
}

interface Event {
  uid: string;
  summary: string;
  description?: string;
  location?: string;
  start: string;
  end: string;
  allDay: boolean;
}

function eventLines(e: Event, stamp: string): string[] {
  const when = e.allDay
    ? [`DTSTART;VALUE=DATE:${e.start}`, `DTEND;VALUE=DATE:${e.end}`]
    : [`DTSTART:${e.start}`, `DTEND:${e.end}`];
  return [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${stamp}`,
    ...when,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    'END:VEVENT',
  ];
}

/**
 * The calendar file for `itinerary` of run `runId`, stamped `now` (an ISO time).
 */
export function itineraryCalendar(runId: string, itinerary: Itinerary, title: string, now: string): string {
  // Several stops: a flight per journey and a hotel per stop; one destination: the round trip.
  const journeys = journeysOf(itinerary);
  const rawJourneys = (itinerary as { journeys?: { flight?: unknown }[] }).journeys ?? [];
  const flights = journeys.length
    ? journeys.map((j, k) => ({ key: j.part, plan: j.plan, raw: rawJourneys[k]?.flight }))
    : [{ key: 'flights', plan: flightPlanOf(itinerary.flights), raw: itinerary.flights }];
  const events: Event[] = flights.flatMap((f) => flightCalendarEvents(runId, f.key, f.plan, f.raw));
  const stops = stopsOf(itinerary);
  const stays = stops.length
    ? stops.map((s) => ({ uid: `${runId}-hotel-${s.index}@waypoint`, stay: s.hotel }))
    : [{ uid: `${runId}-hotel@waypoint`, stay: hotelStayOf(itinerary.hotel) }];
  for (const { uid, stay } of stays) {
    if (!stay?.checkIn || !stay.checkOut) continue;
    events.push({
      uid,
      summary: `Stay: ${stay.name}`,
      description: [
        stay.checkInFrom ? `Check in from ${stay.checkInFrom}` : undefined,
        stay.checkOutUntil ? `check out by ${stay.checkOutUntil}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
      location: stay.area,
      start: dateValue(stay.checkIn),
      end: dateValue(stay.checkOut),
      allDay: true,
    });
  }
  for (const day of dayViews(itinerary)) {
    events.push({
      uid: `${runId}-day-${day.date}@waypoint`,
      summary: `${title}: ${day.title}`,
      description: [
        ...day.events.map((e) => `${e.time ?? ''} ${e.title}`.trim()),
        ...day.activities,
        ...day.meals,
      ]
        .filter(Boolean)
        .join('\n'),
      start: dateValue(day.date),
      end: dateValue(nextDay(day.date)),
      allDay: true,
    });
  }
  const stamp = utcStamp(now) ?? '19700101T000000Z';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Waypoint//Trip planner//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(title)}`,
    ...events.flatMap((e) => eventLines(e, stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
