/**
 * The chaos run: the Waypoint app on the local host CLI (a child process) with fault injection on
 * its MCP servers (transient 503s, hangs, responses lost after a booking committed) and a model
 * server that rate-limits, fails and garbles answers; callers start booking trips, approve or
 * reject their quotes, while the host is SIGKILLed and restarted at random moments and right after
 * approvals. Then the duplicate-request checks and a graceful stop under load. The figures say
 * whether anything was lost, stuck, booked twice, booked without approval or at another price.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../../src/mcp-servers/shared/seeded-random';
import { SqliteBookingsStore } from '../../src/stores';
import { openSqliteDatabase } from '../../src/stores/sqlite/database';
import type { Booking } from '../../src/stores/types';
import { freePort } from '../support/app-host';
import { signedIn } from '../support/principal';
import { ChaosHost } from './chaos-host';
import { fiftyStartsOneKey, gracefulShutdown, oneKeyTwoCallers, twentyApprovals } from './checks';
import { AnswerTally, ChaosClient, sleep } from './client';
import { FaultyModelServer, type ModelFaultRates } from './model-faults';
import { chaosFigures, formatReport, violations, type ChaosFigures, type ChaosGoals } from './report';
import { travel } from './traveller';

export interface ChaosOptions extends ChaosGoals {
  callers: number;
  runsPerCaller: number;
  /** Runs one caller has going at once. */
  concurrency: number;
  /** A SIGKILL every so often, uniformly between these (ms)... */
  killEveryMs: [number, number];
  /** ...until this many (kills right after approvals do not count). */
  maxTimedKills: number;
  /** Share of accepted approvals followed at once (within 300 ms) by a SIGKILL. */
  killAfterApproval: number;
  approveShare: number;
  model: ModelFaultRates;
  /** MCP_FAULTS_* for the read-only servers and for bookings (see src/mcp-servers/settings.ts). */
  mcpFaults: { reads: Record<string, number>; bookings: Record<string, number> };
  /** Run the duplicate-request checks and the graceful-stop check after the runs. */
  checks: boolean;
  /** How long the runs may take in all before unfinished ones count as stuck. */
  timeLimitMs: number;
  seed: number;
  log: (line: string) => void;
}

export interface ChaosOutcome {
  figures: ChaosFigures;
  checks: string[];
  violations: string[];
  report: string;
}

const MCP_KEY = 'chaos-mcp-key-0123456789abcdef';
const MODEL_NAME = 'chaos-offline';
/** Settings the host must not inherit from whoever runs the chaos. */
const APP_SETTING =
  /^(MODEL_|OPENAI_|AZURE_|MCP_|TRIP_|TRIPS_|STORE_|COSMOS_|WAYPOINT_|APPLICATIONINSIGHTS_|OTEL_|WEBSITE_|LOCAL_HOST_|IDEMPOTENCY_|PORT$)/;

