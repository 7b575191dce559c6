import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startLocalCosmos, type LocalCosmos } from './cosmos-server';

/** Starts one local Cosmos server for the test file; the returned getter is valid inside tests. */
export function useLocalCosmos(): () => LocalCosmos {
  let cosmos: LocalCosmos | undefined;
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
  });
  afterAll(async () => {
    await cosmos?.close();
  });
  return () => {
    if (!cosmos) throw new Error('The local Cosmos server is only available inside tests.');
    return cosmos;
  };
}

/** A fresh temporary directory for the test file; `file()` names a new SQLite file inside it. */
export function useTempDir(): { file(name?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-stores-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { file: (name = `${randomUUID()}.sqlite`) => join(dir, name) };
}
