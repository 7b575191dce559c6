/** The tool servers Waypoint ships; each is reachable at its own MCP endpoint. */
export const TOOL_SERVERS = ['flights', 'hotels', 'weather', 'restaurants', 'bookings'] as const;
export type ToolServerName = (typeof TOOL_SERVERS)[number];

/** A tool named the way agents and policies name it: `<server>.<tool>`, e.g. `flights.search_flights`. */
export interface QualifiedToolName {
  server: string;
  tool: string;
  /** `server.tool`, the form used in allow-lists, logs and idempotency request hashes. */
  qualified: string;
}

export function parseToolName(name: string): QualifiedToolName | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { server: name.slice(0, dot), tool: name.slice(dot + 1), qualified: name };
}
