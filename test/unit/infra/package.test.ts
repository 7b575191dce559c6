/**
 * The deployment package carries production dependencies only: the remote build prunes the
 * devDependencies after building (Oryx runs `npm run build`, then `npm run build:azure`), which is
 * safe only if no code under src/ imports a devDependency. Both are checked here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bicep';

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

/**
 * Installed packages that run a script when installed, as npm counts them: a preinstall, install
 * or postinstall script, or a binding.gyp (npm then runs `node-gyp rebuild` itself).
 */
function packagesWithInstallScripts(nodeModules: string): Set<string> {
  const found = new Set<string>();
  const visitPackage = (dir: string): void => {
    let manifest: { name?: string; scripts?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      return;
    }
    const scripts = manifest.scripts ?? {};
    const hasGyp = readdirSync(dir).includes('binding.gyp');
    if (manifest.name && (scripts.preinstall || scripts.install || scripts.postinstall || hasGyp)) {
      found.add(manifest.name);
    }
    visitFolder(join(dir, 'node_modules'));
  };
  const visitFolder = (folder: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(folder, entry))) visitPackage(join(folder, entry, scoped));
      } else {
        visitPackage(join(folder, entry));
      }
    }
  };
  visitFolder(nodeModules);
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Module specifiers a file must load at run time: imports that are not type-only, and require or
 * import() calls, except a dynamic import inside a `try` (an optional tool, skipped without it).
 */
function runtimeImports(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  const visit = (node: ts.Node, optional = false): void => {
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, true);
      if (node.catchClause) visit(node.catchClause, optional);
      if (node.finallyBlock) visit(node.finallyBlock, optional);
      return;
    }
    if (
      ts.isImportDeclaration(node) &&
      !node.importClause?.isTypeOnly &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    }
    if (
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0]) &&
      ((ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        (node.expression.kind === ts.SyntaxKind.ImportKeyword && !optional))
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, (child) => visit(child, optional));
  };
  visit(source);
  return found;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** `file: specifier` for every run-time import of a package that is not a production dependency. */
function nonProductionImports(files: string[]): string[] {
  const builtins = new Set(builtinModules);
  return files.flatMap((file) =>
    runtimeImports(file)
      .filter(
        (specifier) =>
          !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtins.has(specifier),
      )
      .filter((specifier) => !(packageOf(specifier) in packageJson.dependencies))
      .map((specifier) => `${relative(REPO_ROOT, file)}: ${specifier}`),
  );
}

describe('the deployment package', () => {
  it('prunes devDependencies after the build', () => {
    expect(packageJson.scripts.build).toBeDefined();
    expect(packageJson.scripts['build:azure']).toBe('npm prune --omit=dev');
  });

  it('needs no devDependency at run time: src/ imports only dependencies and Node built-ins', () => {
    const files = sourceFiles(join(REPO_ROOT, 'src'));
    expect(files.flatMap(runtimeImports)).toEqual(expect.arrayContaining(['durable-functions', 'zod']));
    expect(nonProductionImports(files)).toEqual([]);
  });

  it('every installed package with an install script is reviewed in allowScripts (npm 11 warns otherwise)', () => {
    // Approved: better-sqlite3 builds its native module, esbuild checks its platform binary.
    // Denied: tree-sitter-bicep (the checks load its wasm grammar; the native binding loads from
    // its prebuilds without the script) and protobufjs (its script only prints version advice).
    const reviewed = Object.keys(packageJson.allowScripts ?? {});
    const installing = packagesWithInstallScripts(join(REPO_ROOT, 'node_modules'));
    expect(installing).toContain('better-sqlite3');
    const unreviewed = [...installing].filter((name) => !reviewed.includes(name));
    expect(unreviewed).toEqual([]);
    expect(packageJson.allowScripts).toMatchObject({ 'better-sqlite3': true, 'tree-sitter-bicep': false });
  });

  it('the scan flags a devDependency imported at run time, not a type-only import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypoint-imports-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(
        file,
        "import { describe } from 'vitest';\nimport type { BuildOptions } from 'esbuild';\nimport { z } from 'zod';\n" +
          "const p = require('playwright-core');\n" +
          "async function f() { try { await import('prettier'); } catch {} await import('eslint'); }\n",
      );
      expect(nonProductionImports([file]).map((entry) => entry.split(': ')[1])).toEqual([
        'vitest',
        'playwright-core',
        'eslint',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
