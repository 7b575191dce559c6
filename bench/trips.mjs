// Whole trip plans on the Waypoint app (offline model, the app's own MCP servers), measured from
// outside: the app on the local host CLI in its own process, driven over HTTP as travellers would.
// Used by bench/run.mjs (scenario p6); see docs/reliability.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');

/** Requests the offline planner quotes within budget (they reach approval), as chaos uses. */
const TRIPS = [
  ['Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000', 2],
  ['Plan a week in Lisbon from London, 3–9 May 2027, for 2 people, budget €4000', 2],
  ['Weekend trip from New York to Chicago, 2027-04-16 to 2027-04-18, solo, $1,500', 1],
  ['Trip from Zürich to Köln, 5–8 March 2027, for one, budget 2000 CHF', 1],
  ['Plan a trip from London to New York, 1–6 May 2027, for 2, budget $9000', 2],
];
const NAMES = [
  { firstName: 'Ada', lastName: 'Lovelace' },
  { firstName: 'Charles', lastName: 'Babbage' },
];
const FINAL = new Set(['completed', 'failed', 'budget_exceeded', 'cancelled']);
/** Settings the host must not inherit from whoever runs the bench. */
const APP_SETTING =
  /^(MODEL_|OPENAI_|AZURE_|MCP_|TRIP_|TRIPS_|STORE_|COSMOS_|WAYPOINT_|APPLICATIONINSIGHTS_|OTEL_|WEBSITE_|LOCAL_HOST_|IDEMPOTENCY_|PORT$)/;

/** App Service authentication's header for a signed-in user: every traveller is its own caller. */
function signedIn(userId) {
  const claims = [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: userId }];
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64'),
  };
}

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

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Resident set of a process, in MiB (Linux). */
function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(/(\d+)/.exec(line)[1]) / 1024);
}

/**
 * The app on the local host CLI in a child process, on a fresh store in a temp folder. `profileDir`
 * adds --cpu-prof (the profile is written when the host exits after SIGTERM).
 */
