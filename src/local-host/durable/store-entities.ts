/**
 * The store's entity tables: `entities` (each durable entity's committed state), `entity_ops`
 * (messages waiting for an entity) and `entity_locks` (critical sections), and in memory the
 * entities that may have messages waiting.
 */
import type Database from 'better-sqlite3';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { addMissingColumn } from './store-file';

/** A durable entity's committed state. `entityId` is the SDK's scheduler id, `@name@key`. */
export interface EntityRecord {
  entityId: string;
  /** The entity name as the SDK spells it in ids: lower case. */
  name: string;
  key: string;
  /** JSON text of the state. An entity without state does not exist (and has no row). */
  state: string;
  lastOperationTime: string;
}

/**
 * One message waiting for an entity: an operation from an orchestration (call or signal) or a
 * client (signal), or a critical section's lock request or release.
 */
export interface EntityOperation {
  id: number;
  kind: 'operation' | 'lock' | 'release';
  entityId: string;
  /** The request id: a caller's response comes back as an EventRaised with this name. */
  requestId: string;
  operation: string;
  /** JSON text of the input, or null. */
  input: string | null;
  signal: boolean;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  traceParent: string | null;
}

export interface EntityQuery {
  name: string;
  lastOperationTimeFrom?: string;
  lastOperationTimeTo?: string;
  top?: number;
  /** Opaque: the key of the last entity of the previous page. */
  continuationToken?: string;
}

export interface EntityLock {
  ownerInstanceId: string;
  ownerExecutionId: string;
  requestId: string;
}

interface EntityRow {
  entity_id: string;
  name: string;
  key: string;
  state: string;
  last_operation_time: string;
}

interface EntityOpRow {
  id: number;
  kind: EntityOperation['kind'];
  entity_id: string;
  request_id: string;
  operation: string;
  input: string | null;
  signal: number;
  parent_instance_id: string | null;
  parent_execution_id: string | null;
  trace_parent: string | null;
}

const schema = `
CREATE TABLE IF NOT EXISTS entities (
  entity_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT,
  last_operation_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (name, key);
CREATE TABLE IF NOT EXISTS entity_ops (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  input TEXT,
  signal INTEGER NOT NULL,
  parent_instance_id TEXT,
  parent_execution_id TEXT,
  trace_parent TEXT,
  kind TEXT NOT NULL DEFAULT 'operation'
);
CREATE INDEX IF NOT EXISTS entity_ops_by_entity ON entity_ops (entity_id, id);
CREATE TABLE IF NOT EXISTS entity_locks (
  entity_id TEXT PRIMARY KEY,
  owner_instance_id TEXT NOT NULL,
  owner_execution_id TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_locks_by_owner ON entity_locks (owner_instance_id);
CREATE INDEX IF NOT EXISTS entity_locks_by_request ON entity_locks (request_id);
`;

export class EntityTables {
  private readonly statements;
  /** Entities that may have operations waiting (a superset of the truth, settled after each batch). */
  private readonly hints = new Set<string>();

