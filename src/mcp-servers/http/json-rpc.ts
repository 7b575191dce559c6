/** The few JSON-RPC shapes the HTTP handler reads around the MCP SDK (which parses them properly). */
import type { McpHttpOutcome } from './mcp-http-handler';

export interface JsonRpcMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: { name?: unknown; _meta?: { traceparent?: unknown; tracestate?: unknown; baggage?: unknown } };
  result?: { isError?: unknown; structuredContent?: { error?: { code?: unknown } } };
  error?: { code?: unknown; message?: unknown };
}

/** HTTP-level failures in the JSON-RPC error shape the MCP SDK uses for its own. */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): McpHttpOutcome {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }),
  };
}

/** The messages of a single or batched JSON-RPC body (non-objects left out). */
export function asMessages(body: unknown): JsonRpcMessage[] {
  const items: unknown[] = Array.isArray(body) ? body : [body];
  return items.filter((item): item is JsonRpcMessage => item !== null && typeof item === 'object');
}

/** The messages of a response body; none when it is empty or not JSON. */
export function parseAnswers(body: string): JsonRpcMessage[] {
  if (body === '') return [];
  try {
    return asMessages(JSON.parse(body));
  } catch {
    return [];
  }
}
