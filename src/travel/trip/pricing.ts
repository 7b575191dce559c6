/**
 * Money for the traveller, computed in code from the servers' prices: the quote (items, total,
 * the traveller's budget and currency, by how much it is over), the itinerary's cost breakdown
 * and its summary line. Pure. A model's numbers never reach any of these.
 */
import { fromUsd, RATES_DATE, roundCents } from '../../domain/currency';
import type { Amount, Quote, QuoteItem, TripFacts } from '../schemas';
import { costBreakdownSchema } from '../schemas';
import type { z } from 'zod';
import { shapeOf } from './shape';

type CostBreakdown = z.infer<typeof costBreakdownSchema>;

/** The currency the traveller wrote their budget in (USD when they gave none). */
export function displayCurrency(facts: TripFacts): string {
  return facts.budget?.currency ?? 'USD';
}

/** `usd` in the traveller's currency, or undefined when that is USD. */
export function displayAmount(usd: number, facts: TripFacts): Amount | undefined {
  const currency = displayCurrency(facts);
  return currency === 'USD' ? undefined : { amount: fromUsd(usd, currency), currency };
}

export interface QuoteParts {
  id: string;
  round: number;
  items: Omit<QuoteItem, 'display'>[];
  alternatives?: Quote['alternatives'];
  changes?: Quote['changes'];
  expiresAt?: string;
}

/** The quote of `parts` for a traveller with `facts`: totals, budget, currency, over by how much. */
export function buildQuote(parts: QuoteParts, facts: TripFacts): Quote {
  const items = parts.items.map((item) => withDisplay(item, facts));
  const total = roundCents(items.reduce((sum, item) => sum + item.price.amount, 0));
  const budgetUsd = facts.budget?.usd;
  const over = budgetUsd !== undefined && total > budgetUsd ? roundCents(total - budgetUsd) : undefined;
  const displayTotal = displayAmount(total, facts);
  const overDisplay = over === undefined ? undefined : displayAmount(over, facts);
  return {
    id: parts.id,
    round: parts.round,
    items,
    total: { amount: total, currency: 'USD' },
    ...(displayTotal ? { displayTotal } : {}),
    ...(budgetUsd !== undefined ? { budget: { amount: budgetUsd, currency: 'USD' } } : {}),
    ...(over !== undefined
      ? {
          overBudget: {
            by: { amount: over, currency: 'USD' },
            ...(overDisplay ? { display: overDisplay } : {}),
          },
        }
      : {}),
    ...(parts.alternatives?.length ? { alternatives: parts.alternatives } : {}),
    ...(displayCurrency(facts) !== 'USD' ? { ratesDate: RATES_DATE } : {}),
    ...(parts.expiresAt ? { expiresAt: parts.expiresAt } : {}),
    ...(parts.changes?.length ? { changes: parts.changes } : {}),
  };
}

function withDisplay<T extends { price: Amount }>(item: T, facts: TripFacts): T & { display?: Amount } {
  const display = displayAmount(item.price.amount, facts);
  return display ? { ...item, display } : item;
}

/** The itinerary's costs: the quoted trip (and the run's AI spend, shown apart). */
export function costsOf(quote: Quote, aiCostUsd: number, facts: TripFacts): CostBreakdown {
  const sum = (kind: QuoteItem['kind']) =>
    roundCents(quote.items.filter((i) => i.kind === kind).reduce((s, i) => s + i.price.amount, 0));
  const flights = sum('flight');
  const hotel = sum('hotel');
  const total = quote.total.amount;
  const budget = quote.budget?.amount;
  const currency = displayCurrency(facts);
  const inDisplay = (usd: number) => fromUsd(usd, currency);
  return {
    flights,
    hotel,
    ai: Math.round(aiCostUsd * 10_000) / 10_000,
    total,
    ...(budget !== undefined ? { budget, remaining: roundCents(budget - total) } : {}),
    currency: 'USD',
    ...(currency !== 'USD'
      ? {
          display: {
            currency,
            flights: inDisplay(flights),
            hotel: inDisplay(hotel),
            total: inDisplay(total),
            ...(facts.budget ? { budget: facts.budget.amount } : {}),
            ...(facts.budget ? { remaining: roundCents(facts.budget.amount - inDisplay(total)) } : {}),
            ratesDate: RATES_DATE,
          },
        }
      : {}),
  };
}

/** "5 days in El Calafate for 2, from Seattle: 3,412.50 USD, 1,587.50 under the 5,000 USD budget." */
export function summaryOf(quote: Quote, facts: TripFacts, days: number): string {
  const currency = displayCurrency(facts);
  const show = (usd: number) =>
    currency === 'USD'
      ? money(usd, 'USD')
      : `${money(fromUsd(usd, currency), currency)} (${money(usd, 'USD')})`;
  let line =
    `${days} day${days === 1 ? '' : 's'} ${whereOf(facts)} for ${whoOf(facts)}` +
    (facts.origin ? `, from ${facts.origin.name}` : '') +
    `: ${show(quote.total.amount)} for flights and hotel`;
  if (quote.budget) {
    const diff = roundCents(quote.budget.amount - quote.total.amount);
    const budgetText = facts.budget
      ? money(facts.budget.amount, facts.budget.currency)
      : show(quote.budget.amount);
    line +=
      diff >= 0
        ? `, ${show(diff)} under the ${budgetText} budget`
        : `, ${show(-diff)} over the ${budgetText} budget`;
  }
  return `${line}.` + (quote.ratesDate ? ` Converted at the rates of ${quote.ratesDate}.` : '');
}

/** "in Rome", or for several stops "in Rome (4 nights) and Florence (4 nights)". */
function whereOf(facts: TripFacts): string {
  const shaped = shapeOf(facts);
  if (shaped && 'shape' in shaped && shaped.shape.stays.length > 1) {
    const stops = shaped.shape.stays.map(
      (s) => `${s.place.name} (${s.nights} night${s.nights === 1 ? '' : 's'})`,
    );
    return `in ${stops.slice(0, -1).join(', ')} and ${stops.at(-1)}`;
  }
  return `in ${facts.destination?.name ?? facts.legs?.[0]?.place.name ?? 'your destination'}`;
}

/** "2", or with children "2 adults and 2 children". */
function whoOf(facts: TripFacts): string {
  const party = facts.party;
  const young = party ? party.children.length + party.infants : 0;
  if (!party || young === 0) return String(facts.travellers ?? 1);
  const adults = `${party.adults} adult${party.adults === 1 ? '' : 's'}`;
  const children =
    party.children.length > 0
      ? [`${party.children.length} ${party.children.length === 1 ? 'child' : 'children'}`]
      : [];
  const infants = party.infants > 0 ? [`${party.infants} infant${party.infants === 1 ? '' : 's'}`] : [];
  const rest = [...children, ...infants];
  return `${adults} and ${rest.join(' and ')}`;
}

/** "3,412.50 USD" (no locale data: the same text on every host and replay). */
export function money(amount: number, currency: string): string {
  const cents = Math.round(Math.abs(amount) * 100);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = cents % 100 === 0 ? '' : `.${String(cents % 100).padStart(2, '0')}`;
  return `${amount < 0 ? '-' : ''}${whole}${fraction} ${currency}`;
}
