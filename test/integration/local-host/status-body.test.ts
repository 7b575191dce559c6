/**
 * The management API's status body, as the Durable extension answers it: every field DurableClient
 * reads, the input unless `showInput=false`, and the same for every instance of a list. The body
 * is made of the JSON texts the store keeps, spliced in (not parsed and serialised again per read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { pollUntilDone, startHost, startOrchestration, testKeys } from '../../support/local-host';

let host: LocalHost;
beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host.stop();
});

const api = (path: string) =>
  `/runtime/webhooks/durabletask/${path}${path.includes('?') ? '&' : '?'}code=${testKeys.systemKey}`;

describe('status body', () => {
  it('has every field, with input, custom status and output as JSON values', async () => {
    const input = { city: 'Tokyo', nested: { list: [1, 'two', null], text: 'quote " and \\ and ✓' } };
    const started = await startOrchestration(host, 'fanOut', [1, 2, 3]);
    await pollUntilDone(started.statusQueryGetUri);
    const withInput = await startOrchestration(host, 'sequence', input);
    await pollUntilDone(withInput.statusQueryGetUri);

    const body = await (await host.fetch(api(`instances/${withInput.id}`))).json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'createdTime',
        'customStatus',
        'input',
        'instanceId',
        'lastUpdatedTime',
        'name',
        'output',
        'runtimeStatus',
      ].sort(),
    );
    expect(body).toMatchObject({
      name: 'sequence',
      instanceId: withInput.id,
      runtimeStatus: 'Completed',
      input,
      customStatus: null,
      output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
    });

    const withoutInput = await (await host.fetch(api(`instances/${withInput.id}?showInput=false`))).json();
    expect(withoutInput.input).toBeNull();
    expect(withoutInput.output).toEqual(body.output);

    const list = await host.fetch(api(`instances?runtimeStatus=Completed&showInput=true`));
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { instanceId: string; input: unknown; output: unknown }[];
    expect(listed.find((i) => i.instanceId === withInput.id)).toMatchObject({ input, output: body.output });
    expect(listed.find((i) => i.instanceId === started.id)).toMatchObject({ input: [1, 2, 3], output: 12 });
  });

  it('answers an empty list as []', async () => {
    const empty = await host.fetch(api('instances?runtimeStatus=Suspended'));
    expect(await empty.text()).toBe('[]');
  });
});
