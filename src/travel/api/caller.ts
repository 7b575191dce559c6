/**
 * Who is calling the trips API: every run belongs to one caller, who alone lists, reads and acts
 * on it (DESIGN §4). The functions are `authLevel: 'anonymous'`; this module decides.
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
 * - **Locally** (no App Service auth, not in Azure): one default user, `local-user`. Setting
 *   `WEBSITE_AUTH_ENABLED=True` locally simulates App Service auth, which is how tests prove that
 *   callers are isolated.
 * - **In Azure without App Service auth** only service clients are accepted: there is no
 *   anonymous default user in the cloud.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
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
  /** Running in Azure (WEBSITE_INSTANCE_ID is set): no default user. */
  inAzure: boolean;
  /** Service clients: name → SHA-256 hex of the key. */
  clientKeys: ReadonlyMap<string, string>;
}

/** The policy the environment asks for. */
export function callerPolicyFrom(
  env: NodeJS.ProcessEnv,
  clientKeys: ReadonlyMap<string, string>,
): CallerPolicy {
  return {
    appServiceAuth: (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true',
    inAzure: Boolean(env.WEBSITE_INSTANCE_ID),
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
  if (policy.inAzure) {
    throw unauthenticated(
      'This API needs App Service authentication (WEBSITE_AUTH_ENABLED) or a client key in x-functions-key.',
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