  constructor(private readonly db: Database.Database) {
    db.exec(schema);
    addMissingColumn(db, 'entity_ops', 'kind', "TEXT NOT NULL DEFAULT 'operation'");
    this.statements = {
      get: db.prepare<[string], EntityRow>('SELECT * FROM entities WHERE entity_id = ?'),
      upsert: db.prepare(
        `INSERT INTO entities (entity_id, name, key, state, last_operation_time) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity_id) DO UPDATE SET state = excluded.state, last_operation_time = excluded.last_operation_time`,
      ),
      delete: db.prepare('DELETE FROM entities WHERE entity_id = ?'),
      addOp: db.prepare(
        `INSERT INTO entity_ops (entity_id, request_id, operation, input, signal, parent_instance_id, parent_execution_id, trace_parent, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      ops: db.prepare<[string, number], EntityOpRow>(
        'SELECT * FROM entity_ops WHERE entity_id = ? ORDER BY id LIMIT ?',
      ),
      // While an entity is locked, only its lock owner's messages are delivered; others wait.
      opsFrom: db.prepare<[string, string, number], EntityOpRow>(
        'SELECT * FROM entity_ops WHERE entity_id = ? AND parent_instance_id = ? ORDER BY id LIMIT ?',
      ),
      opCountFrom: db.prepare<[string, string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_ops WHERE entity_id = ? AND parent_instance_id = ?',
      ),
      deleteOp: db.prepare('DELETE FROM entity_ops WHERE id = ?'),
      opCount: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_ops WHERE entity_id = ?',
      ),
      entitiesWithOps: db.prepare<[], { entity_id: string }>('SELECT DISTINCT entity_id FROM entity_ops'),
      getLock: db.prepare<
        [string],
        { entity_id: string; owner_instance_id: string; owner_execution_id: string; request_id: string }
      >('SELECT * FROM entity_locks WHERE entity_id = ?'),
      addLock: db.prepare(
        'INSERT INTO entity_locks (entity_id, owner_instance_id, owner_execution_id, request_id) VALUES (?, ?, ?, ?)',
      ),
      deleteLock: db.prepare('DELETE FROM entity_locks WHERE entity_id = ? AND owner_instance_id = ?'),
      locksOfRequest: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_locks WHERE request_id = ?',
      ),
      locksHeldBy: db.prepare<[string], { entity_id: string }>(
        'SELECT entity_id FROM entity_locks WHERE owner_instance_id = ?',
      ),
    };
    for (const row of this.statements.entitiesWithOps.all()) this.hints.add(row.entity_id);
  }

  get(entityId: string): EntityRecord | undefined {
    const row = this.statements.get.get(entityId);
    return row ? toEntity(row) : undefined;
  }

  /** Saves an entity's state, or deletes the entity when it no longer exists (`state` null). */
  save(entityId: string, name: string, key: string, state: string | null, at: string): void {
    if (state === null) this.statements.delete.run(entityId);
    else this.statements.upsert.run(entityId, name, key, state, at);
  }

  enqueueOperation(op: Omit<EntityOperation, 'id'>): void {
    this.statements.addOp.run(
      op.entityId,
      op.requestId,
      op.operation,
      op.input,
      op.signal ? 1 : 0,
      op.parentInstanceId,
      op.parentExecutionId,
      op.traceParent,
      op.kind,
    );
    this.hints.add(op.entityId);
  }

  /**
   * The oldest messages waiting for an entity, in arrival order; while the entity is locked, only
   * those from its lock owner (`owner`).
   */
  operations(entityId: string, limit: number, owner?: string): EntityOperation[] {
    const rows =
      owner === undefined
        ? this.statements.ops.all(entityId, limit)
        : this.statements.opsFrom.all(entityId, owner, limit);
    return rows.map(toEntityOperation);
  }

  deleteOperations(ops: readonly EntityOperation[]): void {
    for (const op of ops) this.statements.deleteOp.run(op.id);
  }

  countOperations(entityId: string): number {
    return this.statements.opCount.get(entityId)!.n;
  }

  /** The orchestration holding an entity's lock, if any. */
  lock(entityId: string): EntityLock | undefined {
    const row = this.statements.getLock.get(entityId);
    return row
      ? {
          ownerInstanceId: row.owner_instance_id,
          ownerExecutionId: row.owner_execution_id,
          requestId: row.request_id,
        }
      : undefined;
  }

  /** Locks an entity for a critical section; returns how many of the request's entities it now holds. */
  addLock(entityId: string, ownerInstanceId: string, ownerExecutionId: string, requestId: string): number {
    this.statements.addLock.run(entityId, ownerInstanceId, ownerExecutionId, requestId);
    return this.statements.locksOfRequest.get(requestId)!.n;
  }

  removeLock(entityId: string, ownerInstanceId: string): void {
    this.statements.deleteLock.run(entityId, ownerInstanceId);
    this.hints.add(entityId);
  }

  /** Entities whose lock an orchestration holds. */
  locksHeldBy(instanceId: string): string[] {
    return this.statements.locksHeldBy.all(instanceId).map((row) => row.entity_id);
  }

  /** Up to `limit` entities that may have operations waiting, leaving out `skip`. */
  readyIds(limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    const ready: string[] = [];
    for (const entityId of this.hints) {
      if (ready.length >= limit) break;
      if (!skip.has(entityId)) ready.push(entityId);
    }
    return ready;
  }

  /** Brings an entity's hint in line with its queue (after a batch). */
  settle(entityId: string): void {
    this.hints.delete(entityId);
    // A locked entity only has work when its owner sent something; the rest waits for the release.
    const lock = this.lock(entityId);
    const waiting = lock
      ? this.statements.opCountFrom.get(entityId, lock.ownerInstanceId)!.n
      : this.countOperations(entityId);
    if (waiting > 0) this.hints.add(entityId);
  }

  query(query: EntityQuery): { entities: EntityRecord[]; continuationToken?: string } {
    const where = ['name = ?'];
    const params: unknown[] = [query.name];
    if (query.lastOperationTimeFrom) {
      where.push('last_operation_time >= ?');
      params.push(query.lastOperationTimeFrom);
    }
    if (query.lastOperationTimeTo) {
      where.push('last_operation_time <= ?');
      params.push(query.lastOperationTimeTo);
    }
    if (query.continuationToken) {
      const [key] = decodePageToken(query.continuationToken);
      where.push('key > ?');
      params.push(key);
    }
    const limit = pageSize(query.top);
    const rows = this.db
      .prepare<
        unknown[],
        EntityRow
      >(`SELECT * FROM entities WHERE ${where.join(' AND ')} ORDER BY key LIMIT ${limit + 1}`)
      .all(...params);
    const page = rows.slice(0, limit).map(toEntity);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { entities: page, continuationToken: encodePageToken(last.key, '') }
      : { entities: page };
  }
}

function toEntity(row: EntityRow): EntityRecord {
  return {
    entityId: row.entity_id,
    name: row.name,
    key: row.key,
    state: row.state,
    lastOperationTime: row.last_operation_time,
  };
}

function toEntityOperation(row: EntityOpRow): EntityOperation {
  return {
    id: row.id,
    kind: row.kind,
    entityId: row.entity_id,
    requestId: row.request_id,
    operation: row.operation,
    input: row.input,
    signal: row.signal === 1,
    parentInstanceId: row.parent_instance_id,
    parentExecutionId: row.parent_execution_id,
    traceParent: row.trace_parent,
  };
}
