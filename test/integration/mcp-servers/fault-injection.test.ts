import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { callTool, connectClient, dataOf } from './mcp-test-client';

const forecast = { place: 'Lisbon', startDate: '2027-06-01', endDate: '2027-06-03' };

describe('fault injection on the HTTP endpoint', () => {
  const running: RunningMcpHttpServer[] = [];
  const start = async (faults: Parameters<typeof startMcpHttpServer>[0]['faults']) => {
    const server = await startMcpHttpServer({ server: 'weather', faults });
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it('answers 503 before doing work, while connecting and listing still succeed', async () => {
    const client = await connectClient((await start({ transientErrorRate: 1 })).url);
    expect((await client.listTools()).tools).toHaveLength(1);
    await expect(callTool(client, 'get_forecast', forecast)).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 503,
    );
    await client.close();
  });

  it('fails the same calls for the same seed', async () => {
    const outcomes = async () => {
      const client = await connectClient((await start({ transientErrorRate: 0.5, seed: 99 })).url);
      const results: boolean[] = [];
      for (let i = 0; i < 12; i++) {
        results.push(
          await callTool(client, 'get_forecast', forecast).then(
            () => true,
            () => false,
          ),
        );
      }
      await client.close();
      return results;
    };
    const first = await outcomes();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await outcomes()).toEqual(first);
  });

  it('adds latency to tool calls', async () => {
    const client = await connectClient((await start({ latencyMs: 150, latencyJitterMs: 50 })).url);
    const started = performance.now();
    dataOf(await callTool(client, 'get_forecast', forecast));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    await client.close();
  });

  it('hangs past the client timeout, and close() releases the hung call', async () => {
    const server = await start({ timeoutRate: 1, timeoutMs: 60_000 });
    const client = await connectClient(server.url);
    await expect(
      client.callTool({ name: 'get_forecast', arguments: forecast }, undefined, { timeout: 300 }),
    ).rejects.toSatisfy(
      (error) => error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number),
    );
    const closing = performance.now();
    await server.close();
    expect(performance.now() - closing).toBeLessThan(2_000);
    await client.close();
  });
});
