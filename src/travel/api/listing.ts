/**
 * `GET /api/trips?status=…&limit=…&view=…`: the query, validated, and the pure selection of a
 * caller's recent runs (newest first). Durable's instance query filters by runtime status and
 * creation time only, so the handler narrows by those first (`runtimeStatusesFor`,
 * `RECENT_WINDOW_MS`) and this module does the rest. `view=summary` answers each run as a
 * `RunSummary` (what a list of trips shows) instead of the whole run resource.
 */
import { z } from 'zod';
import { RUN_STATUSES, type RunStatusName } from '../../agents/run-status';
import type { RunResource } from './run-resource';

export const LIST_VIEWS = ['full', 'summary'] as const;

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;
/** "Recent": runs created in the last 30 days. */
export const RECENT_WINDOW_MS = 30 * 24 * 3_600_000;

export const listQuerySchema = z
  .object({
    /** One status or several, comma-separated: `needs_input,awaiting_approval`. */
    status: z
      .string()
      .max(300)
      .transform((text) => text.split(',').map((part) => part.trim()))
      .pipe(z.array(z.enum(RUN_STATUSES)).min(1))
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
    /** `full` (the default, as before): run resources; `summary`: one `RunSummary` per run. */
    view: z.enum(LIST_VIEWS).default('full'),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The runtime statuses an instance in one of `statuses` can have (all of them when none is given). */
export function runtimeStatusesFor(statuses: readonly RunStatusName[] | undefined): string[] | undefined {
  if (!statuses) return undefined;
  const runtime = new Set<string>();
  for (const status of statuses) {
    switch (status) {
      case 'pending':
        runtime.add('Pending');
        break;
      case 'running':
      case 'needs_input':
      case 'awaiting_approval':
      case 'booking':
        runtime.add('Running').add('ContinuedAsNew').add('Suspended');
        break;
      case 'failed':
        // A crash is Failed; a failure the run reports itself is Completed with status failed.
        runtime.add('Failed').add('Completed');
        break;
      case 'cancelled':
        runtime.add('Terminated').add('Canceled').add('Completed');
        break;
      default:
        runtime.add('Completed');
    }
  }
  return [...runtime];
}

/** The runs the query asks for: filtered by status, newest first (ties by id), at most `limit`. */
export function selectRuns(runs: readonly RunResource[], query: ListQuery): RunResource[] {
  const wanted = query.status ? new Set<string>(query.status) : undefined;
  return runs
    .filter((run) => !wanted || wanted.has(run.status))
    .sort((a, b) =>
      a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? 1 : -1,
    )
    .slice(0, query.limit);
}

const moneySchema = z.object({ amount: z.number(), currency: z.string() });

/** One run as a list of trips shows it: where, when, who, what it costs, whether it is booked. */
export const runSummarySchema = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The request's words, cut at SUMMARY_REQUEST_CHARS. */
  request: z.string(),
  origin: z.string().optional(),
  destination: z.string().optional(),
  /** A trip with several stops: every stop, in order (`destination` is the first). */
  stops: z.array(z.string()).optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  travellers: z.number().int().optional(),
  /** The quoted total (what approval is or was asked for), else the itinerary's total. */
  total: moneySchema.optional(),
  /** Every quoted item has a confirmed booking. */
  booked: z.boolean(),
  /** The run waits for the caller: an answer (`input`) or a decision on the quote (`approval`). */
  waitingFor: z.enum(['input', 'approval']).optional(),
  links: z.object({ self: z.string() }),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const SUMMARY_REQUEST_CHARS = 160;

/** The summary of a run resource. Pure. */
export function toRunSummary(run: RunResource): RunSummary {
  const understood = run.request.understood;
  const fields = run.request.fields;
  const text = run.request.text;
  const bookings = run.result?.bookings ?? [];
  const costs = run.result?.itinerary?.costs;
  const total = run.quote?.total ?? (costs ? { amount: costs.total, currency: costs.currency } : undefined);
  const origin = understood?.origin?.name ?? fields.origin;
  const destination = understood?.destination?.name ?? fields.destination;
  const legs = understood?.legs ?? [];
  const startDate = understood?.startDate ?? fields.startDate;
  const endDate = understood?.endDate ?? fields.endDate;
  const travellers = understood?.travellers ?? fields.travellers;
  const waitingFor =
    run.status === 'needs_input' ? 'input' : run.status === 'awaiting_approval' ? 'approval' : undefined;
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    request: text.length > SUMMARY_REQUEST_CHARS ? `${text.slice(0, SUMMARY_REQUEST_CHARS - 1)}…` : text,
    ...(origin ? { origin } : {}),
    ...(destination ? { destination } : {}),
    ...(legs.length > 1 ? { stops: legs.map((leg) => leg.place.name) } : {}),
    ...(startDate ? { startDate } : {}),
    ...(endDate ? { endDate } : {}),
    ...(travellers !== undefined ? { travellers } : {}),
    ...(total ? { total: { amount: total.amount, currency: total.currency } } : {}),
    booked: bookings.length > 0 && bookings.every((b) => b.status === 'confirmed'),
    ...(waitingFor ? { waitingFor } : {}),
    links: { self: run.links.self },
  };
}
