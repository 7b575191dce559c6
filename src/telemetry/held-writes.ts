/**
 * Writes held in memory for a moment (spans the local trace store batches) that must reach their
 * file before a durable commit makes the work they describe final: once an activity's result is
 * committed nothing reruns it, so a kill -9 right after that commit must not lose its spans. The
 * local host's durable store calls `flushHeldWrites()` before each commit, and a trace read calls
 * it before reading; whoever holds writes registers a flush with `holdWrites`.
 *
 * Process-wide through a global symbol, as the host and the app it loads may hold two copies of
 * this module.
 */
import { diag } from '@opentelemetry/api';

const registryKey = Symbol.for('waypoint.telemetry.held-writes');

function registry(): Set<() => void> {
  const global = globalThis as { [registryKey]?: Set<() => void> };
  return (global[registryKey] ??= new Set());
}

/** Registers `flush`, to be called before every durable commit; returns its unregistration. */
export function holdWrites(flush: () => void): () => void {
  registry().add(flush);
  return () => registry().delete(flush);
}

/** Writes out everything held, now. A failing flush is reported and never stops the caller. */
export function flushHeldWrites(): void {
  for (const flush of registry()) {
    try {
      flush();
    } catch (error) {
      diag.warn('held telemetry writes could not be flushed', error);
    }
  }
}
