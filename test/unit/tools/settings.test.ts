import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { loadToolSettings } from '../../../src/tools/settings';

describe('loadToolSettings', () => {
  it('defaults every server to the app mount and a 15 s timeout', () => {
    expect(loadToolSettings({})).toEqual({
      servers: {
        flights: 'http://127.0.0.1:7071/api/mcp/flights',
        hotels: 'http://127.0.0.1:7071/api/mcp/hotels',
        weather: 'http://127.0.0.1:7071/api/mcp/weather',
        restaurants: 'http://127.0.0.1:7071/api/mcp/restaurants',
        bookings: 'http://127.0.0.1:7071/api/mcp/bookings',
      },
      callTimeoutMs: 15_000,
      pendingStaleAfterMs: 30_000,
      serverKey: undefined,
    });
  });

  it('takes a base URL, per-server overrides, the timeout and the server key', () => {
    const settings = loadToolSettings({
      MCP_BASE_URL: 'https://waypoint.example/api/mcp/',
      MCP_BOOKINGS_URL: 'http://10.0.0.5:8080/mcp',
      MCP_CALL_TIMEOUT_MS: '2000',
      MCP_SERVER_KEY: 's3cret',
    });
    expect(settings.servers.flights).toBe('https://waypoint.example/api/mcp/flights');
    expect(settings.servers.bookings).toBe('http://10.0.0.5:8080/mcp');
    expect(settings.callTimeoutMs).toBe(2000);
    expect(settings.pendingStaleAfterMs).toBe(4000);
    expect(settings.serverKey).toBe('s3cret');
  });

  it.each([
    [{ MCP_FLIGHTS_URL: 'ftp://x' }, 'MCP_FLIGHTS_URL'],
    [{ MCP_CALL_TIMEOUT_MS: 'soon' }, 'MCP_CALL_TIMEOUT_MS'],
    [{ MCP_CALL_TIMEOUT_MS: '5000', MCP_PENDING_STALE_MS: '5000' }, 'MCP_PENDING_STALE_MS'],
  ])('fails fast naming the bad setting for %j', (env, setting) => {
    expect(() => loadToolSettings(env)).toThrow(ValidationError);
    expect(() => loadToolSettings(env)).toThrow(setting);
  });
});
