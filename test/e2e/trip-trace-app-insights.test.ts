/**
 * The app's runs as Application Insights receives them, and every KQL query of
 * docs/observability.md run against that. The real app (dist/) on the local host exports with the
 * real `useAzureMonitor` to a local HTTPS ingestion endpoint; two runs: one whose weather server
 * fails twice before it answers (retried, completed), one that runs out of its money budget.
 * The captured envelopes become the `requests`, `dependencies`, `traces` and `exceptions` tables
 * and each query runs on them (parsed and checked by Kusto.Language against the real columns).
 *
 * The distro also calls the cloud metadata address, so the work runs in a network namespace with
 * only loopback: this file starts itself again under `unshare -n` (as root, as here and in CI).
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/mcp-servers/http/faults';
import { startAppHost } from '../support/app-host';
import type { RunResource } from '../../src/travel/api/run-resource';
import { HIKING_TRIP } from '../support/trip-requests';
import { tripsClient } from '../support/trips-client';
import {
  appInsightsTables,
  capturedEnvelopes,
  kustoQueries,
} from '../integration/telemetry/support/app-insights-tables';
import {
  IN_LOOPBACK_NAMESPACE,
  runAgainInLoopbackNamespace,
  startIngestionEndpoint,
} from '../integration/telemetry/support/loopback-namespace';
import { runKql, type Row } from '../integration/telemetry/support/kql';

const THIS_FILE = 'test/e2e/trip-trace-app-insights.test.ts';

runAgainInLoopbackNamespace('runs in Application Insights', THIS_FILE, 300_000);

/** A fault seed whose first `failures` calls are answered 503 and the next `clean` served. */
function seedFailingFirst(failures: number, clean: number): number {
  for (let seed = 1; seed < 5_000_000; seed++) {
    const injector = new FaultInjector({ transientErrorRate: 0.5, seed });
    let matches = true;
    for (let call = 0; call < failures + clean && matches; call++) {
      matches = injector.plan().transientError === call < failures;
    }
    if (matches) return seed;
  }
  throw new Error(`no fault seed fails exactly the first ${failures} calls`);
}

const dims = (row: Row) => row.customDimensions as Record<string, string>;

describe.runIf(IN_LOOPBACK_NAMESPACE)('runs in Application Insights, inside the namespace', () => {
  it('answers every query of docs/observability.md from what the exporter sent', async () => {
    expect(Object.keys(networkInterfaces())).toEqual(['lo']);
    const { ingestion, connectionString } = await startIngestionEndpoint();
    const app = await startAppHost({
      APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
      WAYPOINT_ENVIRONMENT: 'test',
      MCP_FAULTS_WEATHER: JSON.stringify({ transientErrorRate: 0.5, seed: seedFailingFirst(2, 12) }),
      TRIP_RETRY_TOOL_READ: '{"firstRetryIntervalMs":100,"maxRetryIntervalMs":200}',
    });
    const trips = tripsClient(app);
    let completed: RunResource;
    let breached: RunResource;
    let routeQuery = '';
    try {
      const completedId = await trips.start(HIKING_TRIP);
      completed = await trips.waitFor(completedId, ['completed']);
      const breachedId = await trips.start({
        request: 'Plan a trip from Seattle to Tokyo, 1–7 April 2027, for 2, budget $5,000',
        budgets: { money: 300 },
      });
      breached = await trips.waitFor(breachedId, ['budget_exceeded']);
      // The trace route points at Application Insights, with the query to paste.
      const route = await trips.api('GET', `/api/trips/${completedId}/trace`);
      expect(route.body).toMatchObject({ source: 'application_insights', operationId: completed.traceId });
      routeQuery = String((route.body as { query: string }).query);
    } finally {
      await app.host.stop();
      await app
        .appModule<{ shutdownTelemetry(): Promise<void> }>('src/telemetry/setup.js')
        .shutdownTelemetry();
      await ingestion.close();
    }

    const tables = appInsightsTables(capturedEnvelopes(ingestion.requests));
    const run = (query: string) => runKql(query.replaceAll('trip-…', completed.id), tables);

    // The route's query: the run's whole operation, every kind of item in it.
    const operation = run(routeQuery);
    expect(new Set(operation.map((r) => r.itemType))).toEqual(
      new Set(['request', 'dependency', 'trace', 'exception']),
    );

    const queries = kustoQueries(readFileSync(join(process.cwd(), 'docs/observability.md'), 'utf8'));
    const answers = new Map(queries.map(({ title, query }) => [title, run(query)]));
    expect([...answers.keys()]).toEqual([
      'Tokens per model over the last day',
      "Runs by outcome: the run's root span, ERROR (success == false) when it failed or ran out of budget",
      'Tool calls that failed, by tool and error type (one row per failed attempt)',
      'Exceptions over the last day, by type: one per failed attempt',
      "One run's decisions, in order",
      "One run's log lines, in order, with the span each belongs to",
    ]);
    const [tokens, outcomes, failedTools, exceptions, decisions, logs] = [...answers.values()];

    // Token sums equal the runs' usage.
    expect(tokens.map((r) => Number(r.input) + Number(r.output)).reduce((a, b) => a + b, 0)).toBe(
      completed.budgets.usage.tokens + breached.budgets.usage.tokens,
    );
    // The outcome is on the root: budget_exceeded is a failure with its code.
    expect(outcomes.sort((a, b) => String(a.status).localeCompare(String(b.status)))).toEqual([
      { status: 'budget_exceeded', error: 'budget_exceeded', runs: 1, failed: 1 },
      { status: 'completed', error: '', runs: 1, failed: 0 },
    ]);
    // error.type survives the exporter (as waypoint.error.type): two failed weather attempts.
    expect(failedTools).toEqual([{ tool: 'get_forecast', error: 'transient', count_: 2 }]);
    // One exception per failed attempt, not one per span that saw it.
    expect(exceptions.reduce((sum, r) => sum + Number(r.count_), 0)).toBe(2);
    expect(
      decisions
        .map((r) => r.name)
        .filter((n) => n === 'decision route.chosen' || n === 'decision run.finished'),
    ).toEqual(['decision route.chosen', 'decision run.finished']);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((r) => String(r.operation_ParentId).length > 0)).toBe(true);

    // The outcome is on the orchestration span too (a request, as the Durable extension's is).
    const orchestration = tables.requests.filter(
      (r) => r.name === 'orchestration:tripPlanner' && r.operation_Id === breached.traceId,
    );
    expect(orchestration.map((r) => [r.success, dims(r)['waypoint.run.status']])).toEqual([
      [false, 'budget_exceeded'],
    ]);
  }, 240_000);
});
