/**
 * Which part of Waypoint this function app runs (`WAYPOINT_APP_ROLE`). One package is deployed
 * as two apps; each registers only its own functions, so neither serves, scales for or holds
 * credentials for the other's work:
 *
 * | role | registers | reaches the tools |
 * |---|---|---|
 * | `all` (default: the local host, `func start`) | everything | in-process mounts at `/api/mcp/{server}` |
 * | `agents` | trips API, web UI, orchestrations and activities, samples when enabled | over HTTP (`MCP_BASE_URL` or `MCP_<SERVER>_URL`) |
 * | `mcp` | the MCP tool servers only (no Durable functions: no task hub needed) | — |
 */
import { z } from 'zod';
import { WaypointError } from './domain/errors';
import { TOOL_SERVERS } from './tools/tool-names';

export const APP_ROLES = ['all', 'agents', 'mcp'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const envSchema = z.object({
  WAYPOINT_APP_ROLE: z.enum(APP_ROLES).default('all'),
});

function invalid(problem: string): WaypointError {
  return new WaypointError('invalid_config', `Invalid setting WAYPOINT_APP_ROLE: ${problem}`, {
    details: { setting: 'WAYPOINT_APP_ROLE' },
  });
}

/** The per-server URL settings the tool client reads (see tools/settings.ts). */
function serverUrlSetting(server: string): string {
  return `MCP_${server.toUpperCase()}_URL`;
}

/**
 * Reads the role. The agents role mounts no tool servers, so it must be told where they are:
 * without `MCP_BASE_URL` (or every `MCP_<SERVER>_URL`) its tool client would call itself.
 */
export function loadAppRole(env: NodeJS.ProcessEnv = process.env): AppRole {
  const raw = env.WAYPOINT_APP_ROLE?.trim();
  const parsed = envSchema.safeParse({ WAYPOINT_APP_ROLE: raw === '' ? undefined : raw?.toLowerCase() });
  if (!parsed.success) throw invalid(`must be one of ${APP_ROLES.join(', ')}, not "${raw}"`);
  const role = parsed.data.WAYPOINT_APP_ROLE;
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  if (role === 'agents' && !set('MCP_BASE_URL') && !TOOL_SERVERS.every((s) => set(serverUrlSetting(s)))) {
    throw invalid(
      `agents serves no tool servers; set MCP_BASE_URL to the MCP app's /api/mcp (or ${TOOL_SERVERS.map(serverUrlSetting).join(', ')})`,
    );
  }
  return role;
}

/** True when this role registers the trips API, the UI and the Durable functions. */
export function runsAgents(role: AppRole): boolean {
  return role !== 'mcp';
}

/** True when this role mounts the MCP tool servers. */
export function runsToolServers(role: AppRole): boolean {
  return role !== 'agents';
}
