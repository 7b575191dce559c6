/**
 * The web UI (issue 13): serves the single-page app that `npm run build` bundles into dist/web.
 *
 *   GET /              the page (host.json's route prefix is empty; every API route starts `api/`)
 *   GET /ui/{asset}    app.js, app.js.map, styles.css
 *
 * Only those files are served (no path from the URL reaches the file system), and neither route
 * is a catch-all: any other path is still the host's JSON 404. The page talks to the trips API on
 * the same origin, so the local host's Origin check lets its POSTs through, and a strict
 * Content-Security-Policy keeps it to that origin: no CDN, no inline script. In Azure the host's
 * own default page would answer `/` unless the app setting AzureWebJobsDisableHomepage is true
 * (infra/main.bicep sets it).
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../telemetry/logger';

/** dist/src/functions → dist/web, where web/build.mjs writes the bundle. */
const WEB_ROOT = join(__dirname, '..', '..', 'web');

interface Asset {
  file: string;
  type: string;
}

const PAGE: Asset = { file: 'index.html', type: 'text/html; charset=utf-8' };

/** What `/ui/{asset}` serves, by name: index.html links these as /ui/…. */
const ASSETS: Readonly<Record<string, Asset>> = {
  'app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  'app.js.map': { file: 'app.js.map', type: 'application/json; charset=utf-8' },
  'styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const log = createLogger('web-ui');

interface LoadedAsset {
  body: Buffer;
  etag: string;
}
/** Files read once per process: they change only with a new build (and a restart). */
const loaded = new Map<string, Promise<LoadedAsset>>();

function load(file: string): Promise<LoadedAsset> {
  let asset = loaded.get(file);
  if (!asset) {
    asset = readFile(join(WEB_ROOT, file)).then((body) => ({
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    }));
    // A failed read (not built yet) is retried on the next request, not cached.
    asset.catch(() => loaded.delete(file));
    loaded.set(file, asset);
  }
  return asset;
}

function errorAnswer(status: number, code: string, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } }, headers: { 'Cache-Control': 'no-store' } };
}

/** GET / */
export function serveWebUiPage(request: HttpRequest): Promise<HttpResponseInit> {
  return serve(request, PAGE);
}

/** GET /ui/{asset} */
export async function serveWebUiAsset(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.asset ?? '';
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return errorAnswer(404, 'not_found', `The web UI has no file "${name.slice(0, 80)}".`);
  return serve(request, asset);
}

async function serve(request: HttpRequest, asset: Asset): Promise<HttpResponseInit> {
  let loadedAsset: LoadedAsset;
  try {
    loadedAsset = await load(asset.file);
  } catch (error) {
    log.error('web UI file missing', {
      file: asset.file,
      error: error instanceof Error ? error.message : String(error),
    });
    return errorAnswer(503, 'ui_not_built', 'The web UI is not built: run `npm run build`, then reload.');
  }
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': asset.type,
    // Revalidate every time: the ETag makes that a 304 unless a new build changed the file.
    'Cache-Control': 'no-cache',
    ETag: loadedAsset.etag,
  };
  if (request.headers.get('if-none-match') === loadedAsset.etag) return { status: 304, headers };
  return { status: 200, body: loadedAsset.body, headers };
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
