/**
 * The settings the app reads, collected from the code itself (the single honest source: the zod
 * env schemas are module-private and local.settings.sample.json lists only some of them). With
 * the TypeScript compiler's parser it finds, in every module that runs in Azure:
 *  - the keys of each `envSchema = z.object({…})` (the settings loaders' zod schemas), and
 *  - direct reads `env.NAME`, `process.env.NAME`, `env['NAME']` (e.g. WEBSITE_AUTH_ENABLED, LOG_LEVEL).
 * Names built at run time (`MCP_FAULTS_<SERVER>`, `MCP_<SERVER>_KEY`) come from the code's own name functions.
 * src/local-host and src/cli are left out: they never run in a function app.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { faultsSettingName, keySettingName } from '../../../src/mcp-servers/settings';
import { MCP_SERVER_NAMES } from '../../../src/mcp-servers/registry';
import { REPO_ROOT } from './bicep';

const SRC = join(REPO_ROOT, 'src');
/** Folders of code that never runs in Azure (the local host, the trip CLI). */
const LOCAL_ONLY = ['src/local-host/', 'src/cli/'];

export interface SettingRead {
  setting: string;
  /** Where it is read (repository-relative path). */
  files: string[];
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(SRC);
  return files.filter((path) => !LOCAL_ONLY.some((prefix) => relative(REPO_ROOT, path).startsWith(prefix)));
}

/** `env` or `process.env`: the objects settings are read from. */
function isEnvObject(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'env';
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process'
  );
}

/** The object literal given to `z.object(…)` somewhere inside an initializer (before `.superRefine` etc.). */
function zodObjectShape(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'object' &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === 'z' &&
    node.arguments[0] &&
    ts.isObjectLiteralExpression(node.arguments[0])
  ) {
    return node.arguments[0];
  }
  return ts.forEachChild(node, zodObjectShape);
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** Every setting the code reads in Azure, with the files that read it, sorted by name. */
export function settingsReadByCode(): SettingRead[] {
  const reads = new Map<string, Set<string>>();
  const add = (setting: string, file: string): void => {
    const files = reads.get(setting) ?? new Set<string>();
    files.add(file);
    reads.set(setting, files);
  };

  for (const path of sourceFiles()) {
    const file = relative(REPO_ROOT, path);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'envSchema' &&
        node.initializer
      ) {
        const shape = zodObjectShape(node.initializer);
        if (!shape) throw new Error(`${file}: envSchema is not a z.object({...})`);
        for (const property of shape.properties) {
          const name = propertyName(property);
          if (name === undefined)
            throw new Error(`${file}: envSchema key ${property.getText()} is not a literal`);
          add(name, file);
        }
      }
      if (ts.isPropertyAccessExpression(node) && isEnvObject(node.expression)) add(node.name.text, file);
      if (
        ts.isElementAccessExpression(node) &&
        isEnvObject(node.expression) &&
        ts.isStringLiteral(node.argumentExpression)
      ) {
        add(node.argumentExpression.text, file);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  // Read as env[faultsSettingName(server)] and env[keySettingName(server)] in src/mcp-servers/settings.ts.
  for (const server of MCP_SERVER_NAMES) {
    add(faultsSettingName(server), 'src/mcp-servers/settings.ts');
    add(keySettingName(server), 'src/mcp-servers/settings.ts');
  }

  return [...reads.entries()]
    .map(([setting, files]) => ({ setting, files: [...files].sort() }))
    .sort((a, b) => a.setting.localeCompare(b.setting));
}
