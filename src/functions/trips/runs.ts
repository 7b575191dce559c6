/**
 * Reading trip runs through the durable client, and the caller's run slots: the lookups the
 * trips API's handlers share.
 */
import type { DurableClient } from 'durable-functions';
import { sharedStores } from '../../services';
import { createLogger } from '../../telemetry/logger';
import type { Caller } from '../../travel/api/caller';
import { runNotFound } from '../../travel/api/errors';
import { isRunId } from '../../travel/api/run-id';
import { RecentStatuses, type RunQuota } from '../../travel/api/run-quota';
import { tripRunOf, type DurableSnapshot, type TripRun } from '../../travel/api/run-resource';

const log = createLogger('trips-api');

/** The caller's run `id`; 404 alike for a run that is absent and one that belongs to another caller. */
export async function ownRun(client: DurableClient, id: string, caller: Caller): Promise<TripRun> {
  const run = await findRun(client, id);
  if (!run || run.input.owner !== caller.id) throw runNotFound(id);
  return run;
}

/** The trip run `id`, or undefined when there is none (or it is not a trip run). */
export async function findRun(client: DurableClient, id: string): Promise<TripRun | undefined> {
  if (!isRunId(id)) return undefined;
  const status = await instanceStatus(client, id, { showInput: true });
  if (status === undefined) return undefined;
  const run = tripRunOf(status as unknown as DurableSnapshot);
  if (run?.publishedInvalid)
    log.warn('trip run published a status that does not match its schema', { runId: id });
  return run;
}

/** The instance's status, or undefined when there is no such instance. */
async function instanceStatus(
  client: DurableClient,
  id: string,
  options: { showInput?: boolean } = {},
): Promise<Awaited<ReturnType<DurableClient['getStatus']>> | undefined> {
  try {
    return await client.getStatus(id, options);
  } catch (error) {
    // The SDK reports an unknown instance as an error that names the 404.
    if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
    throw error;
  }
}

/** Status lookups of runs holding slots, shared by the starts of this process for a moment. */
const recentStatuses = new RecentStatuses();

/** The caller's run slots, and how to tell whether a run holding one has ended. */
export async function runQuota(client: DurableClient): Promise<RunQuota> {
  const lookup = async (runId: string) => (await instanceStatus(client, runId))?.runtimeStatus;
  return {
    slots: (await sharedStores()).runSlots,
    runtimeStatus: (runId) => recentStatuses.get(runId, lookup),
    now: Date.now,
  };
}

/** Frees the run's slot once it is seen to have ended; a failure only delays that (see run-quota.ts). */
export async function releaseSlot(owner: string, runId: string): Promise<void> {
  try {
    await (await sharedStores()).runSlots.release(owner, [runId]);
  } catch (error) {
    log.warn('run slot not released', {
      runId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
