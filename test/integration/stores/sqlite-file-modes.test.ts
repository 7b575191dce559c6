import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { useTempDir } from './support/fixtures';

const temp = useTempDir();

/** Bookings carry travellers' names and contact details: nobody else on the machine may read them. */
describe('SQLite store files', () => {
  it('are created 0600 in a folder created 0700', async () => {
    const dir = join(temp.file('nested'), 'data');
    const path = join(dir, 'waypoint.sqlite');
    const store = SqliteBookingsStore.open(path);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
  });
});
