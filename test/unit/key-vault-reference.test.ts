/**
 * An app setting that App Service could not resolve arrives as the literal reference text. It
 * used to pass the MCP key's 16-character check, so both apps agreed on the reference text as
 * their "secret" key. Every loader now refuses it, naming the setting.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { isKeyVaultReference, refuseUnresolvedKeyVaultReferences } from '../../src/key-vault-reference';
import { loadMcpSettings } from '../../src/mcp-servers/settings';
import { loadModelSettings } from '../../src/models/settings';
import { loadStoreSettings } from '../../src/stores/settings';
import { loadTelemetrySettings } from '../../src/telemetry/settings';
import { loadToolSettings } from '../../src/tools/settings';

const REFERENCE =
  '@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/mcp-server-key/0123456789abcdef)';
const AZURE = { WEBSITE_INSTANCE_ID: 'instance-1', WEBSITE_SITE_NAME: 'func-agents-abc123' };

describe('unresolved Key Vault references', () => {
  it('stop the app at start, naming the setting and what to check', () => {
    expect(() => loadConfig({ ...AZURE, MCP_SERVER_KEY: REFERENCE })).toThrow(
      /Invalid setting MCP_SERVER_KEY: an unresolved Key Vault reference: MCP_SERVER_KEY \(@Microsoft\.KeyVault\(SecretUri=https:\/\/kv-abc123/,
    );
    expect(() => loadConfig({ ...AZURE, MCP_SERVER_KEY: REFERENCE })).toThrow(/Key Vault Secrets User/);
  });

  it('are refused in any setting, all named at once', () => {
    let message = '';
    try {
      loadConfig({
        ...AZURE,
        MCP_SERVER_KEY: 'a-real-key-0123456789abcdef',
        TRIPS_CLIENT_KEYS: REFERENCE,
        COSMOS_KEY: REFERENCE,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^Invalid setting COSMOS_KEY, TRIPS_CLIENT_KEYS: an unresolved Key Vault reference/,
    );
  });

  it('are refused by each settings loader for its own settings', () => {
    expect(() => loadMcpSettings({ MCP_SERVER_KEY: REFERENCE })).toThrow(/MCP_SERVER_KEY/);
    expect(() => loadToolSettings({ MCP_SERVER_KEY: REFERENCE })).toThrow(/MCP_SERVER_KEY/);
    expect(() => loadStoreSettings({ COSMOS_KEY: REFERENCE })).toThrow(/COSMOS_KEY/);
    expect(() => loadModelSettings({ MODEL_PROVIDER: 'openai', OPENAI_API_KEY: REFERENCE })).toThrow(
      /OPENAI_API_KEY/,
    );
    expect(() => loadTelemetrySettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: ` ${REFERENCE}` })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING: an unresolved Key Vault reference/,
    );
  });

  it('leave resolved values alone, including values that merely mention Key Vault', () => {
    expect(loadConfig({ ...AZURE, MCP_SERVER_KEY: 'resolved-secret-0123456789' }).mcp.keys.bookings).toBe(
      'resolved-secret-0123456789',
    );
    expect(isKeyVaultReference('my-key@Microsoft.KeyVault(x)')).toBe(false);
    expect(isKeyVaultReference('@microsoft.keyvault(VaultName=kv;SecretName=s)')).toBe(true);
    expect(() => refuseUnresolvedKeyVaultReferences({ A: 'plain', B: undefined })).not.toThrow();
  });

  it('checks only the settings a loader is given', () => {
    expect(() => refuseUnresolvedKeyVaultReferences({ OTHER: REFERENCE }, ['MCP_SERVER_KEY'])).not.toThrow();
  });
});
