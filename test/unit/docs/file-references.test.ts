/**
 * Every repository path the documentation names exists: a `src/…`, `test/…`, `docs/…` (and the
 * other top-level folders) path in README.md, CONTRIBUTING.md, docs/*.md or a README under src/
 * must point at a file or folder in the checkout (a `*` in it must match one). No reference may
 * point outside the repository (the design notes the project started from are not in it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');
const TOP = ['src', 'test', 'docs', 'bench', 'eval', 'infra', 'web'];

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  const readmes = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('README.md'))
    .map((name) => `src/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs, ...readmes].filter((file) => existsSync(join(root, file)));
}

/** Paths like `src/agents/run-frame.ts`, `test/e2e/web-ui*.test.ts` or `src/travel/trip/`. */
function referencesIn(text: string): string[] {
  const pattern = new RegExp(String.raw`(?<![\w./-])(?:${TOP.join('|')})/[\w.*{},/-]*[\w*/]`, 'g');
  return [...new Set(text.match(pattern) ?? [])];
}

/** True when the path (with `*` wildcards within one name, and `{a,b}` sets) names something. */
function exists(reference: string): boolean {
  const brace = /\{([^}]*)\}/.exec(reference);
  if (brace) {
    return brace[1].split(',').every((option) => exists(reference.replace(brace[0], option)));
  }
  const parts = reference.replace(/\/$/, '').split('/');
  let candidates = [root];
  for (const part of parts) {
    if (!part.includes('*')) {
      candidates = candidates.map((dir) => join(dir, part)).filter((path) => existsSync(path));
      continue;
    }
    const matcher = new RegExp(`^${part.split('*').map(escape).join('.*')}$`);
    candidates = candidates.flatMap((dir) => {
      try {
        return readdirSync(dir)
          .filter((name) => matcher.test(name))
          .map((name) => join(dir, name));
      } catch {
        return [];
      }
    });
  }
  return candidates.length > 0;
}
const escape = (text: string) => text.replace(/[.+?^$()|[\]\\]/g, '\\$&');

describe('documentation references', () => {
  const files = markdownFiles();

  it('reads the docs', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/architecture.md']));
  });

  it.each(files)('every path named in %s exists', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const missing = referencesIn(text).filter((reference) => !exists(reference));
    expect(missing).toEqual([]);
  });

  it('nothing points outside the repository', () => {
    const outside = /DESIGN\.md|DESIGN\s§|\/work\/shared|\.\.\/shared\//;
    const offenders = files.filter((file) => outside.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
