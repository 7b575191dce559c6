/**
 * Answers a traveller types at the trip CLI's prompts, read with the same recognizers as the
 * request ("15 January 2027", "next Friday", "2 adults and a child of 5", "£2,000", "Ada Lovelace
 * and Grace Hopper"), into the fields the trips API takes. Pure: `today` is passed in.
 */
import * as chrono from 'chrono-node';
import type { TripFields } from '../travel/schemas';
import { datesInText } from '../travel/understanding/dates';
import { detectLanguage } from '../travel/understanding/languages';
import { budgetInText } from '../travel/understanding/money';
import { partyInText, travellersOf } from '../travel/understanding/party';

export type AnswerReading = { fields: Partial<TripFields> } | { error: string };

const EXAMPLES: Partial<Record<keyof TripFields, string>> = {
  startDate: 'a date, e.g. 15 January 2027 or 2027-01-15',
  endDate: 'a date, e.g. 22 January 2027 or 2027-01-22',
  travellers: 'who travels, e.g. 2, or 2 adults and a child of 5',
  budget: 'an amount with its currency, e.g. £2,000 or 3000 EUR',
  travellerNames: 'first and last names, e.g. Ada Lovelace and Grace Hopper',
};

/** The fields an answer for `field` gives ("3-10 June 2027" at the start-date prompt gives both dates). */
export function readAnswer(field: keyof TripFields, text: string, today: string): AnswerReading {
  const value = text.trim();
  const fail = (): AnswerReading => ({ error: `Please give ${EXAMPLES[field] ?? 'a value'}.` });
  switch (field) {
    case 'startDate':
    case 'endDate': {
      const dates = readDates(value, today);
      if (!dates) return fail();
      if (field === 'endDate') return { fields: { endDate: dates.end ?? dates.start } };
      return { fields: { startDate: dates.start, ...(dates.end ? { endDate: dates.end } : {}) } };
    }
    case 'travellers': {
      if (/^\d{1,2}$/.test(value)) return { fields: { travellers: Number(value) } };
      const party = partyInText(value);
      return party ? { fields: { travellers: travellersOf(party.party) } } : fail();
    }
    case 'budget': {
      const money = budgetInText(value);
      if (money) return { fields: { budget: { amount: money.amount, currency: money.currency } } };
      // A bare amount is in US dollars, as the prompt's example says.
      const bare = /^(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d{1,2})?)$/.exec(value);
      return bare
        ? { fields: { budget: { amount: Number(bare[1].replace(/[,\s]/g, '')), currency: 'USD' } } }
        : fail();
    }
    case 'travellerNames': {
      const names = value
        .split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|、)\s*/u)
        .map((name) => name.trim().split(/\s+/))
        .filter((parts) => parts[0] !== '');
      if (names.length === 0 || names.some((parts) => parts.length < 2)) return fail();
      return {
        fields: {
          travellerNames: names.map((parts) => ({
            firstName: parts[0],
            lastName: parts.slice(1).join(' '),
          })),
        },
      };
    }
    default:
      return value === '' ? fail() : { fields: { [field]: value } };
  }
}

/** A date or a range: the recognizers' patterns first, then chrono's relative dates ("next Friday"). */
function readDates(text: string, today: string): { start: string; end?: string } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { start: text };
  const found = datesInText(text, text, today, detectLanguage(text));
  if (found.startDate)
    return { start: found.startDate.date, ...(found.endDate ? { end: found.endDate.date } : {}) };
  const parsed = chrono.parseDate(text, new Date(`${today}T12:00:00Z`), { forwardDate: true });
  return parsed ? { start: parsed.toISOString().slice(0, 10) } : undefined;
}
