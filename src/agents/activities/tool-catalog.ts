/**
 * The tools an agent may call, described for the model: each MCP server's `tools/list`, fetched
 * once per process and server, filtered to the agent's allow-list and named `server.tool`. A
 * failed fetch is forgotten, so the next turn tries again (and the turn fails retryably).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TransientError } from '../../domain/errors';
import type { ModelToolDefinition } from '../../models/types';
import type { ToolSettings } from '../../tools/settings';

export interface ToolCatalogOptions {
  /** MCP endpoint URL per server name. */
  servers: Readonly<Record<string, string>>;
  /** The key sent as `x-mcp-key` to each server (by name), and to no other. */
  serverKeys?: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
}

export class ToolCatalog {
  private readonly lists = new Map<string, Promise<ModelToolDefinition[]>>();

  constructor(private readonly options: ToolCatalogOptions) {}

  /** A catalogue of the servers the tool settings name, with their keys and the call timeout. */
  static fromSettings(tools: Pick<ToolSettings, 'servers' | 'serverKeys' | 'callTimeoutMs'>): ToolCatalog {
    return new ToolCatalog({
      servers: tools.servers,
      serverKeys: tools.serverKeys,
      timeoutMs: tools.callTimeoutMs,
    });
  }

  /** The definitions of `qualifiedNames` (`server.tool`; `server.*` means all of that server's tools). */
  async definitions(qualifiedNames: readonly string[]): Promise<ModelToolDefinition[]> {
    const servers = [...new Set(qualifiedNames.map((name) => name.split('.')[0]))];
    const lists = await Promise.all(servers.map((server) => this.serverTools(server)));
    const wanted = new Set(qualifiedNames);
    return lists.flat().filter((tool) => wanted.has(tool.name) || wanted.has(`${tool.name.split('.')[0]}.*`));
  }

  private serverTools(server: string): Promise<ModelToolDefinition[]> {
    let list = this.lists.get(server);
    if (!list) {
      list = this.fetchList(server).catch((error: unknown) => {
        this.lists.delete(server);
        throw error;
      });
      this.lists.set(server, list);
    }
    return list;
  }

  private async fetchList(server: string): Promise<ModelToolDefinition[]> {
    const url = this.options.servers[server];
    if (!url) return [];
    const key = this.options.serverKeys?.[server];
    const headers: Record<string, string> = key ? { 'x-mcp-key': key } : {};
    const client = new Client({ name: 'waypoint-tool-catalog', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
    try {
      await client.connect(transport, { timeout: this.options.timeoutMs });
      const { tools } = await client.listTools(undefined, { timeout: this.options.timeoutMs });
      return tools.map((tool) => ({
        name: `${server}.${tool.name}`,
        description: tool.description ?? tool.title ?? tool.name,
        parameters: tool.inputSchema as Record<string, unknown>,
      }));
    } catch (error) {
      throw new TransientError(`Could not list the tools of MCP server "${server}".`, { cause: error });
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}
