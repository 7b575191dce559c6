/**
 * The lint guards, proved to fire: code strings linted with the project's own ESLint config as if
 * they were files at the given paths. Type-aware rules are switched off (the files do not exist,
 * so there is no program to type-check); the guards are plain ESLint rules and need none.
 */
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the ESLint config is plain JavaScript without type declarations.
import { deterministicFiles } from '../../../eslint.config.mjs';

const repoRoot = join(__dirname, '../../..');
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: [tseslint.configs.disableTypeChecked as Linter.Config],
});

/** The rule ids that fire for `code` at `path`, with their messages. */
async function lint(path: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return result.messages
    .filter((m) => m.ruleId?.startsWith('no-restricted'))
    .map((m) => ({ rule: m.ruleId, message: m.message }));
}
const rules = async (path: string, code: string) => (await lint(path, code)).map((m) => m.rule);

/**
 * Every file the determinism rule must cover: what the config finds (orchestration files by their
 * location or name, and what they import), and new files at such places that do not exist yet.
 */
const DETERMINISTIC = [
  ...deterministicFiles(repoRoot),
  'src/agents/orchestration/new-pattern.ts',
  'src/travel/new-flow.orchestration.ts',
  'src/examples/new-app/orchestration.ts',
];

describe('which files are deterministic follows from location, names and imports', () => {
  const found = deterministicFiles(repoRoot);

  it('finds the orchestrators and the pure modules they run on', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'src/agents/orchestration/agent-loop.ts',
        'src/agents/run-frame.ts',
        'src/agents/budgets.ts',
        'src/agents/run-status.ts',
        'src/domain/currency.ts',
        'src/travel/trip/orchestration.ts',
        'src/examples/support-desk/orchestration.ts',
        'src/examples/support-desk/schemas.ts',
      ]),
    );
  });

  it('leaves out activities, wiring, and the replay-aware telemetry and geo modules', () => {
    for (const file of [
      'src/agents/activities/agent-turn.ts',
      'src/examples/support-desk/index.ts',
      'src/functions/trips.ts',
      'src/telemetry/genai.ts',
      'src/geo/resolve-place.ts',
    ]) {
      expect(found).not.toContain(file);
    }
  });
});

describe('determinism rule', () => {
  describe.each(DETERMINISTIC)('%s', (path) => {
    it.each([
      ['the clock', 'export const t = Date.now();', 'no-restricted-properties'],
      ['a bare new Date()', 'export const t = new Date();', 'no-restricted-syntax'],
      ['randomness', 'export const r = Math.random();', 'no-restricted-properties'],
      ['the environment', 'export const e = process.env.HOME;', 'no-restricted-properties'],
      [
        'a node: built-in',
        "import { readFileSync } from 'node:fs';\nexport { readFileSync };",
        'no-restricted-imports',
      ],
      [
        'a bare built-in',
        "import { createHash } from 'crypto';\nexport { createHash };",
        'no-restricted-imports',
      ],
      [
        'an I/O client',
        "import { CosmosClient } from '@azure/cosmos';\nexport { CosmosClient };",
        'no-restricted-imports',
      ],
      [
        'an MCP client',
        "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nexport { Client };",
        'no-restricted-imports',
      ],
    ])('refuses %s', async (_what, code, rule) => {
      expect(await rules(path, code)).toEqual([rule]);
    });

    it('allows orchestration time and dates built from values', async () => {
      const code = [
        "import type { OrchestrationContext } from 'durable-functions';",
        'export const at = (context: OrchestrationContext) => new Date(context.df.currentUtcDateTime.getTime() + 1000);',
        "export const day = Date.parse('2027-03-10T00:00:00Z');",
      ].join('\n');
      expect(await rules(path, code)).toEqual([]);
    });
  });

  it('leaves activities and I/O modules alone', async () => {
    for (const path of [
      'src/agents/activities/agent-turn.ts',
      'src/agents/activities/call-tool.ts',
      'src/travel/api/run-resource.ts',
      'src/examples/support-desk/index.ts',
    ]) {
      expect(
        await rules(
          path,
          "import { createHash } from 'node:crypto';\nexport const t = Date.now() + createHash.length;",
        ),
      ).toEqual([]);
    }
  });
});

