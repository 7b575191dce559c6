/**
 * Crash: kill -9 the host during the specialists. The Waypoint app runs on the local
 * host CLI as a child process, with MODEL_PROVIDER=openai-compatible against a real
 * chat.completions server in this process (answers from the offline travel policies) and the five
 * MCP servers in this process behind counting proxies (bookings on a SQLite file). A booking trip
 * is started through POST /api/trips; the specialists are held at the model — flights and hotels
 * after their searches (turn 1), weather and restaurants at their first turn — and the host is
 * killed with SIGKILL while those four turns are in flight. A second host on the same files
 * resumes the run; the test approves and waits for completion.
 *
 * What must hold: the run completes with an itinerary and two confirmed bookings; no model turn
 * answered before the kill is asked again, and the only turns asked twice are exactly the four in
 * flight at the kill (asked once before, once after, answered once); no tool call completed before
 * the kill is repeated; one booking row per item and one non-replayed `book_*` call per item. It
 * also reports the run's durable history size.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResourceSchema } from '../../src/travel/api/run-resource';
import { OfflineOpenAIServer, type ModelCallRecord } from '../fakes/offline-openai-server';
import {
  startCountedMcpServers,
  type CountedMcpServers,
  type ToolCallRecord,
} from '../support/counted-mcp-servers';
import { runHistorySize } from '../support/durable-history';
import { assertAlive, killHard, spawnHostProcess, type HostProcess } from '../support/host-process';
import { hostApi, waitForRunStatus } from '../support/host-process-trips';
import { tempDir } from '../support/local-host';
import { BOOKING_TRIP } from '../support/trip-requests';
import { waitUntil } from '../support/wait-until';

const MCP_KEY = 'agent-crash-mcp-key-0123456789abcdef';
const MASTER_KEY = 'agent-crash-master-key-0001';
const MODEL_NAME = 'crash-test-offline';
const SPECIALISTS = ['flights', 'hotels', 'weather', 'restaurants'];
const SERVERS = [...SPECIALISTS, 'bookings'];
/** Where each specialist is held: after its search for flights and hotels, at the start for the others. */
const HOLD_AT_TURN: Record<string, number> = { flights: 1, hotels: 1, weather: 0, restaurants: 0 };
/** Settings the child must not inherit from whoever runs the tests. */
const APP_SETTING =
  /^(MODEL_|OPENAI_|AZURE_|MCP_|TRIP_|STORE_|COSMOS_|WAYPOINT_|APPLICATIONINSIGHTS_|OTEL_|WEBSITE_|LOCAL_HOST_|IDEMPOTENCY_)/;

let dir: string;
let model: OfflineOpenAIServer;
let mcp: CountedMcpServers;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  dir = tempDir('waypoint-agent-crash-');
  model = await OfflineOpenAIServer.start();
  mcp = await startCountedMcpServers({ key: MCP_KEY, bookingsStorePath: join(dir, 'bookings.sqlite') });
}, 60_000);

afterAll(async () => {
  for (const host of hosts) await killHard(host);
  await model?.close();
  await mcp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function hostEnv(): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_SETTING.test(name)),
  );
  return {
    ...inherited,
    LOG_FORMAT: 'text',
    LOG_LEVEL: 'info',
    MODEL_PROVIDER: 'openai-compatible',
    OPENAI_BASE_URL: model.baseUrl,
    MODEL_NAME,
    MODEL_PRICES_JSON: JSON.stringify({ [MODEL_NAME]: { input: 0.4, output: 1.6 } }),
    // Held turns must never time out at the client (that would be a repeat the crash did not cause).
    MODEL_TIMEOUT_MS: '300000',
    // Servers at URLs of their own get only their own key (never the shared one).
    ...Object.fromEntries(SERVERS.map((server) => [`MCP_${server.toUpperCase()}_KEY`, MCP_KEY])),
    MCP_FLIGHTS_URL: mcp.urls.flights,
    MCP_HOTELS_URL: mcp.urls.hotels,
    MCP_WEATHER_URL: mcp.urls.weather,
    MCP_RESTAURANTS_URL: mcp.urls.restaurants,
    MCP_BOOKINGS_URL: mcp.urls.bookings,
    STORE_SQLITE_PATH: join(dir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
    TRIP_APPROVAL_TIMEOUT_MS: '900000',
  };
}

