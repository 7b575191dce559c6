import { describe, expect, it } from 'vitest';
import { bicepFiles, parseBicep, parseBicepFile, syntaxProblems, withoutExtensionStatements } from './bicep';

describe('Bicep syntax (tree-sitter-bicep)', () => {
  const files = bicepFiles();

  it('finds the azd layout: main.bicep and the app modules', () => {
    expect(files).toContain('infra/main.bicep');
    expect(files.filter((file) => file.startsWith('infra/app/')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s parses with no ERROR or MISSING node', async (file) => {
    expect(syntaxProblems(await parseBicepFile(file))).toEqual([]);
  });

  // Guards against a vacuous check (a grammar that accepts anything, a walk that skips nodes).
  it('reports a broken file: an unfinished parameter and an unclosed object', async () => {
    const broken = [
      'param location string = ',
      "resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {",
      '  name: location',
      '',
    ].join('\n');
    const problems = syntaxProblems(await parseBicep(broken));
    expect(problems.map((problem) => problem.kind)).toEqual(expect.arrayContaining(['ERROR', 'MISSING']));
    expect(problems.find((problem) => problem.kind === 'MISSING')?.text).toBe('}');
  });

  it('reports a stray token inside an otherwise valid object', async () => {
    const problems = syntaxProblems(await parseBicep("var settings = {\n  A: 'x' ,, B\n}\n"));
    expect(problems.length).toBeGreaterThan(0);
  });

  it('blanks only a bare `extension <name>` line (a grammar gap), so anything else there still fails', async () => {
    expect(withoutExtensionStatements('extension microsoftGraphV1\nparam a string\n')).toBe(
      `${' '.repeat(26)}\nparam a string\n`,
    );
    const broken = withoutExtensionStatements('extension microsoftGraphV1 with {\nparam a string\n');
    expect(syntaxProblems(await parseBicep(broken)).length).toBeGreaterThan(0);
  });
});
