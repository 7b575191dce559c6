/**
 * Reads Bicep with tree-sitter-bicep's wasm grammar (web-tree-sitter): nothing on our machines
 * compiles Bicep (the Bicep CLI downloads its binary), so the checks work on the syntax tree. It
 * finds syntax errors, parameters and the keys of app-settings objects; it cannot find undefined
 * symbols or type errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const INFRA_DIR = join(REPO_ROOT, 'infra');

let parser: Promise<Parser> | undefined;

/** One parser per test file: the wasm grammar loads once. */
function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const wasm = createRequire(__filename).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    const language = await Language.load(wasm);
    const instance = new Parser();
    instance.setLanguage(language);
    return instance;
  })();
  return parser;
}

export async function parseBicep(source: string): Promise<Tree> {
  const tree = (await bicepParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export interface SyntaxProblem {
  kind: 'ERROR' | 'MISSING';
  line: number;
  column: number;
  text: string;
}

/** Every ERROR and MISSING node, with its 1-based position. */
export function syntaxProblems(tree: Tree): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      problems.push({
        kind: node.isMissing ? 'MISSING' : 'ERROR',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? node.type : node.text.slice(0, 80),
      });
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}

/** Every .bicep file under a folder, as paths relative to the repository root. */
export function bicepFiles(dir: string = INFRA_DIR): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.bicep')) found.push(relative(REPO_ROOT, path));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * tree-sitter-bicep 1.1.0 predates the `extension <name>` statement (Bicep's Microsoft Graph
 * extension): such a line is blanked before parsing, keeping line numbers. Only that exact form.
 */
export function withoutExtensionStatements(source: string): string {
  return source.replace(/^extension [A-Za-z]\w*[ \t]*$/gm, (line) => ' '.repeat(line.length));
}

export async function parseBicepFile(pathFromRoot: string): Promise<Tree> {
  return parseBicep(withoutExtensionStatements(readFileSync(join(REPO_ROOT, pathFromRoot), 'utf8')));
}

function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** A property key as written: `NAME:` or `'NAME':`. */
function propertyKey(property: Node): string {
  const key = namedChildren(property)[0];
  if (!key) throw new Error(`object property without a key: ${property.text}`);
  return key.type === 'string' ? key.text.slice(1, -1) : key.text;
}

function variableValues(tree: Tree): Map<string, Node> {
  const values = new Map<string, Node>();
  for (const declaration of namedChildren(tree.rootNode)) {
    if (declaration.type !== 'variable_declaration') continue;
    const [name, value] = namedChildren(declaration);
    if (name && value) values.set(name.text, value);
  }
  return values;
}

/**
 * The top-level keys of a settings variable: its object literal, the objects `union(…)` merges
 * (following other variables of the same file), and both branches of a `cond ? {…} : {…}` — or,
 * when `conditions` gives that condition's text a value, only the branch it selects.
 * Throws on anything else, so a refactor the reader does not understand fails loudly.
 */
export function settingKeysOfVariable(
  tree: Tree,
  variable: string,
  conditions: Record<string, boolean> = {},
): Set<string> {
  const values = variableValues(tree);
  const keys = new Set<string>();
  const collect = (node: Node, seen: Set<string>): void => {
    switch (node.type) {
      case 'object':
        for (const property of namedChildren(node)) {
          if (property.type === 'object_property') keys.add(propertyKey(property));
        }
        return;
      case 'identifier': {
        const value = values.get(node.text);
        if (!value || seen.has(node.text)) throw new Error(`cannot follow variable ${node.text}`);
        collect(value, new Set([...seen, node.text]));
        return;
      }
      case 'call_expression': {
        if (node.childForFieldName('function')?.text !== 'union') {
          throw new Error(`settings built with ${node.text.slice(0, 40)}: only union(…) is understood`);
        }
        const args = node.childForFieldName('arguments');
        for (const argument of args ? namedChildren(args) : []) collect(argument, seen);
        return;
      }
      case 'ternary_expression': {
        const condition = node.childForFieldName('condition')?.text ?? '';
        const fields =
          condition in conditions
            ? [conditions[condition] ? 'consequence' : 'alternative']
            : ['consequence', 'alternative'];
        for (const field of fields) {
          const branch = node.childForFieldName(field);
          if (branch) collect(branch, seen);
        }
        return;
      }
      case 'parenthesized_expression':
        for (const inner of namedChildren(node)) collect(inner, seen);
        return;
      default:
        throw new Error(
          `settings variable ${variable}: cannot read a ${node.type} (${node.text.slice(0, 40)})`,
        );
    }
  };
  const value = values.get(variable);
  if (!value) throw new Error(`no variable ${variable}`);
  collect(value, new Set([variable]));
  return keys;
}

