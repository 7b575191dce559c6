/**
 * Gives memory back after a burst. V8 collects when allocation asks it to, so a host that has just
 * drained a burst of runs and then idles keeps a heap the burst's size, mostly garbage: 40 trip
 * plans left the host at 296 MiB resident, 208 MiB after one full collection (docs/performance.md).
 * This watches the event loop: once it has been nearly idle for an interval while the heap has
 * grown well beyond its size after the last collection, it runs one full collection. A busy host
 * is never interrupted, and an idle one that has not grown is left alone.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
  /** How often the loop is looked at (ms). */
  intervalMs?: number;
  /** The share of an interval the event loop may be busy and still count as idle. */
  idleUtilization?: number;
  /** Heap growth since the last collection (bytes) that makes one worth running. */
  growthBytes?: number;
  /** Called after each collection with the heap sizes before and after (bytes). */
  onCollect?: (before: number, after: number) => void;
}

export interface IdleCollector {
  /** Collections run so far. */
  readonly collections: number;
  stop(): void;
}

/**
 * Starts watching; returns undefined when this process cannot run a collection on demand. The
 * timer is unref'd: it never keeps the process alive.
 */
export function startIdleCollector(
  options: IdleCollectorOptions = {},
  gc = onDemandGc(),
): IdleCollector | undefined {
  if (!gc) return undefined;
  const intervalMs = options.intervalMs ?? 5_000;
  const idleUtilization = options.idleUtilization ?? 0.05;
  const growthBytes = options.growthBytes ?? 32 * 2 ** 20;
  let baseline = heapSize();
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let collections = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const before = heapSize();
    if (utilization > idleUtilization || before < baseline + growthBytes) return;
    gc();
    collections++;
    baseline = heapSize();
    options.onCollect?.(before, baseline);
  }, intervalMs);
  timer.unref();
  return {
    get collections() {
      return collections;
    },
    stop: () => clearInterval(timer),
  };
}

function heapSize(): number {
  return getHeapStatistics().total_heap_size;
}

/**
 * A full collection on demand: `global.gc` when node runs with --expose-gc, else the same function
 * exposed at run time (V8 creates it for contexts made after the flag is set).
 */
export function onDemandGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
