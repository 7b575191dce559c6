/**
 * The facts a step needs, checked before it runs (pure): which are missing or wrong for the
 * route and topics, as `{path, issue}` items, and the one question that asks for all of them.
 */
import type { Issue } from '../agents/contracts';
import type { Topic, TripFacts, TripRoute } from './schemas';

/** Longest trip the planner plans. */
export const MAX_TRIP_DAYS = 30;

export interface Needs {
  origin: boolean;
  destination: boolean;
  dates: boolean;
  endDate: boolean;
  travellers: boolean;
  budget: boolean;
  contact: boolean;
}

/** What each route (and, for single questions, topic) cannot do without. */
export function needsFor(route: TripRoute, topics: readonly Topic[], book: boolean): Needs {
  if (route === 'full_trip') {
    return {
      origin: true,
      destination: true,
      dates: true,
      endDate: true,
      travellers: true,
      budget: true,
      contact: book,
    };
  }
  const topic = topics[0];
  return {
    origin: topic === 'flights',
    destination: true,
    dates: topic === 'flights' || topic === 'hotels' || topic === 'weather',
    endDate: topic === 'hotels' || topic === 'weather',
    travellers: false,
    budget: false,
    contact: false,
  };
}

/** Most passengers one flight booking takes: larger groups book through the airline's group desk. */
export const MAX_PARTY = 9;

/**
 * Problems with `facts` as of `today` (YYYY-MM-DD). `raised` are issues the reading found itself
 * (an unknown place named, dates in the wrong order with the swap proposed): they come first and
 * stand for their path, so the traveller is asked once per fact, with the most precise question.
 */
export function checkFacts(
  facts: TripFacts,
  needs: Needs,
  today: string,
  raised: readonly Issue[] = [],
): Issue[] {
  const issues: Issue[] = [];
  for (const field of ['origin', 'destination'] as const) {
    if (needs[field] && !facts[field] && !raised.some((r) => r.path === field)) {
      issues.push({
        path: field,
        issue: field === 'origin' ? 'where are you travelling from?' : 'where do you want to go?',
      });
    }
  }
  if (
    facts.origin &&
    facts.destination &&
    facts.origin.airport &&
    facts.origin.airport === facts.destination.airport
  ) {
    issues.push({ path: 'destination', issue: 'the destination is the same place as the origin' });
  }
  if (needs.dates && !facts.startDate) issues.push({ path: 'startDate', issue: 'when does the trip start?' });
  if (needs.endDate && facts.startDate && !facts.endDate)
    issues.push({ path: 'endDate', issue: 'when does the trip end?' });
  if (facts.startDate && facts.startDate <= today) {
    issues.push({ path: 'startDate', issue: `the start date must be after today (${today})` });
  }
  if (facts.startDate && facts.endDate) {
    if (facts.endDate < facts.startDate) {
      issues.push({ path: 'endDate', issue: 'the end date is before the start date' });
    } else if (daysBetween(facts.startDate, facts.endDate) + 1 > MAX_TRIP_DAYS) {
      issues.push({ path: 'endDate', issue: `trips are planned for at most ${MAX_TRIP_DAYS} days` });
    }
  }
  if (needs.travellers && facts.travellers === undefined)
    issues.push({ path: 'travellers', issue: 'how many people are travelling?' });
  if (facts.travellers !== undefined && facts.travellers > MAX_PARTY)
    issues.push({
      path: 'travellers',
      issue: `a flight booking takes at most ${MAX_PARTY} passengers (larger groups book through the airline's group desk): how many of you should this plan cover?`,
    });
  if (needs.budget && facts.budget === undefined)
    issues.push({ path: 'budget', issue: 'what is your budget (amount and currency)?' });
  if (needs.contact) {
    if (!facts.contactEmail)
      issues.push({ path: 'contactEmail', issue: 'an email address for the booking confirmations' });
    const names = facts.travellerNames?.length ?? 0;
    if (names === 0) {
      issues.push({
        path: 'travellerNames',
        issue: "the travellers' first and last names, as on their passports",
      });
    } else if (facts.travellers !== undefined && names !== facts.travellers) {
      issues.push({
        path: 'travellerNames',
        issue: `give ${facts.travellers} name(s), one per traveller (got ${names})`,
      });
    }
  }
  const raisedPaths = new Set(raised.map((r) => r.path));
  return [...raised, ...issues.filter((issue) => !raisedPaths.has(issue.path))];
}

const LABELS: Record<string, string> = {
  origin: 'where you are travelling from',
  destination: 'where you want to go',
  startDate: 'the start date',
  endDate: 'the end date',
  travellers: 'how many people are travelling',
  budget: 'your budget',
  contactEmail: 'a contact email',
  travellerNames: "the travellers' names",
};

/** One question asking for everything in `issues`. */
export function questionFor(issues: readonly Issue[]): string {
  const wanted = [...new Set(issues.map((issue) => LABELS[issue.path] ?? issue.path))];
  const list = wanted.length === 1 ? wanted[0] : `${wanted.slice(0, -1).join(', ')} and ${wanted.at(-1)!}`;
  return `To go on I need ${list}. Could you tell me?`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
