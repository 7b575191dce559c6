/**
 * Every route of the trips API, declared once: the Functions registration (`trips.ts`) and the
 * request's span both read this table, so a route is spelled in one place only.
 *
 *   POST /api/trips                 start a run (Idempotency-Key → the same run on retry)
 *   GET  /api/trips                 the caller's recent runs (?status=a,b&limit=n)
 *   GET  /api/trips/{id}            the run resource
 *   GET  /api/trips/{id}/trace      the run's spans, from the local trace store
 *   POST /api/trips/{id}/input      the missing facts (only while needs_input)
 *   POST /api/trips/{id}/approval   approve or reject the quote (only while awaiting_approval)
 *   POST /api/trips/{id}/cancel     terminate the run
 */
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { Caller } from '../../travel/api/caller';
import type { SpannedRoute } from './request-span';
import { cancelTrip, getTrace, getTrip, listTrips, sendApproval, sendInput } from './run-handlers';
import { startTrip } from './start-trip';

/** Answers one request of a known caller; throws an `ApiError` to refuse it. */
export type Handler = (
  request: HttpRequest,
  client: DurableClient,
  caller: Caller,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

/** One route: the function's name, its method, where it is (below /api) and what answers it. */
export interface ApiRoute extends SpannedRoute {
  readonly name: string;
  readonly method: HttpMethod;
  readonly handler: Handler;
}

export const TRIP_ROUTES: readonly ApiRoute[] = [
  { name: 'tripsStart', method: 'POST', path: 'trips', handler: startTrip, startsRun: true },
  { name: 'tripsList', method: 'GET', path: 'trips', handler: listTrips },
  { name: 'tripsGet', method: 'GET', path: 'trips/{id}', handler: getTrip },
  { name: 'tripsTrace', method: 'GET', path: 'trips/{id}/trace', handler: getTrace },
  { name: 'tripsInput', method: 'POST', path: 'trips/{id}/input', handler: sendInput },
  { name: 'tripsApproval', method: 'POST', path: 'trips/{id}/approval', handler: sendApproval },
  { name: 'tripsCancel', method: 'POST', path: 'trips/{id}/cancel', handler: cancelTrip },
];