describe('layering rule: the agent runtime imports no application code', () => {
  it.each([
    ['src/agents/register.ts', '../travel/agents'],
    ['src/agents/activities/agent-turn.ts', '../../travel/schemas'],
    ['src/agents/orchestration/route.ts', '../../travel/understand'],
    ['src/agents/orchestration/specialists.ts', '../../functions/agents'],
    ['src/agents/definitions.ts', '../mcp-servers/registry'],
    ['src/agents/register.ts', '../services'],
    ['src/agents/run-tracker.ts', '../examples/support-desk/agents'],
  ])('%s may not import %s', async (path, source) => {
    const messages = await lint(path, `import * as x from '${source}';\nexport { x };`);
    expect(messages).toEqual([{ rule: 'no-restricted-imports', message: expect.stringMatching(/generic/) }]);
  });

  it('the determinism files of src/agents keep both guards', async () => {
    const code =
      "import { router } from '../../travel/agents';\nimport { readFileSync } from 'node:fs';\nexport { router, readFileSync };";
    expect(await rules('src/agents/orchestration/supervise.ts', code)).toEqual([
      'no-restricted-imports',
      'no-restricted-imports',
    ]);
  });

  it('allows the shared lower layers and look-alike package names', async () => {
    const code = [
      "import { z } from 'zod';",
      "import * as df from 'durable-functions';",
      "import type { HttpRequest } from '@azure/functions';",
      "import { toolCallKey } from '../domain/idempotency-keys';",
      "import type { ModelProvider } from '../models/types';",
      "import type { ToolClient } from '../tools';",
      'export type T = [typeof z, typeof df, HttpRequest, typeof toolCallKey, ModelProvider, ToolClient];',
    ].join('\n');
    expect(await rules('src/agents/register.ts', code)).toEqual([]);
  });

  it('the support desk example may not import travel code or its wiring either', async () => {
    for (const source of ['../../travel/agents', '../../services', '../../functions/agents']) {
      expect(
        await rules('src/examples/support-desk/index.ts', `import * as x from '${source}';\nexport { x };`),
      ).toEqual(['no-restricted-imports']);
    }
  });

  it('the travel application may import the agent runtime', async () => {
    const code = "import { route } from '../agents/orchestration/route';\nexport { route };";
    expect(await rules('src/travel/trip/orchestration.ts', code)).toEqual([]);
  });
});

describe('boundary rule around the local host', () => {
  const boundary = async (path: string, source: string) => {
    const [result] = await eslint.lintText(`import * as x from '${source}';\nexport { x };`, {
      filePath: join(repoRoot, path),
    });
    return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
  };

  it.each([
    ['src/functions/trips.ts', '../local-host/host'],
    ['src/agents/register.ts', '../local-host/durable/engine'],
    ['src/travel/trip/orchestration.ts', '../../local-host/in-process-fetch'],
  ])('app code %s may not import %s', async (path, source) => {
    expect(await boundary(path, source)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/does not import the local host/) }),
    ]);
  });

  it.each([
    ['src/local-host/host.ts', '../functions/trips'],
    ['src/local-host/durable/engine.ts', '../../agents/orchestration/agent-loop'],
    ['src/local-host/front-door.ts', '../travel/api/errors'],
    ['src/local-host/app-loader.ts', '../index'],
  ])('the local host %s may not import %s', async (path, source) => {
    expect(await boundary(path, source)).toHaveLength(1);
  });

  it('tools that start a host use its public class only', async () => {
    expect(await boundary('src/cli/trip.ts', '../local-host/host')).toEqual([]);
    expect(await boundary('src/cli/trip.ts', '../local-host/durable/engine')).toHaveLength(1);
  });

  it('the local host may use the shared telemetry and domain modules, and its own', async () => {
    for (const source of ['../telemetry/logger', '../domain/without-stack', './durable/engine', './host']) {
      expect(await boundary('src/local-host/front-door.ts', source)).toEqual([]);
    }
  });
});
