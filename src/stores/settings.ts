import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from './expiry';

export interface CosmosStoreSettings {
  endpoint: string;
  /** Account key; absent when the host passes its own `CosmosClient` (Entra ID / managed identity). */
  key: string | undefined;
  databaseId: string;
  idempotencyContainerId: string;
  bookingsContainerId: string;
}

export type StoreSettings =
  | { backend: 'sqlite'; sqlitePath: string; idempotencyTtlSeconds: number }
  | { backend: 'cosmos'; cosmos: CosmosStoreSettings; idempotencyTtlSeconds: number };

const containerId = z.string().regex(/^[^/\\?#]{1,255}$/, 'must be 1–255 characters without / \\ ? #');

const envSchema = z.object({
  STORE_BACKEND: z.enum(['sqlite', 'cosmos']).optional(),
  STORE_SQLITE_PATH: z.string().trim().min(1).default('.data/waypoint.sqlite'),
  COSMOS_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  COSMOS_KEY: z.string().optional(),
  COSMOS_DATABASE: containerId.default('waypoint'),
  COSMOS_IDEMPOTENCY_CONTAINER: containerId.default('idempotency'),
  COSMOS_BOOKINGS_CONTAINER: containerId.default('bookings'),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_IDEMPOTENCY_TTL_SECONDS),
});

/**
 * Reads the store settings from the environment, failing fast with the names of bad settings.
 * The backend is Cosmos DB when `STORE_BACKEND=cosmos`, or when it is unset and `COSMOS_ENDPOINT`
 * is; otherwise the embedded SQLite store.
 *
 * | key | default |
 * |---|---|
 * | STORE_BACKEND | `cosmos` if COSMOS_ENDPOINT is set, else `sqlite` |
 * | STORE_SQLITE_PATH | `.data/waypoint.sqlite` (`:memory:` for a throwaway store) |
 * | COSMOS_ENDPOINT | — (required for cosmos) |
 * | COSMOS_KEY | — (unset: Microsoft Entra ID via DefaultAzureCredential, e.g. the app's managed identity) |
 * | COSMOS_DATABASE | `waypoint` |
 * | COSMOS_IDEMPOTENCY_CONTAINER | `idempotency` |
 * | COSMOS_BOOKINGS_CONTAINER | `bookings` |
 * | IDEMPOTENCY_TTL_SECONDS | 604800 (7 days); at least 10 × MCP_PENDING_STALE_MS |
 *
 * IDEMPOTENCY_TTL_SECONDS must comfortably exceed the tool client's stale window, a setting this
 * loader does not read: `checkCallWindows` (src/tools/settings.ts) checks the two together, and
 * the tool client runs it against its store's TTL when it is built.
 */
export function loadStoreSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  refuseUnresolvedKeyVaultReferences(env, Object.keys(envSchema.shape));
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      issue: issue.message,
    }));
    throw new ValidationError(
      `Invalid store settings: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
      details,
    );
  }
  const values = parsed.data;
  const backend = values.STORE_BACKEND ?? (values.COSMOS_ENDPOINT ? 'cosmos' : 'sqlite');
  if (backend === 'sqlite') {
    return {
      backend,
      sqlitePath: values.STORE_SQLITE_PATH,
      idempotencyTtlSeconds: values.IDEMPOTENCY_TTL_SECONDS,
    };
  }
  if (!values.COSMOS_ENDPOINT) {
    throw new ValidationError(
      'Invalid store settings: COSMOS_ENDPOINT is required when STORE_BACKEND=cosmos',
      [{ path: 'COSMOS_ENDPOINT', issue: 'required when STORE_BACKEND=cosmos' }],
    );
  }
  return {
    backend,
    cosmos: {
      endpoint: values.COSMOS_ENDPOINT,
      key: values.COSMOS_KEY,
      databaseId: values.COSMOS_DATABASE,
      idempotencyContainerId: values.COSMOS_IDEMPOTENCY_CONTAINER,
      bookingsContainerId: values.COSMOS_BOOKINGS_CONTAINER,
    },
    idempotencyTtlSeconds: values.IDEMPOTENCY_TTL_SECONDS,
  };
}

/** An empty variable (`COSMOS_ENDPOINT=` in a .env file) means "not set", not "set to nothing". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}
