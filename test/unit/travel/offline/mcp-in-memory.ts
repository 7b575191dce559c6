/**
 * The real tool servers, in memory: each server connected to an MCP client over the SDK's linked
 * in-memory transport, so policy tests read genuine tool results without a socket.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createFlightsServer } from '../../../../src/mcp-servers/flights/server';
import { createHotelsServer } from '../../../../src/mcp-servers/hotels/server';
import { createRestaurantsServer } from '../../../../src/mcp-servers/restaurants/server';
import { createWeatherServer } from '../../../../src/mcp-servers/weather/server';
import type { ModelToolDefinition } from '../../../../src/models/types';

export interface InMemoryTools {
  /** Every server's tools, named `server.tool` as the agent runtime names them. */
  definitions: ModelToolDefinition[];
  /** Calls `server.tool`; returns the structured result, or `{error}` as the agent loop shows a failure. */
  call(qualifiedName: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function connectTravelServers(now: Date): Promise<InMemoryTools> {
  const clock = () => now;
  const servers: Record<string, McpServer> = {
    flights: createFlightsServer({ clock }),
    hotels: createHotelsServer({ clock }),
    weather: createWeatherServer(),
    restaurants: createRestaurantsServer(),
  };
  const clients = new Map<string, Client>();
  const definitions: ModelToolDefinition[] = [];
  for (const [name, server] of Object.entries(servers)) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'policy-test', version: '0.0.0' });
    await client.connect(clientSide);
    clients.set(name, client);
    const { tools } = await client.listTools();
    for (const tool of tools) {
      definitions.push({
        name: `${name}.${tool.name}`,
        description: tool.description ?? tool.name,
        parameters: tool.inputSchema as Record<string, unknown>,
      });
    }
  }
  return {
    definitions,
    async call(qualifiedName, args) {
      const [server, tool] = qualifiedName.split('.');
      const client = clients.get(server);
      if (!client) throw new Error(`no server ${server}`);
      const result = await client.callTool({ name: tool, arguments: args });
      if (result.isError) {
        const text = (result.content as { type: string; text?: string }[])
          .map((c) => c.text ?? '')
          .join('\n');
        return { error: { code: 'tool_error', message: text } };
      }
      return result.structuredContent;
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}
