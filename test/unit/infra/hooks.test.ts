/**
 * azd runs the hooks on `azd provision` / `azd up`, before anyone has run `npm ci`: they import
 * Node built-ins only, and they run from a copy of the files they read with no node_modules
 * anywhere above them (a bare `azd provision` used to fail after creating the resources).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bicep';

const HOOKS_DIR = join(REPO_ROOT, 'infra/hooks');
const hookFiles = readdirSync(HOOKS_DIR).filter((file) => file.endsWith('.mjs'));

function importsOf(source: string): string[] {
  return [
    ...source.matchAll(/^\s*import\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]);
}

const copy = mkdtempSync(join(tmpdir(), 'waypoint-bare-checkout-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('azd hooks', () => {
  it('import only Node built-ins and each other', () => {
    expect(hookFiles).toEqual(expect.arrayContaining(['preprovision.mjs', 'postprovision.mjs']));
    for (const file of hookFiles) {
      const imports = importsOf(readFileSync(join(HOOKS_DIR, file), 'utf8'));
      expect(imports.length, file).toBeGreaterThan(0);
      expect(
        imports.filter((specifier) => !specifier.startsWith('node:') && !/^\.\/[\w-]+\.mjs$/.test(specifier)),
        file,
      ).toEqual([]);
    }
  });

  it('the import check catches a package import', () => {
    expect(importsOf("import { z } from 'zod';\nimport { x } from './y.mjs';")).toEqual(['zod', './y.mjs']);
  });

  it('azure.yaml runs them with node for both shells', () => {
    const yaml = readFileSync(join(REPO_ROOT, 'azure.yaml'), 'utf8');
    for (const hook of ['preprovision', 'postprovision']) {
      expect(yaml.match(new RegExp(`run: node infra/hooks/${hook}\\.mjs`, 'g'))).toHaveLength(2);
    }
  });

  it('run from a checkout without node_modules', () => {
    for (const file of [
      ...hookFiles.map((hook) => `infra/hooks/${hook}`),
      'host.json',
      'local.settings.sample.json',
    ]) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(REPO_ROOT, file), join(copy, file));
    }
    for (let dir = copy; dir !== parse(dir).root; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
    }
    const env = {
      PATH: dirname(process.execPath),
      MCP_SERVER_KEY: 'an-existing-key-of-32-characters',
      COSMOS_ENDPOINT: 'https://cosmos-abc.documents.azure.com:443/',
      COSMOS_DATABASE: 'waypoint',
      COSMOS_IDEMPOTENCY_CONTAINER: 'idempotency',
      COSMOS_BOOKINGS_CONTAINER: 'bookings',
      AZURE_OPENAI_ENDPOINT: 'https://cog-abc.openai.azure.com/',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4.1-mini',
      MODEL_NAME: 'gpt-4.1-mini',
    };
    for (const hook of ['preprovision', 'postprovision']) {
      const result = spawnSync(process.execPath, [join(copy, `infra/hooks/${hook}.mjs`)], {
        cwd: copy,
        env,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status, `${hook}: ${result.stderr}`).toBe(0);
    }
    expect(existsSync(join(copy, 'local.settings.json'))).toBe(true);
  });
});
