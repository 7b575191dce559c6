import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { checkCallWindows, loadToolSettings } from '../../../src/tools/settings';

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
      serverKeys: {
        flights: undefined,
        hotels: undefined,
        weather: undefined,
        restaurants: undefined,
        bookings: undefined,
      },
      mounted: new Set(['flights', 'hotels', 'weather', 'restaurants', 'bookings']),
      maxResultBytes: 256 * 1024,
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
    // The shared key goes only to the app's own mounts; bookings has a URL of its own here.
    expect(settings.serverKeys).toEqual({
      flights: 's3cret',
      hotels: 's3cret',
      weather: 's3cret',
      restaurants: 's3cret',
      bookings: undefined,
    });
  });

  it('sends each server its own key, and the shared key to no server at a URL of its own', () => {
    const settings = loadToolSettings({
      MCP_SERVER_KEY: 'shared-key',
      MCP_BOOKINGS_KEY: 'bookings-key',
      MCP_WEATHER_URL: 'https://weather.example/mcp',
      MCP_HOTELS_URL: 'https://hotels.example/mcp',
      MCP_HOTELS_KEY: 'hotels-key',
    });
    expect(settings.serverKeys).toEqual({
      flights: 'shared-key',
      hotels: 'hotels-key',
      weather: undefined,
      restaurants: 'shared-key',
      bookings: 'bookings-key',
    });
    expect([...settings.mounted].sort()).toEqual(['bookings', 'flights', 'restaurants']);
  });

  it.each([
    [{ MCP_FLIGHTS_URL: 'ftp://x' }, 'MCP_FLIGHTS_URL'],
    [{ MCP_CALL_TIMEOUT_MS: 'soon' }, 'MCP_CALL_TIMEOUT_MS'],
    [{ MCP_CALL_TIMEOUT_MS: '5000', MCP_PENDING_STALE_MS: '5000' }, 'MCP_PENDING_STALE_MS'],
    // One millisecond above the timeout used to pass: no time to record the result, no room for skew.
    [{ MCP_CALL_TIMEOUT_MS: '5000', MCP_PENDING_STALE_MS: '5001' }, 'MCP_PENDING_STALE_MS'],
    [{ MCP_CALL_TIMEOUT_MS: '5000', MCP_PENDING_STALE_MS: '6999' }, 'MCP_PENDING_STALE_MS'],
    [{ MCP_CALL_TIMEOUT_MS: '40000', MCP_PENDING_STALE_MS: '49999' }, 'MCP_PENDING_STALE_MS'],
  ])('fails fast naming the bad setting for %j', (env, setting) => {
    expect(() => loadToolSettings(env)).toThrow(ValidationError);
    expect(() => loadToolSettings(env)).toThrow(setting);
  });

  it('keeps a margin of max(2 s, 20% of the window) between the call timeout and the stale window', () => {
    expect(
      loadToolSettings({ MCP_CALL_TIMEOUT_MS: '5000', MCP_PENDING_STALE_MS: '7000' }).pendingStaleAfterMs,
    ).toBe(7000);
    expect(
      loadToolSettings({ MCP_CALL_TIMEOUT_MS: '40000', MCP_PENDING_STALE_MS: '50000' }).pendingStaleAfterMs,
    ).toBe(50_000);
  });

  it.each(['100', '1000', '2000', '15000', '600000'])(
    'derives a default stale window with that margin from a %s ms timeout',
    (timeout) => {
      const settings = loadToolSettings({ MCP_CALL_TIMEOUT_MS: timeout });
      expect(() => checkCallWindows(settings)).not.toThrow();
      expect(settings.pendingStaleAfterMs).toBeGreaterThanOrEqual(Number(timeout) + 2000);
    },
  );
});

describe('checkCallWindows', () => {
  const windows = { callTimeoutMs: 15_000, pendingStaleAfterMs: 30_000 };

  it('accepts an idempotency TTL of at least ten stale windows', () => {
    expect(() => checkCallWindows({ ...windows, idempotencyTtlSeconds: 300 })).not.toThrow();
    expect(() => checkCallWindows({ ...windows, idempotencyTtlSeconds: 604_800 })).not.toThrow();
  });

  it('rejects an idempotency TTL that does not comfortably exceed the stale window, naming both settings', () => {
    const tooShort = () => checkCallWindows({ ...windows, idempotencyTtlSeconds: 299 });
    expect(tooShort).toThrow(ValidationError);
    expect(tooShort).toThrow(/IDEMPOTENCY_TTL_SECONDS .*MCP_PENDING_STALE_MS/);
  });
});

describe('the default MCP base URL follows the port the app is served on', () => {
  it('uses PORT (the local host sets it) when MCP_BASE_URL is not set', () => {
    expect(loadToolSettings({ PORT: '7099' }).servers.flights).toBe('http://127.0.0.1:7099/api/mcp/flights');
    expect(loadToolSettings({}).servers.flights).toBe('http://127.0.0.1:7071/api/mcp/flights');
  });
  it('lets MCP_BASE_URL win, and ignores a PORT that is not a port', () => {
    expect(
      loadToolSettings({ PORT: '7099', MCP_BASE_URL: 'https://mcp.example.org/api/mcp' }).servers.hotels,
    ).toBe('https://mcp.example.org/api/mcp/hotels');
    expect(loadToolSettings({ PORT: 'eighty' }).servers.weather).toBe(
      'http://127.0.0.1:7071/api/mcp/weather',
    );
  });
});
