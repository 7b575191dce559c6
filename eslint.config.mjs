// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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

/** The agent runtime's orchestrator code and the pure modules it runs on. */
const DETERMINISTIC_AGENT_FILES = [
  'src/agents/orchestration/**/*.ts',
  'src/agents/{budgets,plan,progress,retry,run-tracker,run-status,run-frame,contracts,definitions}.ts',
];

/** The support desk's orchestrator code and the pure modules it runs on. */
const DETERMINISTIC_EXAMPLE_FILES = ['src/examples/support-desk/{orchestration,agents,schemas}.ts'];

/** Every file whose code runs in an orchestrator (or is pure data it relies on). */
const DETERMINISTIC_FILES = [
  'src/orchestrations/**/*.ts',
  'src/domain/**/*.ts',
  ...DETERMINISTIC_AGENT_FILES,
  'src/travel/trip/**/*.ts',
  'src/travel/{validate-facts,schemas,planner-input}.ts',
];

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
    // no tool servers (DESIGN §3). A second application reuses it without touching travel code.
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
    ignores: DETERMINISTIC_AGENT_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: nondeterministicImports }], ...determinismRules },
  },
  {
    files: DETERMINISTIC_AGENT_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nondeterministicImports, ...agentLayering] }],
      ...determinismRules,
    },
  },
  {
    files: DETERMINISTIC_EXAMPLE_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nondeterministicImports, ...exampleLayering] }],
      ...determinismRules,
    },
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
