/**
 * Every setting the code reads in Azure is set by the Bicep app settings of each function app,
 * or listed in infra/optional-settings.json with the reason it may stay unset. The list of what
 * the code reads comes from the code (see code-settings.ts), not from a hand-kept copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseBicepFile, REPO_ROOT, settingKeysOfVariable } from './bicep';
import { settingsReadByCode } from './code-settings';

const optionalSchema = z.object({
  settings: z.record(z.string(), z.string().min(10, 'give the reason')),
});
const optional = optionalSchema.parse(
  JSON.parse(readFileSync(join(REPO_ROOT, 'infra/optional-settings.json'), 'utf8')),
).settings;

const read = settingsReadByCode();
const readNames = new Set(read.map((entry) => entry.setting));

/** Settings the Functions host and platform read (not the app's code). */
const PLATFORM_SETTING =
  /^(AzureWebJobsStorage__|DURABLE_TASK_SCHEDULER_CONNECTION_STRING$|TASKHUB_NAME$|AzureWebJobsDisableHomepage$|OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID$|WEBSITE_AUTH_AAD_ALLOWED_TENANTS$)/;

let apps: Record<'agents' | 'mcp', Set<string>>;

beforeAll(async () => {
  const main = await parseBicepFile('infra/main.bicep');
  const functionApp = await parseBicepFile('infra/app/function-app.bicep');
  // function-app.bicep adds the connections to whatever settings main.bicep passes each app.
  const connections = [
    'storageConnection',
    'monitoringConnection',
    'durableSettings',
    'authSettings',
  ].flatMap((name) => [...settingKeysOfVariable(functionApp, name)]);
  apps = {
    agents: new Set([...settingKeysOfVariable(main, 'agentsSettings'), ...connections]),
    mcp: new Set([...settingKeysOfVariable(main, 'mcpSettings'), ...connections]),
  };
});

describe('settings the code reads', () => {
  it('are found in every settings loader (the collector is not vacuous)', () => {
    for (const setting of [
      'COSMOS_ENDPOINT', // stores
      'MCP_BASE_URL', // tool client
      'MCP_SERVER_KEY', // MCP servers
      'MODEL_PROVIDER', // models
      'TRIP_BUDGET_STEPS', // travel
      'APPLICATIONINSIGHTS_CONNECTION_STRING', // telemetry
      'WEBSITE_AUTH_ENABLED', // travel/api/caller.ts, a direct read
      'MCP_ALLOW_ANONYMOUS', // config.ts, a direct read
      'MCP_FAULTS_BOOKINGS', // a name built at run time
    ]) {
      expect(readNames, setting).toContain(setting);
    }
    expect(read.length).toBeGreaterThan(60);
  });
});