export async function runChaos(options: ChaosOptions): Promise<ChaosOutcome> {
  const began = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-chaos-'));
  const model = await FaultyModelServer.start(options.model, options.seed);
  const storePath = join(dir, 'waypoint.sqlite');
  const host = new ChaosHost({
    port: await freePort(),
    storePath: join(dir, 'durable.sqlite'),
    masterKey: 'chaos-master-key-0000001',
    env: hostEnv(options, model.baseUrl, dir, storePath),
  });
  const tally = new AnswerTally();
  const random = SeededRandom.from(['chaos', options.seed]);
  try {
    await host.start();
    options.log(`host up at ${host.url}; ${options.callers} callers × ${options.runsPerCaller} runs`);
    const deadline = () => began + options.timeLimitMs;
    const records = await withKills(options, host, random, deadline, (onApproved) =>
      Promise.all(
        Array.from({ length: options.callers }, (_, i) =>
          travel({
            caller: `caller-${i}`,
            client: new ChaosClient(host.url, tally, signedIn(`caller-${i}`), deadline),
            runs: options.runsPerCaller,
            concurrency: options.concurrency,
            approveShare: options.approveShare,
            seed: options.seed,
            deadline,
            onApproved,
          }),
        ),
      ).then((all) => all.flat()),
    );
    const bookings = () => readBookings(storePath);
    // The runs' bookings, before the checks add their own.
    const runBookings = await bookings();
    const checks: string[] = [];
    if (options.checks) {
      const checkDeadline = () => Date.now() + 300_000;
      checks.push(await fiftyStartsOneKey(host, tally, checkDeadline));
      checks.push(await oneKeyTwoCallers(host, tally, checkDeadline));
      checks.push(await twentyApprovals(host, tally, checkDeadline, bookings));
      checks.push(await gracefulShutdown(host, tally, checkDeadline));
    }
    await host.stopGracefully();
    const figures = chaosFigures({
      records,
      bookings: runBookings,
      kills: { total: host.kills, afterApproval: host.killsAfterApproval },
      tally,
      model: { ...model.counts },
      mcpFaults: `reads ${JSON.stringify(options.mcpFaults.reads)}, bookings ${JSON.stringify(options.mcpFaults.bookings)}`,
      seconds: (Date.now() - began) / 1000,
    });
    const broken = [...violations(figures, options), ...checks.filter((c) => c.startsWith('FAILED'))];
    return { figures, checks, violations: broken, report: formatReport(figures, checks) };
  } catch (error) {
    options.log(`chaos aborted; host output:\n${host.output()}`);
    throw error;
  } finally {
    await host.killFinally();
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `work` while killing the host every so often and, for a share of accepted approvals, right
 * after one. Kills stop when `work` is done.
 */
async function withKills<T>(
  options: ChaosOptions,
  host: ChaosHost,
  random: SeededRandom,
  deadline: () => number,
  work: (onApproved: () => void) => Promise<T>,
): Promise<T> {
  let done = false;
  const afterApproval = () => {
    if (done || !random.chance(options.killAfterApproval)) return;
    setTimeout(
      () => {
        if (!done)
          void host
            .killAndRestart(true)
            .then((killed) => killed && options.log(`kill ${host.kills} (after an approval)`));
      },
      random.int(0, 300),
    );
  };
  const killer = (async () => {
    // An attempt that meets a kill already under way (one after an approval) is not a kill: try again.
    for (let timed = 0; timed < options.maxTimedKills && !done && Date.now() < deadline(); ) {
      await sleep(random.int(...options.killEveryMs));
      if (done) break;
      if (await host.killAndRestart()) {
        timed++;
        options.log(`kill ${host.kills}`);
      }
    }
  })();
  try {
    return await work(afterApproval);
  } finally {
    done = true;
    await killer;
    // A kill in progress ends with a restarted host: wait for it.
    while (!(await isUp(host))) await sleep(200);
  }
}

async function isUp(host: ChaosHost): Promise<boolean> {
  try {
    return (await fetch(`${host.url}/api/health`, { signal: AbortSignal.timeout(5_000) })).status < 500;
  } catch {
    return false;
  }
}

async function readBookings(path: string): Promise<Booking[]> {
  const store = new SqliteBookingsStore(openSqliteDatabase(path), { ownsDatabase: true });
  try {
    return await store.list({ limit: 1_000_000 });
  } finally {
    await store.close();
  }
}

function hostEnv(options: ChaosOptions, modelUrl: string, dir: string, storePath: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_SETTING.test(name)),
  );
  const faults = (settings: Record<string, number>, salt: number) =>
    JSON.stringify({ ...settings, seed: options.seed + salt });
  return {
    ...inherited,
    LOG_FORMAT: 'text',
    // info: the host announces "Host ready" at that level.
    LOG_LEVEL: 'info',
    WEBSITE_AUTH_ENABLED: 'True',
    MODEL_PROVIDER: 'openai-compatible',
    OPENAI_BASE_URL: modelUrl,
    MODEL_NAME,
    MODEL_PRICES_JSON: JSON.stringify({ [MODEL_NAME]: { input: 0.4, output: 1.6 } }),
    MODEL_MAX_RETRIES: '2',
    MCP_SERVER_KEY: MCP_KEY,
    MCP_CALL_TIMEOUT_MS: '5000',
    MCP_FAULTS_FLIGHTS: faults(options.mcpFaults.reads, 1),
    MCP_FAULTS_HOTELS: faults(options.mcpFaults.reads, 2),
    MCP_FAULTS_WEATHER: faults(options.mcpFaults.reads, 3),
    MCP_FAULTS_RESTAURANTS: faults(options.mcpFaults.reads, 4),
    MCP_FAULTS_BOOKINGS: faults(options.mcpFaults.bookings, 5),
    STORE_SQLITE_PATH: storePath,
    WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
    // Faults cost retries and repair turns: room for them, so runs end on their merits.
    TRIP_BUDGET_STEPS: '300',
    TRIP_BUDGET_TOOL_CALLS: '150',
    TRIP_APPROVAL_TIMEOUT_MS: String(2 * 3_600_000),
    TRIPS_MAX_ACTIVE_RUNS_PER_CALLER: String(Math.max(20, options.concurrency * 2)),
  };
}
