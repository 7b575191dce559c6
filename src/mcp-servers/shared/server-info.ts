/** What each tool server reports in `initialize` (`serverInfo`). */
export const SERVER_VERSION = '0.1.0';

export function serverInfo(name: string): { name: string; version: string } {
  return { name: `waypoint-${name}`, version: SERVER_VERSION };
}

/** Search and lookup tools: no side effects, and the same arguments always give the same answer. */
export const READ_ONLY_TOOL = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
