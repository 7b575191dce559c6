import { describe, expect, it } from 'vitest';
import { loadMcpSettings } from '../../../src/mcp-servers/settings';

describe('MCP_SERVER_KEY in Azure', () => {
  const azure = { WEBSITE_INSTANCE_ID: 'abc' };

  it('refuses the public sample value and other published placeholders', () => {
    expect(() => loadMcpSettings({ ...azure, MCP_SERVER_KEY: 'local-dev-mcp-key-change-me' })).toThrow(
      /Invalid setting MCP_SERVER_KEY: .*sample/,
    );
    expect(() => loadMcpSettings({ ...azure, MCP_SERVER_KEY: 'please-change-me-0123456789' })).toThrow(
      /MCP_SERVER_KEY/,
    );
  });

  it('refuses keys shorter than 16 characters, and takes a real key', () => {
    expect(() => loadMcpSettings({ ...azure, MCP_SERVER_KEY: 'fifteen-chars-x' })).toThrow(/at least 16/);
    const key = 'k3y-' + 'Zq9'.repeat(10);
    expect(loadMcpSettings({ ...azure, MCP_SERVER_KEY: key }).keys.bookings).toBe(key);
  });

  it('still accepts the sample value locally', () => {
    expect(loadMcpSettings({ MCP_SERVER_KEY: 'local-dev-mcp-key-change-me' }).keys.weather).toBe(
      'local-dev-mcp-key-change-me',
    );
  });

  it('checks each server’s own key the same way, in Azure by any platform variable', () => {
    const flex = { WEBSITE_SKU: 'FlexConsumption', LEGION_SERVICE_HOST: '10.0.0.4' };
    expect(() => loadMcpSettings({ ...flex, MCP_BOOKINGS_KEY: 'bookings-key-change-me' })).toThrow(
      /MCP_BOOKINGS_KEY: .*placeholder/,
    );
    expect(() => loadMcpSettings({ MCP_HOTELS_KEY: 'too-short' })).toThrow(/MCP_HOTELS_KEY: .*16/);
  });
});

describe('MCP keys per server', () => {
  it('gives each server its own key, the shared key to the others', () => {
    const settings = loadMcpSettings({
      MCP_SERVER_KEY: 'shared-key-0123456789',
      MCP_BOOKINGS_KEY: 'bookings-key-0123456789',
    });
    expect(settings.keys).toEqual({
      flights: 'shared-key-0123456789',
      hotels: 'shared-key-0123456789',
      weather: 'shared-key-0123456789',
      restaurants: 'shared-key-0123456789',
      bookings: 'bookings-key-0123456789',
    });
    expect(loadMcpSettings({ MCP_WEATHER_KEY: 'weather-key-0123456789' }).keys).toEqual({
      flights: undefined,
      hotels: undefined,
      weather: 'weather-key-0123456789',
      restaurants: undefined,
      bookings: undefined,
    });
  });
});
