/**
 * A run's trace survives kill -9. The Waypoint app runs on the local host CLI as a child process
 * (offline model, its own MCP mounts, the trace store in a file) and is killed with SIGKILL at
 * four moments of one booking run, then started again on the same files each time:
 *
 *   1. right after the traveller's missing dates were accepted (POST …/input answered 202);
 *   2. while the specialists run (the flights agent's first model turn is recorded);
 *   3. right after the approval was accepted (the bookings about to be made);
 *   4. right after the run completed (its status is `completed`) — where spans recorded "once,
 *      after the fact" used to be lost with the process.
 *
 * After the last restart the trace must be whole: the structural check of a full run (one root
 * with the outcome, every activity under its orchestration, every chat and tool call under its
 * agent, no span twice) and the chat spans' tokens adding up to the run's usage.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceTreeSchema } from '../../src/telemetry/trace-tree';
import { runResourceSchema } from '../../src/travel/api/run-resource';
import { freePort } from '../support/app-host';
import { assertAlive, killHard, spawnHostProcess, type HostProcess } from '../support/host-process';
import { hostApi, waitForRunStatus } from '../support/host-process-trips';
import { tempDir } from '../support/local-host';
import { BOOKING_WITHOUT_DATES, expectRunTree, flatten, named, TRIP_AGENTS } from '../support/trace-checks';
import { waitUntil } from '../support/wait-until';

const MASTER_KEY = 'trace-crash-master-key-0001';
/** Settings the child must not inherit from whoever runs the tests. */
const APP_SETTING =
  /^(MODEL_|OPENAI_|AZURE_|MCP_|TRIP_|STORE_|COSMOS_|WAYPOINT_|APPLICATIONINSIGHTS_|OTEL_|WEBSITE_|LOCAL_HOST_|IDEMPOTENCY_)/;

const dir = tempDir('waypoint-trace-crash-');
const hosts: HostProcess[] = [];

afterAll(async () => {
  for (const host of hosts) await killHard(host);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function startHost(port: number): Promise<HostProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_SETTING.test(name)),
  );
  const host = await spawnHostProcess({
    storePath: join(dir, 'durable.sqlite'),
    masterKey: MASTER_KEY,
    port,
    env: {
      ...inherited,
      LOG_FORMAT: 'text',
      LOG_LEVEL: 'info',
      MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
      MCP_SERVER_KEY: 'trace-crash-mcp-key-0123456789abcdef',
      STORE_SQLITE_PATH: join(dir, 'waypoint.sqlite'),
      WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
      TRIP_APPROVAL_TIMEOUT_MS: '900000',
      TRIP_INPUT_TIMEOUT_MS: '900000',
    },
  });
  hosts.push(host);
  return host;
}

/** Spans of `traceId` named like `pattern` in the trace store file, as another process sees it. */
function storedSpans(traceId: string, pattern: string): { name: string; attributes: string }[] {
  const db = new Database(join(dir, 'traces.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT name, attributes FROM spans WHERE trace_id = ? AND name LIKE ?')
      .all(traceId, pattern) as { name: string; attributes: string }[];
  } finally {
    db.close();
  }
}

describe('the run trace across kill -9', () => {
  it('is whole after kills mid-run and right after completion: one tree, tokens equal to the usage', async () => {
    const port = await freePort();
    let host = await startHost(port);
    const started = await hostApi(host, 'POST', '/api/trips', BOOKING_WITHOUT_DATES);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const { id, traceId } = runResourceSchema.parse(started.body);
    await waitForRunStatus(host, id, ['needs_input'], 50);

    // 1. Right after the dates were accepted.
    const input = await hostApi(host, 'POST', `/api/trips/${id}/input`, {
      startDate: '2027-03-10',
      endDate: '2027-03-14',
    });
    expect(input.status).toBe(202);
    await killHard(host);
    host = await startHost(port);

    // 2. While the specialists run: the flights agent's first turn is recorded.
    await waitUntil(
      "the flights agent's first model turn",
      () => {
        assertAlive(host);
        return storedSpans(traceId!, 'chat %').some((s) =>
          s.attributes.includes('"gen_ai.agent.name":"flights"'),
        );
      },
      { timeoutMs: 240_000, intervalMs: 20 },
    );
    await killHard(host);
    host = await startHost(port);

    // 3. Right after the approval was accepted.
    await waitForRunStatus(host, id, ['awaiting_approval'], 50);
    expect((await hostApi(host, 'POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(202);
    await killHard(host);
    host = await startHost(port);

    // 4. Right after the run completed.
    const run = await waitForRunStatus(host, id, ['completed'], 50);
    await killHard(host);
    host = await startHost(port);

    expect(run.result?.bookings?.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    const trace = await hostApi(host, 'GET', `/api/trips/${id}/trace`);
    expect(trace.status).toBe(200);
    const tree = TraceTreeSchema.parse(trace.body);
    const all = expectRunTree(tree, {
      runId: id,
      status: 'completed',
      tokens: run.budgets.usage.tokens,
      agents: TRIP_AGENTS,
    });
    // Every agent's run once, and the run's decisions and waits, although episodes ran again.
    expect(named(all, 'invoke_agent ')).toHaveLength(TRIP_AGENTS.length);
    expect(named(all, 'decision run.finished')).toHaveLength(1);
    expect(named(all, 'wait ').map(({ span }) => span.name)).toEqual(['wait input', 'wait approval']);
    expect(named(all, 'execute_tool book_')).toHaveLength(2);
    expect(flatten(tree.spans).length).toBe(tree.spanCount);
  }, 600_000);
});
