// P4: what the durable machinery costs per agent step. The same offline trip plans run twice in
// this process: through the local host (the trips API starts the orchestration; the engine replays
// it, stores its history, schedules its activities) and then as their agent steps alone, every
// activity the durable run executed called again directly, in the same order, with the same input.
// (durable − direct) / steps is the overhead per step. Used by bench/run.mjs; see
// docs/reliability.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');

/** Plans without booking (`book: false`): a direct second call of a booking would be a replay. */
const REQUESTS = [
  'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
  'Plan a week in Lisbon from London, 3–9 May 2027, for 2 people, budget €4000',
  'Weekend trip from New York to Chicago, 2027-04-16 to 2027-04-18, solo, $1,500',
  'Trip from Zürich to Köln, 5–8 March 2027, for one, budget 2000 CHF',
  'Plan a trip from London to New York, 1–6 May 2027, for 2, budget $9000',
];

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * Runs `plans` plans one after another through the host, with one activity at a time (so the
 * durable run and the direct calls do the same work in the same order: no overlap to hide cost
 * in), then calls the recorded activities directly.
 */
export async function durableOverhead({ plans, profileDir }) {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-p4-'));
  const port = await freePort();
  Object.assign(process.env, {
    MODEL_PROVIDER: 'offline',
    MCP_SERVER_KEY: 'bench-mcp-key-0123456789abcdef',
    MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
    STORE_SQLITE_PATH: join(dir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
    TRIPS_LOCAL_USER: 'on',
  });
  const { LocalHost } = require(join(root, 'dist/src/local-host/host.js'));
  const { configureLogging } = require(join(root, 'dist/src/telemetry/logger.js'));
  configureLogging({ level: 'error' });
  const host = await LocalHost.start({
    appDir: root,
    port,
    storePath: join(dir, 'durable.sqlite'),
    loadLocalSettings: false,
    maxConcurrentActivities: 1,
  });
  // Every activity call the durable runs make: which function, what input (as JSON, so a later
  // direct call gets the same value), and how long the function itself took.
  const calls = [];
  const originals = new Map();
  for (const fn of host.app.functions.values()) {
    if (fn.kind !== 'activity') continue;
    const original = fn.callback;
    originals.set(fn.name, { ...fn, callback: original });
    fn.callback = async (input, context) => {
      // The trace context too: the direct call then records the same spans (model, tool, MCP).
      const traceParent = context?.traceContext?.traceParent ?? null;
      const call = { name: fn.name, input: JSON.stringify(input ?? null), traceParent, ms: 0 };
      calls.push(call);
      const t0 = performance.now();
      try {
        return await original(input, context);
      } finally {
        call.ms = performance.now() - t0;
      }
    };
  }
  try {
    // One plan first, not timed: loads code and data (airports, cities, tokenizer) once.
    await planThroughHost(host, REQUESTS[0]);
    calls.length = 0;

    const profiler = profileDir ? await startProfiler() : undefined;
    const statuses = [];
    let durableMs = 0;
    let durableCpuMs = 0;
    let startMs = 0;
    for (let i = 0; i < plans; i++) {
      const plan = await planThroughHost(host, REQUESTS[i % REQUESTS.length]);
      durableMs += plan.runMs;
      durableCpuMs += plan.runCpuMs;
      startMs += plan.startMs;
      statuses.push(plan.status);
    }
    if (profiler) await profiler.stopInto(join(profileDir, 'p4-durable.cpuprofile'));
    const inFunctionsMs = calls.reduce((sum, c) => sum + c.ms, 0);

    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    for (const call of calls) {
      await host.invoker.invoke(originals.get(call.name), {
        inputs: [JSON.parse(call.input)],
        traceParent: call.traceParent,
      });
    }
    const directMs = performance.now() - t1;
    const directCpuMs = cpuMs(process.cpuUsage(cpu1));

    const byName = {};
    for (const call of calls) byName[call.name] = (byName[call.name] ?? 0) + 1;
    const steps = calls.length;
    return {
      plans,
      statuses: [...new Set(statuses)],
      steps,
      stepsPerPlan: Math.round(steps / plans),
      stepsByActivity: byName,
      // The start request (the trips API's checks and understanding, the instance's creation),
      // apart: it is the HTTP trigger's work, not a step's.
      startMsPerPlan: Math.round(startMs / plans),
      durableMsPerPlan: Math.round(durableMs / plans),
      directMsPerPlan: Math.round(directMs / plans),
      // The same steps timed inside the durable runs: close to direct, or the direct calls did less.
      activityMsPerPlanInDurable: Math.round(inFunctionsMs / plans),
      overheadMsPerStep: round((durableMs - directMs) / steps, 2),
      // CPU time of this process (user + system): what the durable work costs, less sensitive than
      // wall time to other processes on a busy machine.
      durableCpuMsPerPlan: Math.round(durableCpuMs / plans),
      directCpuMsPerPlan: Math.round(directCpuMs / plans),
      overheadCpuMsPerStep: round((durableCpuMs - directCpuMs) / steps, 2),
    };
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a plan through the trips API and waits (on the engine, no polling) until it ends: how long
 * the start took, how long the run took from the start's answer to its end, and its final status.
 */
async function planThroughHost(host, request) {
  const t0 = performance.now();
  const response = await host.fetch('/api/trips', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ request, book: false }),
  });
  if (response.status !== 202) throw new Error(`start: HTTP ${response.status} ${await response.text()}`);
  const { id } = await response.json();
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const final = await host.waitForInstance(id, { timeoutMs: 300_000 });
  const t2 = performance.now();
  const runCpuMs = cpuMs(process.cpuUsage(cpu));
  if (final.runtimeStatus !== 'Completed') throw new Error(`${id} ended ${final.runtimeStatus}`);
  const run = await (await host.fetch(`/api/trips/${id}`)).json();
  return { startMs: t1 - t0, runMs: t2 - t1, runCpuMs, status: run.status };
}

/** A CPU profile of this process between start and stopInto (the durable runs only). */
async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(path) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
      process.stderr.write(`P4: CPU profile of the durable runs in ${path}\n`);
    },
  };
}

function cpuMs({ user, system }) {
  return (user + system) / 1000;
}

function round(value, digits) {
  return Number(value.toFixed(digits));
}
