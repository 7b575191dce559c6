/** The sample functions in src/functions/samples.ts, run as `npm start` runs them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import {
  pollUntilDone,
  repoRoot,
  startHost,
  startOrchestration,
  jsonHeaders,
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

  it('answers the health probe', async () => {
    const response = await host.fetch('/api/health');
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