async function startAppHost({ profileDir } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-trips-'));
  const port = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !APP_SETTING.test(k)));
  const env = {
    ...inherited,
    LOG_FORMAT: 'text',
    // Warnings and errors only: a request line per poll would cost the host more than the poll.
    LOG_LEVEL: 'warn',
    WEBSITE_AUTH_ENABLED: 'True',
    MODEL_PROVIDER: 'offline',
    MCP_SERVER_KEY: 'bench-mcp-key-0123456789abcdef',
    STORE_SQLITE_PATH: join(dir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
  };
  const args = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    join(root, 'dist/src/local-host/cli.js'),
    '--app',
    root,
    '--port',
    String(port),
    '--store',
    join(dir, 'durable.sqlite'),
    '--master-key',
    'bench-master-key-0000000001',
    // Deliberate load: every plan holds an instance (and its specialists theirs) until it ends.
    '--max-active-instances',
    '200000',
  ];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString()).slice(-8_000)));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host exited before it was ready:\n${stderr}`);
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`host not ready in 180 s:\n${stderr}`);
    await sleep(200);
  }
  return {
    url,
    pid: child.pid,
    dir,
    storePath: env.STORE_SQLITE_PATH,
    durablePath: join(dir, 'durable.sqlite'),
    stderr: () => stderr,
    /** SIGTERM (a graceful stop, which also writes the CPU profile); the folder is kept until `remove`. */
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** At most `size` requests in flight at once, and at most `perSecond` started per second (polls). */
function pool(size) {
  let active = 0;
  const queue = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  return async (work) => {
    if (active >= size) await new Promise((go) => queue.push(go));
    active++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

/** One request: the answer's status and JSON body, or the failure's text (status 0). */
async function send(url, method, path, body, headers) {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = { text: text.slice(0, 200) };
    }
    return { status: response.status, body: json, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, body: { text: String(error?.cause?.code ?? error?.message ?? error) } };
  }
}

/**
 * P6: `count` booking trips started at once (each by its own signed-in traveller, with its own
 * Idempotency-Key) through `concurrency` client connections; each followed by polling (each run at
 * most once per `pollMs`, the polls at most `pollsPerSecond` together), its quote approved, until
 * every run is final. Reports the drain, latency percentiles, the host's RSS over time, every
 * answer's status, runs lost (404 after start) and duplicate bookings.
 */
export async function tripsAtOnce({
  count,
  concurrency = 32,
  pollMs = 1_000,
  pollsPerSecond = 100,
  profileDir,
}) {
  const host = await startAppHost({ profileDir });
  const answers = {};
  const tally = (what, status) => {
    const key = `${what} ${status}`;
    answers[key] = (answers[key] ?? 0) + 1;
  };
  const limit = pool(concurrency);
  const rss = [];
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const rssIdle = rssMiB(host.pid);
  let progress = () => '';
  const sampler = setInterval(() => {
    try {
      rss.push([Math.round(elapsed()), rssMiB(host.pid)]);
    } catch {
      // the host is gone; the run will say why
    }
    if (rss.length % 15 === 0)
      process.stderr.write(`P6 ${Math.round(elapsed())} s: ${progress()}, RSS ${rss.at(-1)?.[1]} MiB\n`);
  }, 2_000);
  try {
    /** @type {{i: number, key: string, id?: string, startedAt: number, endedAt?: number, status?: string, approved?: boolean, lost?: boolean, error?: string}[]} */
    const trips = Array.from({ length: count }, (_, i) => ({ i, key: `bench-p6-${i}`, startedAt: 0 }));
    // Start every plan: the pool is the only bound; a 429/503 with Retry-After is sent again later.
    let started = 0;
    progress = () =>
      `${started}/${count} started, ${trips.filter((t) => t.endedAt !== undefined).length} final`;
    await Promise.all(
      trips.map((trip) =>
        limit(async () => {
          const [request, people] = TRIPS[trip.i % TRIPS.length];
          const body = {
            request,
            book: true,
            contactEmail: `traveller-${trip.i}@example.org`,
            travellerNames: NAMES.slice(0, people),
          };
          trip.startedAt = performance.now();
          for (let attempt = 0; attempt < 20; attempt++) {
            const answer = await send(host.url, 'POST', '/api/trips', body, {
              'idempotency-key': trip.key,
              ...signedIn(`traveller-${trip.i}`),
            });
            tally('start', answer.status);
            if (answer.status === 202 || answer.status === 200) {
              trip.id = answer.body.id;
              started++;
              return;
            }
            if (![0, 429, 503].includes(answer.status)) {
              trip.error = `start ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
              return;
            }
            await sleep(Number(answer.retryAfter ?? 1) * 1000);
          }
          trip.error = 'start: still refused after 20 attempts';
        }),
      ),
    );
    const startSeconds = elapsed();

    // Follow: a round-robin of polls, each run at most once per pollMs, all at most pollsPerSecond.
    const open = trips.filter((t) => t.id);
    const due = new Map(open.map((t) => [t.id, 0]));
    let pollSlots = 0;
    const refill = setInterval(
      () => (pollSlots = Math.min(pollsPerSecond, pollSlots + pollsPerSecond / 10)),
      100,
    );
    const follow = async (trip) => {
      const answer = await send(
        host.url,
        'GET',
        `/api/trips/${trip.id}`,
        undefined,
        signedIn(`traveller-${trip.i}`),
      );
      tally('poll', answer.status);
      if (answer.status === 404) {
        trip.lost = true;
        trip.endedAt = performance.now();
        return;
      }
      if (answer.status !== 200) return;
      const run = answer.body;
      trip.status = run.status;
      if (FINAL.has(run.status)) {
        trip.endedAt = performance.now();
        trip.bookings = run.result?.bookings?.length ?? 0;
        return;
      }
      if (run.status === 'awaiting_approval' && run.quote && !trip.approved) {
        const decided = await send(
          host.url,
          'POST',
          `/api/trips/${trip.id}/approval`,
          { approved: true, quoteId: run.quote.id },
          signedIn(`traveller-${trip.i}`),
        );
        tally('approval', decided.status);
        if (decided.status === 202 || decided.status === 409) trip.approved = true;
      }
    };
    const inFlight = new Set();
    while (open.some((t) => t.endedAt === undefined)) {
      let sent = false;
      for (const trip of open) {
        if (trip.endedAt !== undefined || inFlight.has(trip) || due.get(trip.id) > performance.now())
          continue;
        if (pollSlots < 1 || inFlight.size >= concurrency) break;
        pollSlots--;
        sent = true;
        inFlight.add(trip);
        due.set(trip.id, performance.now() + pollMs);
        void limit(() => follow(trip)).finally(() => inFlight.delete(trip));
      }
      if (elapsed() > 7_200) throw new Error('P6: runs still open after 2 hours');
      await sleep(sent ? 5 : 50);
    }
    while (inFlight.size > 0) await sleep(20);
    clearInterval(refill);
    const drainSeconds = elapsed();

    const rssAtDrain = rssMiB(host.pid);
    // Idle after the drain: what the host keeps once the work is gone.
    await sleep(30_000);
    const rssAfterDrain30s = rssMiB(host.pid);
    clearInterval(sampler);
    const stopped = await host.stop();
    const latencies = open.filter((t) => !t.lost).map((t) => (t.endedAt - t.startedAt) / 1000);
    const statuses = {};
    for (const t of open) {
      const status = t.lost ? 'lost' : (t.status ?? 'unknown');
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    const bookings = await readBookings(host.storePath);
    const durableMiB = statSync(host.durablePath).size / 2 ** 20;
    return {
      trips: count,
      clientConcurrency: concurrency,
      pollMs,
      pollsPerSecond,
      started,
      startErrors: trips
        .filter((t) => t.error)
        .map((t) => t.error)
        .slice(0, 5),
      startErrorCount: trips.filter((t) => t.error).length,
      terminal: open.filter((t) => t.endedAt !== undefined && !t.lost).length,
      lost: open.filter((t) => t.lost).length,
      statuses,
      bookings: bookings.total,
      duplicateBookings: bookings.duplicates,
      bookingsReported: open.reduce((n, t) => n + (t.bookings ?? 0), 0),
      startSeconds: round(startSeconds, 1),
      startsPerSecond: round(started / startSeconds, 1),
      drainSeconds: round(drainSeconds, 1),
      tripsPerSecond: round(open.length / drainSeconds, 2),
      latencySeconds: {
        p50: round(percentile(latencies, 50), 1),
        p95: round(percentile(latencies, 95), 1),
        p99: round(percentile(latencies, 99), 1),
        max: round(Math.max(...latencies), 1),
      },
      rssMiB: {
        idle: rssIdle,
        peak: Math.max(rssIdle, ...rss.map(([, m]) => m)),
        atDrain: rssAtDrain,
        after30sIdle: rssAfterDrain30s,
        // [seconds since start, MiB], every 2 s; thinned to at most 120 points.
        samples: thin(rss, 120),
      },
      durableStoreMiB: round(durableMiB, 1),
      durableStoreKiBPerTrip: Math.round((durableMiB * 1024) / Math.max(1, started)),
      answers,
      hostExit: stopped,
    };
  } catch (error) {
    process.stderr.write(`host output:\n${host.stderr()}\n`);
    throw error;
  } finally {
    clearInterval(sampler);
    await host.stop();
    if (!profileDir) host.remove();
    else process.stderr.write(`P6: host CPU profile in ${profileDir}; store kept in ${host.dir}\n`);
  }
}

/** Bookings in the app's store (read with its own store code): how many, and how many beyond one per run and kind. */
async function readBookings(path) {
  const { SqliteBookingsStore } = require(join(root, 'dist/src/stores/index.js'));
  const { openSqliteDatabase } = require(join(root, 'dist/src/stores/sqlite/database.js'));
  const store = new SqliteBookingsStore(openSqliteDatabase(path), { ownsDatabase: true });
  try {
    const bookings = await store.list({ limit: 10_000_000 });
    const perRunAndKind = new Set();
    let duplicates = 0;
    for (const booking of bookings) {
      const key = `${/trip-[0-9a-f]{32}/.exec(booking.idempotencyKey)?.[0]}/${booking.kind}`;
      if (perRunAndKind.has(key)) duplicates++;
      perRunAndKind.add(key);
    }
    return { total: bookings.length, duplicates };
  } finally {
    await store.close();
  }
}

function thin(samples, max) {
  if (samples.length <= max) return samples;
  const step = samples.length / max;
  return Array.from({ length: max }, (_, i) => samples[Math.floor(i * step)]).concat([samples.at(-1)]);
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function round(value, digits) {
  return Number(value.toFixed(digits));
}
