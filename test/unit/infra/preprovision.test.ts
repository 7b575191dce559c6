/**
 * The azd preprovision hook, run as azd runs it (node with the environment's values): it keeps an
 * existing MCP key and refuses a Durable backend that host.json does not name (the scale
 * controller reads the provider from host.json, so the two must agree).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bicep';

const HOOK = join(REPO_ROOT, 'infra/hooks/preprovision.mjs');
const KEY = 'an-existing-key-of-32-characters';

/**
 * A stand-in for the Azure CLI (which cannot be installed here): it answers the two queries the
 * hook makes from FAKE_AZ_* variables, as az would print them, and fails like a signed-out az
 * for anything else.
 */
const fakeAzDir = mkdtempSync(join(tmpdir(), 'fake-az-'));
writeFileSync(
  join(fakeAzDir, 'az'),
  `#!${process.execPath}
const args = process.argv.slice(2).join(' ');
const answer = args.startsWith('provider show --namespace Microsoft.DurableTask')
  ? process.env.FAKE_AZ_SCHEDULER_LOCATIONS
  : args.startsWith('cognitiveservices usage list')
    ? (process.env.FAKE_AZ_QUOTA_LOCATION && !args.includes('--location ' + process.env.FAKE_AZ_QUOTA_LOCATION + ' ')
        ? '[]'
        : process.env.FAKE_AZ_USAGES)
    : undefined;
if (answer === undefined) { process.stderr.write('Please run az login'); process.exit(1); }
process.stdout.write(answer);
`,
);
chmodSync(join(fakeAzDir, 'az'), 0o755);
afterAll(() => rmSync(fakeAzDir, { recursive: true, force: true }));

/** Only node (and, when asked, the fake az) on the PATH: nothing else from this machine. */
function runHook(values: Record<string, string>, options: { withAz?: boolean } = {}) {
  const path = [options.withAz ? fakeAzDir : undefined, dirname(process.execPath)].filter(Boolean).join(':');
  return spawnSync(process.execPath, [HOOK], {
    env: { PATH: path, ...values },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

const SCHEDULER_REGIONS = JSON.stringify(['East US 2', 'Sweden Central', 'West Europe']);
const usages = (currentValue: number, limit: number, name = 'OpenAI.GlobalStandard.gpt-4.1-mini') =>
  JSON.stringify([
    { name: { value: 'OpenAI.Standard.gpt-4o' }, currentValue: 0, limit: 100 },
    { name: { value: name }, currentValue, limit },
  ]);
const provisioning = { MCP_SERVER_KEY: KEY, AZURE_LOCATION: 'swedencentral', AZURE_SUBSCRIPTION_ID: 'sub-1' };

describe('preprovision hook', () => {
  it('keeps the MCP key an environment already has', () => {
    const result = runHook({ MCP_SERVER_KEY: KEY });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/keeping it/);
  });

  it('accepts the scheduler backend, which host.json names', () => {
    expect(runHook({ MCP_SERVER_KEY: KEY, DURABLE_BACKEND: 'durableTaskScheduler' }).status).toBe(0);
  });

  it('refuses azureStorage while host.json names the scheduler, saying what to change', () => {
    const result = runHook({ MCP_SERVER_KEY: KEY, DURABLE_BACKEND: 'azureStorage' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DURABLE_BACKEND=azureStorage but host\.json.*"azureManaged"/);
    expect(result.stderr).toMatch(/scale controller reads the provider from host\.json/);
  });

  it('refuses an unknown backend', () => {
    const result = runHook({ MCP_SERVER_KEY: KEY, DURABLE_BACKEND: 'netherite' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/must be durableTaskScheduler or azureStorage/);
  });

  it('refuses a history retention the scheduler SKU cannot keep (30 days on Consumption, 90 on Dedicated)', () => {
    const consumption = runHook({ MCP_SERVER_KEY: KEY, DURABLE_HISTORY_RETENTION_DAYS: '60' });
    expect(consumption.status).toBe(1);
    expect(consumption.stderr).toMatch(
      /DURABLE_HISTORY_RETENTION_DAYS=60: the Consumption scheduler keeps finished runs at most 30 days/,
    );
    const dedicated = { MCP_SERVER_KEY: KEY, DURABLE_TASK_SCHEDULER_SKU: 'Dedicated' };
    expect(runHook({ ...dedicated, DURABLE_HISTORY_RETENTION_DAYS: '60' }).status).toBe(0);
    expect(runHook({ ...dedicated, DURABLE_HISTORY_RETENTION_DAYS: '91' }).stderr).toMatch(/at most 90 days/);
    expect(runHook({ MCP_SERVER_KEY: KEY, DURABLE_HISTORY_RETENTION_DAYS: 'a month' }).stderr).toMatch(
      /DURABLE_HISTORY_RETENTION_DAYS must be a whole number of days from 1/,
    );
  });

  describe('region and model quota (with the Azure CLI)', () => {
    const az = (scheduler: string, quota: string) => ({
      FAKE_AZ_SCHEDULER_LOCATIONS: scheduler,
      FAKE_AZ_USAGES: quota,
    });

    it('pass when the region offers the scheduler and the model has enough quota', () => {
      const result = runHook(
        { ...provisioning, ...az(SCHEDULER_REGIONS, usages(100, 150)) },
        { withAz: true },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/skipped/);
    });

    it('stop before anything is created when the region has no Durable Task Scheduler', () => {
      const result = runHook(
        { ...provisioning, AZURE_LOCATION: 'ukwest', ...az(SCHEDULER_REGIONS, usages(0, 150)) },
        { withAz: true },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /ukwest does not offer the Durable Task Scheduler\. Regions that do: East US 2, Sweden Central/,
      );
    });

    it('stop when the model lacks quota, saying how much is free and what is needed', () => {
      const result = runHook(
        { ...provisioning, MODEL_CAPACITY: '50', ...az(SCHEDULER_REGIONS, usages(120, 150)) },
        { withAz: true },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /gpt-4\.1-mini \(GlobalStandard\) in swedencentral has 30 of 150 .* needs 50/,
      );
    });

    it('match quota names that drop the hyphen (gpt4.1-mini) and check the model where OPENAI_LOCATION puts it', () => {
      const spelled = usages(0, 50, 'OpenAI.GlobalStandard.gpt4.1-mini');
      expect(
        runHook(
          {
            ...provisioning,
            OPENAI_LOCATION: 'eastus2',
            FAKE_AZ_QUOTA_LOCATION: 'eastus2',
            ...az(SCHEDULER_REGIONS, spelled),
          },
          { withAz: true },
        ).status,
      ).toBe(0);
      const none = runHook(
        { ...provisioning, ...az(SCHEDULER_REGIONS, JSON.stringify([])) },
        { withAz: true },
      );
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/swedencentral offers no GlobalStandard quota for gpt-4\.1-mini/);
    });

    it('skip the quota check after the first provision and when the model is not deployed here', () => {
      const tight = az(SCHEDULER_REGIONS, usages(150, 150));
      expect(
        runHook(
          { ...provisioning, ...tight, AZURE_OPENAI_ENDPOINT: 'https://cog-x.openai.azure.com/' },
          { withAz: true },
        ).status,
      ).toBe(0);
      expect(runHook({ ...provisioning, ...tight, DEPLOY_OPENAI: 'false' }, { withAz: true }).status).toBe(0);
    });

    it('are skipped with a note when the Azure CLI is missing (azd does not need it)', () => {
      const result = runHook(provisioning);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/region check skipped: the Azure CLI \(az\) is not available/);
      expect(result.stdout).toMatch(/quota check skipped/);
    });
  });
});
