/**
 * The local host's durable store: instances, their history, an inbox of events waiting to be
 * delivered to an orchestration (completions, timers, raised events), the activity work queue and
 * durable entities. SQLite (WAL) makes every episode one atomic commit, so a crash loses nothing
 * that was acknowledged.
 *
 * This class is the one door the engine uses: it opens the file, owns the transaction boundary and
 * hands each call to the module of its table group (store-instances, store-history, store-inbox,
 * store-work-items, store-entities, store-meta).
 *
 * Hot instances and their histories are also kept in memory, write-through: SQLite stays the
 * record, every write goes to it first, and a transaction that rolls back evicts what it touched,
 * so the next read comes from the file again. An episode then costs what its new events cost,
 * not what the instance's whole history costs to read and parse.
 */
import type Database from 'better-sqlite3';
import type { HistoryEvent } from './history';
import {
  EntityTables,
  type EntityLock,
  type EntityOperation,
  type EntityQuery,
  type EntityRecord,
} from './store-entities';
import { openStoreFile } from './store-file';
import { HistoryTable } from './store-history';
import { InboxTable, type InboxMessage } from './store-inbox';
import { InstanceTable, terminalStatuses, type InstanceQuery, type InstanceRecord } from './store-instances';
import { MetaTable } from './store-meta';
import { WorkItemTable, type WorkItem } from './store-work-items';
import { flushHeldWrites } from '../../telemetry/held-writes';

export { InvalidContinuationTokenError } from './page-token';
export type { EntityOperation, EntityQuery, EntityRecord } from './store-entities';
export type { InboxMessage } from './store-inbox';
export {
  terminalStatuses,
  type InstanceQuery,
  type InstanceRecord,
  type RuntimeStatus,
} from './store-instances';
export type { WorkItem } from './store-work-items';

export class DurableStore {
  private readonly db: Database.Database;
  private readonly instances: InstanceTable;
  private readonly histories: HistoryTable;
  private readonly inbox: InboxTable;
  private readonly work: WorkItemTable;
  private readonly entities: EntityTables;
  private readonly meta: MetaTable;
  /** Instance ids written in the open transaction: evicted if it rolls back. */
  private touched: Set<string> | undefined;

  /**
   * @param path a file path, or ':memory:' for a store that lives as long as the process.
   * @param cache bounds of the in-memory copies (instances, history events across instances).
   */
  constructor(
    readonly path: string,
    cache: { maxInstances: number; maxHistoryEvents: number } = {
      maxInstances: 20_000,
      maxHistoryEvents: 500_000,
    },
  ) {
    this.db = openStoreFile(path);
    const touch = (instanceId: string) => this.touched?.add(instanceId);
    this.instances = new InstanceTable(this.db, touch, cache.maxInstances);
    this.histories = new HistoryTable(this.db, touch, (id) => this.isFinished(id), cache.maxHistoryEvents);
    this.inbox = new InboxTable(this.db, (id) => this.instances.get(id)?.runtimeStatus);
    this.work = new WorkItemTable(this.db);
    this.entities = new EntityTables(this.db);
    this.meta = new MetaTable(this.db);
  }

  /**
   * Runs `work` in one SQLite transaction: all of it commits, or none of it. If it throws, the
   * in-memory copies of whatever it touched are dropped, so nothing uncommitted is ever read back.
   */
  transaction<T>(work: () => T): T {
    if (this.touched) return this.db.transaction(work)();
    // Spans held in memory describe work this commit makes final: they go to their file before it,
    // those ended before the transaction and those ended inside it (an execution's own span).
    flushHeldWrites();
    this.touched = new Set();
    try {
      return this.db.transaction(() => {
        const result = work();
        flushHeldWrites();
        return result;
      })();
    } catch (error) {
      this.instances.forget(this.touched);
      this.histories.forget(this.touched);
      throw error;
    } finally {
      this.touched = undefined;
    }
  }

  // ---- Instances and their history -------------------------------------------------------------

  getInstance(instanceId: string): InstanceRecord | undefined {
    return this.instances.get(instanceId);
  }

  /** Records are shared with the cache: callers replace them (`{...record, …}`), never mutate. */
  saveInstance(record: InstanceRecord): void {
    this.instances.save(record);
    // A finished instance's history leaves the cache with its record (see InstanceTable.save).
    if (terminalStatuses.has(record.runtimeStatus)) this.histories.forget([record.instanceId]);
  }

  deleteInstance(instanceId: string): boolean {
    this.clearPendingWork(instanceId);
    this.clearHistory(instanceId);
    return this.instances.delete(instanceId);
  }

  queryInstances(query: InstanceQuery): { instances: InstanceRecord[]; continuationToken?: string } {
    return this.instances.query(query);
  }

  /** Instances not in a terminal state (kept as a count: starts check it on every call). */
  countUnfinished(): number {
    return this.instances.countUnfinished();
  }

  /** The instance's history. The array is shared with the cache: read it, never change it. */
  history(instanceId: string): readonly HistoryEvent[] {
    return this.histories.read(instanceId);
  }

  appendHistory(instanceId: string, events: readonly HistoryEvent[]): void {
    this.histories.append(instanceId, events);
  }

  clearHistory(instanceId: string): void {
    this.histories.clear(instanceId);
  }

  /** What the in-memory copies hold right now (tests, the bench). */
  cacheUse(): { instances: number; histories: number; historyEvents: number } {
    return { instances: this.instances.cachedCount(), ...this.histories.cacheUse() };
  }

