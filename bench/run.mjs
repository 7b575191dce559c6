// `npm run bench` (after `npm run build`): the local host's throughput and per-step cost.
// Each scenario runs in its own child process (a fresh host on a fresh SQLite file in a temp
// folder), so memory figures are the scenario's own. Prints a table, writes the figures as JSON
// (.data/bench.json, or $BENCH_OUT) and says which targets (docs/performance.md) were missed.
//
//   node bench/run.mjs                 every scenario but p6 (an hour on a busy 2-core machine)
//   node bench/run.mjs fanOut3000 ...  only these (names in `scenarios` below)
//   node bench/run.mjs --scenario p6 --size 1000     one scenario at a size of its own
//   node bench/run.mjs --scenario p6 --concurrency 64 --profile .data/p6-prof   (see docs/reliability.md)
//   BENCH_PARKED=2000 node bench/run.mjs parked   a smaller parked run
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { tripsAtOnce } from './trips.mjs';
import { durableOverhead } from './overhead.mjs';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const benchApp = join(root, 'test/fixtures/bench-app');

/** Generous limits: the defaults guard against runaway callers, the bench is deliberate load. */
const limits = {
  maxPendingActions: 10_000,
  maxActiveInstances: 50_000,
  maxHistoryEvents: 100_000,
  maxQueuedEvents: 1_000,
};

/** --size N: the size of the scenario run alone (instances, runs or trips); each has its default. */
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    size: { type: 'string' },
    concurrency: { type: 'string' },
    profile: { type: 'string' },
  },
});
const sized = (fallback) => Number(flags.size ?? fallback);

const scenarios = {
  sequential100: () => oneRun('sequential', 100),
  sequential1000: () => oneRun('sequential', 1000),
  fanOut100: () => oneRun('fanOutFanIn', 100),
  fanOut1000: () => oneRun('fanOutFanIn', 1000),
  fanOut3000: () => oneRun('fanOutFanIn', 3000),
  parked: () => parked(sized(process.env.BENCH_PARKED ?? 10_000)),
  helloSequence: () => helloSequence(sized(process.env.BENCH_INSTANCES ?? 200)),
  tokenizer: () => tokenizer(),
  // P4: durable overhead per agent step (the same offline plans through the host and called directly).
  p4: () =>
    durableOverhead({ plans: sized(10), ...(flags.profile ? { profileDir: resolve(flags.profile) } : {}) }),
  // P6: trip plans started at once on one host, followed to the end by bounded clients.
  p6: () =>
    tripsAtOnce({
      count: sized(10_000),
      concurrency: Number(flags.concurrency ?? 32),
      ...(flags.profile ? { profileDir: resolve(flags.profile) } : {}),
    }),
};
/** Left out of a run without names: too long to run by default. */
const onlyByName = new Set(['p6']);

/** @type {{label: string, pick: (r: any) => number | undefined, op: '>=' | '<=' | '<', goal: number}[]} */
const targets = [
  {
    label: 'sequential activities/s (1,000 steps)',
    pick: (r) => r.sequential1000?.activitiesPerSecond,
    op: '>=',
    goal: 1000,
  },
  {
    label: 'fan-out activities/s (3,000)',
    pick: (r) => r.fanOut3000?.activitiesPerSecond,
    op: '>=',
    goal: 5000,
  },
  {
    label: 'per-step cost ratio, sequential 1,000 vs 100',
    pick: (r) => r.ratios?.sequential,
    op: '<=',
    goal: 1.5,
  },
  { label: 'per-step cost ratio, fan-out 3,000 vs 100', pick: (r) => r.ratios?.fanOut, op: '<=', goal: 1.5 },
  { label: '10,000 parked: RSS MiB', pick: (r) => r.parked?.rssMiBParked, op: '<', goal: 1024 },
  {
    label: '10,000 parked: resume and complete all, s',
    pick: (r) => r.parked?.resumeSeconds,
    op: '<=',
    goal: 20,
  },
  {
    label: 'instance starts/s through the HTTP starter',
    pick: (r) => r.parked?.httpStartsPerSecond,
    op: '>=',
    goal: 1000,
  },
  {
    label: 'P4: durable overhead per agent step, ms',
    pick: (r) => r.p4?.overheadMsPerStep,
    op: '<=',
    goal: 2,
  },
  { label: 'P6: trips drained per second', pick: (r) => r.p6?.tripsPerSecond, op: '>=', goal: 33 },
  { label: 'P6: runs lost', pick: (r) => r.p6?.lost, op: '<=', goal: 0 },
  {
    label: 'P6: runs not terminal',
    pick: (r) => r.p6 && r.p6.trips - r.p6.terminal - r.p6.lost,
    op: '<=',
    goal: 0,
  },
  { label: 'P6: duplicate bookings', pick: (r) => r.p6?.duplicateBookings, op: '<=', goal: 0 },
  { label: 'P6: peak RSS MiB', pick: (r) => r.p6?.rssMiB.peak, op: '<', goal: 2048 },
  {
    label: 'token counting: 20,000 letters without a space, ms',
    pick: (r) => r.tokenizer?.adversarial.letters20k.ms,
    op: '<=',
    goal: 500,
  },
  {
    label: 'token counting: per-character cost ratio, 200,000 vs 20,000 letters',
    pick: (r) => r.tokenizer?.linearityRatio,
    op: '<=',
    goal: 1.5,
  },
];

