// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Node built-ins and I/O clients that deterministic code must never import. */
const nondeterministicImports = [
  {
    group: [
      'node:*',
      'fs',
      'path',
      'os',
      'crypto',
      'http',
      'https',
      'net',
      'child_process',
      'worker_threads',
    ],
    message: 'Deterministic code does no I/O: move it to an activity.',
  },
  {
    group: ['@azure/cosmos', 'better-sqlite3', 'openai', '@modelcontextprotocol/*'],
    message: 'Deterministic code does no I/O: move it to an activity.',
  },
];

/** Relative imports of the folders the generic agent runtime must not depend on. */
const agentLayering = [
  {
    regex: String.raw`^\.{1,2}/(?:\.\./)*(?:travel|functions|mcp-servers|examples|services)(?:/|$)`,
    message:
      'The agent runtime is generic: no travel, Functions wiring, tool-server or app-service imports (pass what it needs in).',
  },
];

/** Example applications use the generic parts, never the travel application or its wiring. */
const exampleLayering = [
  {
    regex: String.raw`^\.{1,2}/(?:\.\./)*(?:travel|functions|services)(?:/|$)`,
    message: 'An example application is built from the generic parts only: no travel code or its wiring.',
  },
];

/**
 * The local host is a host, not part of the app: the app never imports it (it runs the same under
 * Azure Functions), and it loads the app only through its entry point (package.json `main`, by
 * app-loader.ts). It may use the shared infrastructure beneath both: telemetry and domain values.
 * Tools that start a host in-process (the trip CLI, the evaluation runner) import its public
 * class, src/local-host/host.ts, only.
 */
const localHostFromApp = [
  {
    regex: String.raw`^\.{1,2}/(?:\.\./)*local-host(?:/|$)`,
    message: 'App code does not import the local host: it must run the same under Azure Functions.',
  },
];
const localHostFromTools = [
  {
    regex: String.raw`^\.{1,2}/(?:\.\./)*local-host/(?!host$)`,
    message: 'Start a host through its public class only: src/local-host/host.ts.',
  },
];
const appFromLocalHost = [
  {
    regex: String.raw`^\.{1,2}/(?:\.\./)*(?:agents|travel|examples|functions|models|tools|mcp-servers|stores|geo|cli|services|config|hosting|index|app-role)(?:/|$)`,
    message:
      'The local host loads the app through its entry point only (app-loader.ts); import shared telemetry or domain modules, nothing else of the app.',
  },
];

/** Clock, randomness and environment reads that break replay. */
const determinismRules = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use context.df.currentUtcDateTime.' },
    { object: 'Math', property: 'random', message: 'Use context.df.newGuid or a seeded generator.' },
    { object: 'process', property: 'env', message: 'Pass config in the orchestration input.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Use context.df.currentUtcDateTime.',
    },
  ],
};

/**
 * Which files must be deterministic follows from where they are, not from a list. Orchestrator
 * code is every file under a folder named `orchestration`, every `orchestration.ts` or
 * `*.orchestration.ts`, and src/domain (pure values); the code it runs on is every module those
 * import (value imports, transitively). The walk stops at src/telemetry, which records from
 * orchestrators only when not replaying (run-telemetry.ts), and src/geo, read-only data that
 * activities load. test/unit/lint/determinism.test.ts proves the rule fires on all of them.
 */
const ORCHESTRATION_GLOBS = [
  'src/**/orchestration/**/*.ts',
  'src/**/orchestration.ts',
  'src/**/*.orchestration.ts',
  'src/domain/**/*.ts',
];
const REPLAY_AWARE = ['src/telemetry/', 'src/geo/'];

/** Every existing file an orchestration file reaches through value imports, as repo paths. */
export function deterministicFiles(root = import.meta.dirname) {
  const all = listTs(join(root, 'src')).map((file) => relative(root, file).split(sep).join('/'));
  const isEntry = (file) =>
    /(^|\/)orchestration\//.test(file) ||
    /(^|\/)(orchestration|[^/]+\.orchestration)\.ts$/.test(file) ||
    file.startsWith('src/domain/');
  const found = new Set(all.filter(isEntry));
  const queue = [...found];
  while (queue.length > 0) {
    const file = queue.pop();
    const text = readFileSync(join(root, file), 'utf8');
    // `import type` and `export type` vanish at compile time: they run nothing.
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'(\.[^']+)'/gms)) {
      const target = posix.join(posix.dirname(file), match[1]);
      const resolved = [`${target}.ts`, `${target}/index.ts`].find((path) => existsSync(join(root, path)));
      if (!resolved || found.has(resolved) || REPLAY_AWARE.some((dir) => resolved.startsWith(dir))) continue;
      found.add(resolved);
      queue.push(resolved);
    }
  }
  return [...found].sort();
}

function listTs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const DETERMINISTIC_FILES = [...ORCHESTRATION_GLOBS, ...deterministicFiles()];
/** The runtime's and the examples' deterministic files keep their layering guard as well. */
const DETERMINISTIC_AGENT_FILES = DETERMINISTIC_FILES.filter((file) => file.startsWith('src/agents/'));
const DETERMINISTIC_EXAMPLE_FILES = DETERMINISTIC_FILES.filter((file) => file.startsWith('src/examples/'));
const agentGlobs = [
  'src/agents/**/orchestration/**/*.ts',
  'src/agents/**/orchestration.ts',
  'src/agents/**/*.orchestration.ts',
];
const exampleGlobs = agentGlobs.map((glob) => glob.replace('src/agents/', 'src/examples/'));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'test/fixtures/**/*.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', 'bench/*.mjs', 'web/*.mjs', 'infra/hooks/*.mjs', 'test/chaos/*.mjs'],
          // The plain-JS scripts above (bench, hooks, build, chaos runner) outnumber the default 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 20,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'no-console': 'error',
    },
  },
  {
    // The generic agent runtime knows nothing of its applications: no travel, no Functions wiring,
    // no tool servers. A second application reuses it without touching travel code.
    files: ['src/agents/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: agentLayering }] },
  },
  {
    // Example applications are built from the generic parts only: no travel code either.
    files: ['src/examples/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: exampleLayering }] },
  },
  {
    // Code that runs inside orchestrator functions replays deterministically: no clock,
    // randomness, env or I/O. (The agent runtime's files keep its layering patterns too: a later
    // `no-restricted-imports` replaces an earlier one, it does not add to it.)
    files: DETERMINISTIC_FILES,
    ignores: [...DETERMINISTIC_AGENT_FILES, ...agentGlobs, ...DETERMINISTIC_EXAMPLE_FILES, ...exampleGlobs],
    rules: { 'no-restricted-imports': ['error', { patterns: nondeterministicImports }], ...determinismRules },
  },
  {
    files: [...DETERMINISTIC_AGENT_FILES, ...agentGlobs],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nondeterministicImports, ...agentLayering] }],
      ...determinismRules,
    },
  },
  {
    files: [...DETERMINISTIC_EXAMPLE_FILES, ...exampleGlobs],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nondeterministicImports, ...exampleLayering] }],
      ...determinismRules,
    },
  },
  {
    // The boundary around the local host (a rule of its own, so it adds to the layering rules).
    files: ['src/**/*.ts'],
    ignores: ['src/local-host/**', 'src/cli/**', 'src/travel/evaluation/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: localHostFromApp }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/travel/evaluation/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: localHostFromTools }] },
  },
  {
    files: ['src/local-host/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: appFromLocalHost }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**', '*.mjs', 'vitest.config.mts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      'no-console': 'off',
    },
  },
);
