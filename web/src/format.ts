/** Pure formatting for the UI: money, durations, statuses, budget meters. */
import type { RunStatusName } from '../../src/agents/run-status';

export const STATUS_LABELS: Readonly<Record<RunStatusName, string>> = {
  pending: 'Pending',
  running: 'Running',
  needs_input: 'Needs your input',
  awaiting_approval: 'Awaiting your approval',
  booking: 'Booking',
  completed: 'Completed',
  failed: 'Failed',
  budget_exceeded: 'Budget exceeded',
  cancelled: 'Cancelled',
};

export function money(amount: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 2 }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
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

export function count(n: number): string {
  return new Intl.NumberFormat('en').format(n);
}

export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "Wed 10 Mar 2027" for a YYYY-MM-DD date (read as a calendar date, not shifted by time zone). */
export function calendarDate(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : date.toLocaleDateString('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      });
}

export interface MeterReading {
  label: string;
  value: number;
  max: number;
  text: string;
  /** Share used, 0–1 (capped). */
  share: number;
}

type Budget = 'steps' | 'tokens' | 'wallTimeMs' | 'toolCalls' | 'money';

/** The five budget meters of a run, in the order the UI shows them. */
export function budgetMeters(limits: Record<Budget, number>, usage: Record<Budget, number>): MeterReading[] {
  const show: [Budget, string, (n: number) => string][] = [
    ['steps', 'Steps', count],
    ['tokens', 'Tokens', count],
    ['wallTimeMs', 'Time', duration],
    ['toolCalls', 'Tool calls', count],
    ['money', 'Money', (n) => money(n)],
  ];
  return show.map(([key, label, format]) => {
    const value = usage[key];
    const max = limits[key];
    return {
      label,
      value,
      max,
      text: `${format(value)} of ${format(max)}`,
      share: max > 0 ? Math.min(1, value / max) : 0,
    };
  });
}
