/**
 * The one list of tools with side effects, by qualified name `<server>.<tool>`. Everything that
 * treats a write differently reads it from here:
 * - the tool client: a write needs an idempotency key, is recorded in the idempotency store and
 *   replays its first answer (src/tools/tool-client.ts);
 * - the orchestrations: a write gets the write retry policy, not the read one (the run input's
 *   `writeTools`);
 * - the tool servers' HTTP endpoint: drop-after-commit fault injection targets writes only.
 * Every tool not listed is a read. test/integration/mcp-servers/write-tools.test.ts lists the
 * servers' tools over MCP and checks this list against their `readOnlyHint` annotations, so a new
 * write tool missing here fails the suite rather than silently getting the read policy.
 */

/** How a side-effecting tool takes part in idempotency. */
export interface WriteToolSpec {
  /** The argument the server reads the idempotency key from; the client sets it to the call key. */
  keyArgument?: string;
}

export const WRITE_TOOLS: Readonly<Record<string, WriteToolSpec>> = {
  'bookings.book_flight': { keyArgument: 'idempotencyKey' },
  'bookings.book_hotel': { keyArgument: 'idempotencyKey' },
  // Naturally idempotent on the server; recorded so a replay returns the first answer.
  'bookings.cancel_booking': {},
};

/** The qualified names of the write tools. */
export const WRITE_TOOL_NAMES: readonly string[] = Object.keys(WRITE_TOOLS);

/** The unqualified names of one server's write tools (`book_flight` for `bookings`). */
export function writeToolsOf(server: string): ReadonlySet<string> {
  const prefix = `${server}.`;
  return new Set(
    WRITE_TOOL_NAMES.filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)),
  );
}
