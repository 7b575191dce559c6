/**
 * The trips API's own check on browser requests that change state (every POST). In Azure there
 * is no local-host front door: App Service CORS decides what a browser may *read*, and requiring
 * a JSON body (request-body.ts) makes every cross-site POST ask first with a preflight. This check
 * is the last line behind both: a POST that carries `Origin` must come from the app's own host
 * (the web UI it serves) or from an origin listed in TRIPS_ALLOWED_ORIGINS; `Origin: null`
 * (sandboxed frames, `file:` pages) is refused. Clients that send no `Origin` — curl, the CLI,
 * service clients — are not browsers on someone else's page, and pass.
 *
 * The host is compared by name only: behind App Service's TLS front end the scheme and port the
 * function sees need not be the browser's, and no other site can serve pages from this host name.
 */
import { invalidSetting } from '../../hosting';
import { ApiError } from './errors';

export interface OriginPolicy {
  /** Origins besides the app's own whose pages may POST (a front end served elsewhere). */
  allowed: ReadonlySet<string>;
}

/** Reads TRIPS_ALLOWED_ORIGINS: origins such as `https://app.example`, separated by commas. */
export function originPolicyFrom(env: NodeJS.ProcessEnv): OriginPolicy {
  const allowed = new Set<string>();
  for (const entry of (env.TRIPS_ALLOWED_ORIGINS ?? '').split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if (!url || !bare || !/^https?:$/.test(url.protocol)) {
      throw invalidSetting(
        'TRIPS_ALLOWED_ORIGINS',
        `"${entry.slice(0, 80)}" is not an origin (http(s)://host[:port], no path)`,
      );
    }
    allowed.add(url.origin);
  }
  return { allowed };
}

/** Throws 403 `forbidden_origin` for a state-changing browser request from another site. */
export function checkBrowserOrigin(
  method: string,
  origin: string | null,
  requestUrl: string,
  policy: OriginPolicy,
): void {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || origin === null) return;
  let from: URL | undefined;
  try {
    from = origin === 'null' ? undefined : new URL(origin);
  } catch {
    from = undefined;
  }
  if (from && (from.hostname === new URL(requestUrl).hostname || policy.allowed.has(from.origin))) return;
  throw new ApiError(
    403,
    'forbidden_origin',
    'This request came from a page of another site; it may not change anything here.',
  );
}
