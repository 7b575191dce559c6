/**
 * The scale controller's view of the Durable triggers, built as the Functions host builds it from
 * the host.json in the deployment package (scale-controller.ts), must name the Durable Task
 * Scheduler and the agents app's own task hub, resolved with the app settings Bicep gives it.
 * Before, host.json named the Azure Storage provider and hub WaypointHub while app settings
 * overrode both for the runtime only: the scaler watched a backend the app did not use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  declarationsOf,
  parseBicepFile,
  propertyAt,
  propertyText,
  REPO_ROOT,
  settingKeysOfVariable,
} from './bicep';
import { packagedEntries, resolveSetting, scaleControllerTrigger } from './scale-controller';

const funcignore = readFileSync(join(REPO_ROOT, '.funcignore'), 'utf8');
const packagedHostJson = (): unknown => {
  expect(packagedEntries(REPO_ROOT, funcignore)).toContain('host.json');
  return JSON.parse(readFileSync(join(REPO_ROOT, 'host.json'), 'utf8'));
};

/** The agents app's durable settings as Bicep writes them (values as Bicep expressions). */
let durableSettings: Map<string, string>;
let agentsTaskHub: string | undefined;
let schedulerHubs: string | undefined;

beforeAll(async () => {
  const functionApp = await parseBicepFile('infra/app/function-app.bicep');
  const settings = settingKeysOfVariable(functionApp, 'durableSettings');
  const text = readFileSync(join(REPO_ROOT, 'infra/app/function-app.bicep'), 'utf8');
  durableSettings = new Map(
    [...settings].map((name) => [name, new RegExp(`\\n\\s+${name}: ([^\\n]+)`).exec(text)?.[1] ?? '']),
  );
  const main = declarationsOf(await parseBicepFile('infra/main.bicep'));
  agentsTaskHub = propertyText(main.get('agentsApp')!.body, 'params.taskHubName');
  schedulerHubs = propertyAt(main.get('scheduler')!.body, 'params.taskHubNames')?.text;
});

describe('the scale controller reads the packaged host.json', () => {
  it('.funcignore keeps host.json in the package (and leaves out what must not ship)', () => {
    const entries = packagedEntries(REPO_ROOT, funcignore);
    expect(entries).toEqual(expect.arrayContaining(['host.json', 'package.json', 'package-lock.json']));
    for (const excluded of ['local.settings.json', 'test', 'infra', '.git', 'node_modules']) {
      expect(entries).not.toContain(excluded);
    }
  });

  it('sees the Durable Task Scheduler on an orchestration trigger, with the connection and hub by setting', () => {
    const view = scaleControllerTrigger(packagedHostJson(), 'tripPlanner', 'orchestrationTrigger');
    expect(view.storageProvider).toMatchObject({ type: 'azureManaged' });
    expect(view.connection).toBe('DURABLE_TASK_SCHEDULER_CONNECTION_STRING');
    expect(view.taskHubName).toBe('%TASKHUB_NAME%');
    expect(view.maxConcurrentActivityFunctions).toBeGreaterThan(0);
  });

  it('gives activity and entity triggers the same view, and HTTP triggers none', () => {
    const hostJson = packagedHostJson();
    const orchestration = scaleControllerTrigger(hostJson, 'o', 'orchestrationTrigger');
    for (const type of ['activityTrigger', 'entityTrigger']) {
      const { type: _type, functionName: _name, ...view } = scaleControllerTrigger(hostJson, 'x', type);
      const { type: _t, functionName: _n, ...expected } = orchestration;
      expect(view).toEqual(expected);
    }
    expect(scaleControllerTrigger(hostJson, 'trips', 'httpTrigger')).toEqual({
      type: 'httpTrigger',
      functionName: 'trips',
    });
  });

  it('the agents app settings resolve both names: its own task hub and a keyless scheduler connection', () => {
    const view = scaleControllerTrigger(packagedHostJson(), 'tripPlanner', 'orchestrationTrigger');
    // Bicep expressions stand in for values: TASKHUB_NAME is the taskHubName parameter the agents
    // app gets, which is a hub the scheduler module creates.
    const settings = Object.fromEntries(durableSettings);
    expect(resolveSetting(view.taskHubName!, settings)).toBe('taskHubName');
    expect(agentsTaskHub).toBe('taskHubName');
    expect(schedulerHubs).toMatch(/\btaskHubName\b/);
    const connection = settings[view.connection!];
    expect(connection).toMatch(
      /^'Endpoint=\$\{schedulerEndpoint\};Authentication=ManagedIdentity;ClientID=\$\{identityClientId\}'$/,
    );
  });

  it('a host.json without the provider (the old layout) is what the scaler would see: Azure Storage', () => {
    const old = { extensions: { durableTask: { hubName: 'WaypointHub' } } };
    const view = scaleControllerTrigger(old, 'tripPlanner', 'orchestrationTrigger');
    expect(view.storageProvider).toBeUndefined();
    expect(view.taskHubName).toBe('WaypointHub');
  });

  it('matches keys without case, as the host does', () => {
    const view = scaleControllerTrigger(
      {
        Extensions: {
          DurableTask: { HubName: 'H', StorageProvider: { Type: 'azureManaged', ConnectionStringName: 'C' } },
        },
      },
      'o',
      'orchestrationTrigger',
    );
    expect(view).toMatchObject({ taskHubName: 'H', connection: 'C' });
  });

  it("keeps the host's own telemetry in Application Insights mode (sampled by host.json; see infra/README.md)", () => {
    const hostJson = packagedHostJson() as {
      telemetryMode?: string;
      logging: { applicationInsights: unknown };
    };
    expect(hostJson.telemetryMode).toBe('ApplicationInsights');
    expect(hostJson.logging.applicationInsights).toMatchObject({ samplingSettings: { isEnabled: true } });
  });
});
