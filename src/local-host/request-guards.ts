/**
 * Pure checks the front door runs on a request's head before routing: the request target, the
 * Host header (DNS rebinding) and the browser's Origin (cross-site request forgery). Each returns
 * a refusal with a status and a stable code, or the parsed value; no I/O.
 */

export interface Refusal {
  status: 400 | 403 | 415;
  code: 'bad_request' | 'forbidden_host' | 'forbidden_origin' | 'unsupported_media_type';
  message: string;
}

/** A request target in origin-form: the path (still percent-encoded) and the query. */
export interface RequestTarget {
  path: string;
  search: string;
}

/** Methods a browser may send cross-site without side effects by contract (RFC 9110 safe methods). */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * Accepts only origin-form targets: one leading `/`, no `//` authority, no backslash (which URL
 * parsers read as `/`), no dot-segments raw or percent-encoded. Anything else could make a URL
 * parser take the host from the target instead of from the checked Host header.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | Refusal {
  const target = raw ?? '';
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const search = queryAt < 0 ? '' : target.slice(queryAt);
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\') || target.includes('#')) {
    return badRequest('The request target must be a path starting with a single "/".');
  }
  if (path.split('/').some((segment) => dotSegment.test(segment))) {
    return badRequest('The request path must not contain "." or ".." segments.');
  }
  if (/[^\x21-\x7e]/.test(target))
    return badRequest('The request target has characters that must be encoded.');
  return { path, search };
}

export interface HostHeader {
  /** Lower-case host name, IPv6 literals in brackets. */
  name: string;
  /** The explicit port, or undefined for the scheme's default. */
  port: number | undefined;
  /** `name[:port]` as it may appear in an origin. */
  value: string;
}

const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i;

/** Parses a Host header strictly: a name or IP literal and an optional port, nothing else. */
export function parseHostHeader(raw: string | undefined): HostHeader | Refusal {
  const match = hostPattern.exec(raw ?? '');
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    return badRequest('The Host header must be a host name or IP address with an optional port.');
  }
  const name = match[1].toLowerCase();
  return { name, port, value: port === undefined ? name : `${name}:${port}` };
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for an IPv4 literal in 127.0.0.0/8 (four decimal parts, each 0–255). */
function isLoopbackIpv4(address: string): boolean {
  const parts = ipv4.exec(address);
  return parts !== null && parts.slice(1).every((part) => Number(part) <= 255) && parts[1] === '127';
}

/**
 * True when `name` (a `--host` value) is an interface only this machine can reach: `localhost`,
 * any address in 127.0.0.0/8, or `::1` (bracketed or not). The Host check is on for these.
 */
export function isLoopbackInterface(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower === '::1' || lower === '[::1]' || isLoopbackIpv4(lower);
}

/** True when a socket's peer address is loopback (IPv4 127/8, `::1`, or IPv4 127/8 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const lower = address.toLowerCase();
  if (lower === '::1') return true;
  return isLoopbackIpv4(lower.startsWith('::ffff:') ? lower.slice(7) : lower);
}

/**
 * The Host values a server on `port` answers to when it listens on loopback only: the usual
 * loopback names plus the address it is bound to (such as 127.0.0.2).
 */
export function loopbackHosts(port: number, boundName?: string): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (boundName !== undefined)
    names.add(
      boundName.includes(':') && !boundName.startsWith('[') ? `[${boundName}]` : boundName.toLowerCase(),
    );
  return new Set([...[...names].map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
}

/** Refuses a Host the server does not answer to (a rebound domain pointing at loopback). */
export function checkHost(host: HostHeader, allowed: ReadonlySet<string> | undefined): Refusal | undefined {
  if (!allowed) return undefined;
  const effective = `${host.name}:${host.port ?? 80}`;
  if (allowed.has(effective) || allowed.has(host.value)) return undefined;
  return {
    status: 403,
    code: 'forbidden_host',
    message: `Host "${host.value}" is not served here; use ${[...allowed][0]}.`,
  };
}

export interface OriginDecision {
  refusal?: Refusal;
  /** An allowed origin other than the host's own: answer with CORS headers for it. */
  corsOrigin?: string;
}

/**
 * Cross-site request forgery: a web page can make a browser send a "simple" POST (form or
 * text/plain body, no preflight) to the loopback host. State-changing requests from a browser
 * must come from the host's own origin or an allow-listed one. Requests without `Origin` and
 * without `Sec-Fetch-Site` (curl, DurableClient, server-side callers) are not browser requests
 * and pass. Safe methods pass too (a link from another site to a page of the host must work), but
 * only allow-listed origins ever get CORS headers, so no other site can read a response.
 */
export function checkOrigin(
  method: string,
  headers: { origin?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined },
  host: HostHeader,
  allowedOrigins: ReadonlySet<string>,
): OriginDecision {
  const origin = headers.origin;
  const self = `http://${host.value}`;
  const allowListed = origin !== undefined && allowedOrigins.has(origin.toLowerCase());
  const decision: OriginDecision = allowListed ? { corsOrigin: origin } : {};
  if (safeMethods.has(method)) return decision;
  if (origin !== undefined) {
    if (origin.toLowerCase() === self || allowListed) return decision;
    return { refusal: forbiddenOrigin(`Origin "${origin}"`) };
  }
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return { refusal: forbiddenOrigin(`A ${site} browser request`) };
  }
  return decision;
}

const jsonMediaType = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The host's own state-changing routes (the management API) take JSON only. A browser can send a
 * form or text/plain POST to any site without a CORS preflight; requiring `application/json`
 * makes such a request need one, which no other origin passes. POST, PUT and PATCH need it
 * always (DurableClient sends it even without a body); DELETE only when it carries a body.
 */
export function checkJsonBody(
  method: string,
  contentType: string | undefined,
  hasBody: boolean,
): Refusal | undefined {
  if (safeMethods.has(method) || (method === 'DELETE' && !hasBody)) return undefined;
  if (contentType !== undefined && jsonMediaType.test(contentType.trim())) return undefined;
  return {
    status: 415,
    code: 'unsupported_media_type',
    message: `${method} requests here take a JSON body: send Content-Type: application/json.`,
  };
}

/** Normalises configured origins (`scheme://host[:port]`, no path); throws on a malformed one. */
export function normaliseOrigins(origins: readonly string[]): Set<string> {
  const normalised = new Set<string>();
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new RangeError(`Allowed origin "${origin}" is not a URL such as http://localhost:5173.`);
    }
    if (url.origin === 'null' || url.href.replace(/\/$/, '') !== url.origin) {
      throw new RangeError(`Allowed origin "${origin}" must be scheme://host[:port] with no path.`);
    }
    normalised.add(url.origin.toLowerCase());
  }
  return normalised;
}

export function isRefusal(value: object): value is Refusal {
  return 'status' in value && 'code' in value;
}

function forbiddenOrigin(what: string): Refusal {
  return {
    status: 403,
    code: 'forbidden_origin',
    message: `${what} may not change state on this host; allow the origin with --allow-origin if it is yours.`,
  };
}

function badRequest(message: string): Refusal {
  return { status: 400, code: 'bad_request', message };
}
