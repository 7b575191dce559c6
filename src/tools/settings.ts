import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';
import { maxCallTimeoutMs, MIN_STALE_MARGIN_MS, staleMarginMs } from './call-ledger';
import { TOOL_SERVERS, type ToolServerName } from './tool-names';

export interface ToolSettings {
  /** The MCP endpoint URL of each tool server (the full URL, e.g. `http://127.0.0.1:7071/api/mcp/flights`). */
  servers: Record<ToolServerName, string>;
  /** Default per-call timeout. */
  callTimeoutMs: number;
  /**
   * How long a `pending` idempotency claim may be owned by an in-flight call. Every attempt ends
   * by its claim's time plus this window minus a margin (see `staleMarginMs`), so an older claim
   * belongs to an attempt that has finished and a retry may take it over.
   */
  pendingStaleAfterMs: number;
  /**
   * The key sent as `x-mcp-key` to each server, and only to it: its own `MCP_<SERVER>_KEY`, else,
   * for a server at its default URL (one of the app's own mounts under MCP_BASE_URL), the shared
   * MCP_SERVER_KEY. A server configured at a URL of its own gets no shared key: it may be someone
   * else's, and the shared key may open the bookings server.
   */
  serverKeys: Record<ToolServerName, string | undefined>;
  /** The servers at their default URL `<MCP_BASE_URL>/<server>` (the app's own mounts). */
  mounted: ReadonlySet<ToolServerName>;
  /** The largest answer (bytes on the wire) a tool call may return; a larger one fails as `result_too_large`. */
  maxResultBytes: number;
}

/** 256 KiB: far above any answer Waypoint's servers give, far below what would hurt the stores. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;

const DEFAULT_APP_URL = 'http://127.0.0.1:7071';
const urlSetting = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  MCP_BASE_URL: urlSetting.optional(),
  /** The port the app is served on locally (the local host sets it): the default base URL's port. */
  PORT: z.coerce.number().int().min(1).max(65_535).optional().catch(undefined),
  MCP_FLIGHTS_URL: urlSetting.optional(),
  MCP_HOTELS_URL: urlSetting.optional(),
  MCP_WEATHER_URL: urlSetting.optional(),
  MCP_RESTAURANTS_URL: urlSetting.optional(),
  MCP_BOOKINGS_URL: urlSetting.optional(),
  MCP_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  MCP_PENDING_STALE_MS: z.coerce.number().int().positive().optional(),
  MCP_SERVER_KEY: z.string().min(1).optional(),
  MCP_FLIGHTS_KEY: z.string().min(1).optional(),
  MCP_HOTELS_KEY: z.string().min(1).optional(),
  MCP_WEATHER_KEY: z.string().min(1).optional(),
  MCP_RESTAURANTS_KEY: z.string().min(1).optional(),
  MCP_BOOKINGS_KEY: z.string().min(1).optional(),
  MCP_MAX_RESULT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_MAX_RESULT_BYTES),
});

/**
 * Reads the tool client's settings, failing fast with the names of bad settings.
 *
 * | key | default |
 * |---|---|
 * | MCP_BASE_URL | `http://127.0.0.1:<PORT or 7071>/api/mcp` (the app's own mounts) |
 * | MCP_FLIGHTS_URL, MCP_HOTELS_URL, MCP_WEATHER_URL, MCP_RESTAURANTS_URL, MCP_BOOKINGS_URL | `<MCP_BASE_URL>/<server>` |
 * | MCP_CALL_TIMEOUT_MS | 15000 |
 * | MCP_PENDING_STALE_MS | twice MCP_CALL_TIMEOUT_MS, at least MCP_CALL_TIMEOUT_MS + 2 s; must be ≥ MCP_CALL_TIMEOUT_MS + max(2 s, 20% of itself) |
 * | MCP_FLIGHTS_KEY, MCP_HOTELS_KEY, MCP_WEATHER_KEY, MCP_RESTAURANTS_KEY, MCP_BOOKINGS_KEY | — : the key sent to that server only |
 * | MCP_SERVER_KEY | — : the key sent to the servers at their default URL that have no key of their own |
 * | MCP_MAX_RESULT_BYTES | 262144 (256 KiB); 1 KiB to 64 MiB: a tool answer past it fails as `result_too_large` |
 */
