// `npm run chaos` (after `npm run build`: the host it kills runs dist/): bundles the chaos run's
// TypeScript (test/chaos/main.ts and what it imports from src/ and test/) with esbuild, a dev
// dependency already used for the web UI, and runs it. Packages stay external (node_modules).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
// Inside the repo, so the bundle's external packages resolve from node_modules.
mkdirSync(join(root, '.data'), { recursive: true });
const out = mkdtempSync(join(root, '.data', 'chaos-build-'));
try {
  await build({
    entryPoints: [join(root, 'test/chaos/main.ts')],
    outfile: join(out, 'chaos.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    // Bundled modules resolve paths from their own file (the repo), not from the temp folder.
    define: { __dirname: JSON.stringify(join(root, 'test/chaos')) },
  });
  await import(pathToFileURL(join(out, 'chaos.cjs')).href);
} finally {
  rmSync(out, { recursive: true, force: true });
}
