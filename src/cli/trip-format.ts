/**
 * The pure half of the trip CLI: its arguments, the answers a traveller types, and how a run
 * resource reads on a terminal (budget meters, steps, quote, itinerary). No I/O here.
 */
import { parseArgs } from 'node:util';
import type { RunResource } from '../travel/api/run-resource';
import { tripFieldsSchema, type TripFields, type TripRequestBody } from '../travel/schemas';
import { terminalSafe } from './terminal-text';

export const USAGE = `Usage: npm run trip -- "<request>" [options]

  --origin <place>         --destination <place>
  --start <YYYY-MM-DD>     --end <YYYY-MM-DD>
  --travellers <n>         --budget "<amount> <currency>"   (e.g. "3000 USD")
  --email <address>        --names "Ada Lovelace, Grace Hopper"
  --book                   book after you approve the quote
  --url <base URL>         the app to use (default: http://127.0.0.1:7071 if it answers,
                           else a local host started in this process)
  --local                  always start a local host in this process
  --store <path>           durable store of that in-process host (default .data/durable.sqlite)
  --yes                    approve the quote without asking
  --answers <json>         answers to send when the run asks for facts (no prompting)
  --json                   print the final run resource as JSON`;

export interface TripCliOptions {
  body: TripRequestBody;
  url?: string;
  store?: string;
  /** Start a host in-process even if one answers on the default URL. */
  local: boolean;
  yes: boolean;
  answers?: TripFields;
  json: boolean;
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends Error {}

/** The options in `argv` (the arguments after the script), or a UsageError. */
export function parseTripArgs(argv: readonly string[]): TripCliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const request = positionals.join(' ').trim();
  if (request === '')
    throw new UsageError('Say what trip to plan, e.g. "4 days hiking in Patagonia for two".');

  const fields: Record<string, unknown> = {};
  if (values.origin) fields.origin = values.origin;
  if (values.destination) fields.destination = values.destination;
  if (values.start) fields.startDate = values.start;
  if (values.end) fields.endDate = values.end;
  if (values.travellers) fields.travellers = parseAnswer('travellers', values.travellers);
  if (values.budget) fields.budget = parseAnswer('budget', values.budget);
  if (values.email) fields.contactEmail = values.email;
  if (values.names) fields.travellerNames = parseAnswer('travellerNames', values.names);
  const checked = tripFieldsSchema.safeParse(fields);
  if (!checked.success) {
    throw new UsageError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }

