/**
 * What a run costs the durable store: for a root instance and every sub-orchestration under it
 * (followed through `parent_instance_id`), the number of history events and their size. Read
 * straight from the local host's SQLite file, read-only, so it also works while a host runs.
 */
import Database from 'better-sqlite3';

export interface InstanceHistorySize {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  /** History events committed for the instance. */
  events: number;
  /** Their total size as stored (JSON text, bytes). */
  bytes: number;
  /** The largest single event, bytes. */
  largestEventBytes: number;
}

export interface RunHistorySize {
  instances: InstanceHistorySize[];
  events: number;
  bytes: number;
  largestEventBytes: number;
}

/** The history size of `rootId` and all its descendants, root first, then by instance id. */
export function runHistorySize(storePath: string, rootId: string): RunHistorySize {
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    const instances = db
      .prepare<[string], InstanceHistorySize>(
        `WITH RECURSIVE tree(id, depth) AS (
           SELECT ?, 0
           UNION
           SELECT i.instance_id, tree.depth + 1 FROM instances i JOIN tree ON i.parent_instance_id = tree.id
         )
         SELECT i.instance_id AS instanceId, i.name AS name, i.runtime_status AS runtimeStatus,
                COUNT(h.seq) AS events,
                COALESCE(SUM(LENGTH(CAST(h.event AS BLOB))), 0) AS bytes,
                COALESCE(MAX(LENGTH(CAST(h.event AS BLOB))), 0) AS largestEventBytes
         FROM tree
         JOIN instances i ON i.instance_id = tree.id
         LEFT JOIN history h ON h.instance_id = i.instance_id
         GROUP BY i.instance_id
         ORDER BY MIN(tree.depth), i.instance_id`,
      )
      .all(rootId);
    return {
      instances,
      events: instances.reduce((sum, i) => sum + i.events, 0),
      bytes: instances.reduce((sum, i) => sum + i.bytes, 0),
      largestEventBytes: Math.max(0, ...instances.map((i) => i.largestEventBytes)),
    };
  } finally {
    db.close();
  }
}
