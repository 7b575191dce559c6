import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { TOOL_SERVERS, type ToolServerName } from './tool-names';

export interface ToolSettings {
  /** The MCP endpoint URL of each tool server (the full URL, e.g. `http://127.0.0.1:7071/api/mcp/flights`). */
  servers: Record<ToolServerName, string>;
  /** Default per-call timeout. */
  callTimeoutMs: number;
  /**
   * How long a `pending` idempotency record may be owned by an in-flight call. Older pending
   * records belong to attempts that must have ended (every attempt is bounded by its timeout),
   * so a retry may take them over. Keep it above the longest call timeout.
   */
  pendingStaleAfterMs: number;
  /** Sent as `x-mcp-key` to every server when set. */
  serverKey: string | undefined;
}

const DEFAULT_APP_URL = 'http://127.0.0.1:7071';
const urlSetting = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  MCP_BASE_URL: urlSetting.default(`${DEFAULT_APP_URL}/api/mcp`),
  MCP_FLIGHTS_URL: urlSetting.optional(),
  MCP_HOTELS_URL: urlSetting.optional(),
  MCP_WEATHER_URL: urlSetting.optional(),
  MCP_RESTAURANTS_URL: urlSetting.optional(),
  MCP_BOOKINGS_URL: urlSetting.optional(),
  MCP_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  MCP_PENDING_STALE_MS: z.coerce.number().int().positive().optional(),
  MCP_SERVER_KEY: z.string().min(1).optional(),
});

/**
 * Reads the tool client's settings, failing fast with the names of bad settings.
 *
 * | key | default |
 * |---|---|
 * | MCP_BASE_URL | `http://127.0.0.1:7071/api/mcp` (the app's own mounts, DESIGN §4) |
 * | MCP_FLIGHTS_URL, MCP_HOTELS_URL, MCP_WEATHER_URL, MCP_RESTAURANTS_URL, MCP_BOOKINGS_URL | `<MCP_BASE_URL>/<server>` |
 * | MCP_CALL_TIMEOUT_MS | 15000 |
 * | MCP_PENDING_STALE_MS | twice MCP_CALL_TIMEOUT_MS |
 * | MCP_SERVER_KEY | — (no `x-mcp-key` header) |
 */
export function loadToolSettings(env: NodeJS.ProcessEnv = process.env): ToolSettings {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      issue: issue.message,
    }));
    throw new ValidationError(
      `Invalid tool settings: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
      details,
    );
  }
  const values = parsed.data;
  const base = values.MCP_BASE_URL.replace(/\/+$/, '');
  const explicit: Record<ToolServerName, string | undefined> = {
    flights: values.MCP_FLIGHTS_URL,
    hotels: values.MCP_HOTELS_URL,
    weather: values.MCP_WEATHER_URL,
    restaurants: values.MCP_RESTAURANTS_URL,
    bookings: values.MCP_BOOKINGS_URL,
  };
  const servers = Object.fromEntries(
    TOOL_SERVERS.map((name) => [name, explicit[name] ?? `${base}/${name}`]),
  ) as Record<ToolServerName, string>;

  const pendingStaleAfterMs = values.MCP_PENDING_STALE_MS ?? 2 * values.MCP_CALL_TIMEOUT_MS;
  if (pendingStaleAfterMs <= values.MCP_CALL_TIMEOUT_MS) {
    throw new ValidationError('Invalid tool settings: MCP_PENDING_STALE_MS must exceed MCP_CALL_TIMEOUT_MS', [
      { path: 'MCP_PENDING_STALE_MS', issue: 'must exceed MCP_CALL_TIMEOUT_MS' },
    ]);
  }
  return {
    servers,
    callTimeoutMs: values.MCP_CALL_TIMEOUT_MS,
    pendingStaleAfterMs,
    serverKey: values.MCP_SERVER_KEY,
  };
}
