/**
 * The trips HTTP API: one HTTP function per route of `trips/routes.ts`, each a thin trigger over
 * the durable client (`trips/endpoint.ts`). Validation, caller identity, run ids and the run
 * resource live in `travel/api/*` as pure code; the handlers (`trips/start-trip.ts`,
 * `trips/run-handlers.ts`) read the request, ask Durable Functions, and answer.
 *
 * Every route is `authLevel: 'anonymous'`: `resolveCaller` decides who calls (see api/caller.ts).
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { endpoint } from './trips/endpoint';
import { TRIP_ROUTES } from './trips/routes';

const durableClient = [df.input.durableClient()];
for (const route of TRIP_ROUTES) {
  app.http(route.name, {
    route: `api/${route.path}`,
    methods: [route.method],
    authLevel: 'anonymous',
    extraInputs: durableClient,
    handler: endpoint(route),
  });
}