describe.each(['agents', 'mcp'] as const)('the %s function app', (app) => {
  it('sets every setting the code reads, or the setting is listed as optional', () => {
    const missing = read
      .filter(({ setting }) => !apps[app].has(setting) && !(setting in optional))
      .map(({ setting, files }) => `${setting} (read in ${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('sets nothing the code and the Functions host do not read (a typo would go unnoticed)', () => {
    const unknown = [...apps[app]].filter(
      (setting) => !readNames.has(setting) && !PLATFORM_SETTING.test(setting),
    );
    expect(unknown).toEqual([]);
  });

  it('connects keylessly: identity-based storage, Entra ID telemetry, its own identity', () => {
    for (const setting of [
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__blobServiceUri',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      'AZURE_CLIENT_ID',
      'COSMOS_ENDPOINT',
      'MCP_SERVER_KEY',
    ]) {
      expect(apps[app], setting).toContain(setting);
    }
    expect(apps[app]).not.toContain('AzureWebJobsStorage');
    expect(apps[app]).not.toContain('COSMOS_KEY');
    expect(apps[app]).not.toContain('OPENAI_API_KEY');
  });
});

describe('the optional list', () => {
  it('names only settings the code reads (no stale entries)', () => {
    expect(Object.keys(optional).filter((setting) => !readNames.has(setting))).toEqual([]);
  });

  it('keeps key-based settings unset in Azure', () => {
    expect(optional.COSMOS_KEY).toMatch(/never set in Azure/i);
    expect(optional.OPENAI_API_KEY).toMatch(/never set in Azure/i);
  });
});

describe('settings that must agree with the code and host.json', () => {
  const text = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

  it('the agents app uses Azure OpenAI and calls the MCP app', () => {
    for (const setting of [
      'MODEL_PROVIDER',
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_DEPLOYMENT',
      'MCP_BASE_URL',
    ]) {
      expect(apps.agents, setting).toContain(setting);
    }
    expect(text('infra/main.bicep')).toMatch(/MODEL_PROVIDER: 'azure-openai'/);
    expect(text('infra/main.bicep')).toMatch(
      /MCP_BASE_URL: 'https:\/\/\$\{mcpApp\.outputs\.defaultHostName\}\/api\/mcp'/,
    );
  });

  it('requires authentication on the trips API, and never turns on local development switches', () => {
    expect(text('infra/main.bicep')).toMatch(/^\s*TRIPS_REQUIRE_AUTH: 'true'$/m);
    for (const app of ['agents', 'mcp'] as const) {
      expect(apps[app], app).toContain('TRIPS_REQUIRE_AUTH');
      expect(apps[app], app).not.toContain('TRIPS_LOCAL_USER');
      expect(apps[app], app).not.toContain('WAYPOINT_SAMPLES');
    }
    expect(optional.TRIPS_LOCAL_USER).toMatch(/never set in Azure/i);
    expect(optional.WAYPOINT_SAMPLES).toMatch(/never set in Azure/i);
  });

  it('MCP_SERVER_KEY is a Key Vault reference, never a value', () => {
    expect(text('infra/main.bicep')).toMatch(/MCP_SERVER_KEY: keyVault\.outputs\.mcpServerKeyReference\n/);
    expect(text('infra/app/key-vault.bicep')).toMatch(
      /output mcpServerKeyReference string = '@Microsoft\.KeyVault\(SecretUri=\$\{mcpKey\.properties\.secretUriWithVersion\}\)'/,
    );
  });

  it('host.json names the hub by setting; the Bicep default and the sample settings agree on it', () => {
    const hostJson = z
      .object({ extensions: z.object({ durableTask: z.object({ hubName: z.string() }) }) })
      .parse(JSON.parse(text('host.json')));
    expect(hostJson.extensions.durableTask.hubName).toBe('%TASKHUB_NAME%');
    const sample = z
      .object({ Values: z.object({ TASKHUB_NAME: z.string() }) })
      .parse(JSON.parse(text('local.settings.sample.json')));
    const bicepDefault = /param taskHubName string = '([^']+)'/.exec(text('infra/main.bicep'))?.[1];
    expect(bicepDefault).toBe(sample.Values.TASKHUB_NAME);
  });

  it('no AzureFunctionsJobHost__ override in Azure: the scale controller reads host.json, not app settings', () => {
    for (const app of ['agents', 'mcp'] as const) {
      expect([...apps[app]].filter((setting) => setting.startsWith('AzureFunctionsJobHost__'))).toEqual([]);
    }
  });

  it('Cosmos DB containers match what the store code would create (partition key /id, TTL on)', () => {
    const code = text('src/stores/cosmos/containers.ts');
    expect(code).toMatch(/partitionKey: \{ paths: \['\/id'\] \}/);
    expect(code).toMatch(/defaultTtl: -1/);
    const cosmos = text('infra/app/cosmos.bicep');
    expect(cosmos.match(/paths: \[\s*'\/id'\s*\]/g)).toHaveLength(2);
    expect(cosmos.match(/defaultTtl: -1/g)).toHaveLength(2);
    expect(cosmos).toMatch(/disableLocalAuth: true/);
    expect(cosmos).toMatch(/name: 'EnableServerless'/);
  });
});
