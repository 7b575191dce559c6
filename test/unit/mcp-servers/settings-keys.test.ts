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
    expect(loadMcpSettings({ ...azure, MCP_SERVER_KEY: key }).serverKey).toBe(key);
  });

  it('still accepts the sample value locally', () => {
    expect(loadMcpSettings({ MCP_SERVER_KEY: 'local-dev-mcp-key-change-me' }).serverKey).toBe(
      'local-dev-mcp-key-change-me',
    );
  });
});
