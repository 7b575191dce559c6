/**
 * Pure formatting for the UI: statuses in plain words, money, dates and date ranges as travel
 * sites write them, durations, flight times. No DOM, no clock: tests run it in Node.
 */
import type { RunStatusName } from '../../src/agents/run-status';

export const STATUS_LABELS: Readonly<Record<RunStatusName, string>> = {
  pending: 'Starting',
  running: 'Planning',
  needs_input: 'Needs your answer',
  awaiting_approval: 'Waiting for your approval',
  booking: 'Booking',
  completed: 'Completed',
  failed: 'Stopped',
  budget_exceeded: 'Over its limit',
  cancelled: 'Cancelled',
};

export const RUN_STATUSES = Object.keys(STATUS_LABELS) as RunStatusName[];

export const ACTIVE_STATUSES: readonly RunStatusName[] = [
  'pending',
  'running',
  'needs_input',
  'awaiting_approval',
  'booking',
];

export function isFinal(status: RunStatusName): boolean {
  return !ACTIVE_STATUSES.includes(status);
}

export function money(amount: number, currency = 'USD', options: { cents?: boolean } = {}): string {
  const cents = options.cents ?? !Number.isInteger(amount);
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      minimumFractionDigits: cents ? 2 : 0,
      maximumFractionDigits: cents ? 2 : 0,
    }).format(amount);
  } catch {
    return `${amount.toFixed(cents ? 2 : 0)} ${currency}`;
  }
}

/** 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Elapsed time as a clock shows it: 0:07, 1:42, 1:02:05. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** 15 h 25 min, 45 min. */
export function flightDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '';
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

export function count(n: number): string {
  return new Intl.NumberFormat('en').format(n);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface CalendarDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/** A YYYY-MM-DD date as a calendar day (never shifted by a time zone), or undefined. */
export function calendarDay(iso: string | undefined): CalendarDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return { year, month, day, weekday: date.getUTCDay() };
}

/** "Wed 10 Mar 2027" (or "Wed 10 Mar" without the year). */
export function calendarDate(iso: string, options: { year?: boolean; weekday?: boolean } = {}): string {
  const d = calendarDay(iso);
  if (!d) return iso;
  const parts = [
    options.weekday === false ? '' : WEEKDAYS[d.weekday],
    String(d.day),
    MONTHS[d.month - 1],
    options.year === false ? '' : String(d.year),
  ];
  return parts.filter(Boolean).join(' ');
}

/** "10–14 Mar 2027", "28 Feb – 3 Mar 2027", "30 Dec 2027 – 2 Jan 2028", "10 Mar 2027". */
export function dateRange(start: string | undefined, end: string | undefined): string | undefined {
  const a = calendarDay(start);
  const b = calendarDay(end);
  if (!a) return undefined;
  const full = (d: CalendarDay) => `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
  if (!b || (a.year === b.year && a.month === b.month && a.day === b.day)) return full(a);
  if (a.year !== b.year) return `${full(a)} – ${full(b)}`;
  if (a.month !== b.month) return `${a.day} ${MONTHS[a.month - 1]} – ${full(b)}`;
  return `${a.day}–${b.day} ${MONTHS[b.month - 1]} ${b.year}`;
}

/** Nights between two YYYY-MM-DD dates (0 when either is missing). */
export function nightsBetween(start: string | undefined, end: string | undefined): number {
  const a = calendarDay(start);
  const b = calendarDay(end);
  if (!a || !b) return 0;
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The local wall-clock time and date of an ISO time with an offset ("2027-03-10T08:55:00-08:00"
 * → 08:55 on 2027-03-10): flight times are shown in the airport's own time, as on a ticket.
 */
export function localTime(iso: string | undefined): { date: string; time: string } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso ?? '');
  return match ? { date: match[1], time: match[2] } : undefined;
}

/** A moment for people: "Thu 10 Dec, 14:05" in the browser's time zone. */
export function moment(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" between two instants. */
export function ago(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '';
  const minutes = Math.floor((nowMs - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return plural(Math.floor(hours / 24), 'day') + ' ago';
}
