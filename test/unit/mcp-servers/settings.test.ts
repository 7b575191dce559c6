import { describe, expect, it } from 'vitest';
import { loadMcpSettings } from '../../../src/mcp-servers/settings';

describe('loadMcpSettings', () => {
  it('defaults to no key and no faults', () => {
    expect(loadMcpSettings({})).toEqual({
      keys: {
        flights: undefined,
        hotels: undefined,
        weather: undefined,
        restaurants: undefined,
        bookings: undefined,
      },
      faults: {},
    });
  });

  it('reads the key and per-server fault JSON, filling defaults', () => {
    const settings = loadMcpSettings({
      MCP_SERVER_KEY: 'a-long-enough-secret',
      MCP_FAULTS_BOOKINGS: '{"transientErrorRate":0.3,"dropAfterCommitRate":0.1,"seed":7}',
    });
    expect(settings.keys.flights).toBe('a-long-enough-secret');
    expect(settings.faults.bookings).toEqual({
      latencyMs: 0,
      latencyJitterMs: 0,
      transientErrorRate: 0.3,
      timeoutRate: 0,
      timeoutMs: 30_000,
      dropAfterCommitRate: 0.1,
      repriceRate: 0,
      repriceFactor: 1.1,
      repriceAfterLookups: 1,
      seed: 7,
    });
    expect(settings.faults.flights).toBeUndefined();
  });

  it('fails fast naming the bad setting and field', () => {
    expect(() => loadMcpSettings({ MCP_FAULTS_HOTELS: '{"transientErrorRate":2}' })).toThrow(
      /Invalid setting MCP_FAULTS_HOTELS: transientErrorRate: .*1/,
    );
    expect(() => loadMcpSettings({ MCP_FAULTS_WEATHER: '{oops' })).toThrow(
      'Invalid setting MCP_FAULTS_WEATHER: not valid JSON',
    );
    expect(() => loadMcpSettings({ MCP_FAULTS_FLIGHTS: '{"latency":5}' })).toThrow(
      /MCP_FAULTS_FLIGHTS: .*latency/,
    );
    expect(() => loadMcpSettings({ MCP_SERVER_KEY: 'short' })).toThrow(
      /Invalid setting MCP_SERVER_KEY: .*16/,
    );
  });
});
