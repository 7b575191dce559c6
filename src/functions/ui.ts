/**
 * The web UI: serves the single-page app that `npm run build` bundles into dist/web.
 *
 *   GET /              the page (host.json's route prefix is empty; every API route starts `api/`)
 *   GET /ui/{asset}    the content-hashed files the build listed in dist/web/manifest.json
 *
 * Only the manifest's files are served (no path from the URL reaches the file system), and
 * neither route is a catch-all: any other path is still the host's JSON 404. Hashed files are
 * cached as immutable for a year (a new build has new names); the page revalidates with its ETag.
 * Each file is sent brotli- or gzip-compressed when the browser accepts it, from copies the build
 * made. The page talks to the trips API on the same origin, and a strict Content-Security-Policy
 * keeps it to that origin: no CDN, no inline script or style, no eval. In Azure the host's own
 * default page would answer `/` unless the app setting AzureWebJobsDisableHomepage is true
 * (infra/main.bicep sets it).
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger } from '../telemetry/logger';

/** dist/src/functions → dist/web, where web/build.mjs writes the bundle. */
const WEB_ROOT = join(__dirname, '..', '..', 'web');

const manifestSchema = z.object({
  page: z.string(),
  assets: z.record(z.string(), z.object({ type: z.string(), immutable: z.boolean() })),
});
type Manifest = z.infer<typeof manifestSchema>;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const log = createLogger('web-ui');

/** The encodings the build wrote, best first, with their file suffix. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['name'] | 'identity';

interface LoadedFile {
  body: Buffer;
  etag: string;
}

/** Files read once per process: they change only with a new build (and a restart). */
const files = new Map<string, Promise<LoadedFile>>();

function cachedRead<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    // A failed read (not built yet) is retried on the next request, not cached.
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

function loadFile(file: string): Promise<LoadedFile> {
  return cachedRead(files, file, async () => {
    const body = await readFile(join(WEB_ROOT, file));
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  });
}

const manifests = new Map<string, Promise<Manifest>>();
function loadManifest(): Promise<Manifest> {
  return cachedRead(manifests, 'manifest', async () =>
    manifestSchema.parse(JSON.parse(await readFile(join(WEB_ROOT, 'manifest.json'), 'utf8'))),
  );
}

/** The best encoding `accept` (an Accept-Encoding header) allows: q=0 refuses one. */
export function chooseEncoding(accept: string | null): Encoding {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    offered.set(token, q === undefined ? 1 : Number(q));
  }
  for (const { name } of ENCODINGS) {
    const q = offered.get(name) ?? (offered.has(name) ? 0 : offered.get('*'));
    if (q !== undefined && q > 0) return name;
  }
  return 'identity';
}

function errorAnswer(status: number, code: string, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } }, headers: { 'Cache-Control': 'no-store' } };
}

/** GET / */
export async function serveWebUiPage(request: HttpRequest): Promise<HttpResponseInit> {
  return withManifest((manifest) => serve(request, manifest.page, 'text/html; charset=utf-8', REVALIDATE));
}

/** GET /ui/{asset} */
export async function serveWebUiAsset(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.asset ?? '';
  return withManifest((manifest) => {
    const asset = Object.hasOwn(manifest.assets, name) ? manifest.assets[name] : undefined;
    if (!asset) return errorAnswer(404, 'not_found', `The web UI has no file "${name.slice(0, 80)}".`);
    return serve(request, name, asset.type, asset.immutable ? IMMUTABLE : REVALIDATE);
  });
}

async function withManifest(
  answer: (manifest: Manifest) => Promise<HttpResponseInit> | HttpResponseInit,
): Promise<HttpResponseInit> {
  try {
    return await answer(await loadManifest());
  } catch (error) {
    log.error('web UI not built', { error: error instanceof Error ? error.message : String(error) });
    return errorAnswer(503, 'ui_not_built', 'The web UI is not built: run `npm run build`, then reload.');
  }
}

async function serve(
  request: HttpRequest,
  file: string,
  type: string,
  cacheControl: string,
): Promise<HttpResponseInit> {
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  const suffix = ENCODINGS.find((e) => e.name === encoding)?.suffix ?? '';
  // A compressed copy missing (a build from before compression) falls back to the plain file.
  const loaded = await loadFile(file + suffix).then(
    (value) => ({ value, encoding }),
    async () => ({ value: await loadFile(file), encoding: 'identity' as Encoding }),
  );
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
    ETag: loaded.value.etag,
    ...(loaded.encoding === 'identity' ? {} : { 'Content-Encoding': loaded.encoding }),
  };
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === loaded.value.etag)) {
    return { status: 304, headers };
  }
  return { status: 200, body: loaded.value.body, headers };
}

// Route "/" is the root itself: with an empty route prefix the Functions host (ASP.NET Core
// routing) and the local host both match it to `/` alone. An empty route would not do: the
// host reads it as "no route" and uses the function's name.
app.http('webUiPage', {
  route: '/',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: serveWebUiPage,
});

app.http('webUiAsset', {
  route: 'ui/{asset}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: serveWebUiAsset,
});
