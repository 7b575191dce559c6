/**
 * The support desk example end to end on the local host: the compiled app (dist/, loaded through
 * test/fixtures/support-desk-app), the real durable-functions SDK, the generic agent runtime and
 * the offline model with the desk's policies. Also: the example imports nothing from the travel
 * application, directly or through any module it loads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { repoRoot, startHost, tempDir, testKeys } from '../support/local-host';

const appDir = join(repoRoot, 'test/fixtures/support-desk-app');
const dataDir = tempDir('waypoint-support-desk-');
let host: LocalHost;

beforeAll(async () => {
  // The app reads its settings once, when it loads.
  process.env.STORE_SQLITE_PATH = join(dataDir, 'desk.sqlite');
  host = await startHost({ appDir });
});
afterAll(async () => {
  await host?.stop();
});

const key = { 'x-functions-key': testKeys.functionKey };

async function submit(body: unknown, headers: Record<string, string> = key) {
  const response = await host.fetch('/api/support/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Files a ticket and polls its status until the run has ended. */
async function resolveTicket(message: string, timeoutMs = 60_000): Promise<any> {
  const created = await submit({ message, customer: 'Ada' });
  expect(created.status).toBe(202);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await host.fetch(`/api/support/tickets/${created.body.id}`, { headers: key });
    expect(response.status).toBe(200);
    const body = await response.json();
    if (['Completed', 'Failed', 'Terminated'].includes(body.runtimeStatus)) return body;
    if (Date.now() > deadline) throw new Error(`ticket still ${body.runtimeStatus}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('support desk on the local host', () => {
  it('answers a small refund: billing refunds, the supervisor approves at once', async () => {
    const ticket = await resolveTicket('I was charged twice for invoice INV-1042, please refund $30.');
    expect(ticket).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'completed',
      request: { route: 'billing' },
      result: { route: 'billing', approved: true, rounds: 0 },
    });
    expect(ticket.result.reply).toMatchObject({ action: 'refund', refundUsd: 30, references: ['INV-1042'] });
    expect(ticket.result.reply.reply).toContain('INV-1042');
    expect(ticket.result.reviews).toEqual([{ approved: true, findings: [], revisions: [] }]);
    // triage turn, route, billing turn, supervisor turn: all recorded, usage counted.
    const agents = ticket.progress.steps.filter((s: any) => s.kind === 'agent').map((s: any) => s.name);
    expect(agents).toEqual(['triage turn 1', 'billing turn 1', 'desk-supervisor turn 1']);
    expect(ticket.budgets.usage.steps).toBeGreaterThanOrEqual(3);
    expect(ticket.budgets.usage.tokens).toBeGreaterThan(0);
  });

  it('runs a revision round when the supervisor asks: a refund over the limit is escalated', async () => {
    const ticket = await resolveTicket('Please refund $450 for invoice INV-2001, I cancelled last week.');
    expect(ticket).toMatchObject({
      status: 'completed',
      result: { route: 'billing', approved: true, rounds: 1 },
    });
    expect(ticket.result.reviews).toHaveLength(2);
    expect(ticket.result.reviews[0]).toEqual({
      approved: false,
      findings: ["The reply refunds 450 USD, above the desk's limit of 100 USD."],
      revisions: [
        {
          agent: 'billing',
          feedback: 'Refunds over 100 USD need the billing team: escalate instead of refunding.',
        },
      ],
    });
    expect(ticket.result.reviews[1].approved).toBe(true);
    expect(ticket.result.reply.action).toBe('escalate');
    expect(ticket.result.reply.refundUsd).toBeUndefined();
    expect(ticket.result.reply.reply).toContain('INV-2001');
    const agents = ticket.progress.steps.filter((s: any) => s.kind === 'agent').map((s: any) => s.name);
    expect(agents).toEqual([
      'triage turn 1',
      'billing turn 1',
      'desk-supervisor turn 1',
      'billing, revision 1 turn 1',
      'desk-supervisor, round 2 turn 1',
    ]);
    // The revision ran as its own durable child: round 1 of the billing agent.
    const child = await host.waitForInstance(`${ticket.id}:billing:1`, { timeoutMs: 5_000 });
    expect(child.runtimeStatus).toBe('Completed');
  });

  it('troubleshoots a technical ticket and cites the error code', async () => {
    const ticket = await resolveTicket('The app crashes with error E1042 every time I upload a file.');
    expect(ticket).toMatchObject({
      status: 'completed',
      result: { route: 'technical', approved: true, rounds: 0 },
    });
    expect(ticket.result.reply).toMatchObject({ action: 'troubleshoot', references: ['E1042'] });
    expect(ticket.result.reply.reply).toMatch(/^Error E1042 .*1\. /);
  });

  it('declines an out-of-scope ticket politely, with no specialist and no review', async () => {
    const ticket = await resolveTicket('What is a good recipe for banana bread?');
    expect(ticket).toMatchObject({ status: 'completed', result: { route: 'out_of_scope' } });
    expect(ticket.result.refusal).toMatch(/billing and technical questions/);
    expect(ticket.result.reply).toBeUndefined();
    expect(ticket.result.reviews).toBeUndefined();
    const agents = ticket.progress.steps.filter((s: any) => s.kind === 'agent').map((s: any) => s.name);
    expect(agents).toEqual(['triage turn 1']);
  });

  it('refuses bad tickets with a 400, unknown ids with a 404, and callers without a key with a 401', async () => {
    expect(await submit({})).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await submit({ message: 'hi', extra: true })).toMatchObject({ status: 400 });
    expect(await submit('{not json')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_json' } },
    });
    expect((await submit({ message: 'Refund INV-1' }, {})).status).toBe(401);
    const missing = await host.fetch('/api/support/tickets/no-such-ticket', { headers: key });
    expect(missing.status).toBe(404);
  });
});

describe('support desk imports', () => {
  const deskDir = join(repoRoot, 'src/examples/support-desk');
  const forbidden = ['src/travel', 'src/functions', 'src/services.ts'];

  /** The repository modules a file imports (relative specifiers, resolved as TypeScript does). */
  function localImports(file: string): string[] {
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...source.matchAll(/\b(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
      ...source.matchAll(/\bimport\s+['"]([^'"]+)['"]/g),
      ...source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    return specifiers
      .filter((s) => s.startsWith('.'))
      .map((s) => {
        const base = resolve(dirname(file), s);
        const candidate = [`${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')].find(
          (path) => existsSync(path) && path.endsWith('.ts'),
        );
        if (!candidate) throw new Error(`${relative(repoRoot, file)}: cannot resolve ${s}`);
        return candidate;
      });
  }

  it('no file of src/examples/support-desk imports travel code or its wiring', () => {
    const files = readdirSync(deskDir).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'orchestration.ts', 'agents.ts']));
    for (const file of files) {
      const text = readFileSync(join(deskDir, file), 'utf8');
      expect(text, file).not.toMatch(/from\s+['"][^'"]*\/travel(\/|['"])/);
      for (const target of localImports(join(deskDir, file)))
        for (const bad of forbidden)
          expect(relative(repoRoot, target).startsWith(bad), `${file} → ${target}`).toBe(false);
    }
  });

  it('nothing the desk loads, however indirectly, is travel code', () => {
    const seen = new Set<string>();
    const queue = [join(deskDir, 'index.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...localImports(file));
    }
    const reached = [...seen].map((f) => relative(repoRoot, f));
    expect(reached).toEqual(
      expect.arrayContaining(['src/agents/register.ts', 'src/agents/orchestration/supervise.ts']),
    );
    expect(reached.filter((f) => forbidden.some((bad) => f.startsWith(bad)))).toEqual([]);
  });
});