export function loadToolSettings(env: NodeJS.ProcessEnv = process.env): ToolSettings {
  refuseUnresolvedKeyVaultReferences(env, Object.keys(envSchema.shape));
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
  const appUrl = values.PORT === undefined ? DEFAULT_APP_URL : `http://127.0.0.1:${values.PORT}`;
  const base = (values.MCP_BASE_URL ?? `${appUrl}/api/mcp`).replace(/\/+$/, '');
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
  const mounted = new Set(TOOL_SERVERS.filter((name) => explicit[name] === undefined));
  const ownKeys: Record<ToolServerName, string | undefined> = {
    flights: values.MCP_FLIGHTS_KEY,
    hotels: values.MCP_HOTELS_KEY,
    weather: values.MCP_WEATHER_KEY,
    restaurants: values.MCP_RESTAURANTS_KEY,
    bookings: values.MCP_BOOKINGS_KEY,
  };
  const serverKeys = Object.fromEntries(
    TOOL_SERVERS.map((name) => [
      name,
      ownKeys[name] ?? (mounted.has(name) ? values.MCP_SERVER_KEY : undefined),
    ]),
  ) as Record<ToolServerName, string | undefined>;

  const callTimeoutMs = values.MCP_CALL_TIMEOUT_MS;
  const pendingStaleAfterMs =
    values.MCP_PENDING_STALE_MS ?? Math.max(2 * callTimeoutMs, callTimeoutMs + MIN_STALE_MARGIN_MS);
  checkCallWindows({ callTimeoutMs, pendingStaleAfterMs });
  return {
    servers,
    callTimeoutMs,
    pendingStaleAfterMs,
    serverKeys,
    mounted,
    maxResultBytes: values.MCP_MAX_RESULT_BYTES,
  };
}

/**
 * An idempotency record must outlive its pending window many times over: the takeovers and
 * retries of a lost call, then the replays of its result, all happen within the record's TTL.
 */
export const MIN_TTL_TO_STALE_RATIO = 10;

/**
 * Checks that the call-level idempotency windows fit together, naming the settings that do not:
 * a call ends before its claim goes stale (MCP_CALL_TIMEOUT_MS ≤ MCP_PENDING_STALE_MS minus its
 * margin), and, when given, a record outlives its stale window comfortably
 * (IDEMPOTENCY_TTL_SECONDS ≥ 10 × MCP_PENDING_STALE_MS). The stores and the tool client read
 * their settings separately: call this where both are known (the tool client does).
 */
export function checkCallWindows(windows: {
  callTimeoutMs: number;
  pendingStaleAfterMs: number;
  idempotencyTtlSeconds?: number;
}): void {
  const { callTimeoutMs, pendingStaleAfterMs, idempotencyTtlSeconds } = windows;
  if (callTimeoutMs > maxCallTimeoutMs(pendingStaleAfterMs)) {
    const margin = staleMarginMs(pendingStaleAfterMs);
    const issue =
      `must be at least MCP_CALL_TIMEOUT_MS (${callTimeoutMs}) + max(2000, 20% of MCP_PENDING_STALE_MS) ` +
      `(${margin}), so every call ends before its claim may be taken over; got ${pendingStaleAfterMs}`;
    throw new ValidationError(`Invalid tool settings: MCP_PENDING_STALE_MS ${issue}`, [
      { path: 'MCP_PENDING_STALE_MS', issue },
    ]);
  }
  if (
    idempotencyTtlSeconds !== undefined &&
    idempotencyTtlSeconds * 1000 < MIN_TTL_TO_STALE_RATIO * pendingStaleAfterMs
  ) {
    const issue =
      `must be at least ${MIN_TTL_TO_STALE_RATIO} × MCP_PENDING_STALE_MS (${pendingStaleAfterMs} ms), i.e. ` +
      `${Math.ceil((MIN_TTL_TO_STALE_RATIO * pendingStaleAfterMs) / 1000)} s, so records outlive their pending window; got ${idempotencyTtlSeconds}`;
    throw new ValidationError(`Invalid settings: IDEMPOTENCY_TTL_SECONDS ${issue}`, [
      { path: 'IDEMPOTENCY_TTL_SECONDS', issue },
    ]);
  }
}
