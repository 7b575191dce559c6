/** The sample functions in src/functions/samples.ts, run as `npm start` runs them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import {
  jsonHeaders,
  pollUntilDone,
  repoRoot,
  startHost,
  startOrchestration,
  testKeys,
} from '../../support/local-host';

let host: LocalHost;

beforeAll(async () => {
  host = await startHost({ appDir: repoRoot });
});
afterAll(async () => {
  await host.stop();
});

describe('Waypoint samples', () => {
  it('helloSequence greets three cities in order', async () => {
    const started = await startOrchestration(host, 'helloSequence');
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
  });

  it('greetingRound fans out, cools down, then waits for approval', async () => {
    const started = await startOrchestration(host, 'greetingRound', {
      cities: ['Oslo', 'Lima', 'Cusco'],
      coolDownSeconds: 0,
    });
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const deadline = Date.now() + 10_000;
    let status: any;
    do {
      status = await (await fetch(started.statusQueryGetUri)).json();
      await new Promise((r) => setTimeout(r, 50));
    } while (status.customStatus?.stage !== 'awaiting-approval' && Date.now() < deadline);
    expect(status.customStatus).toEqual({ stage: 'awaiting-approval' });

    const approve = await fetch(started.sendEventPostUri.replace('{eventName}', 'approval'), {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ approved: true }),
    });
    expect(approve.status).toBe(202);
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output).toEqual({
      greetings: [
        { city: 'Oslo', greeting: 'Hello Oslo!', letters: 4 },
        { city: 'Lima', greeting: 'Hello Lima!', letters: 4 },
        { city: 'Cusco', greeting: 'Hello Cusco!', letters: 5 },
      ],
      totalLetters: 13,
      approval: 'approved',
    });
  });

  it('greetingRound times out without an approval', async () => {
    const started = await startOrchestration(host, 'greetingRound', {
      coolDownSeconds: 0,
      approvalTimeoutSeconds: 1,
    });
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output.approval).toBe('timed-out');
  });

  it('never hands an anonymous caller a key: every URL in the answers is keyless and works without one', async () => {
    // Regression: the starter answered with createCheckStatusResponse, whose management URLs carry
    // the Durable system key (code=…): with it anyone lists every run's input and approves others' runs.
    const keys = Object.values(host.keys);
    expect(keys).toEqual(expect.arrayContaining(Object.values(testKeys)));
    const answers: { text: string; location: string | null }[] = [];
    const start = async (name: string, body?: unknown) => {
      const response = await host.fetch(`/api/orchestrators/${name}`, {
        method: 'POST',
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      expect(response.status).toBe(202);
      const text = await response.text();
      answers.push({ text, location: response.headers.get('location') });
      return JSON.parse(text) as Record<string, string>;
    };
    const hello = await start('helloSequence');
    const round = await start('greetingRound', { coolDownSeconds: 0, approvalTimeoutSeconds: 60 });
    await host.waitForInstance(round.id, { statuses: ['Running'] });
    const status = await fetch(round.statusQueryGetUri);
    answers.push({ text: await status.text(), location: status.headers.get('location') });

    const urls = answers.flatMap(({ text, location }) => [
      ...(text.match(/https?:\/\/[^"\s]+/g) ?? []),
      ...(location ? [location] : []),
    ]);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      expect(url).not.toMatch(/[?&]code=/i);
      expect(new URL(url).pathname).toMatch(/^\/api\/orchestrators\//);
    }
    for (const { text, location } of answers) {
      for (const key of keys) {
        expect(text).not.toContain(key);
        expect(location ?? '').not.toContain(key);
      }
    }
    // Each URL works anonymously, for what it is for.
    expect((await pollUntilDone(hello.statusQueryGetUri)).body.output).toHaveLength(3);
    const approve = await fetch(round.sendEventPostUri.replace('{eventName}', 'approval'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"approved":false}',
    });
    expect(approve.status).toBe(202);
    expect((await pollUntilDone(round.statusQueryGetUri)).body.output.approval).toBe('rejected');
  });

  it('shows and signals sample instances only, and takes only the events a sample waits for', async () => {
    const round = await startOrchestration(host, 'greetingRound', { coolDownSeconds: 0 });
    const hello = await startOrchestration(host, 'helloSequence');
    // Another orchestration's instance through this route: the same 404 as a missing one.
    const base = `${host.url}/api/orchestrators`;
    expect((await fetch(`${base}/helloSequence/${round.id}`)).status).toBe(404);
    expect((await fetch(`${base}/greetingRound/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${base}/greetingRound/trip-${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${base}/tripPlanner/${round.id}`)).status).toBe(404);
    const send = (url: string, body: string, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await send(`${base}/helloSequence/${hello.id}/raiseEvent/approval`, '{}')).status).toBe(404);
    expect((await send(`${base}/greetingRound/${round.id}/raiseEvent/cancel`, '{}')).status).toBe(404);
    const approval = `${base}/greetingRound/${round.id}/raiseEvent/approval`;
    expect((await send(approval, 'approved=true', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await send(approval, '{"approved":"yes"}')).status).toBe(400);
    expect((await send(approval, JSON.stringify({ approved: true, pad: 'x'.repeat(5000) }))).status).toBe(
      413,
    );
    expect((await send(approval, '{"approved":true}')).status).toBe(202);
    expect((await pollUntilDone(round.statusQueryGetUri)).body.output.approval).toBe('approved');
  });

  it('answers the health probe', async () => {
    const response = await host.fetch('/api/health');
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
