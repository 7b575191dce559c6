/**
 * Fixture apps that pin their own SDK versions (test/fixtures/fidelity-app-v4.3) carry a
 * package.json and package-lock.json but no node_modules: the test installs them with `npm ci`
 * from the npm registry the first time, and again only when the lock changes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = '.waypoint-installed-lock';

export function ensureFixtureInstalled(appDir: string): void {
  const lock = readFileSync(join(appDir, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  const marker = join(appDir, 'node_modules', MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: appDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 300_000,
  });
  writeFileSync(marker, hash);
}
