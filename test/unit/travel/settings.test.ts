import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICIES } from '../../../src/agents/retry';
import { loadTripSettings } from '../../../src/travel/settings';

const repoRoot = join(__dirname, '../../..');

describe('loadTripSettings', () => {
  it('has sensible defaults: defaults within maxima, the retry defaults, no client keys', () => {
    const settings = loadTripSettings({});
    for (const name of ['steps', 'tokens', 'wallTimeMs', 'toolCalls', 'money'] as const)
      expect(settings.budgetDefaults[name]).toBeLessThanOrEqual(settings.budgetMaxima[name]);
    expect(settings.retry).toEqual(DEFAULT_RETRY_POLICIES);
    expect(settings.clientKeys.size).toBe(0);
    expect(settings.maxInputRounds).toBe(3);
  });

  it('reads every setting the sample file lists, with the sample’s values', () => {
    const values = (
      JSON.parse(readFileSync(join(repoRoot, 'local.settings.sample.json'), 'utf8')) as {
        Values: Record<string, string>;
      }
    ).Values;
    const sample = Object.fromEntries(Object.entries(values).filter(([key]) => /^TRIPS?_/.test(key)));
    expect(Object.keys(sample)).toEqual(
      expect.arrayContaining(['TRIP_BUDGET_MAX_MONEY_USD', 'TRIP_RETRY_TOOL_WRITE', 'TRIPS_CLIENT_KEYS']),
    );
    expect(loadTripSettings(sample)).toEqual(loadTripSettings({}));
  });

  it('overrides budgets, timeouts and rounds', () => {
    const settings = loadTripSettings({
      TRIP_BUDGET_STEPS: '10',
      TRIP_BUDGET_MAX_MONEY_USD: '500',
      TRIP_BUDGET_MONEY_USD: '100',
      TRIP_INPUT_TIMEOUT_MS: '5000',
      TRIP_MAX_REVISION_ROUNDS: '0',
      TRIP_MAX_REPAIRS: '4',
    });
    expect(settings.budgetDefaults.steps).toBe(10);
    expect(settings.budgetMaxima.money).toBe(500);
    expect(settings.inputTimeoutMs).toBe(5000);
    expect(settings.maxRevisionRounds).toBe(0);
    expect(settings.maxRepairs).toBe(4);
    expect(loadTripSettings({}).maxRepairs).toBe(2);
    expect(() => loadTripSettings({ TRIP_MAX_REPAIRS: '6' })).toThrow(/TRIP_MAX_REPAIRS/);
  });

  it('overrides some fields of a retry policy with JSON, keeping the rest', () => {
    const settings = loadTripSettings({ TRIP_RETRY_TOOL_READ: '{"maxAttempts":6}' });
    expect(settings.retry.toolRead).toEqual({ ...DEFAULT_RETRY_POLICIES.toolRead, maxAttempts: 6 });
    expect(settings.retry.model).toEqual(DEFAULT_RETRY_POLICIES.model);
  });

  it('names bad settings', () => {
    expect(() => loadTripSettings({ TRIP_BUDGET_STEPS: 'many' })).toThrow(/TRIP_BUDGET_STEPS/);
    expect(() => loadTripSettings({ TRIP_MAX_INPUT_ROUNDS: '11' })).toThrow(/TRIP_MAX_INPUT_ROUNDS/);
    expect(() => loadTripSettings({ TRIP_RETRY_MODEL: '{maxAttempts:6}' })).toThrow(
      /TRIP_RETRY_MODEL: not valid JSON/,
    );
    expect(() => loadTripSettings({ TRIP_RETRY_MODEL: '{"maxAttempts":0}' })).toThrow(
      /TRIP_RETRY_MODEL\.maxAttempts/,
    );
    expect(() => loadTripSettings({ TRIP_RETRY_MODEL: '{"attempts":3}' })).toThrow(/TRIP_RETRY_MODEL/);
  });

  it('refuses a default above its maximum rather than capping it silently', () => {
    expect(() => loadTripSettings({ TRIP_BUDGET_TOKENS: '5000', TRIP_BUDGET_MAX_TOKENS: '4000' })).toThrow(
      /TRIP_BUDGET_TOKENS: the default \(5000\) is above TRIP_BUDGET_MAX_TOKENS/,
    );
  });

  it('refuses a write retry policy that gives up before a pending claim goes stale', () => {
    const short = '{"maxAttempts":2,"firstRetryIntervalMs":1000}';
    expect(() => loadTripSettings({ TRIP_RETRY_TOOL_WRITE: short }, { pendingStaleAfterMs: 30_000 })).toThrow(
      /TRIP_RETRY_TOOL_WRITE/,
    );
    expect(() => loadTripSettings({}, { pendingStaleAfterMs: 30_000 })).not.toThrow();
  });

  it('reads client keys as name=sha256, and refuses malformed or duplicate entries', () => {
    const hash = createHash('sha256').update('secret-key-0123456789').digest('hex');
    const settings = loadTripSettings({
      TRIPS_CLIENT_KEYS: ` billing=${hash.toUpperCase()} , reports=${hash}`,
    });
    expect([...settings.clientKeys]).toEqual([
      ['billing', hash],
      ['reports', hash],
    ]);
    expect(() => loadTripSettings({ TRIPS_CLIENT_KEYS: 'billing=secret-key' })).toThrow(/TRIPS_CLIENT_KEYS/);
    expect(() => loadTripSettings({ TRIPS_CLIENT_KEYS: `a=${hash},a=${hash}` })).toThrow(/listed twice/);
  });
});
