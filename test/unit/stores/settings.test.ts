import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { loadStoreSettings } from '../../../src/stores/settings';

describe('loadStoreSettings', () => {
  it('defaults to the embedded SQLite store with a 7-day idempotency TTL', () => {
    expect(loadStoreSettings({})).toEqual({
      backend: 'sqlite',
      sqlitePath: '.data/waypoint.sqlite',
      idempotencyTtlSeconds: 604_800,
    });
  });

  it('chooses Cosmos DB when COSMOS_ENDPOINT is set, with default database and containers', () => {
    expect(
      loadStoreSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', COSMOS_KEY: 'a2V5' }),
    ).toEqual({
      backend: 'cosmos',
      cosmos: {
        endpoint: 'https://acct.documents.azure.com:443/',
        key: 'a2V5',
        databaseId: 'waypoint',
        idempotencyContainerId: 'idempotency',
        bookingsContainerId: 'bookings',
      },
      idempotencyTtlSeconds: 604_800,
    });
  });

  it('lets an explicit STORE_BACKEND=sqlite win over a configured COSMOS_ENDPOINT', () => {
    const settings = loadStoreSettings({
      STORE_BACKEND: 'sqlite',
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com/',
      STORE_SQLITE_PATH: ':memory:',
      IDEMPOTENCY_TTL_SECONDS: '60',
    });
    expect(settings).toEqual({ backend: 'sqlite', sqlitePath: ':memory:', idempotencyTtlSeconds: 60 });
  });

  it('treats empty variables as unset', () => {
    expect(loadStoreSettings({ COSMOS_ENDPOINT: '', STORE_SQLITE_PATH: '' }).backend).toBe('sqlite');
  });

  it('allows Cosmos without a key: the host may pass its own (Entra ID) client', () => {
    const settings = loadStoreSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com/' });
    expect(settings.backend === 'cosmos' && settings.cosmos.key).toBeUndefined();
  });

  it.each([
    [{ STORE_BACKEND: 'cosmos' }, 'COSMOS_ENDPOINT'],
    [{ STORE_BACKEND: 'postgres' }, 'STORE_BACKEND'],
    [{ COSMOS_ENDPOINT: 'not a url' }, 'COSMOS_ENDPOINT'],
    [{ IDEMPOTENCY_TTL_SECONDS: '0' }, 'IDEMPOTENCY_TTL_SECONDS'],
    [{ IDEMPOTENCY_TTL_SECONDS: 'a week' }, 'IDEMPOTENCY_TTL_SECONDS'],
    [{ COSMOS_BOOKINGS_CONTAINER: 'a/b' }, 'COSMOS_BOOKINGS_CONTAINER'],
    [{ STORE_SQLITE_PATH: '   ' }, 'STORE_SQLITE_PATH'],
  ])('fails fast naming the bad setting for %j', (env, setting) => {
    expect(() => loadStoreSettings(env)).toThrow(ValidationError);
    expect(() => loadStoreSettings(env)).toThrow(setting);
  });
});