export interface BicepParameter {
  name: string;
  type: string;
  /** Decorator names (`@secure`, `@allowed`). */
  decorators: string[];
  /** Decorators as written, arguments included. */
  decoratorTexts: string[];
}

/** Every `param`, with the decorators written above it. */
export function parametersOf(tree: Tree): BicepParameter[] {
  const parameters: BicepParameter[] = [];
  const children = namedChildren(tree.rootNode);
  children.forEach((node, index) => {
    if (node.type !== 'parameter_declaration') return;
    const [name, type] = namedChildren(node);
    const previous = children[index - 1];
    const decoratorTexts = previous?.type === 'decorators' ? namedChildren(previous).map((d) => d.text) : [];
    const decorators = decoratorTexts.map((text) => text.replace(/\(.*$/s, ''));
    parameters.push({ name: name?.text ?? '', type: type?.text ?? '', decorators, decoratorTexts });
  });
  return parameters;
}

export interface BicepDeclaration {
  kind: 'module' | 'resource';
  /** The symbolic name (`module agentsApp …` → agentsApp). */
  name: string;
  /** The module path or the resource type with its API version. */
  type: string;
  /** The declaration's object body (inside `if (…)` or `[for …: …]` when there is one). */
  body: Node;
  /** The condition of `= if (cond) {…}`, as written. */
  condition?: string;
}

/** Every top-level `module` and `resource` declaration, by symbolic name. */
export function declarationsOf(tree: Tree): Map<string, BicepDeclaration> {
  const found = new Map<string, BicepDeclaration>();
  for (const node of namedChildren(tree.rootNode)) {
    if (node.type !== 'module_declaration' && node.type !== 'resource_declaration') continue;
    const [name, type, value] = namedChildren(node);
    if (!name || !type || !value) continue;
    let body: Node | undefined = value;
    let condition: string | undefined;
    if (value.type === 'if_statement') {
      condition = namedChildren(value)[0]?.text.replace(/^\(|\)$/g, '');
      body = namedChildren(value).find((child) => child.type === 'object');
    } else if (value.type === 'for_statement') {
      body = value.childForFieldName('body') ?? undefined;
    }
    if (!body || body.type !== 'object') throw new Error(`${name.text}: cannot find the declaration's body`);
    found.set(name.text, {
      kind: node.type === 'module_declaration' ? 'module' : 'resource',
      name: name.text,
      type: type.text.slice(1, -1),
      body,
      ...(condition !== undefined ? { condition } : {}),
    });
  }
  return found;
}

/** The value node at a dotted path of object keys (`params.storageAccountName`), or undefined. */
export function propertyAt(object: Node, path: string): Node | undefined {
  let current: Node | undefined = object;
  for (const key of path.split('.')) {
    if (!current || current.type !== 'object') return undefined;
    const property: Node | undefined = namedChildren(current).find(
      (child) => child.type === 'object_property' && propertyKey(child) === key,
    );
    current = property ? namedChildren(property)[1] : undefined;
  }
  return current;
}

/** The text at a path, for assertions (`propertyText(body, 'params.name')`). */
export function propertyText(object: Node, path: string): string | undefined {
  return propertyAt(object, path)?.text;
}

/** A parameter's default value as written (`param x bool = true` → 'true'). */
export function parameterDefault(tree: Tree, name: string): string | undefined {
  for (const node of namedChildren(tree.rootNode)) {
    if (node.type !== 'parameter_declaration') continue;
    const [id, , value] = namedChildren(node);
    if (id?.text === name) return value?.text;
  }
  return undefined;
}

/** Nested resources inside a declaration body (`resource blobs 'blobServices' = {…}`), by name. */
export function nestedResourcesOf(body: Node): Map<string, BicepDeclaration> {
  const found = new Map<string, BicepDeclaration>();
  const visit = (object: Node): void => {
    for (const property of namedChildren(object)) {
      const child = property.type === 'object_property' ? namedChildren(property)[0] : undefined;
      if (child?.type !== 'resource_declaration') continue;
      const [name, type, value] = namedChildren(child);
      if (!name || !type || !value) continue;
      const conditional = value.type === 'if_statement';
      const body = conditional ? namedChildren(value).find((node) => node.type === 'object') : value;
      if (!body || body.type !== 'object') continue;
      found.set(name.text, {
        kind: 'resource',
        name: name.text,
        type: type.text.slice(1, -1),
        body,
        ...(conditional ? { condition: namedChildren(value)[0]?.text.replace(/^\(|\)$/g, '') } : {}),
      });
      visit(body);
    }
  };
  visit(body);
  return found;
}
