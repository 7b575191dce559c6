/**
 * Where a Bicep compiler exists (the Bicep CLI as `bicep`, `$BICEP_CLI`, or `az bicep`), compile
 * every .bicep file and lint main.bicep: that catches what the tree-sitter syntax check cannot
 * (undefined symbols, type errors, wrong property names for the declared API versions, loop and
 * condition rules). With Azure credentials as well (`WAYPOINT_WHAT_IF_SUBSCRIPTION` and a signed-in
 * `az`), it also runs `az deployment sub what-if` for each deployment option, which validates the
 * template against Azure without changing anything. Our machines have neither (the Bicep CLI
 * downloads its binary), so here these tests are skipped and say why.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepFiles, REPO_ROOT } from './bicep';

interface Compiler {
  describe: string;
  /** Runs a Bicep CLI command (`build`, `lint`…) and returns status and output. */
  run(args: string[]): { status: number | null; output: string };
}

function tryRun(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, cwd: REPO_ROOT });
  return {
    status: result.error ? null : result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

function findCompiler(): Compiler | undefined {
  for (const command of [process.env.BICEP_CLI, 'bicep'].filter((c): c is string => Boolean(c))) {
    const version = tryRun(command, ['--version']);
    if (version.status === 0) {
      return { describe: version.output.trim(), run: (args) => tryRun(command, args) };
    }
  }
  const az = tryRun('az', ['bicep', 'version']);
  if (az.status === 0)
    return { describe: `az ${az.output.trim()}`, run: (args) => tryRun('az', ['bicep', ...args]) };
  return undefined;
}

const compiler = findCompiler();
const WHY_SKIPPED =
  'skipped: no Bicep compiler on this machine (bicep, $BICEP_CLI or az bicep; the Bicep CLI downloads its ' +
  'binary, which these machines cannot); the tree-sitter syntax check still runs';

describe(compiler ? `Bicep compiler (${compiler.describe})` : `Bicep compiler: ${WHY_SKIPPED}`, () => {
  it.skipIf(!compiler).each(bicepFiles())('%s compiles with no error', (file) => {
    const result = compiler!.run(['build', join(REPO_ROOT, file), '--stdout']);
    expect(result.status, result.output).toBe(0);
  });

  it.skipIf(!compiler)('main.bicep passes the linter with no error', () => {
    const result = compiler!.run(['lint', join(REPO_ROOT, 'infra/main.bicep')]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).not.toMatch(/\bError\b/);
  });
});

/** The option combinations a what-if runs, each a set of main.bicep parameters. */
const OPTIONS: Record<string, Record<string, string>> = {
  'default (sign-in on)': {},
  'private network': { vnetEnabled: 'true' },
  'no sign-in (keys only)': { authEnabled: 'false' },
  'Dedicated scheduler, smallest instances': {
    durableTaskSchedulerSku: 'Dedicated',
    durableTaskSchedulerCapacity: '1',
    instanceMemoryMB: '512',
  },
  'existing model endpoint': {
    deployOpenAi: 'false',
    existingOpenAiEndpoint: 'https://example.openai.azure.com/',
    existingOpenAiDeployment: 'gpt-4.1-mini',
  },
};

const subscription = process.env.WAYPOINT_WHAT_IF_SUBSCRIPTION;
const canWhatIf = Boolean(compiler && subscription && tryRun('az', ['account', 'show']).status === 0);

describe(
  canWhatIf
    ? 'az deployment sub what-if'
    : 'az deployment sub what-if: skipped (needs a Bicep compiler, a signed-in az and WAYPOINT_WHAT_IF_SUBSCRIPTION)',
  () => {
    it.skipIf(!canWhatIf).each(Object.entries(OPTIONS))('%s validates against Azure', (_name, options) => {
      const parameters = {
        environmentName: 'whatif',
        location: 'swedencentral',
        mcpServerKey: 'what-if-placeholder-key-0123456789',
        ...options,
      };
      const result = tryRun('az', [
        'deployment',
        'sub',
        'what-if',
        '--subscription',
        subscription!,
        '--location',
        'swedencentral',
        '--template-file',
        join(REPO_ROOT, 'infra/main.bicep'),
        '--no-pretty-print',
        '--parameters',
        ...Object.entries(parameters).map(([name, value]) => `${name}=${value}`),
      ]);
      expect(result.status, result.output).toBe(0);
    });
  },
);