async function startHost(): Promise<HostProcess> {
  const host = await spawnHostProcess({
    storePath: join(dir, 'durable.sqlite'),
    masterKey: MASTER_KEY,
    env: hostEnv(),
  });
  hosts.push(host);
  return host;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('agent system crash (kill -9 during the specialists)', () => {
  it('resumes, completes and books once, repeating no finished model or tool call', async () => {
    // 1. A booking trip on the first host; the specialists' turns are held at the model.
    model.hold(({ agent, turn }) => HOLD_AT_TURN[agent] === turn);
    const first = await startHost();
    const started = await hostApi(first, 'POST', '/api/trips', BOOKING_TRIP, {
      'idempotency-key': 'agent-crash-1',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = runResourceSchema.parse(started.body).id;

    // 2. Once all four specialists are in flight at the model, kill the host outright.
    await waitUntil(
      'the four specialists to be held at the model',
      () => {
        assertAlive(first);
        return new Set(model.held.map((call) => call.agent)).size === SPECIALISTS.length;
      },
      {
        timeoutMs: 180_000,
        describe: () =>
          `calls: ${model.calls.map((c) => `${c.key}:${c.outcome}`).join(', ')}\n${first.output().slice(-4000)}`,
      },
    );
    const killAt = Date.now();
    const modelAtKill = model.calls;
    const toolsAtKill = mcp.calls;
    await killHard(first);
    // The model server sees the held requests' connections drop with the process.
    await waitUntil('the held calls to be disconnected', () => model.held.length === 0, {
      timeoutMs: 30_000,
    });

    const inFlight = modelAtKill.filter((call) => call.outcome === 'pending');
    const answeredBefore = modelAtKill.filter((call) => call.outcome === 'answered');
    expect(inFlight.map((c) => `${c.agent}#${c.turn}`).sort()).toEqual(
      SPECIALISTS.map((agent) => `${agent}#${HOLD_AT_TURN[agent]}`).sort(),
    );
    // Not vacuous: the router, the planner and the first turns of flights and hotels were answered.
    expect(answeredBefore.map((c) => `${c.agent}#${c.turn}`)).toEqual(
      expect.arrayContaining(['router#0', 'planner#0', 'flights#0', 'hotels#0']),
    );
    // No tool call was in flight at the kill, and the two searches had completed.
    expect(toolsAtKill.filter((call) => call.outcome === 'pending')).toEqual([]);
    const toolsDoneBefore = toolsAtKill.filter(
      (call) => call.outcome === 'result' || call.outcome === 'tool_error',
    );
    expect(toolsDoneBefore.map((c) => `${c.server}.${c.tool}`).sort()).toEqual([
      'flights.search_flights',
      'hotels.search_hotels',
    ]);

    // The kill really was during the specialists: their sub-orchestrations were still running.
    const durablePath = join(dir, 'durable.sqlite');
    const atKill = runHistorySize(durablePath, runId);
    expect(atKill.instances[0]).toMatchObject({ instanceId: runId, runtimeStatus: 'Running' });
    for (const agent of SPECIALISTS) {
      expect(
        atKill.instances.find((i) => i.instanceId === `${runId}:${agent}:0:${agent}`)?.runtimeStatus,
      ).toBe('Running');
    }

    // 3. A second host on the same files resumes the run; the held turns are asked again, then answered.
    const second = await startHost();
    const reasked = (): ModelCallRecord[] =>
      model.calls.filter((call) => call.seq > modelAtKill.length && inFlight.some((c) => c.key === call.key));
    await waitUntil(
      'the in-flight turns to be asked again',
      () => {
        assertAlive(second);
        return reasked().length === inFlight.length;
      },
      {
        timeoutMs: 180_000,
        describe: () => second.output().slice(-4000),
      },
    );
    model.release();

    // 4. Approve the quote, wait for the bookings.
    const waiting = await waitForRunStatus(second, runId, ['awaiting_approval']);
    expect(waiting.quote?.items.map((item) => item.kind)).toEqual(['flight', 'hotel']);
    expect((await hostApi(second, 'POST', `/api/trips/${runId}/approval`, { approved: true })).status).toBe(
      202,
    );
    const done = await waitForRunStatus(second, runId, ['completed']);

    // The run: an itinerary, two confirmed bookings.
    expect(done.result?.itinerary?.days.map((day) => day.date)).toEqual([
      '2027-03-10',
      '2027-03-11',
      '2027-03-12',
      '2027-03-13',
      '2027-03-14',
    ]);
    const booked = done.result?.bookings ?? [];
    expect(booked.map((b) => [b.item, b.status])).toEqual([
      ['flight', 'confirmed'],
      ['hotel', 'confirmed'],
    ]);

    // Model turns. Answered before the kill: never asked again. In flight at the kill: asked once
    // before and once after (the restarted activity), answered once. Every turn answered exactly once.
    const calls = model.calls;
    const after = calls.filter((call) => call.seq > modelAtKill.length);
    const asked = countBy(calls, (call) => call.key);
    for (const call of answeredBefore) {
      expect({ turn: call.key, askedAfterKill: after.filter((c) => c.key === call.key).length }).toEqual({
        turn: call.key,
        askedAfterKill: 0,
      });
    }
    const inFlightKeys = new Set(inFlight.map((call) => call.key));
    // The restarted turns asked exactly what the killed host had asked.
    for (const call of inFlight) {
      expect(after.find((c) => c.key === call.key)?.requestDigest, call.key).toBe(call.requestDigest);
    }
    for (const [key, times] of asked) {
      expect({ turn: key, asked: times }).toEqual({ turn: key, asked: inFlightKeys.has(key) ? 2 : 1 });
    }
    const answered = countBy(
      calls.filter((call) => call.outcome === 'answered'),
      (call) => call.key,
    );
    expect([...answered.values()].every((times) => times === 1)).toBe(true);
    expect(new Set(answered.keys())).toEqual(new Set(asked.keys()));
    // The run went on after the restart: the specialists' answers, the supervisor, the itinerary.
    expect(after.map((call) => call.agent)).toEqual(expect.arrayContaining(['supervisor', 'itinerary']));

    // Tool calls: none completed before the kill was repeated (same tool, same arguments).
    const tools = mcp.calls;
    const toolCounts = countBy(tools, (call) => call.key);
    for (const call of toolsDoneBefore) {
      expect({ call: call.key, times: toolCounts.get(call.key) }).toEqual({ call: call.key, times: 1 });
    }
    for (const call of tools) expect(call.outcome, call.key).toBe('result');

    // Bookings: one row per item in the store, one non-replayed book_* call per item.
    const rows = await mcp.bookings.list();
    expect(rows.map((row) => row.kind).sort()).toEqual(['flight', 'hotel']);
    expect(rows.map((row) => row.bookingId).sort()).toEqual(booked.map((b) => b.bookingId).sort());
    for (const tool of ['book_flight', 'book_hotel']) {
      const bookCalls: ToolCallRecord[] = tools.filter(
        (call) => call.server === 'bookings' && call.tool === tool,
      );
      expect(bookCalls.length, tool).toBeGreaterThanOrEqual(1);
      expect(
        bookCalls.filter((call) => call.replayed !== true),
        tool,
      ).toHaveLength(1);
      expect(bookCalls[0].replayed, tool).toBe(false);
    }

    // History size of the run: the root and its sub-orchestrations, events in the durable store.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const history = runHistorySize(durablePath, runId);
    console.log(
      `agent-crash: run ${runId}: ${history.events} history events, ${(history.bytes / 1024).toFixed(1)} KiB ` +
        `over ${history.instances.length} instances (largest event ${(history.largestEventBytes / 1024).toFixed(1)} KiB)\n` +
        history.instances
          .map(
            (i) =>
              `  ${i.instanceId} ${i.name} ${i.runtimeStatus}: ${i.events} events, ${(i.bytes / 1024).toFixed(1)} KiB`,
          )
          .join('\n') +
        `\nmodel calls ${calls.length} (after restart ${after.length}), tool calls ${tools.length}, killed at +${killAt - calls[0].arrivedAt} ms`,
    );
    expect(history.instances.map((i) => i.runtimeStatus)).toEqual(history.instances.map(() => 'Completed'));
    expect(history.instances.map((i) => i.instanceId)).toEqual(
      expect.arrayContaining(SPECIALISTS.map((agent) => `${runId}:${agent}:0:${agent}`)),
    );
    // Generous bounds (several times what a run takes): a history that copies growing transcripts breaks them.
    // (A run takes ~120 events, ~150 KiB, the largest event ~20 KiB.)
    expect(history.events).toBeLessThan(500);
    expect(history.bytes).toBeLessThan(1024 * 1024);
    expect(history.largestEventBytes).toBeLessThan(256 * 1024);
  }, 600_000);
});