  let answers: TripFields | undefined;
  if (values.answers !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(values.answers);
    } catch {
      throw new UsageError('--answers must be a JSON object, e.g. \'{"startDate":"2027-03-10"}\'.');
    }
    const result = tripFieldsSchema.strict().safeParse(json);
    if (!result.success) {
      throw new UsageError(
        `--answers: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    answers = result.data;
  }
  if (values.url !== undefined && values.local) throw new UsageError('Give --url or --local, not both.');
  if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url))
    throw new UsageError('--url must be an http(s) URL.');

  return {
    body: { ...checked.data, request, ...(values.book ? { book: true } : {}) },
    ...(values.url ? { url: values.url.replace(/\/+$/, '') } : {}),
    ...(values.store ? { store: values.store } : {}),
    local: values.local ?? false,
    yes: values.yes ?? false,
    ...(answers ? { answers } : {}),
    json: values.json ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      origin: { type: 'string' },
      destination: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      travellers: { type: 'string' },
      budget: { type: 'string' },
      email: { type: 'string' },
      names: { type: 'string' },
      book: { type: 'boolean' },
      url: { type: 'string' },
      store: { type: 'string' },
      local: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      answers: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

/**
 * A typed answer for the field at `path` (the run's `needsInput.fields[].path`): numbers for
 * travellers, "3000 USD" for a budget, "First Last, First Last" for names, text otherwise.
 */
export function parseAnswer(path: string, text: string): unknown {
  const value = text.trim();
  const field = path.split('.')[0];
  switch (field) {
    case 'travellers':
      return /^\d+$/.test(value) ? Number(value) : value;
    case 'budget': {
      const match = /^([$€£])?\s*([\d,.]+)\s*([A-Za-z]{3})?$/.exec(value);
      if (!match) return value;
      const symbol = { $: 'USD', '€': 'EUR', '£': 'GBP' }[match[1] ?? ''];
      return {
        amount: Number(match[2].replace(/,/g, '')),
        currency: (match[3] ?? symbol ?? 'USD').toUpperCase(),
      };
    }
    case 'travellerNames':
      return value
        .split(',')
        .map((name) => name.trim().split(/\s+/))
        .filter((parts) => parts[0] !== '')
        .map((parts) => ({ firstName: parts[0], lastName: parts.slice(1).join(' ') }));
    default:
      return value;
  }
}

/** The field a needsInput path asks for (its first segment), if it is one a traveller can give. */
export function answerField(path: string): keyof TripFields | undefined {
  const field = path.split('.')[0];
  return field in tripFieldsSchema.shape ? (field as keyof TripFields) : undefined;
}

/** The fields of a run resource whose line breaks are layout; every other string prints as one line. */
const MULTI_LINE_FIELDS = new Set(['result.itinerary.summary', 'result.answer', 'needsInput.question']);

/**
 * The run resource with every string safe to print: models and tools write much of it (titles,
 * plans, the quote's descriptions, questions, error messages), so none of it reaches the terminal
 * with escape sequences or control characters in it (see terminal-text.ts).
 */
export function printableRun(resource: RunResource): RunResource {
  return terminalSafe(resource, MULTI_LINE_FIELDS);
}

/** One line of budget meters: `steps 5/80 · tokens 1.2k/200k · tools 3/40 · $0.0123/$20,000 · 12s`. */
export function budgetMeters(resource: RunResource): string {
  const { limits, usage } = resource.budgets;
  return [
    `steps ${usage.steps}/${limits.steps}`,
    `tokens ${compact(usage.tokens)}/${compact(limits.tokens)}`,
    `tools ${usage.toolCalls}/${limits.toolCalls}`,
    `$${usage.money < 1 ? usage.money.toFixed(4) : money(usage.money)}/$${money(limits.money)}`,
    `${Math.round(usage.wallTimeMs / 1000)}s`,
  ].join(' · ');
}

/** A progress step as one line. */
export function stepLine(step: RunResource['progress']['steps'][number]): string {
  const mark = { running: '…', completed: '✓', failed: '✗', skipped: '-' }[step.status];
  return `${mark} ${step.kind} ${step.name}${step.detail ? ` — ${step.detail}` : ''}`;
}

/** The quote a run asks approval for. */
export function quoteText(quote: NonNullable<RunResource['quote']>): string {
  const lines = quote.items.map(
    (item) =>
      `${item.kind.padEnd(6)} ${item.description}  ${money(item.price.amount)} ${item.price.currency}`,
  );
  lines.push(`total  ${money(quote.total.amount)} ${quote.total.currency}`);
  if (quote.budget) lines.push(`budget ${money(quote.budget.amount)} ${quote.budget.currency}`);
  return lines.join('\n');
}

/** What a finished run produced, as text: the itinerary day by day, or the answer. */
export function resultText(resource: RunResource): string {
  const result = resource.result;
  if (!result) return '';
  const lines: string[] = [];
  const itinerary = result.itinerary;
  if (itinerary) {
    lines.push(itinerary.summary, '');
    for (const day of itinerary.days) {
      lines.push(`${day.date}  ${day.title}${day.weather ? `  (${day.weather})` : ''}`);
      for (const item of day.plan) lines.push(`  - ${item}`);
      if (day.meals?.length) lines.push(`  meals: ${day.meals.join('; ')}`);
    }
    const c = itinerary.costs;
    lines.push(
      '',
      `costs: flights ${money(c.flights)} + hotel ${money(c.hotel)} + AI ${c.ai.toFixed(4)} = ${money(c.total)} ${c.currency}` +
        (c.budget !== undefined
          ? ` (budget ${money(c.budget)}, ${money(c.remaining ?? c.budget - c.total)} left)`
          : ''),
    );
  }
  if (result.answer) lines.push(result.answer);
  for (const booking of result.bookings ?? []) {
    lines.push(
      `booked ${booking.item}: ${booking.status}${booking.bookingId ? ` ${booking.bookingId}` : ''}${booking.error ? ` (${booking.error})` : ''}`,
    );
  }
  if (result.approval && !result.approval.approved) lines.push('Not booked: the quote was rejected.');
  return lines.join('\n');
}

/** Exit code for a final status: 0 completed, 1 otherwise. */
export function exitCodeFor(status: RunResource['status']): number {
  return status === 'completed' ? 0 : 1;
}

function compact(n: number): string {
  return n >= 1_000_000
    ? `${+(n / 1_000_000).toFixed(1)}M`
    : n >= 1_000
      ? `${+(n / 1_000).toFixed(1)}k`
      : String(n);
}

function money(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
