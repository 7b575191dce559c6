/** The store's `meta` table: a few host-wide values by key (such as the host's keys). */
import type Database from 'better-sqlite3';

export class MetaTable {
  private readonly statements;

  constructor(db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);');
    this.statements = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  get(key: string): string | undefined {
    return this.statements.get.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.statements.set.run(key, value);
  }
}
