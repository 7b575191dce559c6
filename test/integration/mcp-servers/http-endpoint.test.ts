import { request as httpRequest } from 'node:http';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { connectClient } from './mcp-test-client';

const KEY = 'test-key-0123456789abcdef';
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

/** A raw POST (node:http, so the Host header can be forged). */
function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject).end(JSON.stringify(body));
  });
}

describe('tool server HTTP endpoint', () => {
  let server: RunningMcpHttpServer;

  beforeAll(async () => {
    server = await startMcpHttpServer({ server: 'weather', key: KEY });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 401 with a JSON error when the key is missing or wrong', async () => {
    const missing = await post(server.url, {}, initialize);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/Unauthorized/);
    expect((await post(server.url, { 'x-mcp-key': 'wrong-key-0123456789' }, initialize)).status).toBe(401);
    await expect(connectClient(server.url)).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 401,
    );
  });

  it('accepts the key as x-mcp-key or as a bearer token', async () => {
    expect((await post(server.url, { 'x-mcp-key': KEY }, initialize)).status).toBe(200);
    const client = await connectClient(server.url, { headers: { authorization: `Bearer ${KEY}` } });
    expect((await client.listTools()).tools).toHaveLength(1);
    await client.close();
  });

  it('refuses foreign Host headers on loopback (DNS rebinding)', async () => {
    const rebound = await post(
      server.url,
      { host: `evil.example:${server.port}`, 'x-mcp-key': KEY },
      initialize,
    );
    expect(rebound.status).toBe(403);
    const local = await post(server.url, { host: `localhost:${server.port}`, 'x-mcp-key': KEY }, initialize);
    expect(local.status).toBe(200);
  });

  it('is stateless: GET and DELETE are 405, other paths 404', async () => {
    const get = await fetch(server.url, { headers: { 'x-mcp-key': KEY, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(server.url, { method: 'DELETE', headers: { 'x-mcp-key': KEY } })).status).toBe(405);
    expect((await fetch(server.url.replace('/mcp', '/other'))).status).toBe(404);
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'x-mcp-key': KEY,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(-32700);
  });
});
