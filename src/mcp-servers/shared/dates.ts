import { z } from 'zod';
import { ValidationError } from '../../domain/errors';

const DAY_MS = 86_400_000;

/** A calendar date `YYYY-MM-DD` that exists (rejects 2027-02-30). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = parseIsoDate(value);
    return !Number.isNaN(date.getTime()) && toIsoDate(date) === value;
  }, 'not a valid calendar date');

/** Midnight UTC of an ISO date. */
export function parseIsoDate(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return toIsoDate(new Date(parseIsoDate(isoDate).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / DAY_MS);
}

/** Every date from `start` to `end`, inclusive. */
export function dateRange(start: string, end: string): string[] {
  return Array.from({ length: daysBetween(start, end) + 1 }, (_, i) => addDays(start, i));
}

/** 1-based month. */
export function monthOf(isoDate: string): number {
  return parseIsoDate(isoDate).getUTCMonth() + 1;
}

/** 1-based day of the year. */
export function dayOfYear(isoDate: string): number {
  const date = parseIsoDate(isoDate);
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
}

export function isWeekend(isoDate: string): boolean {
  const weekday = parseIsoDate(isoDate).getUTCDay();
  return weekday === 5 || weekday === 6; // Friday and Saturday nights cost more in hotels.
}

/** `2027-03-15` → `20270315`, the compact form used inside offer ids. */
export function compactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** `20270315` → `2027-03-15`; undefined when it is not a real date. */
export function expandCompactDate(compact: string): string | undefined {
  if (!/^\d{8}$/.test(compact)) return undefined;
  const iso = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
  return isoDateSchema.safeParse(iso).success ? iso : undefined;
}

/** Building a formatter is costly (ICU data): one per zone, reused. */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The UTC offset of an IANA zone at an instant, in minutes (e.g. +60 for Paris in winter). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = offsetFormatter(timeZone)
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? '');
  if (!match) return 0; // "GMT" alone means UTC.
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** An instant as local time with its offset, e.g. `2027-03-15T08:35:00+01:00`. */
export function toLocalIso(at: Date, timeZone: string): string {
  const offset = utcOffsetMinutes(timeZone, at);
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant at which a local wall-clock time (minutes after midnight) occurs on a date in a zone. */
export function localTimeToInstant(isoDate: string, minutesAfterMidnight: number, timeZone: string): Date {
  const naive = new Date(parseIsoDate(isoDate).getTime() + minutesAfterMidnight * 60_000);
  // Two passes settle the offset even on DST-change days.
  let instant = new Date(naive.getTime() - utcOffsetMinutes(timeZone, naive) * 60_000);
  instant = new Date(naive.getTime() - utcOffsetMinutes(timeZone, instant) * 60_000);
  return instant;
}

/** Today's date in UTC, from an injectable clock. */
export function todayUtc(clock: () => Date): string {
  return toIsoDate(clock());
}

/** Rejects a date before today (UTC); a day of slack covers travellers west of UTC. */
export function assertNotPast(isoDate: string, field: string, clock: () => Date): void {
  if (daysBetween(todayUtc(clock), isoDate) < -1) {
    throw new ValidationError(`${field} ${isoDate} is in the past.`, [
      { path: field, issue: 'date is in the past' },
    ]);
  }
}

/** Rejects a range whose end precedes its start. */
export function assertOrdered(
  start: { field: string; date: string },
  end: { field: string; date: string },
): void {
  if (daysBetween(start.date, end.date) < 0) {
    throw new ValidationError(`${end.field} ${end.date} is before ${start.field} ${start.date}.`, [
      { path: end.field, issue: `must not be before ${start.field}` },
    ]);
  }
}
