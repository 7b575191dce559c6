// Benchmarks behind `npm run bench` (run after `npm run build`). Each prints one JSON line.
// local-host: N concurrent helloSequence runs through the HTTP starter on a SQLite file store,
// measuring throughput, start-to-completion latency and peak memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const { LocalHost } = require(join(root, 'dist/src/local-host/host.js'));
const { configureLogging } = require(join(root, 'dist/src/telemetry/logger.js'));

configureLogging({ level: 'error' });

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function benchLocalHost(instances) {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-'));
  const host = await LocalHost.start({
    appDir: root,
    port: 0,
    storePath: join(dir, 'durable.sqlite'),
    loadLocalSettings: false,
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const started = performance.now();
    const latencies = await Promise.all(
      Array.from({ length: instances }, async () => {
        const t0 = performance.now();
        const response = await host.fetch('/api/orchestrators/helloSequence', { method: 'POST' });
        const { id } = await response.json();
        const final = await host.waitForInstance(id, { timeoutMs: 120_000 });
        if (final.runtimeStatus !== 'Completed') throw new Error(`${id} ended ${final.runtimeStatus}`);
        return performance.now() - t0;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      bench: 'local-host.helloSequence',
      instances,
      activities: instances * 3,
      seconds: Number(seconds.toFixed(2)),
      orchestrationsPerSecond: Number((instances / seconds).toFixed(1)),
      latencyMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)) },
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const instances = Number(process.env.BENCH_INSTANCES ?? 200);
process.stdout.write(JSON.stringify(await benchLocalHost(instances)) + '\n');
