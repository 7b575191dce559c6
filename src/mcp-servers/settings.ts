import { z } from 'zod';
import { WaypointError } from '../domain/errors';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';
import { faultOptionsSchema, type FaultSettings } from './http/faults';
import { MCP_SERVER_NAMES, type McpServerName } from './registry';

/**
 * The tool servers' settings, read from the environment once at start-up:
 *
 * - `MCP_SERVER_KEY`: shared key callers must present (`x-mcp-key` or `Authorization: Bearer`);
 *   at least 16 characters. Unset: no key is required (local development and tests only). In Azure
 *   (`WEBSITE_INSTANCE_ID` set) a published sample or placeholder value is refused.
 * - `MCP_FAULTS_<SERVER>` (e.g. `MCP_FAULTS_BOOKINGS`): fault injection as JSON, e.g.
 *   `{"transientErrorRate":0.3,"dropAfterCommitRate":0.1,"seed":7}`. Unset: no faults.
 *   Fields (defaults): latencyMs (0), latencyJitterMs (0), transientErrorRate (0), timeoutRate (0),
 *   timeoutMs (30000), dropAfterCommitRate (0), seed (random).
 *
 * A bad value fails fast with an error naming the setting.
 */
export interface McpSettings {
  serverKey: string | undefined;
  faults: Partial<Record<McpServerName, FaultSettings>>;
}

export function faultsSettingName(server: McpServerName): string {
  return `MCP_FAULTS_${server.toUpperCase()}`;
}

const serverKeySchema = z.string().min(16, 'must be at least 16 characters').optional();

/** Values published in samples and docs: anyone can read them, so they are no secret in Azure. */
const publishedSampleKeys = new Set(['local-dev-mcp-key-change-me']);

function isPlaceholderKey(key: string): boolean {
  const lower = key.toLowerCase();
  return publishedSampleKeys.has(lower) || /change-?me|replace-?me|example|sample|placeholder/.test(lower);
}

function invalid(setting: string, problem: string): WaypointError {
  return new WaypointError('invalid_config', `Invalid setting ${setting}: ${problem}`, {
    details: { setting },
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function loadMcpSettings(env: NodeJS.ProcessEnv = process.env): McpSettings {
  refuseUnresolvedKeyVaultReferences(env, ['MCP_SERVER_KEY']);
  const key = serverKeySchema.safeParse(env.MCP_SERVER_KEY === '' ? undefined : env.MCP_SERVER_KEY);
  if (!key.success) throw invalid('MCP_SERVER_KEY', describeIssues(key.error));
  if (env.WEBSITE_INSTANCE_ID && key.data !== undefined && isPlaceholderKey(key.data)) {
    throw invalid(
      'MCP_SERVER_KEY',
      'a published sample or placeholder value is no secret; set a random key (openssl rand -base64 32)',
    );
  }

  const faults: McpSettings['faults'] = {};
  for (const server of MCP_SERVER_NAMES) {
    const name = faultsSettingName(server);
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw invalid(name, 'not valid JSON');
    }
    const parsed = faultOptionsSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, describeIssues(parsed.error));
    faults[server] = parsed.data;
  }
  return { serverKey: key.data, faults };
}
