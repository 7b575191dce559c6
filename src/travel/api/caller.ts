/**
 * Who is calling the trips API: every run belongs to one caller, who alone lists, reads and acts
 * on it. The functions are `authLevel: 'anonymous'`; this module decides.
 *
 * - **Users (Azure)**: App Service authentication ("Easy Auth") signs the user in and passes the
 *   principal as `x-ms-client-principal` (base64 JSON). The header is trusted only when App
 *   Service auth is on (`WEBSITE_AUTH_ENABLED=True`): App Service then strips any such header a
 *   client sent itself. The caller is `user:<identity provider>:<object id, else subject>`.
 * - **Service clients**: send a key in `x-functions-key`. Each client is listed in the
 *   `TRIPS_CLIENT_KEYS` setting as `name=<SHA-256 hex of its key>` (the key itself is never
 *   stored); the caller is `client:<name>`. Use a function key made for the client (e.g.
 *   `az functionapp function keys set … --key-name <name>`) or any 32+ byte random secret. A key
 *   that matches no client is refused (401), never treated as anonymous.
 * - **Locally**, only when switched on (`TRIPS_LOCAL_USER=on`, which the local host and the sample
 *   local.settings.json set): one shared default user, `local-user`, for requests that name no
 *   caller. Never inferred from a missing variable: without the switch such a request is a 401.
 *   The switch is refused at start-up in Azure (any platform variable set, see hosting.ts) and
 *   together with `TRIPS_REQUIRE_AUTH=true`, which the deployment sets. Setting
 *   `WEBSITE_AUTH_ENABLED=True` locally simulates App Service auth, which is how tests prove that
 *   callers are isolated.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { invalidSetting, localOnlySwitch, switchSetting } from '../../hosting';
import { ApiError } from './errors';

export const LOCAL_USER = 'local-user';

export interface Caller {
  /** The owner recorded on runs: `user:…`, `client:…` or `local-user`. At most 200 characters. */
  id: string;
  kind: 'user' | 'client' | 'local';
}

export interface CallerPolicy {
  /** App Service authentication is on: `x-ms-client-principal` is trustworthy. */
  appServiceAuth: boolean;
  /** A request that names no caller is the shared `local-user` (local development only). */
  localUser: boolean;
  /** Service clients: name → SHA-256 hex of the key. */
  clientKeys: ReadonlyMap<string, string>;
}

/**
 * The policy the environment asks for; a contradictory one (the local user switched on in Azure
 * or with TRIPS_REQUIRE_AUTH) stops the app at start-up.
 */
export function callerPolicyFrom(
  env: NodeJS.ProcessEnv,
  clientKeys: ReadonlyMap<string, string>,
): CallerPolicy {
  const requireAuth = switchSetting('TRIPS_REQUIRE_AUTH', env.TRIPS_REQUIRE_AUTH);
  const localUser = localOnlySwitch('TRIPS_LOCAL_USER', env.TRIPS_LOCAL_USER, env);
  if (localUser && requireAuth) {
    throw invalidSetting('TRIPS_LOCAL_USER', 'cannot be on while TRIPS_REQUIRE_AUTH is on');
  }
  return {
    appServiceAuth: (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true',
    localUser,
    clientKeys,
  };
}

const principalSchema = z.object({
  auth_typ: z.string().max(100).optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
});

/** Claim types that name the user stably, best first (Entra object id, then the subject). */
const ID_CLAIMS = [
  'http://schemas.microsoft.com/identity/claims/objectidentifier',
  'oid',
  'sub',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
];

/** Reads a request header by (case-insensitive) name. */
export type HeaderReader = (name: string) => string | null | undefined;

/**
 * The caller of a request, or an `ApiError` 401 when the request names none that this policy
 * accepts. Pure: the policy comes from the environment once, at start-up.
 */
export function resolveCaller(header: HeaderReader, policy: CallerPolicy): Caller {
  const key = header('x-functions-key');
  if (key) return clientFor(key, policy);

  if (policy.appServiceAuth) {
    const encoded = header('x-ms-client-principal');
    if (!encoded) throw unauthenticated('Sign in first: App Service authentication passed no principal.');
    return userFrom(encoded, header('x-ms-client-principal-idp') ?? undefined);
  }
  if (!policy.localUser) {
    throw unauthenticated(
      'Sign in first (App Service authentication), or send a client key in x-functions-key.',
    );
  }
  return { id: LOCAL_USER, kind: 'local' };
}

/** `name` of the client whose key hashes to the one listed; compared in constant time. */
function clientFor(key: string, policy: CallerPolicy): Caller {
  const presented = createHash('sha256').update(key, 'utf8').digest();
  let match: string | undefined;
  for (const [name, hex] of policy.clientKeys) {
    // Check every entry, so the time taken does not say which one matched.
    if (timingSafeEqual(presented, Buffer.from(hex, 'hex')) && match === undefined) match = name;
  }
  if (match === undefined) throw unauthenticated('The key in x-functions-key is not a trips API client key.');
  return { id: `client:${match}`, kind: 'client' };
}

function userFrom(encoded: string, idpHeader: string | undefined): Caller {
  let principal: z.infer<typeof principalSchema>;
  try {
    principal = principalSchema.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  } catch {
    throw unauthenticated('x-ms-client-principal is not a valid App Service principal.');
  }
  const id = ID_CLAIMS.map((typ) => principal.claims.find((claim) => claim.typ === typ)?.val).find(
    (value) => value !== undefined && value.trim() !== '',
  );
  if (id === undefined) throw unauthenticated('The App Service principal carries no user id claim.');
  const idp = (principal.auth_typ ?? idpHeader ?? 'unknown').toLowerCase();
  const owner = `user:${idp}:${id}`;
  // Owners are stored with every run (max 200 characters); a longer id is kept apart by its digest.
  return {
    id:
      owner.length <= 200
        ? owner
        : `user:${idp.slice(0, 40)}:sha256-${createHash('sha256').update(id).digest('hex')}`,
    kind: 'user',
  };
}

function unauthenticated(message: string): ApiError {
  return new ApiError(401, 'unauthenticated', message);
}
