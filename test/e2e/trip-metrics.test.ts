/**
 * The run metrics, exported over OTLP from the app on the local host: runs started and
 * completed by final status, run duration and steps, token usage and model cost, MCP tool-call
 * latency, budget breaches and idempotent replays — recorded once per run although the
 * orchestrator replays many times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type AppHost } from '../support/app-host';
import { tripsClient, type TripsClient } from '../support/trips-client';
import { startCaptureServer, type CaptureServer } from '../integration/telemetry/support/capture-server';

let app: AppHost;
let trips: TripsClient;
let receiver: CaptureServer;

beforeAll(async () => {
  receiver = await startCaptureServer();
  app = await startAppHost({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
  });
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
  await receiver.close();
});

interface DataPoint {
  attributes?: { key: string; value: Record<string, unknown> }[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
  sum?: number;
}
interface Metric {
  name: string;
  sum?: { dataPoints: DataPoint[] };
  histogram?: { dataPoints: DataPoint[] };
}

/** The latest export's metrics by name (cumulative temporality: the last export has the totals). */
function latestMetrics(): Map<string, Metric> {
  const byName = new Map<string, Metric>();
  for (const request of receiver.requests.filter((r) => r.path === '/v1/metrics')) {
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceMetrics: { scopeMetrics: { metrics: Metric[] }[] }[];
    };
    for (const metric of body.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))) {
      byName.set(metric.name, metric);
    }
  }
  return byName;
}

function attribute(point: DataPoint, key: string): unknown {
  const value = point.attributes?.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
}

function total(metric: Metric | undefined, where: (point: DataPoint) => boolean = () => true): number {
  const points = metric?.sum?.dataPoints ?? metric?.histogram?.dataPoints ?? [];
  return points.filter(where).reduce((sum, p) => sum + Number(p.asInt ?? p.asDouble ?? p.count ?? 0), 0);
}

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('metrics did not arrive in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('run metrics over OTLP', () => {
  it('counts runs by final status, tokens, cost, tool calls and budget breaches, once per run', async () => {
    const completed = await trips.start({
      request:
        'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
    });
    // The run's own money budget (model spend plus the quoted trip) is the hard stop: a quote
    // over the traveller's stated budget is still planned and shown, so lower the run's limit.
    const breached = await trips.start({
      request: 'Plan a trip from Seattle to Tokyo, 1–7 April 2027, for 2, budget $5,000',
      budgets: { money: 300 },
    });
    const done = await trips.waitFor(completed, ['completed']);
    await trips.waitFor(breached, ['budget_exceeded']);

    const finished = (status: string) => (m: Map<string, Metric>) =>
      total(m.get('waypoint.runs.completed'), (p) => attribute(p, 'waypoint.run.status') === status);
    await until(() => {
      const m = latestMetrics();
      return finished('completed')(m) === 1 && finished('budget_exceeded')(m) === 1;
    });
    const metrics = latestMetrics();
    expect(total(metrics.get('waypoint.runs.started'))).toBe(2);
    expect(total(metrics.get('waypoint.run.duration'))).toBe(2);
    expect(
      total(metrics.get('waypoint.budget.breaches'), (p) => attribute(p, 'waypoint.budget.name') === 'money'),
    ).toBe(1);
    // Token usage: one input and one output point per model turn, summed to the runs' usage.
    const tokens = metrics.get('gen_ai.client.token.usage')!;
    expect(tokens.histogram!.dataPoints.length).toBeGreaterThan(0);
    const tokenSum = tokens.histogram!.dataPoints.reduce((s, p) => s + Number(p.sum ?? 0), 0);
    expect(tokenSum).toBeGreaterThanOrEqual(done.budgets.usage.tokens);
    expect(total(metrics.get('waypoint.cost'))).toBeGreaterThan(0);
    expect(total(metrics.get('mcp.client.operation.duration'))).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
