/**
 * The azd preprovision hook, run as azd runs it (node with the environment's values): it keeps an
 * existing MCP key and refuses a Durable backend that host.json does not name (the scale
 * controller reads the provider from host.json, so the two must agree).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bicep';

const HOOK = join(REPO_ROOT, 'infra/hooks/preprovision.mjs');
const KEY = 'an-existing-key-of-32-characters';

function runHook(values: Record<string, string>) {
  return spawnSync(process.execPath, [HOOK], {
    env: { PATH: process.env.PATH ?? '', ...values },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

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
});
