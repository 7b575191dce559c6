/**
 * `GET /api/trips?status=…&limit=…`: the query, validated, and the pure selection of a caller's
 * recent runs (newest first). Durable's instance query filters by runtime status and creation
 * time only, so the handler narrows by those first (`runtimeStatusesFor`, `RECENT_WINDOW_MS`) and
 * this module does the rest.
 */
import { z } from 'zod';
import { RUN_STATUSES, type RunStatusName } from '../../agents/run-status';
import type { RunResource } from './run-resource';

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