// ---- child: one scenario ------------------------------------------------------------------------

async function startHost(appDir, extra = {}) {
  const { LocalHost } = require(join(root, 'dist/src/local-host/host.js'));
  const { configureLogging } = require(join(root, 'dist/src/telemetry/logger.js'));
  configureLogging({ level: 'error' });
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-'));
  const host = await LocalHost.start({
    appDir,
    port: 0,
    storePath: join(dir, 'durable.sqlite'),
    loadLocalSettings: false,
    limits,
    ...extra,
  });
  const close = async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { host, close };
}

/** Counts instances reaching `status`, with one listener (not one per instance). */
function countStatuses(engine, status) {
  const seen = new Set();
  const waiters = [];
  engine.on('statusChanged', (change) => {
    if (change.runtimeStatus !== status || seen.has(change.instanceId)) return;
    seen.add(change.instanceId);
    for (const w of waiters.filter((w) => seen.size >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    seen,
    atLeast: (n) =>
      seen.size >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
  };
}

async function oneRun(name, n) {
  const { host, ...run } = await startHost(benchApp);
  try {
    const t0 = performance.now();
    const record = host.engine.startInstance(name, { input: JSON.stringify(n) });
    const final = await host.engine.waitForStatus(record.instanceId, { timeoutMs: 600_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (final.runtimeStatus !== 'Completed') throw new Error(`${name} ended ${final.runtimeStatus}`);
    return {
      activities: n,
      seconds: round(seconds, 3),
      activitiesPerSecond: Math.round(n / seconds),
      msPerActivity: round((seconds * 1000) / n, 3),
    };
  } finally {
    await run.close();
  }
}

async function parked(count) {
  const { host, ...run } = await startHost(benchApp);
  try {
    const engine = host.engine;
    const running = countStatuses(engine, 'Running');
    const completed = countStatuses(engine, 'Completed');
    const rssBefore = process.memoryUsage().rss;

    // Starts through the app's HTTP starter (DurableClient → the host's RPC endpoint), 32 at a time:
    // each holds two of the host's 128 connections (the request and DurableClient's RPC call).
    const ids = [];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < count) {
          next++;
          const response = await host.fetch('/api/start/parked', { method: 'POST' });
          if (response.status !== 202)
            throw new Error(`start: HTTP ${response.status} ${await response.text()}`);
          ids.push((await response.json()).id);
        }
      }),
    );
    const startSeconds = (performance.now() - t0) / 1000;
    await running.atLeast(count);
    const parkedSeconds = (performance.now() - t0) / 1000;
    global.gc?.();
    const rssParked = process.memoryUsage().rss;

    const t1 = performance.now();
    for (const id of ids) {
      if (engine.raiseEvent(id, 'go', '1') !== 'accepted') throw new Error(`raise ${id} refused`);
    }
    await completed.atLeast(count);
    const resumeSeconds = (performance.now() - t1) / 1000;
    return {
      instances: count,
      httpStartsPerSecond: Math.round(count / startSeconds),
      allParkedSeconds: round(parkedSeconds, 2),
      rssMiBBefore: Math.round(rssBefore / 2 ** 20),
      rssMiBParked: Math.round(rssParked / 2 ** 20),
      resumeSeconds: round(resumeSeconds, 2),
      completedPerSecond: Math.round(count / resumeSeconds),
    };
  } finally {
    await run.close();
  }
}

async function helloSequence(instances) {
  const { host, ...run } = await startHost(root);
  try {
    // 32 runs in flight at a time: each holds up to two of the host's 128 connections.
    const latencies = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < instances) {
          next++;
          const t0 = performance.now();
          const response = await host.fetch('/api/orchestrators/helloSequence', { method: 'POST' });
          const { id } = await response.json();
          const final = await host.waitForInstance(id, { timeoutMs: 120_000 });
          if (final.runtimeStatus !== 'Completed') throw new Error(`${id} ended ${final.runtimeStatus}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      instances,
      activities: instances * 3,
      seconds: round(seconds, 2),
      orchestrationsPerSecond: round(instances / seconds, 1),
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        p99: Math.round(percentile(latencies, 99)),
      },
    };
  } finally {
    await run.close();
  }
}

/**
 * Token counting (src/models/tokens.ts): adversarial runs without spaces (which byte-pair
 * merging handles in time quadratic in a piece's length) and ordinary text (the docs and agent
 * instructions), cold (first pass, empty merge cache) and warm.
 */
async function tokenizer() {
  const { countTokens } = require(join(root, 'dist/src/models/tokens.js'));
  const { readFileSync, readdirSync } = await import('node:fs');
  const t0 = performance.now();
  countTokens('warm up the rank table');
  const loadMs = performance.now() - t0;
  const time = (text) => {
    const started = performance.now();
    const tokens = countTokens(text);
    return { characters: text.length, tokens, ms: round(performance.now() - started, 1) };
  };
  // Seeded pseudo-random characters: no repeats for the tokenizer's merge cache to hide cost in.
  let seed = 42;
  const pick = (from, span) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(from + Math.floor((seed / 2 ** 31) * span));
  };
  const run = (n, from, span) => Array.from({ length: n }, () => pick(from, span)).join('');
  // A first pass on other text of each kind, so the timed passes measure compiled code.
  countTokens(run(20_000, 0x61, 26) + run(20_000, 0x4e00, 3000) + run(20_000, 0x21, 15));
  const adversarial = {
    letters20k: time(run(20_000, 0x61, 26)),
    letters200k: time(run(200_000, 0x61, 26)),
    cjk20k: time(run(20_000, 0x4e00, 3000)),
    symbols20k: time(run(20_000, 0x21, 15)),
    spaces20k: time(' '.repeat(20_000) + 'x'),
  };
  const files = [
    ...readdirSync(join(root, 'docs')).map((f) => join(root, 'docs', f)),
    join(root, 'README.md'),
    join(root, 'src/travel/agents.ts'),
  ];
  const corpus = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const cold = time(corpus);
  const warm = time(corpus);
  const perChar = (r) => r.ms / r.characters;
  return {
    loadMs: Math.round(loadMs),
    adversarial,
    linearityRatio: round(perChar(adversarial.letters200k) / perChar(adversarial.letters20k), 2),
    ordinary: {
      characters: corpus.length,
      tokens: cold.tokens,
      coldMs: cold.ms,
      warmMs: warm.ms,
      coldMegaCharsPerSecond: round(corpus.length / cold.ms / 1000, 2),
    },
  };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function round(value, digits) {
  return Number(value.toFixed(digits));
}

// ---- parent: run the scenarios, print, write ----------------------------------------------------

function runChild(name) {
  const passOn = ['size', 'concurrency', 'profile'].flatMap((f) => (flags[f] ? [`--${f}`, flags[f]] : []));
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', import.meta.filename, '--child', name, ...passOn],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
      // P6 at 10,000 on a busy machine takes most of an hour.
      timeout: name === 'p6' ? 3 * 3_600_000 : 900_000,
      // The scenario's own progress lines (P6 prints them) go straight to the terminal.
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) throw new Error(`scenario ${name} failed:\n${child.stderr || child.stdout}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

async function main() {
  if (flags.child) {
    const result = await scenarios[flags.child]();
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const asked = [...(flags.scenario ?? []), ...positionals];
  const names = asked.length ? asked : Object.keys(scenarios).filter((n) => !onlyByName.has(n));
  for (const name of names) if (!scenarios[name]) throw new Error(`unknown scenario ${name}`);
  if (flags.size && names.length !== 1)
    throw new Error('--size applies to one scenario: name it with --scenario');

  const results = {
    when: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    commit: gitCommit(),
  };
  for (const name of names) {
    process.stderr.write(`running ${name}…\n`);
    results[name] = runChild(name);
  }
  results.loadAverageAtEnd = loadavg().map((l) => round(l, 2));
  results.ratios = {
    ...(results.sequential100 && results.sequential1000
      ? { sequential: round(results.sequential1000.msPerActivity / results.sequential100.msPerActivity, 2) }
      : {}),
    ...(results.fanOut100 && results.fanOut3000
      ? { fanOut: round(results.fanOut3000.msPerActivity / results.fanOut100.msPerActivity, 2) }
      : {}),
  };

  const rows = [];
  for (const name of names.filter((n) => !['parked', 'helloSequence', 'tokenizer', 'p4', 'p6'].includes(n))) {
    const r = results[name];
    rows.push([
      name,
      `${r.activitiesPerSecond} activities/s`,
      `${r.msPerActivity} ms/activity`,
      `${r.seconds} s`,
    ]);
  }
  if (results.ratios.sequential)
    rows.push(['ratio sequential 1000/100', String(results.ratios.sequential), '', '']);
  if (results.ratios.fanOut) rows.push(['ratio fan-out 3000/100', String(results.ratios.fanOut), '', '']);
  if (results.parked) {
    const p = results.parked;
    rows.push([
      `parked ${p.instances}`,
      `${p.httpStartsPerSecond} HTTP starts/s`,
      `${p.rssMiBParked} MiB RSS`,
      `resume ${p.resumeSeconds} s`,
    ]);
  }
  if (results.helloSequence) {
    const h = results.helloSequence;
    rows.push([
      `helloSequence ${h.instances}`,
      `${h.orchestrationsPerSecond} runs/s`,
      `p50 ${h.latencyMs.p50} ms`,
      `p95 ${h.latencyMs.p95} / p99 ${h.latencyMs.p99} ms`,
    ]);
  }
  if (results.tokenizer) {
    const t = results.tokenizer;
    rows.push([
      'tokenizer',
      `20k letters ${t.adversarial.letters20k.ms} ms, 200k ${t.adversarial.letters200k.ms} ms`,
      `20k CJK ${t.adversarial.cjk20k.ms} ms`,
      `prose ${t.ordinary.coldMegaCharsPerSecond} M chars/s cold`,
    ]);
  }
  if (results.p4) {
    const o = results.p4;
    rows.push([
      `P4 ${o.plans} plans, ${o.stepsPerPlan} steps each`,
      `durable ${o.durableMsPerPlan} ms/plan`,
      `direct ${o.directMsPerPlan} ms/plan`,
      `overhead ${o.overheadMsPerStep} ms/step`,
    ]);
  }
  if (results.p6) {
    const p = results.p6;
    rows.push([
      `P6 ${p.trips} trips (${p.clientConcurrency} connections)`,
      `drain ${p.drainSeconds} s, ${p.tripsPerSecond} trips/s`,
      `p50/p95/p99 ${p.latencySeconds.p50}/${p.latencySeconds.p95}/${p.latencySeconds.p99} s`,
      `RSS idle ${p.rssMiB.idle}, peak ${p.rssMiB.peak}, 30 s after ${p.rssMiB.after30sIdle} MiB; lost ${p.lost}, duplicates ${p.duplicateBookings}`,
    ]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(
    `Node ${results.node}, ${results.cpus} CPUs, load ${results.loadAverageAtStart.join(' ')} → ${results.loadAverageAtEnd.join(' ')}`,
  );
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));

  results.targets = [];
  for (const { label, pick, op, goal } of targets) {
    const value = pick(results);
    if (value === undefined) continue;
    const met = op === '>=' ? value >= goal : op === '<=' ? value <= goal : value < goal;
    results.targets.push({ target: label, value, goal: `${op} ${goal}`, met });
    console.log(`${met ? 'met   ' : 'MISSED'}  ${label}: ${value} (target ${op} ${goal})`);
  }
  const out = process.env.BENCH_OUT ?? join(root, '.data/bench.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`figures written to ${out}`);
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

await main();
