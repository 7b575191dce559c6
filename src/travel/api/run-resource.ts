/**
 * The run resource: what `POST /api/trips` answers and `GET /api/trips/{id}` returns.
 * The CLI and the web UI read only this shape, so `runResourceSchema` is its single source.
 *
 * `toRunResource` is the pure mapping from what Durable Functions reports about an instance
 * (runtime status, custom status, output, input) to that shape: the orchestration publishes a
 * `TripStatus` as its custom status while it runs and returns one as its output, and the runtime
 * status decides what that status cannot say itself (not started yet, terminated, crashed).
 */
import { z } from 'zod';
import { emptyUsage } from '../../agents/budgets';
import { RUN_STATUSES, runErrorSchema, type RunError, type RunStatusName } from '../../agents/run-status';
import { tripPlannerInputSchema, type TripPlannerInput } from '../planner-input';
import {
  tripFactsSchema,
  tripFieldsSchema,
  tripStatusSchema,
  TRIP_ORCHESTRATION,
  type TripFields,
  type TripStatus,
} from '../schemas';

const statusShape = tripStatusSchema.shape;

export const runLinksSchema = z.object({
  self: z.string(),
  input: z.string(),
  approval: z.string(),
  cancel: z.string(),
  trace: z.string(),
});
export type RunLinks = z.infer<typeof runLinksSchema>;

/** The request as sent (validated) and, once the run has read it, as understood. */
export const runRequestSchema = z.object({
  text: z.string(),
  book: z.boolean().optional(),
  /** The facts the caller gave as fields (on the request and in answers merged by the run). */
  fields: tripFieldsSchema,
  understood: tripFactsSchema.optional(),
});

export const runResourceSchema = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  request: runRequestSchema,
  progress: statusShape.progress,
  budgets: statusShape.budgets,
  /** Only while the run waits for input. */
  needsInput: statusShape.needsInput,
  quote: statusShape.quote,
  result: statusShape.result,
  /** Typed; for budget_exceeded `details` names the budget, its limit and the usage. */
  error: runErrorSchema.optional(),
  traceId: z.string().optional(),
  links: runLinksSchema,
});
export type RunResource = z.infer<typeof runResourceSchema>;

/** What the Durable client reports about an instance (the fields this mapping reads). */
export interface DurableSnapshot {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  createdTime: Date | string;
  lastUpdatedTime: Date | string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
}

/** A trip run: an instance of the trip orchestration with a valid input (and so an owner). */
export interface TripRun {
  snapshot: DurableSnapshot;
  input: TripPlannerInput;
  /** The published status (output when completed, custom status otherwise), when there is a valid one. */
  published: TripStatus | undefined;
  /** True when the instance published a status that does not match `tripStatusSchema` (worth a log line). */
  publishedInvalid: boolean;
}

/** The snapshot as a trip run, or undefined when it is another orchestration or has no valid input. */
export function tripRunOf(snapshot: DurableSnapshot): TripRun | undefined {
  if (snapshot.name !== TRIP_ORCHESTRATION) return undefined;
  const input = tripPlannerInputSchema.safeParse(jsonValue(snapshot.input));
  if (!input.success) return undefined;
  const source = snapshot.runtimeStatus === 'Completed' ? snapshot.output : snapshot.customStatus;
  const value = jsonValue(source);
  const published = value === null || value === undefined ? undefined : tripStatusSchema.safeParse(value);
  return {
    snapshot,
    input: input.data,
    published: published?.success ? published.data : undefined,
    publishedInvalid: published !== undefined && !published.success,
  };
}

/** The links of run `id` (paths under the API's origin). */
export function runLinks(id: string): RunLinks {
  const self = `/api/trips/${encodeURIComponent(id)}`;
  return {
    self,
    input: `${self}/input`,
    approval: `${self}/approval`,
    cancel: `${self}/cancel`,
    trace: `${self}/trace`,
  };
}

/** The run resource of `run`. Pure. */
export function toRunResource(run: TripRun): RunResource {
  const { snapshot, input, published } = run;
  const { status, error } = statusOf(snapshot, published);
  const resource: RunResource = {
    id: snapshot.instanceId,
    status,
    createdAt: input.createdAt,
    updatedAt: isoOf(snapshot.lastUpdatedTime),
    request: {
      text: input.body.request,
      ...(input.body.book === undefined ? {} : { book: input.body.book }),
      fields: fieldsOf(input.body),
      ...(published?.request ? { understood: published.request } : {}),
    },
    progress: published?.progress ?? { step: 0, steps: [] },
    budgets: published?.budgets ?? { limits: input.limits, usage: emptyUsage() },
    links: runLinks(snapshot.instanceId),
  };
  if (status === 'needs_input' && published?.needsInput) resource.needsInput = published.needsInput;
  if (published?.quote) resource.quote = published.quote;
  if (published?.result) resource.result = published.result;
  const finalError = error ?? published?.error;
  if (finalError) resource.error = finalError;
  const traceId = published?.traceId ?? traceIdOf(input.trace?.traceparent);
  if (traceId) resource.traceId = traceId;
  return resource;
}

/** True when the run can no longer change. */
export function isFinal(status: RunStatusName): boolean {
  return (
    status === 'completed' || status === 'failed' || status === 'budget_exceeded' || status === 'cancelled'
  );
}

function statusOf(
  snapshot: DurableSnapshot,
  published: TripStatus | undefined,
): { status: RunStatusName; error?: RunError } {
  switch (snapshot.runtimeStatus) {
    case 'Pending':
      return { status: 'pending' };
    case 'Completed':
      return published
        ? { status: published.status }
        : {
            status: 'failed',
            error: { code: 'invalid_result', message: 'The run ended without a valid result.' },
          };
    case 'Failed':
      // Durable's output here is the error with its stack: never shown. The host logs it.
      return {
        status: 'failed',
        error: {
          code: 'run_failed',
          message: 'The run stopped on an unexpected error; its progress so far is kept.',
        },
      };
    case 'Terminated':
    case 'Canceled': {
      const reason = jsonValue(snapshot.output);
      return {
        status: 'cancelled',
        error: {
          code: 'cancelled',
          message:
            typeof reason === 'string' && reason.trim()
              ? `Cancelled: ${reason.trim().slice(0, 500)}`
              : 'Cancelled.',
        },
      };
    }
    default:
      // Running, ContinuedAsNew, Suspended: the run says where it is.
      return { status: published?.status ?? 'running' };
  }
}

const FIELD_NAMES = Object.keys(tripFieldsSchema.shape) as (keyof TripFields)[];

function fieldsOf(body: TripPlannerInput['body']): TripFields {
  const fields: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) if (body[name] !== undefined) fields[name] = body[name];
  return fields as TripFields;
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent)?.[1] : undefined;
}

function isoOf(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** Some Durable backends hand JSON values back as text. */
function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
