/**
 * Which tools each agent may call: `{ flights: ['flights.search_flights', 'flights.get_flight'] }`.
 * An entry `server.*` allows every tool of that server. Agents not listed may call nothing.
 */
export type ToolAllowList = Readonly<Record<string, readonly string[]>>;

/** The allow-list, checked by the tool client before any I/O. */
export class ToolPolicy {
  private readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(allowList: ToolAllowList) {
    this.allowed = new Map(Object.entries(allowList).map(([agent, tools]) => [agent, new Set(tools)]));
  }

  isAllowed(agent: string, qualifiedTool: string): boolean {
    const tools = this.allowed.get(agent);
    if (!tools) return false;
    if (tools.has(qualifiedTool)) return true;
    const dot = qualifiedTool.indexOf('.');
    // No dot, or nothing before it: not `<server>.<tool>`, so no `server.*` entry can cover it.
    return dot > 0 && tools.has(`${qualifiedTool.slice(0, dot)}.*`);
  }

  toolsFor(agent: string): readonly string[] {
    return [...(this.allowed.get(agent) ?? [])];
  }
}
