/**
 * The azd postprovision hook, run as azd runs it (a node process with the environment's values),
 * writing into a temporary folder; its output is then read by the app's own settings loaders.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelSettings } from '../../../src/models/settings';
import { loadStoreSettings } from '../../../src/stores/settings';
import { REPO_ROOT } from './bicep';

const HOOK = join(REPO_ROOT, 'infra/hooks/postprovision.mjs');

const AZD_VALUES = {
  COSMOS_ENDPOINT: 'https://cosmos-abc123.documents.azure.com:443/',
  COSMOS_DATABASE: 'waypoint',
  COSMOS_IDEMPOTENCY_CONTAINER: 'idempotency',
  COSMOS_BOOKINGS_CONTAINER: 'bookings',
  AZURE_OPENAI_ENDPOINT: 'https://cog-abc123.openai.azure.com/',
  AZURE_OPENAI_DEPLOYMENT: 'gpt-4.1-mini',
  MODEL_NAME: 'gpt-4.1-mini',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waypoint-postprovision-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runHook(values: Record<string, string>, out: string) {
  // Only what azd would pass (plus PATH): nothing from this test process leaks in.
  return spawnSync(process.execPath, [HOOK, out], {
    env: { PATH: process.env.PATH ?? '', ...values },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function readValues(path: string): Record<string, string> {
  return (JSON.parse(readFileSync(path, 'utf8')) as { Values: Record<string, string> }).Values;
}

describe('postprovision hook', () => {
  it('writes local.settings.json that the app reads as Cosmos DB and Azure OpenAI with Entra ID', () => {
    const out = join(dir, 'local.settings.json');
    const result = runHook(AZD_VALUES, out);
    expect(result.status, result.stderr).toBe(0);
    const values = readValues(out);

    const stores = loadStoreSettings(values);
    expect(stores).toMatchObject({
      backend: 'cosmos',
      cosmos: { endpoint: AZD_VALUES.COSMOS_ENDPOINT, key: undefined, databaseId: 'waypoint' },
    });
    expect(loadModelSettings(values)).toMatchObject({
      provider: 'azure-openai',
      endpoint: AZD_VALUES.AZURE_OPENAI_ENDPOINT,
      deployment: 'gpt-4.1-mini',
      clientId: undefined,
    });
    // Durable state stays local; no cloud scheduler, no App Insights ingestion from a laptop.
    expect(values.AzureWebJobsStorage).toBe('UseDevelopmentStorage=true');
    expect(values.DURABLE_TASK_SCHEDULER_CONNECTION_STRING ?? '').toBe('');
    // Core Tools: host.json's scheduler provider is switched to Azure Storage (Azurite) by setting.
    expect(values.AzureFunctionsJobHost__extensions__durableTask__storageProvider__type).toBe('AzureStorage');
    expect(values.APPLICATIONINSIGHTS_CONNECTION_STRING ?? '').toBe('');
    // Owner-only: the file may later hold the developer's own keys.
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('lists every key of local.settings.sample.json', () => {
    const out = join(dir, 'local.settings.json');
    expect(runHook(AZD_VALUES, out).status).toBe(0);
    const sample = readValues(join(REPO_ROOT, 'local.settings.sample.json'));
    expect(Object.keys(readValues(out))).toEqual(expect.arrayContaining(Object.keys(sample)));
  });

  it("keeps the developer's own values and replaces only the cloud coordinates", () => {
    const out = join(dir, 'local.settings.json');
    writeFileSync(
      out,
      JSON.stringify({
        IsEncrypted: false,
        Values: {
          LOG_LEVEL: 'debug',
          MY_OWN: 'kept',
          COSMOS_ENDPOINT: 'https://old.documents.azure.com:443/',
          COSMOS_KEY: 'stale',
        },
        Host: { LocalHttpPort: 7072 },
      }),
    );
    expect(runHook(AZD_VALUES, out).status).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as {
      Values: Record<string, string>;
      Host: unknown;
    };
    expect(written.Values).toMatchObject({
      LOG_LEVEL: 'debug',
      MY_OWN: 'kept',
      COSMOS_ENDPOINT: AZD_VALUES.COSMOS_ENDPOINT,
      COSMOS_KEY: '',
    });
    expect(written.Host).toEqual({ LocalHttpPort: 7072 });
  });

  it('fails cleanly, naming the missing values, and writes nothing when azd has not provisioned', () => {
    const out = join(dir, 'local.settings.json');
    const { COSMOS_ENDPOINT: _omitted, ...partial } = AZD_VALUES;
    const result = runHook({ ...partial, AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:9/' }, out);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/COSMOS_ENDPOINT/);
    expect(result.stderr).toMatch(/AZURE_OPENAI_ENDPOINT/);
    expect(() => statSync(out)).toThrow();
  });

  it('refuses an existing file that is not JSON instead of overwriting it', () => {
    const out = join(dir, 'local.settings.json');
    writeFileSync(out, '{ not json');
    const result = runHook(AZD_VALUES, out);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(out, 'utf8')).toBe('{ not json');
  });
});
