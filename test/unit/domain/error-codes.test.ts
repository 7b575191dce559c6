/**
 * The error-code catalogue is the one list of codes: docs/api.md shows the same tables, and every
 * code the source produces (outside the Durable management API) is in it with the status it is
 * answered with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_ERROR_CODES,
  API_SUCCESS_STATUSES,
  RUN_ERROR_CODES,
  TOOL_FAILURE_CODES,
  TOOL_SERVER_ERROR_CODES,
  type ErrorCodeInfo,
} from '../../../src/domain/error-codes';

const root = join(__dirname, '../../..');
const apiDoc = readFileSync(join(root, 'docs/api.md'), 'utf8');

/** The rows of the first table under `heading`, each as its cells (backticks stripped). */
function tableUnder(heading: string): string[][] {
  const start = apiDoc.indexOf(`\n${heading}\n`);
  expect(start, `docs/api.md has a "${heading}" section`).toBeGreaterThan(-1);
  const lines = apiDoc.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/^`([^`]*)`$/, '$1')),
    );
  }
  return rows;
}

const yesNo = (retryable: boolean) => (retryable ? 'yes' : 'no');
const rowsOf = (
  codes: Record<string, ErrorCodeInfo>,
  cells: (code: string, info: ErrorCodeInfo) => string[],
) => Object.entries(codes).map(([code, info]) => cells(code, info));

describe('docs/api.md lists the catalogue', () => {
  it('API errors: status, code, retry and meaning', () => {
    expect(tableUnder('### API errors')).toEqual(
      rowsOf(API_ERROR_CODES, (code, i) => [String(i.status), code, yesNo(i.retryable), i.meaning]),
    );
  });

  it('run errors', () => {
    expect(tableUnder('### Run errors')).toEqual(
      rowsOf(RUN_ERROR_CODES, (code, i) => [code, yesNo(i.retryable), i.meaning]),
    );
  });

  it('tool failures and the tool servers’ codes', () => {
    expect(tableUnder('### Tool failures')).toEqual(
      rowsOf(TOOL_FAILURE_CODES, (code, i) => [code, i.meaning]),
    );
    expect(tableUnder('### Tool server errors')).toEqual(
      rowsOf(TOOL_SERVER_ERROR_CODES, (code, i) => [code, yesNo(i.retryable), i.meaning]),
    );
  });

  it('every HTTP status the API answers with', () => {
    const statuses = new Set([
      ...API_SUCCESS_STATUSES,
      ...Object.values(API_ERROR_CODES).map((i) => i.status),
    ]);
    const line = /^The API answers with these statuses only: (.+)\.$/m.exec(apiDoc);
    expect(line, 'docs/api.md names the statuses').not.toBeNull();
    expect(line![1].split(', ').map(Number)).toEqual([...statuses].sort((a, b) => a - b));
  });

  it('API error rows are in status order', () => {
    const statuses = Object.values(API_ERROR_CODES).map((i) => i.status);
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Every `(status, code)` or `code` the source produces, with the file it is in. */
function produced(patterns: RegExp[], dirs: string[], skip: (file: string) => boolean = () => false) {
  const found: { file: string; status?: number; code: string }[] = [];
  for (const file of dirs.flatMap(sourceFiles)) {
    if (skip(file)) continue;
    const text = readFileSync(join(root, file), 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const groups = match.groups!;
        found.push({
          file: relative(root, join(root, file)),
          code: groups.code,
          ...(groups.status ? { status: Number(groups.status) } : {}),
        });
      }
    }
  }
  return found;
}

describe('every code the source produces is catalogued', () => {
  // The Durable management API the local host serves answers as Azure's does, with its own codes.
  const managementApi = (file: string) => file.includes('local-host/durable/');

  it('HTTP answers, with their status', () => {
    const answers = produced(
      [
        /new (?:ApiError|HttpError)\(\s*(?<status>\d{3}),\s*'(?<code>\w+)'/g,
        /(?:jsonError|refusal|problem)\(\s*(?<status>\d{3}),\s*'(?<code>\w+)'/g,
      ],
      ['src/functions', 'src/travel', 'src/local-host', 'src/examples'],
      managementApi,
    );
    expect(answers.length).toBeGreaterThan(20);
    const wrong = answers.filter(
      ({ code, status }) => (API_ERROR_CODES as Record<string, ErrorCodeInfo>)[code]?.status !== status,
    );
    expect(wrong).toEqual([]);
  });

  it('run failures: `code: ...` literals and runFailure calls', () => {
    const failures = produced(
      [/\bcode: '(?<code>\w+)'/g, /runFailure\(\s*'(?<code>\w+)'/g, /activityError\('(?<code>\w+)'/g],
      ['src/agents', 'src/examples', 'src/travel/trip', 'src/travel/offline'],
    );
    const runResource = readFileSync(join(root, 'src/travel/api/run-resource.ts'), 'utf8');
    const fromResource = [...runResource.matchAll(/\bcode: '(?<code>\w+)'/g)].map((m) => m.groups!.code);
    expect(fromResource.length).toBeGreaterThan(0);
    const missing = [...failures.map((f) => f.code), ...fromResource].filter(
      (code) => !Object.hasOwn(RUN_ERROR_CODES, code),
    );
    expect(missing).toEqual([]);
  });

  it('model and journal errors become run errors (an agent turn fails with their code)', () => {
    const codes = produced([/new WaypointError\(\s*'(?<code>\w+)'/g], ['src/models', 'src/agents']).map(
      (f) => f.code,
    );
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((code) => !Object.hasOwn(RUN_ERROR_CODES, code))).toEqual([]);
  });

  it('tool failures and tool server errors', () => {
    const failures = produced([/(?:toolFailure|fail)\('(?<code>\w+)'/g], ['src/tools']).map((f) => f.code);
    expect(failures.length).toBeGreaterThan(5);
    expect(failures.filter((code) => !Object.hasOwn(TOOL_FAILURE_CODES, code))).toEqual([]);
    const server = produced(
      [/super\(\s*'(?<code>\w+)'/g, /new WaypointError\(\s*'(?<code>\w+)'/g],
      ['src/domain', 'src/mcp-servers', 'src/stores'],
      (file) => file.endsWith('settings.ts') || file.endsWith('registry.ts'),
    ).map((f) => f.code);
    expect(server.length).toBeGreaterThan(5);
    expect(server.filter((code) => !Object.hasOwn(TOOL_SERVER_ERROR_CODES, code))).toEqual([]);
  });
});
