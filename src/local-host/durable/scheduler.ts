/**
 * Scheduling: decides what runs next and how much runs at once. One pump cycle starts episodes
 * for instances with events ready (at most one episode at a time per instance, a bounded number
 * of instances at once) and activities from the work queue (bounded too), then arms a timer for
 * the next durable timer that comes due. Work is only ever read from the store, so whatever was
 * running at a crash is simply picked up again on the next start.
 */
import type { Logger } from '../../telemetry/logger';
import type { ActivityRunner } from './activity-runner';
import type { EntityRunner } from './entity-runner';
import type { EpisodeOutcome, EpisodeRunner } from './episode-runner';
import type { DurableStore } from './store';

export interface SchedulerOptions {
  store: DurableStore;
  logger: Logger;
  clock: () => number;
  episodes: EpisodeRunner;
  activities: ActivityRunner;
  entities: EntityRunner;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
}

/** Episodes one instance may run back to back before others get their turn. */
const episodesPerTurn = 50;

export class Scheduler {
  private readonly store: DurableStore;
  private readonly log: Logger;
  private readonly runningEpisodes = new Map<string, Promise<void>>();
  private readonly runningActivities = new Map<number, Promise<void>>();
  /** One batch at a time per entity: its operations run strictly one after another. */
  private readonly runningEntities = new Map<string, Promise<void>>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private started = false;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.store = options.store;
    this.log = options.logger;
  }

  start(): void {
    this.started = true;
    this.schedulePump();
  }

  /** Stops taking new work and waits (bounded) for running episodes and activities to finish. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const running = [
      ...this.runningEpisodes.values(),
      ...this.runningActivities.values(),
      ...this.runningEntities.values(),
    ];
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([Promise.allSettled(running).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn('stopped with work still running; it will be retried on the next start', {
        episodes: this.runningEpisodes.size,
        activities: this.runningActivities.size,
      });
    }
  }

  /** Asks for a pump cycle soon; calls within one turn of the event loop share one cycle. */
  schedulePump(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopping || !this.store.isOpen) return;
    const now = this.options.clock();
    const { maxConcurrentOrchestrations, maxConcurrentActivities } = this.options;

    if (this.runningEpisodes.size < maxConcurrentOrchestrations) {
      const free = maxConcurrentOrchestrations - this.runningEpisodes.size;
      for (const instanceId of this.store.readyInstanceIds(now, free, this.runningEpisodes)) {
        this.runEpisodes(instanceId);
      }
    }

    // Entities share the orchestrations' bound (in Azure both run as orchestration work items).
    if (this.runningEntities.size < maxConcurrentOrchestrations) {
      const free = maxConcurrentOrchestrations - this.runningEntities.size;
      for (const entityId of this.store.readyEntityIds(free, this.runningEntities)) this.runEntity(entityId);
    }

    if (this.runningActivities.size < maxConcurrentActivities) {
      for (const item of this.store.workItems(this.runningActivities.size + maxConcurrentActivities)) {
        if (this.runningActivities.size >= maxConcurrentActivities) break;
        if (this.runningActivities.has(item.id)) continue;
        const run = this.options.activities
          .execute(item)
          .catch((error: unknown) => this.reportFailure('activity', item.instanceId, error))
          .finally(() => {
            this.runningActivities.delete(item.id);
            this.schedulePump();
          });
        this.runningActivities.set(item.id, run);
      }
    }

    this.scheduleWake(now);
  }

  /**
   * Runs `offer` (an activity's result handed straight to its instance) in the instance's episode
   * slot, then the instance's further episodes as usual. Resolves false, having run nothing, when
   * the host is stopping, the instance's slot or all episode slots are taken, or the offer is not
   * accepted; true once its episode ran (or failed in the store, which runEpisodes reports).
   */
  handOff(
    instanceId: string,
    offer: { accepts(): boolean; run(): Promise<EpisodeOutcome> },
  ): Promise<boolean> {
    if (
      !this.started ||
      this.stopping ||
      this.runningEpisodes.has(instanceId) ||
      this.runningEpisodes.size >= this.options.maxConcurrentOrchestrations ||
      !offer.accepts()
    ) {
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      // runEpisodes calls `run` in this same turn, so what `accepts` saw still holds.
      this.runEpisodes(instanceId, () => offer.run().finally(() => resolve(true)));
    });
  }

  /** Runs one instance's episodes back to back while it has events ready (bounded, for fairness). */
  private runEpisodes(instanceId: string, first?: () => Promise<EpisodeOutcome>): void {
    let deferUntil: number | undefined;
    const run = (async () => {
      for (let i = 0; i < episodesPerTurn && !this.stopping; i++) {
        const outcome = i === 0 && first ? await first() : await this.options.episodes.runNext(instanceId);
        if (outcome === 'idle') break;
        if (outcome !== 'ran') {
          deferUntil = outcome.deferUntil;
          break;
        }
        // New work may be waiting for a free activity slot.
        this.schedulePump();
      }
    })()
      .catch((error: unknown) => this.reportFailure('episode', instanceId, error))
      .finally(() => {
        this.runningEpisodes.delete(instanceId);
        if (this.store.isOpen) {
          this.store.settleReady(instanceId);
          if (deferUntil !== undefined) {
            this.store.deferReady(instanceId, deferUntil);
            const wake = setTimeout(
              () => this.schedulePump(),
              Math.max(deferUntil - this.options.clock(), 0),
            );
            wake.unref();
          }
        }
        this.schedulePump();
      });
    this.runningEpisodes.set(instanceId, run);
  }

  /** Runs one entity's batches back to back while operations wait (bounded, for fairness). */
  private runEntity(entityId: string): void {
    const run = (async () => {
      for (let i = 0; i < episodesPerTurn && !this.stopping; i++) {
        if (!(await this.options.entities.runNext(entityId))) break;
        this.schedulePump();
      }
    })()
      .catch((error: unknown) => this.reportFailure('entity operations', entityId, error))
      .finally(() => {
        this.runningEntities.delete(entityId);
        if (this.store.isOpen) this.store.settleEntity(entityId);
        this.schedulePump();
      });
    this.runningEntities.set(entityId, run);
  }

  private scheduleWake(now: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    const next = this.store.nextVisibleAt(now);
    if (next === undefined) return;
    // setTimeout holds at most 2^31-1 ms; a longer timer simply re-arms when this one fires.
    const delay = Math.min(Math.max(next - now, 0), 2 ** 31 - 1);
    this.wakeTimer = setTimeout(() => this.schedulePump(), delay);
    this.wakeTimer.unref();
  }

  /**
   * The store itself failed (disk full, I/O error): nothing of this step was committed, so it is
   * retried from the store on the next pump or restart. Logged, never an unhandled rejection.
   */
  private reportFailure(step: string, instanceId: string, error: unknown): void {
    if (!this.store.isOpen) return;
    this.log.error(`could not commit ${step}; it will be retried`, { instanceId, error });
  }
}
