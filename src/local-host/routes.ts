/**
 * Route templates as the Functions host understands them: literal segments, `{name}`,
 * optional `{name?}`, catch-all `{*rest}`, and simple constraints (`{id:int}`, `{id:guid}`,
 * `{id:alpha}`, `{flag:bool}`). Matching is case-insensitive on literals, like ASP.NET routing;
 * values are decoded except `%2F`, as there.
 */
export interface CompiledRoute {
  template: string;
  match(path: string): Record<string, string> | undefined;
  /** Literal segments first, then constrained, then plain parameters, catch-alls last. */
  specificity: number[];
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; optional: boolean; constraint?: string }
  | { kind: 'catchAll'; name: string };

const constraints: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
  double: /^-?\d+(\.\d+)?$/,
  float: /^-?\d+(\.\d+)?$/,
  decimal: /^-?\d+(\.\d+)?$/,
};

function parseSegment(raw: string, template: string): Segment {
  const param = /^\{(\*)?([A-Za-z_][\w]*)(?::([a-z]+))?(\?)?\}$/.exec(raw);
  if (!param) {
    if (raw.includes('{') || raw.includes('}')) {
      throw new Error(`Unsupported route segment "${raw}" in route "${template}".`);
    }
    return { kind: 'literal', value: raw.toLowerCase() };
  }
  const [, star, name, constraint, optional] = param;
  if (star) return { kind: 'catchAll', name: name };
  if (constraint && !constraints[constraint]) {
    throw new Error(`Unsupported route constraint "${constraint}" in route "${template}".`);
  }
  return { kind: 'param', name: name, optional: Boolean(optional), ...(constraint ? { constraint } : {}) };
}

export function compileRoute(template: string): CompiledRoute {
  const segments = template
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => parseSegment(part, template));

  const specificity = segments.map((segment) =>
    segment.kind === 'literal' ? 4 : segment.kind === 'param' ? (segment.constraint ? 3 : 2) : 1,
  );

  function match(path: string): Record<string, string> | undefined {
    const parts = path
      .split('/')
      .filter((part) => part.length > 0)
      .map(safeDecode);
    // A segment that is not valid percent-encoding matches no route.
    if (parts.some((part) => part === undefined)) return undefined;
    return matchDecoded(parts as string[]);
  }

  function matchDecoded(parts: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const part = parts[i];
      if (segment.kind === 'catchAll') {
        const rest = parts.slice(i).join('/');
        if (rest) params[segment.name] = rest;
        return params;
      }
      if (part === undefined) {
        // Only trailing optional parameters may be absent.
        const remainingOptional = segments
          .slice(i)
          .every((s) => (s.kind === 'param' && s.optional) || s.kind === 'catchAll');
        return remainingOptional ? params : undefined;
      }
      if (segment.kind === 'literal') {
        if (part.toLowerCase() !== segment.value) return undefined;
        continue;
      }
      if (segment.constraint && !constraints[segment.constraint].test(part)) return undefined;
      params[segment.name] = part;
    }
    return parts.length === segments.length ? params : undefined;
  }

  return { template, match, specificity };
}

/**
 * Decodes a path segment as the Functions host (ASP.NET Core) does: every escape except `%2F`,
 * which stays encoded, so a route value never spans segments. Without this, `..%2Finstances%2F…`
 * in `{orchestratorName}` becomes a path that a client resolves into another endpoint.
 */
function safeDecode(part: string): string | undefined {
  try {
    return part
      .split(/(%2f)/i)
      .map((piece, i) => (i % 2 === 1 ? piece : decodeURIComponent(piece)))
      .join('');
  } catch {
    return undefined;
  }
}

/** Orders routes the way the host tries them: more specific templates first. */
export function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.specificity.length, b.specificity.length);
  for (let i = 0; i < length; i++) {
    const difference = (b.specificity[i] ?? 0) - (a.specificity[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