  // ---- The inbox -------------------------------------------------------------------------------

  enqueue(instanceId: string, executionId: string | null, visibleAt: number, event: HistoryEvent): void {
    this.inbox.enqueue(instanceId, executionId, visibleAt, event);
  }

  dequeue(messageId: number): void {
    this.inbox.dequeue(messageId);
  }

  dequeueAll(messages: readonly InboxMessage[]): void {
    this.inbox.dequeueAll(messages);
  }

  cancelTimer(instanceId: string, timerId: number): void {
    this.inbox.cancelTimer(instanceId, timerId);
  }

  /**
   * Up to `limit` instances that may have a message whose time has come, longest waiting first,
   * leaving out `skip` (those already running) and suspended instances (`settleReady` brings
   * one back when it resumes).
   */
  readyInstanceIds(now: number, limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    return this.inbox.readyInstanceIds(now, limit, skip);
  }

  /** Brings an instance's ready hint in line with its inbox (after its episodes, or on resume). */
  settleReady(instanceId: string): void {
    this.inbox.settle(instanceId);
  }

  /** Holds an instance's ready hint back until `until` (its messages wait for more to join). */
  deferReady(instanceId: string, until: number): void {
    this.inbox.defer(instanceId, until);
  }

  /**
   * The messages one episode delivers: those whose time has come, a new execution's
   * ExecutionStarted first, then in arrival order.
   */
  readyMessagesFor(instanceId: string, now: number, limit: number): InboxMessage[] {
    return this.inbox.readyMessagesFor(instanceId, now, limit);
  }

  /** Every event still waiting for an instance, due or not (diagnostics). */
  queuedEvents(instanceId: string): InboxMessage[] {
    return this.inbox.queuedEvents(instanceId);
  }

  /** The next time a delayed message (a durable timer) becomes visible. */
  nextVisibleAt(now: number): number | undefined {
    return this.inbox.nextVisibleAt(now);
  }

  /** Events waiting in one instance's inbox (completions, timers, raised events). */
  countInbox(instanceId: string): number {
    return this.inbox.count(instanceId);
  }

  // ---- The activity work queue -----------------------------------------------------------------

  addWorkItem(item: Omit<WorkItem, 'id'>): void {
    this.work.add(item);
  }

  workItems(limit: number): WorkItem[] {
    return this.work.oldest(limit);
  }

  /** Activities queued or running for an instance. */
  countWorkItems(instanceId: string): number {
    return this.work.count(instanceId);
  }

  /** Whether an instance has activities queued or running besides work item `exceptId`. */
  hasOtherWorkItems(instanceId: string, exceptId: number): boolean {
    return this.work.hasOthers(instanceId, exceptId);
  }

  deleteWorkItem(id: number): void {
    this.work.delete(id);
  }

  /** Drops everything still queued for an instance (on completion, failure or termination). */
  clearPendingWork(instanceId: string): void {
    this.inbox.clear(instanceId);
    this.work.clear(instanceId);
  }

  // ---- Entities --------------------------------------------------------------------------------

  getEntity(entityId: string): EntityRecord | undefined {
    return this.entities.get(entityId);
  }

  /** Saves an entity's state, or deletes the entity when it no longer exists (`state` null). */
  saveEntity(entityId: string, name: string, key: string, state: string | null, at: string): void {
    this.entities.save(entityId, name, key, state, at);
  }

  enqueueEntityOperation(op: Omit<EntityOperation, 'id'>): void {
    this.entities.enqueueOperation(op);
  }

  /**
   * The oldest messages waiting for an entity, in arrival order; while the entity is locked, only
   * those from its lock owner (`owner`).
   */
  entityOperations(entityId: string, limit: number, owner?: string): EntityOperation[] {
    return this.entities.operations(entityId, limit, owner);
  }

  deleteEntityOperations(ops: readonly EntityOperation[]): void {
    this.entities.deleteOperations(ops);
  }

  countEntityOperations(entityId: string): number {
    return this.entities.countOperations(entityId);
  }

  /** The orchestration holding an entity's lock, if any. */
  entityLock(entityId: string): EntityLock | undefined {
    return this.entities.lock(entityId);
  }

  /** Locks an entity for a critical section; returns how many of the request's entities it now holds. */
  lockEntity(entityId: string, ownerInstanceId: string, ownerExecutionId: string, requestId: string): number {
    return this.entities.addLock(entityId, ownerInstanceId, ownerExecutionId, requestId);
  }

  unlockEntity(entityId: string, ownerInstanceId: string): void {
    this.entities.removeLock(entityId, ownerInstanceId);
  }

  /** Entities whose lock an orchestration holds. */
  locksHeldBy(instanceId: string): string[] {
    return this.entities.locksHeldBy(instanceId);
  }

  /** Up to `limit` entities that may have operations waiting, leaving out `skip`. */
  readyEntityIds(limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    return this.entities.readyIds(limit, skip);
  }

  /** Brings an entity's hint in line with its queue (after a batch). */
  settleEntity(entityId: string): void {
    this.entities.settle(entityId);
  }

  queryEntities(query: EntityQuery): { entities: EntityRecord[]; continuationToken?: string } {
    return this.entities.query(query);
  }

  // ---- Host-wide values ------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.meta.set(key, value);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private isFinished(instanceId: string): boolean {
    const instance = this.instances.get(instanceId);
    return instance !== undefined && terminalStatuses.has(instance.runtimeStatus);
  }
}
