/**
 * The app on the local host for one test file: started before the file's tests (vitest's
 * beforeAll), stopped after them, and handed to the file with a trips client of it.
 */
import { afterAll, beforeAll } from 'vitest';
import { startAppHost, type AppHost } from './app-host';
import { tripsClient, type TripsClient } from './trips-client';

/**
 * Registers the hooks; `onStart` receives the app and its client once it runs. `env` is applied
 * before the app loads (it reads its settings once).
 */
export function runAppForTests(
  onStart: (app: AppHost, trips: TripsClient) => void,
  env: Record<string, string> = {},
): void {
  let app: AppHost | undefined;
  beforeAll(async () => {
    app = await startAppHost(env);
    onStart(app, tripsClient(app));
  });
  afterAll(async () => {
    await app?.host.stop();
  });
}
