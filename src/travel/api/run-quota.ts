/**
 * The per-caller bound on unfinished trip runs (TRIPS_MAX_ACTIVE_RUNS_PER_CALLER): one caller
 * cannot take the whole backend. A start takes one of the caller's run slots (RunSlotStore) before
 * the run is started — one atomic check-and-write, so sixty starts at once admit exactly the
 * limit, and the cost does not grow with the number of runs in the task hub.
 *
 * A slot is released when its run is seen to have ended: on cancel, when its owner reads it
 * finished, and — the part that makes the bound crash-safe — here, when a start finds every slot
 * held: the oldest slots' runs are looked up, and the slots of runs that have finished (completed,
 * failed, terminated, from anywhere, while the app was down too) or that never started (a process
 * died between taking the slot and starting the run) are freed before the start is refused.
 */
import type { RunSlot, RunSlotStore } from '../../stores/types';

export interface RunQuota {
  slots: RunSlotStore;
  /** The run's Durable runtime status (`Running`, `Completed`, …), or undefined when there is no such instance. */
  runtimeStatus(runId: string): Promise<string | undefined>;
  /** Milliseconds since the epoch (the clock slots are stamped with). */
  now(): number;
}

/** Durable runtime statuses of runs that will do no more work. */
const FINISHED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);
/** How long a slot may name a run that does not exist yet: a start between its slot and startNew. */
export const START_GRACE_MS = 60_000;
/** Slots looked up per refused start, oldest first: bounds the work a caller at the limit causes. */
export const RECONCILE_BATCH = 25;

/**
 * Takes a slot of `owner` for `runId`: true when admitted, false when `limit` unfinished runs hold
 * every slot. A refused start first frees the slots of runs that have ended, then tries once more.
 */
export async function admitRun(
  quota: RunQuota,
  owner: string,
  runId: string,
  limit: number,
): Promise<boolean> {
  const first = await quota.slots.acquire(owner, runId, limit);
  if (first.admitted) return true;
  const ended = await endedRuns(quota, first.held.slice(0, RECONCILE_BATCH));
  if (ended.length === 0) return false;
  await quota.slots.release(owner, ended);
  return (await quota.slots.acquire(owner, runId, limit)).admitted;
}

/**
 * Run status lookups shared for a moment by every start in this process: a burst of starts refused
 * at the limit looks each held run up once, not once per start (which would turn a burst of 429s
 * into a storm of Durable status calls). In-flight lookups are shared too.
 */
export class RecentStatuses {
  private readonly entries = new Map<string, { at: number; status: Promise<string | undefined> }>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The run's status, from a lookup (`lookup`, or another start's) at most `ttlMs` old. */
  get(runId: string, lookup: (runId: string) => Promise<string | undefined>): Promise<string | undefined> {
    const now = this.now();
    for (const [id, entry] of this.entries) if (now - entry.at > this.ttlMs) this.entries.delete(id);
    let entry = this.entries.get(runId);
    if (!entry) {
      entry = { at: now, status: lookup(runId) };
      this.entries.set(runId, entry);
      // A failed lookup is not kept: the next start asks again.
      entry.status.catch(() => this.entries.delete(runId));
    }
    return entry.status;
  }
}

/** The runs among `slots` that have finished, or that never started within the grace period. */
async function endedRuns(quota: RunQuota, slots: readonly RunSlot[]): Promise<string[]> {
  const now = quota.now();
  const statuses = await Promise.all(slots.map((slot) => quota.runtimeStatus(slot.runId)));
  return slots
    .filter((slot, i) => {
      const status = statuses[i];
      if (status === undefined) return now - Date.parse(slot.acquiredAt) > START_GRACE_MS;
      return FINISHED.has(status);
    })
    .map((slot) => slot.runId);
}
