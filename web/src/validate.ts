/**
 * The plan and answer forms checked in the browser, in plain words, before anything is sent: the
 * same rules the API enforces (it still checks everything), said the way a person would. Pure:
 * the form's values in, the body and the problems per field out; `today` is passed in.
 */
import { isKnownCurrency } from '../../src/domain/currency';
import type { TripFields } from '../../src/travel/schemas';
import { calendarDay } from './format';

/** The form's raw values by field path (`budget.amount`), as typed. */
export type FormValues = Readonly<Record<string, string | boolean | undefined>>;

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Checked<T> {
  body: T;
  problems: FieldProblem[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const text = (values: FormValues, path: string): string | undefined => {
  const value = values[path];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/** "Ada Lovelace\nGrace Hopper" → names; a line with one word is a problem. */
export function parseNames(value: string): {
  names: { firstName: string; lastName: string }[];
  bad: string[];
} {
  const names: { firstName: string; lastName: string }[] = [];
  const bad: string[] = [];
  for (const line of value
    .split(/\n|;/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const parts = line.split(/\s+/);
    if (parts.length < 2) bad.push(line);
    else names.push({ firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] });
  }
  return { names, bad };
}

/**
 * Checks the trip facts among `paths` (all of them when undefined); `required` paths must be
 * given. Returns the fields to send and what is wrong, per field.
 */
export function checkTripFields(
  values: FormValues,
  today: string,
  options: { paths?: readonly string[]; required?: readonly string[] } = {},
): Checked<TripFields> {
  const wanted = (path: string) => !options.paths || options.paths.includes(path);
  const required = new Set(options.required ?? []);
  const body: TripFields = {};
  const problems: FieldProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  const missing = (path: string, what: string) => {
    if (required.has(path.split('.')[0])) problem(path, `Please enter ${what}.`);
  };

  for (const [path, what] of [
    ['origin', 'where you are travelling from'],
    ['destination', 'where you want to go'],
  ] as const) {
    if (!wanted(path)) continue;
    const value = text(values, path);
    if (!value) missing(path, what);
    else if (value.length < 2) problem(path, 'Please enter a city or an airport code, e.g. Lisbon or LIS.');
    else if (value.length > 100) problem(path, 'Please keep this under 100 characters.');
    else body[path] = value;
  }

  const start = wanted('startDate') ? text(values, 'startDate') : undefined;
  const end = wanted('endDate') ? text(values, 'endDate') : undefined;
  if (wanted('startDate')) {
    if (!start) missing('startDate', 'the day you leave');
    else if (!calendarDay(start)) problem('startDate', 'Please pick a real date.');
    else if (start <= today)
      problem('startDate', 'Trips can start tomorrow at the earliest: please pick a later date.');
    else body.startDate = start;
  }
  if (wanted('endDate')) {
    if (!end) missing('endDate', 'the day you come back');
    else if (!calendarDay(end)) problem('endDate', 'Please pick a real date.');
    else if (end <= today) problem('endDate', 'Please pick a date after today.');
    else if (start && end < start) problem('endDate', 'The return date is before the departure date.');
    else body.endDate = end;
  }

  if (wanted('travellers')) {
    const value = text(values, 'travellers');
    const n = Number(value);
    if (!value) missing('travellers', 'how many people are travelling');
    else if (!Number.isInteger(n) || n < 1)
      problem('travellers', 'Please enter a whole number of travellers.');
    else if (n > 9) problem('travellers', 'We can plan for up to 9 travellers at a time.');
    else body.travellers = n;
  }

  if (wanted('budget')) {
    const amountText = text(values, 'budget.amount');
    const currency = (text(values, 'budget.currency') ?? 'USD').toUpperCase();
    const amount = Number(amountText?.replace(/[,\s]/g, ''));
    if (!amountText) missing('budget.amount', 'your budget');
    else if (!Number.isFinite(amount) || amount <= 0)
      problem('budget.amount', 'Please enter the budget as a number, e.g. 3000.');
    else if (amount > 10_000_000) problem('budget.amount', 'That budget is larger than we can plan for.');
    if (!isKnownCurrency(currency))
      problem('budget.currency', 'Please pick a currency from the list, e.g. USD, EUR or GBP.');
    else if (amountText && Number.isFinite(amount) && amount > 0 && amount <= 10_000_000)
      body.budget = { amount, currency };
  }

  if (wanted('contactEmail')) {
    const value = text(values, 'contactEmail');
    if (!value) missing('contactEmail', 'an e-mail address for the booking');
    else if (!EMAIL.test(value) || value.length > 200)
      problem('contactEmail', 'Please enter an e-mail address like name@example.com.');
    else body.contactEmail = value;
  }

  if (wanted('travellerNames')) {
    const value = text(values, 'travellerNames');
    if (!value) missing('travellerNames', 'the name of each traveller');
    else {
      const { names, bad } = parseNames(value);
      if (bad.length)
        problem(
          'travellerNames',
          `Please give a first and a last name for ${bad.map((b) => `“${b}”`).join(', ')}.`,
        );
      else if (names.length > 9) problem('travellerNames', 'We can book for up to 9 travellers at a time.');
      else if (names.some((n) => n.firstName.length > 60 || n.lastName.length > 60))
        problem('travellerNames', 'Please keep each name under 60 characters.');
      else body.travellerNames = names;
    }
  }
  return { body, problems };
}

/** The plan form: the request in words (required) and the optional facts. */
export function checkPlan(
  values: FormValues,
  today: string,
): Checked<TripFields & { request: string; book?: boolean }> {
  const request = text(values, 'request');
  const fields = checkTripFields(values, today, {
    paths: ['origin', 'destination', 'startDate', 'endDate', 'travellers', 'budget'],
  });
  const problems = [...fields.problems];
  if (!request)
    problems.unshift({ path: 'request', message: 'Please tell us about the trip you have in mind.' });
  else if (request.length > 2000)
    problems.unshift({ path: 'request', message: 'Please keep the description under 2,000 characters.' });
  return {
    body: { request: request ?? '', ...fields.body, ...(values.book === true ? { book: true } : {}) },
    problems,
  };
}

/** Today as YYYY-MM-DD in the traveller's own time zone (the date pickers' `min`). */
export function localToday(now: Date): string {
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}

/** The day after `today` (YYYY-MM-DD): the earliest start a trip can have. */
export function dayAfter(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
