import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('app configuration', () => {
  it('makes up an MCP key locally and gives the same one to the tool client', () => {
    const config = loadConfig({});
    expect(config.generatedMcpServerKey).toBe(true);
    expect(config.mcp.serverKey).toMatch(/^[\w-]{24}$/);
    expect(config.tools.serverKey).toBe(config.mcp.serverKey);
    expect(loadConfig({}).mcp.serverKey).not.toBe(config.mcp.serverKey);
  });

  it('uses the configured key everywhere', () => {
    const config = loadConfig({ MCP_SERVER_KEY: 'configured-key-0123456789' });
    expect(config.generatedMcpServerKey).toBe(false);
    expect(config.mcp.serverKey).toBe('configured-key-0123456789');
    expect(config.tools.serverKey).toBe('configured-key-0123456789');
  });

  it('refuses to make up a key in Azure, where instances must share it', () => {
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'abc' })).toThrow(/MCP_SERVER_KEY: required in Azure/);
    expect(
      loadConfig({ WEBSITE_INSTANCE_ID: 'abc', MCP_SERVER_KEY: 'configured-key-0123456789' }).mcp.serverKey,
    ).toBe('configured-key-0123456789');
  });

  it('leaves the servers open only when asked explicitly', () => {
    const config = loadConfig({ MCP_ALLOW_ANONYMOUS: 'true' });
    expect(config.mcp.serverKey).toBeUndefined();
    expect(config.tools.serverKey).toBeUndefined();
  });

  it('names a bad setting', () => {
    expect(() => loadConfig({ STORE_BACKEND: 'postgres' })).toThrow(/STORE_BACKEND/);
    expect(() => loadConfig({ MCP_CALL_TIMEOUT_MS: 'soon' })).toThrow(/MCP_CALL_TIMEOUT_MS/);
  });

  it('refuses an idempotency TTL shorter than the window a pending call may run', () => {
    expect(() => loadConfig({ IDEMPOTENCY_TTL_SECONDS: '60' })).toThrow(/IDEMPOTENCY_TTL_SECONDS/);
  });
});
