/**
 * The idle collector gives a burst's garbage back: in a node process of its own (a collection is
 * process-wide), a burst leaves a heap of garbage, the loop goes idle, and the heap shrinks without
 * anyone asking; a process that keeps its loop busy is not collected.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = join(__dirname, '../../../dist/src/local-host/idle-gc.js');

/** Runs a script that makes a burst of garbage, then idles or stays busy; prints what happened. */
async function burst(thenBusy: boolean): Promise<{ collections: number; before: number; after: number }> {
  const script = `
    const { startIdleCollector } = require(${JSON.stringify(dist)});
    const { getHeapStatistics } = require('node:v8');
    const size = () => getHeapStatistics().total_heap_size;
    const collector = startIdleCollector({ intervalMs: 200, growthBytes: 16 * 2 ** 20 });
    let keep = [];
    for (let i = 0; i < 40; i++) { keep.push(new Array(100_000).fill(i).map(String)); if (keep.length > 20) keep = []; }
    keep = [];
    const before = size();
    const end = Date.now() + 3_000;
    const spin = () => { const until = Date.now() + 50; while (Date.now() < until); if (Date.now() < end) setImmediate(spin); };
    if (${thenBusy}) spin();
    setTimeout(() => {
      console.log(JSON.stringify({ collections: collector.collections, before, after: size() }));
      collector.stop();
      process.exit(0);
    }, 2_500);
  `;
  const { stdout } = await run(process.execPath, ['-e', script], { timeout: 60_000 });
  return JSON.parse(stdout) as { collections: number; before: number; after: number };
}

describe('the idle collector', () => {
  it('collects once the loop idles after a burst, and the heap shrinks', async () => {
    const { collections, before, after } = await burst(false);
    expect(collections).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThan(before - 16 * 2 ** 20);
  }, 60_000);

  it('leaves a busy process alone', async () => {
    const { collections } = await burst(true);
    expect(collections).toBe(0);
  }, 60_000);
});
