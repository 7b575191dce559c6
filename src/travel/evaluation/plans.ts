/**
 * Whole plans for the labelled requests: each full-trip line sent to the trips API of the app on
 * the local host (in this process, offline model unless the settings name another), its questions
 * answered from the label, a quote rejected (so nothing may be booked), and the plan invariants
 * checked on the run resource it ends with. Slow (a plan per line): `npm run eval -- --plans`.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHost } from '../../local-host/host';
import { configureLogging } from '../../telemetry/logger';
import { isFinal, runResourceSchema, type RunResource } from '../api/run-resource';
import { checkInvariants, INVARIANTS, type Invariant } from './invariants';
import type { LabelledRequest } from './labels';

export interface PlanResult {
  id: string;
  status: string;
  invariants: Record<Invariant, { ok: boolean; why?: string }>;
}

export interface PlansReport {
  plans: PlanResult[];
  /** Per invariant: runs where it held, of all runs. */
  figures: Record<Invariant, { held: number; total: number }>;
}

/** The facts a label can answer a run's question with (places as "Name, CC" are sent as the name). */
function answersFrom(line: LabelledRequest): Record<string, unknown> {
  const e = line.expect;
  const seats = e.party ? e.party[0] + e.party[1] + e.party[2] : undefined;
  return {
    ...(e.origin ? { origin: e.origin.split(',')[0] } : {}),
    ...(e.destinations?.[0] ? { destination: e.destinations[0].split(',')[0] } : {}),
    ...(e.startDate && e.endDate && e.endDate > e.startDate && e.startDate > '2026-11-29'
      ? { startDate: e.startDate, endDate: e.endDate }
      : {}),
    ...(seats !== undefined && seats <= 9 ? { travellers: seats } : {}),
    ...(e.budget ? { budget: { amount: e.budget[0], currency: e.budget[1] } } : {}),
  };
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Runs every full-trip line (at most `limit`) to a settled plan and checks the invariants. */
export async function runPlans(
  appDir: string,
  lines: readonly LabelledRequest[],
  limit = Infinity,
): Promise<PlansReport> {
  configureLogging({ level: 'error' });
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-eval-'));
  const port = await freePort();
  process.env.MCP_BASE_URL ??= `http://127.0.0.1:${port}/api/mcp`;
  process.env.STORE_SQLITE_PATH ??= join(dir, 'waypoint.sqlite');
  process.env.WAYPOINT_TRACE_STORE ??= join(dir, 'traces.sqlite');
  const host = await LocalHost.start({ appDir, port, storePath: join(dir, 'durable.sqlite') });
  const api = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<RunResource | undefined> => {
    const response = await host.fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = runResourceSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  };
  const plans: PlanResult[] = [];
  try {
    for (const line of lines.filter((l) => l.expect.route === 'full_trip').slice(0, limit)) {
      let run = await api('POST', '/api/trips', { request: line.request });
      let answered = 0;
      for (let polls = 0; run && !isFinal(run.status) && polls < 600; polls++) {
        if (run.status === 'needs_input' && answered < 2) {
          answered++;
          const answers = answersFrom(line);
          if (Object.keys(answers).length === 0) break;
          await api('POST', run.links.input, answers);
        } else if (run.status === 'awaiting_approval') {
          await api('POST', run.links.approval, { approved: false, note: 'evaluation: never book' });
        } else if (run.status === 'needs_input') break;
        await new Promise((done) => setTimeout(done, 200));
        run = await api('GET', run.links.self);
      }
      if (run && !isFinal(run.status)) await api('POST', run.links.cancel, { reason: 'evaluation' });
      if (run) plans.push({ id: line.id, status: run.status, invariants: checkInvariants(line, run) });
    }
  } finally {
    await host.stop();
  }
  const figures = Object.fromEntries(
    INVARIANTS.map((name) => [
      name,
      { held: plans.filter((p) => p.invariants[name].ok).length, total: plans.length },
    ]),
  ) as PlansReport['figures'];
  return { plans, figures };
}
