/**
 * recogniseCapacity: the unmodified DurableClient (durable-functions 3.5.0, its own axios) against
 * a loopback server standing in for the Durable extension's RPC endpoint. A 429 or 503 answer to
 * any client call rejects with a typed DurableCapacityError (with the endpoint's Retry-After);
 * every other answer reaches the SDK as before.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableCapacityError, recogniseCapacity } from '../../../src/functions/durable-client-capacity';
import { traceDurableClient } from '../../../src/functions/durable-client-tracing';
import { durableClientAt } from '../../support/durable-client';

/** What the stand-in answers next: a status and its headers. */
let answer: { status: number; headers?: Record<string, string>; body?: unknown } = { status: 202 };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body ?? { id: 'instance-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A DurableClient as df.getClient builds it inside a function with a durableClient input. */
const durableClient = () => durableClientAt(base);

describe('recogniseCapacity', () => {
  it('without it, the SDK reports a 429 as an untyped Error that only names the status', async () => {
    answer = { status: 429, body: { error: { code: 'too_many_instances' } } };
    const error = await durableClient()
      .startNew('orchestration', { instanceId: 'run-1' })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DurableCapacityError);
    expect((error as Error).message).toMatch(/unexpected status code: 429/);
  });

  it('turns a 429 into DurableCapacityError with the endpoint’s Retry-After', async () => {
    answer = {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'too_many_instances' } },
    };
    const error = await recogniseCapacity(durableClient())
      .startNew('orchestration', { instanceId: 'run-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurableCapacityError);
    expect(error).toMatchObject({ status: 429, code: 'too_busy', retryable: true, retryAfterMs: 7000 });
  });

  it.each([
    ['getStatus', (client: df.DurableClient) => client.getStatus('run-1')],
    ['getStatusBy', (client: df.DurableClient) => client.getStatusBy({ createdTimeFrom: new Date(0) })],
    ['raiseEvent', (client: df.DurableClient) => client.raiseEvent('run-1', 'input', {})],
    ['terminate', (client: df.DurableClient) => client.terminate('run-1', 'stop')],
  ])('turns a 503 to %s into DurableCapacityError', async (_name, call) => {
    answer = { status: 503 };
    const error = await call(recogniseCapacity(durableClient())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurableCapacityError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', retryAfterMs: undefined });
  });

  it('leaves every other answer to the SDK: a 404 and a 500 stay its own errors, a 202 its result', async () => {
    const client = recogniseCapacity(durableClient());
    answer = { status: 404 };
    const missing = await client.getStatus('run-1').catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(DurableCapacityError);
    expect((missing as Error).message).toMatch(/HTTP 404/);
    // A fault whose details happen to name 429 is still a fault.
    answer = { status: 500, body: { message: 'upstream said 429' } };
    const fault = await client.startNew('orchestration', { instanceId: 'run-1' }).catch((e: unknown) => e);
    expect(fault).not.toBeInstanceOf(DurableCapacityError);
    answer = { status: 202 };
    await expect(client.startNew('orchestration', { instanceId: 'run-1' })).resolves.toBe('instance-1');
  });

  it('is installed once per client, and works beside the tracing interceptor', async () => {
    const client = durableClient();
    expect(recogniseCapacity(traceDurableClient(recogniseCapacity(client)))).toBe(client);
    const handlers = (
      client as unknown as { axiosInstance: { interceptors: { response: { handlers: unknown[] } } } }
    ).axiosInstance.interceptors.response.handlers;
    expect(handlers).toHaveLength(1);
    answer = { status: 429 };
    await expect(client.raiseEvent('run-1', 'input', {})).rejects.toBeInstanceOf(DurableCapacityError);
  });

  it('leaves a client without the axios instance it expects as it is', () => {
    const client = { startNew: () => Promise.resolve('x') } as unknown as df.DurableClient;
    expect(recogniseCapacity(client)).toBe(client);
  });
});
