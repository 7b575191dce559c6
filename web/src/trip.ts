/**
 * What a run means to a traveller, derived purely from the run resource: the trip's heading
 * ("Seattle → El Calafate · 10–14 Mar 2027 · 2 travellers"), where the planning is (each
 * specialist working or done), and how a finished run ended, in plain words, with the ways
 * forward it offers. No DOM, no clock: the views render these and tests check them in Node.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import type { TripRequestBody } from '../../src/travel/schemas';
import { dateRange, duration, isFinal, money, plural } from './format';

type Understood = NonNullable<RunResource['request']['understood']>;

/** What the trip is, from what the run understood, else from the fields the traveller gave. */
export interface TripFacts {
  origin?: string;
  destination?: string;
  /** Every stop in order, on a trip with several (each with its dates once they are known). */
  stops: { place: string; checkIn?: string; checkOut?: string }[];
  startDate?: string;
  endDate?: string;
  travellers?: number;
  budget?: { amount: number; currency: string; usd?: number };
  book: boolean;
}

export function tripFacts(run: RunResource): TripFacts {
  const understood: Partial<Understood> = run.request.understood ?? {};
  const fields = run.request.fields;
  const place = (p: Understood['origin'] | undefined, text: string | undefined) => p?.name ?? text;
  const budget = understood.budget ?? fields.budget;
  return {
    origin: place(understood.origin, fields.origin),
    destination: place(understood.destination, fields.destination),
    stops: stopsUnderstood(understood),
    startDate: understood.startDate ?? fields.startDate,
    endDate: understood.endDate ?? fields.endDate,
    travellers: understood.travellers ?? fields.travellers,
    ...(budget ? { budget } : {}),
    book: understood.book ?? run.request.book ?? false,
  };
}

/** The stops the run understood (`legs`), by name, when there are several. */
function stopsUnderstood(understood: Partial<Understood>): TripFacts['stops'] {
  const legs = (understood as { legs?: unknown }).legs;
  if (!Array.isArray(legs) || legs.length < 2) return [];
  return legs.flatMap((leg: { place?: { name?: unknown }; checkIn?: unknown; checkOut?: unknown }) => {
    const name = leg?.place?.name;
    if (typeof name !== 'string' || !name) return [];
    return [
      {
        place: name,
        ...(typeof leg.checkIn === 'string' ? { checkIn: leg.checkIn } : {}),
        ...(typeof leg.checkOut === 'string' ? { checkOut: leg.checkOut } : {}),
      },
    ];
  });
}

export interface TripHeading {
  /** "Seattle → El Calafate", "El Calafate", or the request's words when no place is known yet. */
  title: string;
  /** "10–14 Mar 2027 · 2 travellers" (empty when nothing is known). */
  subtitle: string;
  /** For the page title. */
  documentTitle: string;
}

