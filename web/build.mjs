// Builds the web UI into dist/web: the app (Preact, TSX) and the stylesheet as content-hashed
// files, so they can be cached for a year as immutable; the page with those names written in; a
// manifest src/functions/ui.ts serves from; and a gzip and a brotli copy of every text file, made
// once here rather than on every request. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'web');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.tsx'), styles: join(here, 'styles.css') },
  outdir: out,
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

/** @type {Record<string, string>} */
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};
/** @param {string} name */
const typeOf = (name) => TYPES[Object.keys(TYPES).find((ext) => name.endsWith(ext)) ?? ''];

/** Asset name → what ui.ts needs to serve it. @type {Record<string, {type: string, immutable: boolean}>} */
const assets = {};
for (const path of Object.keys(result.metafile.outputs)) {
  const name = basename(path);
  assets[name] = { type: typeOf(name), immutable: true };
}
/** @param {string} prefix @param {string} ext */
const named = (prefix, ext) =>
  Object.keys(assets).find((name) => name.startsWith(`${prefix}-`) && name.endsWith(ext));

// The favicon: an SVG, hashed like the rest.
const favicon = await readFile(join(here, 'favicon.svg'));
const faviconName = `favicon-${createHash('sha256').update(favicon).digest('hex').slice(0, 8)}.svg`;
await writeFile(join(out, faviconName), favicon);
assets[faviconName] = { type: typeOf(faviconName), immutable: true };

const page = (await readFile(join(here, 'index.html'), 'utf8'))
  .replaceAll('{{app.js}}', `/ui/${named('app', '.js')}`)
  .replaceAll('{{styles.css}}', `/ui/${named('styles', '.css')}`)
  .replaceAll('{{favicon.svg}}', `/ui/${faviconName}`);
if (/\{\{[^}]+\}\}/.test(page)) throw new Error('web/index.html names an asset the build did not make');
await writeFile(join(out, 'index.html'), page);

// Precompressed copies: brotli at its best (once per build), gzip for the clients without it.
for (const name of [...Object.keys(assets), 'index.html']) {
  const body = await readFile(join(out, name));
  await writeFile(join(out, `${name}.gz`), gzipSync(body, { level: 9 }));
  await writeFile(
    join(out, `${name}.br`),
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  );
}
await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ page: 'index.html', assets }, null, 2)}\n`);
