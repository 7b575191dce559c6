import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyHostOverrides,
  HostJsonError,
  interpretHostJson,
  readHostJson,
} from '../../../src/local-host/host-json';
import { REPO_ROOT } from '../infra/bicep';

const scheduler = {
  extensions: {
    http: { routePrefix: '' },
    durableTask: {
      hubName: '%TASKHUB_NAME%',
      storageProvider: {
        type: 'azureManaged',
        connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING',
      },
      maxConcurrentActivityFunctions: 10,
    },
  },
};

describe('the local host reads host.json as the Functions host does', () => {
  it('resolves a %SETTING% hub name from the app settings', () => {
    const hostJson = interpretHostJson(scheduler, { TASKHUB_NAME: 'WaypointHub' });
    expect(hostJson).toMatchObject({
      hubName: 'WaypointHub',
      routePrefix: '',
      storageProvider: 'azureManaged',
    });
    expect(hostJson.hubNameNote).toBeUndefined();
  });

  it('runs on with the default hub when the setting is missing, and says why', () => {
    const hostJson = interpretHostJson(scheduler, {});
    expect(hostJson.hubName).toBe('TestHubName');
    expect(hostJson.hubNameNote).toMatch(/%TASKHUB_NAME%.*TASKHUB_NAME is not set/);
  });

  it('applies AzureFunctionsJobHost__ overrides, matching keys without case (Core Tools switches the provider so)', () => {
    const hostJson = interpretHostJson(scheduler, {
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'AzureStorage',
      azurefunctionsjobhost__Extensions__DurableTask__MaxConcurrentActivityFunctions: '3',
      AzureFunctionsJobHost__extensions__durableTask__hubName: 'Overridden',
    });
    expect(hostJson).toMatchObject({
      storageProvider: 'AzureStorage',
      maxConcurrentActivityFunctions: 3,
      hubName: 'Overridden',
    });
  });

  it('overrides create sections host.json lacks and leave the original untouched', () => {
    const original = { version: '2.0' };
    const effective = applyHostOverrides(original, {
      AzureFunctionsJobHost__localHost__maxPendingActions: '3000',
    });
    expect(effective).toEqual({ version: '2.0', localHost: { maxPendingActions: '3000' } });
    expect(original).toEqual({ version: '2.0' });
    expect(
      interpretHostJson(original, { AzureFunctionsJobHost__localHost__maxPendingActions: '3000' }).limits,
    ).toEqual({
      maxPendingActions: 3000,
    });
  });

  it('reads the engine limits from the localHost section', () => {
    const hostJson = interpretHostJson(
      { localHost: { maxPendingActions: 5000, MaxActiveInstances: 20000 } },
      {},
    );
    expect(hostJson.limits).toEqual({ maxPendingActions: 5000, maxActiveInstances: 20000 });
  });

  it('refuses unknown localHost keys and bad numbers, naming them', () => {
    expect(() => interpretHostJson({ localHost: { maxPendingAction: 5 } }, {})).toThrow(
      /localHost.maxPendingAction is not a setting; the settings are maxHistoryEvents, maxPendingActions/,
    );
    expect(() => interpretHostJson({ localHost: { maxActiveInstances: 0 } }, {})).toThrow(HostJsonError);
    expect(() =>
      interpretHostJson({ extensions: { durableTask: { maxConcurrentActivityFunctions: 'many' } } }, {}),
    ).toThrow(/maxConcurrentActivityFunctions must be a whole number/);
  });

  it('uses the Functions defaults without a host.json', () => {
    expect(interpretHostJson({}, {})).toEqual({ routePrefix: 'api', hubName: 'TestHubName', limits: {} });
    expect(interpretHostJson({}, { WEBSITE_SITE_NAME: 'site' }).hubName).toBe('site');
  });

  describe('files', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("reads the project's own host.json: scheduler provider, hub by setting, empty route prefix", () => {
      expect(readHostJson(REPO_ROOT, { TASKHUB_NAME: 'WaypointHub' })).toMatchObject({
        hubName: 'WaypointHub',
        routePrefix: '',
        storageProvider: 'azureManaged',
        maxConcurrentActivityFunctions: 10,
        maxConcurrentOrchestratorFunctions: 10,
      });
    });

    it('names the file when it is not JSON', () => {
      dir = mkdtempSync(join(tmpdir(), 'host-json-'));
      writeFileSync(join(dir, 'host.json'), '{ "version": ');
      expect(() => readHostJson(dir!, {})).toThrow(/host\.json is not valid JSON/);
    });
  });
});