export function tripHeading(run: RunResource): TripHeading {
  const facts = tripFacts(run);
  if (facts.stops.length > 1) return stopsHeading(facts);
  const route =
    facts.origin && facts.destination
      ? `${facts.origin} → ${facts.destination}`
      : (facts.destination ?? (facts.origin ? `From ${facts.origin}` : undefined));
  const text = run.request.text.trim();
  const title = route ?? (text.length > 70 ? `${text.slice(0, 69)}…` : text);
  const subtitle = [
    dateRange(facts.startDate, facts.endDate),
    facts.travellers ? plural(facts.travellers, 'traveller') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return { title, subtitle, documentTitle: route ?? 'Your trip' };
}

/** "Rome → Florence", "From London · 10–18 Mar 2027 · 2 travellers". */
function stopsHeading(facts: TripFacts): TripHeading {
  const title = facts.stops.map((s) => s.place).join(' → ');
  const subtitle = [
    facts.origin ? `From ${facts.origin}` : undefined,
    dateRange(facts.startDate, facts.endDate),
    facts.travellers ? plural(facts.travellers, 'traveller') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return { title, subtitle, documentTitle: title };
}

/** The specialists a full trip runs in parallel, as the traveller knows them. */
export const SPECIALISTS = [
  { agent: 'flights', label: 'Flights', working: 'Searching flights', done: 'Flights found' },
  { agent: 'hotels', label: 'Hotel', working: 'Finding a hotel', done: 'Hotel found' },
  { agent: 'weather', label: 'Weather', working: 'Checking the weather', done: 'Weather checked' },
  { agent: 'restaurants', label: 'Food', working: 'Picking restaurants', done: 'Restaurants picked' },
] as const;

export type CardState = 'waiting' | 'working' | 'done' | 'failed';

export interface SpecialistCard {
  agent: string;
  label: string;
  state: CardState;
  /** "Searching flights", "Flights found", "Not found" … */
  text: string;
  /** How long it worked (ms), once it started. */
  elapsedMs?: number;
}

type Step = RunResource['progress']['steps'][number];

/**
 * The agent a step belongs to: the run names an agent working as a whole "flights" (or "flights,
 * revision 1"), its model turns "flights turn 2" (or "flights, revision 1 turn 1") and its tool
 * calls "flights.search_flights". Undefined for the run's own steps (checks, quotes, bookings).
 */
export function agentOfStep(step: Pick<Step, 'kind' | 'name'>): string | undefined {
  if (step.kind !== 'agent' && step.kind !== 'tool') return undefined;
  const match = /^([a-z][\w-]*)(?:$|[ ,.])/i.exec(step.name);
  if (!match) return undefined;
  // A run-level tool step ("check flight offer") is not an agent's.
  if (step.kind === 'tool' && !step.name.startsWith(`${match[1]}.`)) return undefined;
  return match[1];
}

/** Steps that belong to `agent`, in the run's order. */
function stepsOf(steps: readonly Step[], agent: string): Step[] {
  return steps.filter((s) => agentOfStep(s) === agent);
}

/** A step of an agent asked to look again (the supervisor's revision). */
const isRevision = (step: Step) => /^[\w-]+, revision \d+/.test(step.name);

/**
 * Each specialist's card, from the progress steps. The specialists run in parallel and their
 * steps reach the run's progress only when they finish, so once the planner has dispatched them
 * a specialist without steps yet is working (since the planner finished).
 */
export function specialistCards(run: RunResource, nowMs: number): SpecialistCard[] {
  const steps = run.progress.steps;
  const stopped = isFinal(run.status);
  const planner = steps.find((s) => s.name.startsWith('planner') && s.status === 'completed');
  const dispatchedAt = planner ? Date.parse(planner.endedAt ?? planner.startedAt) : undefined;
  const topics = run.request.understood?.topics;
  const single = run.request.understood?.route === 'single_question';
  return SPECIALISTS.filter(({ agent }) => !single || !topics || topics.includes(agent)).map(
    ({ agent, label, working, done }): SpecialistCard => {
      const mine = stepsOf(steps, agent);
      if (mine.length === 0) {
        if (dispatchedAt !== undefined && run.status === 'running')
          return {
            agent,
            label,
            state: 'working',
            text: working,
            elapsedMs: Math.max(0, nowMs - dispatchedAt),
          };
        return { agent, label, state: 'waiting', text: stopped ? 'Not started' : 'Waiting' };
      }
      const start = Math.min(...mine.map((s) => Date.parse(s.startedAt)));
      const running = mine.some((s) => s.status === 'running');
      const last = mine[mine.length - 1];
      const ends = mine.map((s) => Date.parse(s.endedAt ?? '')).filter(Number.isFinite);
      const end = running && !stopped ? nowMs : ends.length ? Math.max(...ends) : nowMs;
      const finished = !running && last.kind === 'agent' && last.detail === 'answered';
      const failed = !running && (last.status === 'failed' || (stopped && !finished));
      const state: CardState = failed ? 'failed' : finished ? 'done' : 'working';
      const text =
        state === 'failed'
          ? 'Stopped'
          : state === 'done'
            ? done
            : isRevision(last)
              ? `${working}, again`
              : working;
      return { agent, label, state, text, elapsedMs: Math.max(0, end - start) };
    },
  );
}

/** "flights, hotels and weather" */
function listed(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const SEARCH_WORDS: Readonly<Record<string, string>> = {
  flights: 'flights',
  hotels: 'hotels',
  weather: 'weather',
  restaurants: 'restaurants',
};

/** One sentence on what the run is doing now. */
export function phaseOf(run: RunResource): string {
  const steps = run.progress.steps;
  const running = steps.filter((s) => s.status === 'running');
  const latest = running[running.length - 1] ?? steps[steps.length - 1];
  switch (run.status) {
    case 'pending':
      return 'Starting…';
    case 'needs_input':
      return 'Waiting for your answer';
    case 'awaiting_approval':
      return 'Waiting for your approval';
    case 'booking':
      return 'Booking your trip…';
    case 'running':
      break;
    default:
      return '';
  }
  if (!latest || latest.kind === 'route' || latest.kind === 'validate') return 'Reading your request…';
  // The specialists at work now (running in parallel), else the one that worked last.
  const searching = SPECIALISTS.filter(({ agent }) => running.some((s) => agentOfStep(s) === agent));
  if (searching.length) {
    if (searching.length === 1 && running.length === 1) return `${searching[0].working}…`;
    const words = listed(searching.map((s) => SEARCH_WORDS[s.agent]));
    return running.some(isRevision) ? `Looking again at ${words}…` : `Searching ${words}…`;
  }
  const agent = agentOfStep(latest);
  if (agent === 'router') return 'Reading your request…';
  if (agent === 'planner')
    return latest.status === 'completed'
      ? 'Searching flights, hotels, weather and restaurants…'
      : 'Planning the search…';
  if (agent === 'supervisor') return 'Checking the plan against your wishes…';
  if (agent === 'itinerary') return 'Writing your day-by-day plan…';
  if (SPECIALISTS.some((s) => s.agent === agent)) return 'Comparing what we found…';
  if (latest.kind === 'tool' && /\b(offer|cheaper)\b/.test(latest.name)) return 'Checking the prices…';
  if (latest.kind === 'approve') return 'Waiting for your approval';
  return 'Planning…';
}

/** The ways forward an ended run offers. */
export type Action = 'retry' | 'edit' | 'raise-budget' | 'more-room' | 'plan-again';

export interface Outcome {
  tone: 'success' | 'neutral' | 'warning' | 'error';
  /** A short word for the badge and the title: "Booked", "Rejected", "Stopped" … */
  badge: string;
  title: string;
  message: string;
  /** The technical detail, shown behind a disclosure. */
  detail?: { code: string; message: string };
  actions: Action[];
}

type ErrorBody = NonNullable<RunResource['error']>;

const FAILURES: Readonly<Record<string, { title: string; message: string }>> = {
  model_error: {
    title: 'We could not finish the search',
    message: 'The planning assistant kept failing, so planning stopped. Trying again usually works.',
  },
  activity_failed: {
    title: 'We could not finish the search',
    message: 'A search kept failing, so planning stopped. Trying again usually works.',
  },
  run_failed: {
    title: 'Something went wrong on our side',
    message: 'Planning stopped on an unexpected problem. What was found so far is kept below.',
  },
  agent_failed: {
    title: 'We could not finish the search',
    message: 'One of the searches kept failing, so planning stopped. Trying again usually works.',
  },
  no_offers: {
    title: 'No flights or hotel fit this trip',
    message: 'Nothing matched your dates, places and budget. Changing one of them often helps.',
  },
  booking_failed: {
    title: 'The booking did not go through',
    message: 'Nothing more will be booked. Check the confirmations below before trying again.',
  },
  missing_input: {
    title: 'Some details were still missing',
    message: 'We asked, but still did not have what we need to plan. Edit the request to add them.',
  },
  input_timeout: {
    title: 'The question expired',
    message: 'No answer came in time, so planning stopped. Start again when you are ready.',
  },
  routing_failed: {
    title: 'We could not read the request',
    message: 'Try saying where you want to go, when, and for how many people.',
  },
  compose_failed: {
    title: 'We could not put the plan together',
    message: 'The search worked, but writing the day-by-day plan failed. Trying again usually works.',
  },
  invalid_result: {
    title: 'Something went wrong on our side',
    message: 'Planning ended without a usable plan. Trying again usually works.',
  },
};

const GENERIC_FAILURE = {
  title: 'Planning stopped',
  message: 'Something went wrong while planning. Trying again usually works.',
};

const BUDGETS: Readonly<Record<string, string>> = {
  steps: 'planning needed more steps than this plan allows',
  tokens: 'planning needed more AI work than this plan allows',
  wallTimeMs: 'planning took longer than this plan allows',
  toolCalls: 'planning needed more searches than this plan allows',
};

function detailOf(error: ErrorBody | undefined): Outcome['detail'] {
  return error ? { code: error.code, message: error.message } : undefined;
}

/** The breached budget of a budget_exceeded run (`money`, `steps` …), when the error names it. */
export function breachedBudget(run: RunResource): string | undefined {
  const details = run.error?.details as { budget?: unknown } | undefined;
  return typeof details?.budget === 'string' ? details.budget : undefined;
}

/** How a run that has ended ended, in the traveller's words; undefined while it is active. */
export function outcomeOf(run: RunResource): Outcome | undefined {
  const result = run.result;
  switch (run.status) {
    case 'completed': {
      if (result?.approval && !result.approval.approved) {
        const timedOut = /no approval came in time/i.test(result.approval.note ?? '');
        return {
          tone: 'neutral',
          badge: timedOut ? 'Expired' : 'Rejected',
          title: timedOut ? 'The quote expired' : 'You rejected this quote',
          message: timedOut
            ? 'No approval came in time, so nothing was booked and nothing was charged.'
            : 'Nothing was booked and nothing was charged. The plan is kept below.',
          actions: ['edit', 'retry'],
        };
      }
      if (result?.bookings?.length) {
        return {
          tone: 'success',
          badge: 'Booked',
          title: 'Your trip is booked',
          message: 'Your confirmations are below. Add the trip to your calendar or print it.',
          actions: ['plan-again'],
        };
      }
      const quote = run.quote;
      if (result?.itinerary && quote?.overBudget) {
        const total = quote.displayTotal ?? quote.total;
        const by = quote.overBudget.display ?? quote.overBudget.by;
        return {
          tone: 'warning',
          badge: 'Over budget',
          title: 'Your trip plan is over your budget',
          message: `It comes to ${money(total.amount, total.currency)}, ${money(by.amount, by.currency)} more than your budget. Nothing has been booked: raise the budget, or change the dates or places.`,
          actions: ['raise-budget', 'edit'],
        };
      }
      if (result?.itinerary) {
        return {
          tone: 'success',
          badge: 'Ready',
          title: 'Your trip plan is ready',
          message: 'Nothing has been booked. Plan it again with booking to book it.',
          actions: ['edit', 'plan-again'],
        };
      }
      return {
        tone: 'success',
        badge: 'Answered',
        title: 'Here is your answer',
        message: result?.answer ?? '',
        actions: ['edit', 'plan-again'],
      };
    }
    case 'failed': {
      const known = FAILURES[run.error?.code ?? ''] ?? GENERIC_FAILURE;
      return {
        tone: 'error',
        badge: 'Stopped',
        ...known,
        detail: detailOf(run.error),
        actions: run.error?.code === 'booking_failed' ? ['edit'] : ['retry', 'edit'],
      };
    }
    case 'budget_exceeded': {
      const budget = breachedBudget(run);
      if (budget === 'money' || budget === undefined) {
        return {
          tone: 'warning',
          badge: 'Over its limit',
          title: 'This trip costs more than planning may spend',
          message:
            'Each plan has a spending limit (flights, hotel and AI together), and what we found went past it. What we found is below: try again with more room, or change the request.',
          detail: detailOf(run.error),
          actions: ['more-room', 'edit'],
        };
      }
      return {
        tone: 'warning',
        badge: 'Stopped',
        title: 'Planning hit its limit',
        message: `We stopped because ${BUDGETS[budget] ?? 'planning hit a limit'}. What was found so far is below.`,
        detail: detailOf(run.error),
        actions: ['more-room', 'edit'],
      };
    }
    case 'cancelled':
      return {
        tone: 'neutral',
        badge: 'Cancelled',
        title: 'You cancelled this plan',
        message: 'Nothing was booked. You can start it again or change it first.',
        detail: detailOf(run.error),
        actions: ['retry', 'edit'],
      };
    default:
      return undefined;
  }
}

/** The wall time a run has taken, or takes so far. */
export function elapsedMs(run: RunResource, nowMs: number): number {
  const start = Date.parse(run.createdAt);
  const end = isFinal(run.status) ? Date.parse(run.updatedAt) : nowMs;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
}

export function elapsedText(run: RunResource, nowMs: number): string {
  return duration(elapsedMs(run, nowMs));
}

/** The body that starts the same request again (Retry), from what the run was sent. */
export function requestBodyOf(run: RunResource): TripRequestBody {
  return {
    request: run.request.text,
    ...run.request.fields,
    ...(run.request.book === undefined ? {} : { book: run.request.book }),
  };
}

/** Retry with twice the room in the budget that stopped the run (the server caps it at its maxima). */
export function withMoreRoom(run: RunResource): TripRequestBody {
  const budget = breachedBudget(run);
  const limits = run.budgets.limits as Record<string, number>;
  const body = requestBodyOf(run);
  if (!budget || !(budget in limits)) return body;
  return { ...body, budgets: { [budget]: Math.ceil(limits[budget] * 2) } };
}

/**
 * A budget that would have covered what the run found: what it used against its money limit,
 * scaled to the traveller's own budget and currency, with 10% to spare, rounded up to 100.
 */
export function suggestedBudget(run: RunResource): { amount: number; currency: string } | undefined {
  const facts = tripFacts(run);
  const quote = run.quote;
  if (quote?.overBudget) {
    // The quote's total (in the traveller's currency when it gives one), with 10% to spare.
    const total = quote.displayTotal ?? quote.total;
    return { amount: Math.ceil((total.amount * 1.1) / 100) * 100, currency: total.currency };
  }
  const details = run.error?.details as { used?: unknown; limit?: unknown } | undefined;
  const used = typeof details?.used === 'number' ? details.used : run.budgets.usage.money;
  const limit = typeof details?.limit === 'number' ? details.limit : run.budgets.limits.money;
  if (!facts.budget || !(used > 0) || !(limit > 0)) return undefined;
  const amount = Math.ceil((((facts.budget.amount * used) / limit) * 1.1) / 100) * 100;
  return { amount: Math.max(amount, facts.budget.amount + 100), currency: facts.budget.currency };
}
