import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('app configuration', () => {
  it('makes up a different MCP key per server locally, and gives each to the tool client for that mount only', () => {
    const config = loadConfig({});
    expect(config.generatedMcpKeys).toEqual(['flights', 'hotels', 'weather', 'restaurants', 'bookings']);
    const keys = Object.values(config.mcp.keys);
    for (const key of keys) expect(key).toMatch(/^[\w-]{24}$/);
    expect(new Set(keys).size).toBe(5);
    expect(config.tools.serverKeys).toEqual(config.mcp.keys);
    expect(loadConfig({}).mcp.keys.bookings).not.toBe(config.mcp.keys.bookings);
  });

  it('never hands a made-up mount key to a server configured at a URL of its own', () => {
    const config = loadConfig({ MCP_WEATHER_URL: 'https://weather.example/mcp' });
    expect(config.mcp.keys.weather).toMatch(/^[\w-]{24}$/);
    expect(config.tools.serverKeys.weather).toBeUndefined();
  });

  it('uses the configured keys: the shared one, and a server’s own', () => {
    const config = loadConfig({
      MCP_SERVER_KEY: 'configured-key-0123456789',
      MCP_BOOKINGS_KEY: 'bookings-key-0123456789',
    });
    expect(config.generatedMcpKeys).toEqual([]);
    expect(config.mcp.keys.flights).toBe('configured-key-0123456789');
    expect(config.mcp.keys.bookings).toBe('bookings-key-0123456789');
    expect(config.tools.serverKeys).toEqual(config.mcp.keys);
  });

  it('refuses to make up keys in Azure, where instances must share them', () => {
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc' })).toThrow(/MCP_SERVER_KEY: required in Azure/);
    // Flex Consumption sets no WEBSITE_INSTANCE_ID: it is Azure all the same.
    expect(() => loadConfig({ WEBSITE_SKU: 'FlexConsumption', LEGION_SERVICE_HOST: '10.0.0.4' })).toThrow(
      /MCP_SERVER_KEY: required in Azure/,
    );
    expect(
      loadConfig({ WEBSITE_INSTANCE_ID: 'abc', MCP_SERVER_KEY: 'configured-key-0123456789' }).mcp.keys.hotels,
    ).toBe('configured-key-0123456789');
  });

  it('leaves the servers open only when asked explicitly', () => {
    const config = loadConfig({ MCP_ALLOW_ANONYMOUS: 'true' });
    expect(Object.values(config.mcp.keys)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(Object.values(config.tools.serverKeys).every((key) => key === undefined)).toBe(true);
  });

  it('names a bad setting', () => {
    expect(() => loadConfig({ STORE_BACKEND: 'postgres' })).toThrow(/STORE_BACKEND/);
    expect(() => loadConfig({ MCP_CALL_TIMEOUT_MS: 'soon' })).toThrow(/MCP_CALL_TIMEOUT_MS/);
  });

  it('refuses an idempotency TTL shorter than the window a pending call may run', () => {
    expect(() => loadConfig({ IDEMPOTENCY_TTL_SECONDS: '60' })).toThrow(/IDEMPOTENCY_TTL_SECONDS/);
  });
});
