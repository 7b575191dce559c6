/**
 * The trips API as the browser calls it: same origin, JSON, every answer checked (schemas.ts),
 * every refusal an `ApiProblem` with the API's code, message and field details. Whether the host
 * answers at all is tracked for the "reconnecting" banner: a network failure or a 502–504 marks
 * it unreachable, any answer marks it back.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import type { RunSummary } from '../../src/travel/api/listing';
import type { TraceTree } from '../../src/telemetry/trace-tree';
import type { TripInputBody, TripRequestBody } from '../../src/travel/schemas';
import type { RunStatusName } from '../../src/agents/run-status';
import { asErrorBody, asRunResource, asRunSummaries, asTraceTree } from './schemas';
import { reportReachable } from './connection';

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

  /** The host did not answer (or a gateway said it could not reach it): worth retrying. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error));
}

/** A run's links are absolute paths on this origin; the routes this module names are under /api/. */
function resolve(path: string): URL {
  return new URL(path.startsWith('/') ? path : `/api/${path}`, window.location.origin);
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  check: (value: unknown) => T | undefined,
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
  } catch {
    reportReachable(false);
    throw new ApiProblem(0, 'network', 'Waypoint cannot be reached right now.');
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const problem = response.ok ? undefined : asErrorBody(json);
  reportReachable(response.ok || (problem !== undefined && response.status < 502));
  if (!response.ok) {
    if (problem) {
      const { code, message, details } = problem.error;
      throw new ApiProblem(response.status, code, message, details ?? []);
    }
    throw new ApiProblem(
      response.status,
      'http_error',
      `Waypoint answered ${response.status} ${response.statusText}.`,
    );
  }
  const checked = check(json);
  if (checked === undefined)
    throw new ApiProblem(
      response.status,
      'unexpected_answer',
      'Waypoint sent an answer this page does not understand.',
    );
  return checked;
}

/** POST /api/trips; `key` makes a retried (or double-clicked) submission the same run. */
export function startTrip(body: TripRequestBody, key: string): Promise<RunResource> {
  return call('POST', 'trips', asRunResource, body, { 'Idempotency-Key': key });
}

export function getRun(id: string): Promise<RunResource> {
  return call('GET', `trips/${encodeURIComponent(id)}`, asRunResource);
}

/** GET /api/trips?view=summary: the light listing. */
export async function listRuns(statuses: readonly RunStatusName[] = []): Promise<RunSummary[]> {
  const query = new URLSearchParams({ view: 'summary', limit: '50' });
  if (statuses.length) query.set('status', statuses.join(','));
  return (await call('GET', `trips?${query.toString()}`, asRunSummaries)).runs;
}

export function sendInput(run: RunResource, body: TripInputBody): Promise<RunResource> {
  return call('POST', run.links.input, asRunResource, body);
}

/** Approves (or rejects) the quote the page shows: naming it, so a changed price is never approved unseen. */
export function sendApproval(run: RunResource, approved: boolean, note?: string): Promise<RunResource> {
  return call('POST', run.links.approval, asRunResource, {
    approved,
    ...(run.quote ? { quoteId: run.quote.id } : {}),
    ...(note ? { note } : {}),
  });
}

export function cancelRun(
  links: { cancel: string },
  reason = 'cancelled in the web UI',
): Promise<RunResource> {
  return call('POST', links.cancel, asRunResource, { reason });
}

export function getTrace(run: RunResource): Promise<TraceTree> {
  return call('GET', run.links.trace, asTraceTree);
}
