/**
 * AzureWebJobs.<name>.Disabled: a function the host cannot run can be switched off, as in Azure,
 * so the rest of the app starts; the start-up error names that setting.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { repoRoot, startHost } from '../../support/local-host';

const unsupportedApp = join(repoRoot, 'test/fixtures/unsupported-app');
const setting = 'AzureWebJobs.nightlyCleanup.Disabled';
let host: LocalHost | undefined;

afterEach(async () => {
  delete process.env[setting];
  delete process.env.AzureWebJobs__nightlyCleanup__Disabled;
  await host?.stop();
  host = undefined;
});

describe('AzureWebJobs.<name>.Disabled', () => {
  it('names the setting when a function cannot run', async () => {
    await expect(startHost({ appDir: unsupportedApp })).rejects.toThrow(
      /Function "nightlyCleanup" uses trigger "timerTrigger", which the local host cannot run; to run the rest of the app without it, set AzureWebJobs\.nightlyCleanup\.Disabled to true/,
    );
  });

  it('names every function the samples stand-in cannot run, with its setting', async () => {
    const start = startHost({ appDir: join(repoRoot, 'test/fixtures/samples-app') });
    await expect(start).rejects.toThrow(
      /Function "resizeUpload" uses trigger "blobTrigger".*AzureWebJobs\.resizeUpload\.Disabled/,
    );
    await expect(start).rejects.toThrow(
      /Function "sendSmsChallenge" uses a "queue" binding.*AzureWebJobs\.sendSmsChallenge\.Disabled/,
    );
  });

  it('leaves a disabled function out and runs the rest', async () => {
    process.env[setting] = 'true';
    host = await startHost({ appDir: unsupportedApp });
    const response = await host.fetch('/api/fine');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('accepts the double-underscore spelling and any case of true', async () => {
    process.env.AzureWebJobs__nightlyCleanup__Disabled = 'TRUE';
    host = await startHost({ appDir: unsupportedApp });
    expect((await host.fetch('/api/fine')).status).toBe(200);
  });

  it('keeps a function whose setting is false', async () => {
    process.env[setting] = 'false';
    await expect(startHost({ appDir: unsupportedApp })).rejects.toThrow(/nightlyCleanup/);
  });

  it('answers 404 for a disabled HTTP function', async () => {
    process.env['AzureWebJobs.fine.Disabled'] = '1';
    process.env[setting] = 'true';
    try {
      host = await startHost({ appDir: unsupportedApp });
      expect((await host.fetch('/api/fine')).status).toBe(404);
    } finally {
      delete process.env['AzureWebJobs.fine.Disabled'];
    }
  });
});
