/**
 * No function in src/ is longer than 100 lines: a long function is several jobs that want names.
 * Parsed with the TypeScript compiler (every function, method, arrow and accessor with a body),
 * lines counted from its first token to its closing brace. The few that are still over are listed
 * below with their length, and the list may only shrink: a new offender or a listed one that grew
 * fails, and one that was split must leave the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');
const MAX_LINES = 100;

/** Still too long, to be split: `file:name` → its length today. */
const KNOWN_LONG: Record<string, number> = {};

/** Every function in `file` longer than the limit, as `file:name` → lines. */
export function longFunctions(file: string, text: string, max = MAX_LINES): Record<string, number> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Record<string, number> = {};
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      if (last - first + 1 > max) found[`${file}:${nameOf(node, source)}`] = last - first + 1;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

describe('function length', () => {
  it('finds a long function, an arrow and a method, and names them', () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const text = `function long() {\n${body}\n}\nconst arrow = () => {\n${body}\n};\nclass C {\n  m() {\n${body}\n  }\n}\nfunction short() {\n  return 1;\n}\n`;
    expect(Object.keys(longFunctions('x.ts', text))).toEqual(['x.ts:long', 'x.ts:arrow', 'x.ts:m']);
  });

  it(`no function in src/ is longer than ${MAX_LINES} lines (but the known ones, which may only shrink)`, () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `src/${name.split('\\').join('/')}`);
    const found: Record<string, number> = {};
    for (const file of files)
      Object.assign(found, longFunctions(file, readFileSync(join(root, file), 'utf8')));
    const grown = Object.entries(found).filter(([name, lines]) => !(lines <= (KNOWN_LONG[name] ?? 0)));
    expect(Object.fromEntries(grown), 'new or longer functions: split them').toEqual({});
    const gone = Object.keys(KNOWN_LONG).filter((name) => !(name in found));
    expect(gone, 'split already: remove them from KNOWN_LONG').toEqual([]);
  });
});
