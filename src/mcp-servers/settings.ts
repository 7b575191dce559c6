import { z } from 'zod';
import { WaypointError } from '../domain/errors';
import { runsInAzure } from '../hosting';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';
import { faultOptionsSchema, type FaultSettings } from './http/faults';
import { MCP_SERVER_NAMES, type McpServerName } from './registry';

/**
 * The tool servers' settings, read from the environment once at start-up:
 *
 * - `MCP_<SERVER>_KEY` (e.g. `MCP_BOOKINGS_KEY`): the key callers of that server must present
 *   (`x-mcp-key` or `Authorization: Bearer`); at least 16 characters.
 * - `MCP_SERVER_KEY`: the key of every server without one of its own. Unset with no server key
 *   either: no key is required (local development and tests only). In Azure (see hosting.ts) a
 *   published sample or placeholder value is refused.
 * - `MCP_FAULTS_<SERVER>` (e.g. `MCP_FAULTS_BOOKINGS`): fault injection as JSON, e.g.
 *   `{"transientErrorRate":0.3,"dropAfterCommitRate":0.1,"seed":7}`. Unset: no faults.
 *   Fields (defaults): latencyMs (0), latencyJitterMs (0), transientErrorRate (0), timeoutRate (0),
 *   timeoutMs (30000), dropAfterCommitRate (0), seed (random).
 *
 * A bad value fails fast with an error naming the setting.
 */
export interface McpSettings {
  /** The key each server requires: its own MCP_<SERVER>_KEY, else MCP_SERVER_KEY; undefined: none. */
  keys: Record<McpServerName, string | undefined>;
  faults: Partial<Record<McpServerName, FaultSettings>>;
}

export function faultsSettingName(server: McpServerName): string {
  return `MCP_FAULTS_${server.toUpperCase()}`;
}

/** The setting that holds one server's own key, e.g. `MCP_BOOKINGS_KEY`. */
export function keySettingName(server: McpServerName): string {
  return `MCP_${server.toUpperCase()}_KEY`;
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

/** The key in `setting`, checked: at least 16 characters, and in Azure no published placeholder. */
function readKey(env: NodeJS.ProcessEnv, setting: string): string | undefined {
  refuseUnresolvedKeyVaultReferences(env, [setting]);
  const value = env[setting];
  const key = serverKeySchema.safeParse(value === '' ? undefined : value);
  if (!key.success) throw invalid(setting, describeIssues(key.error));
  if (key.data !== undefined && runsInAzure(env) && isPlaceholderKey(key.data)) {
    throw invalid(
      setting,
      'a published sample or placeholder value is no secret; set a random key (openssl rand -base64 32)',
    );
  }
  return key.data;
}

export function loadMcpSettings(env: NodeJS.ProcessEnv = process.env): McpSettings {
  const shared = readKey(env, 'MCP_SERVER_KEY');
  const keys = Object.fromEntries(
    MCP_SERVER_NAMES.map((server) => [server, readKey(env, keySettingName(server)) ?? shared]),
  ) as McpSettings['keys'];

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
  return { keys, faults };
}
