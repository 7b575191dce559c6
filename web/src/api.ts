/**
 * The trips API as the browser calls it: same origin, JSON, every answer checked with the
 * server's own zod schemas (the run resource and the trace tree), every refusal turned into an
 * `ApiProblem` that carries the API's code, message and field details.
 */
import { z } from 'zod';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import type { TripInputBody, TripRequestBody } from '../../src/travel/schemas';
import { TraceTreeSchema, type TraceTree } from '../../src/telemetry/trace-tree';
import type { RunStatusName } from '../../src/agents/run-status';

export interface FieldIssue {
  path: string;
  issue: string;
}

/** A refusal or failure, as the API (or the network) reported it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), issue: z.string() })).optional(),
  }),
});

/** The API's base: every API route is under `/api/` on the page's own origin (the page is `/`). */
const apiBase = new URL('/api/', window.location.origin);

/** A run's links are absolute paths on this origin; the routes this module names are relative to the API. */
function resolve(path: string): URL {
  return path.startsWith('/') ? new URL(path, window.location.origin) : new URL(path, apiBase);
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(resolve(path), {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiProblem(
      0,
      'network',
      `Could not reach Waypoint: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = errorBodySchema.safeParse(json);
    if (problem.success) {
      const { code, message, details } = problem.data.error;
      throw new ApiProblem(response.status, code, message, details ?? []);
    }
    throw new ApiProblem(
      response.status,
      'http_error',
      `The server answered ${response.status} ${response.statusText}.`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiProblem(
      response.status,
      'unexpected_answer',
      `The server's answer to ${method} ${path} was not in the expected shape.`,
    );
  }
  return parsed.data;
}

const runListSchema = z.object({ runs: z.array(runResourceSchema) });

/** POST /api/trips; `key` makes a retried (or double-clicked) submission the same run. */
export function startTrip(body: TripRequestBody, key: string): Promise<RunResource> {
  return call('POST', 'trips', runResourceSchema, body, { 'Idempotency-Key': key });
}

export function getRun(id: string): Promise<RunResource> {
  return call('GET', `trips/${encodeURIComponent(id)}`, runResourceSchema);
}

export async function listRuns(statuses: readonly RunStatusName[] = []): Promise<RunResource[]> {
  const query = statuses.length ? `?status=${statuses.join(',')}&limit=50` : '?limit=50';
  return (await call('GET', `trips${query}`, runListSchema)).runs;
}

export function sendInput(run: RunResource, body: TripInputBody): Promise<RunResource> {
  return call('POST', run.links.input, runResourceSchema, body);
}

export function sendApproval(run: RunResource, approved: boolean, note?: string): Promise<RunResource> {
  return call('POST', run.links.approval, runResourceSchema, { approved, ...(note ? { note } : {}) });
}

export function cancelRun(run: RunResource, reason = 'cancelled in the web UI'): Promise<RunResource> {
  return call('POST', run.links.cancel, runResourceSchema, { reason });
}

export function getTrace(run: RunResource): Promise<TraceTree> {
  return call('GET', run.links.trace, TraceTreeSchema);
}
