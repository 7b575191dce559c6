/**
 * Tool names as the chat.completions API accepts them. Our tools are qualified by server
 * (`flights.search_flights`); the API allows only `^[a-zA-Z0-9_-]{1,64}$`. Each request gets a map
 * that renames what it must (`flights_search_flights`), keeps every name readable for the model,
 * and maps the model's answer back exactly.
 */

const API_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;

/** Whether the API accepts `name` as a tool name unchanged. */
export function isApiToolName(name: string): boolean {
  return API_NAME.test(name);
}

function sanitize(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_LENGTH);
  return replaced === '' ? 'tool' : replaced;
}

/**
 * A reversible renaming for one request's tool names. Names the API accepts keep themselves;
 * the others get their invalid characters replaced by `_` (and a `_2`, `_3`, … suffix if that
 * collides with another name), so `a.b` and `a_b` offered together stay distinct.
 */
export class ToolNameMap {
  private readonly toApiNames = new Map<string, string>();
  private readonly fromApiNames = new Map<string, string>();

  /** Builds the map for these names (tool definitions first, then names seen in the transcript). */
  constructor(names: Iterable<string>) {
    const unique = [...new Set(names)];
    // Valid names claim themselves first, so a renamed name can never take a real tool's name.
    for (const name of unique.filter(isApiToolName)) this.bind(name, name);
    for (const name of unique.filter((n) => !isApiToolName(n))) {
      const base = sanitize(name);
      let candidate = base;
      for (let n = 2; this.fromApiNames.has(candidate); n++) {
        const suffix = `_${n}`;
        candidate = base.slice(0, MAX_LENGTH - suffix.length) + suffix;
      }
      this.bind(name, candidate);
    }
  }

  private bind(name: string, apiName: string): void {
    this.toApiNames.set(name, apiName);
    this.fromApiNames.set(apiName, name);
  }

  /** The API name of a qualified tool name (names outside the map are sanitized on the fly). */
  toApi(name: string): string {
    return this.toApiNames.get(name) ?? sanitize(name);
  }

  /** The qualified name behind an API name; a name the model made up comes back unchanged. */
  fromApi(apiName: string): string {
    return this.fromApiNames.get(apiName) ?? apiName;
  }
}
