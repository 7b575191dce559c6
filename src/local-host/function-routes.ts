/** The app's HTTP trigger routes: built from its functions' metadata, matched as the Functions host does. */
import type { LoadedApp, LoadedFunction } from './app-loader';
import { HttpError } from './host-errors';
import { compareSpecificity, compileRoute, type CompiledRoute } from './routes';

export interface HttpRoute {
  fn: LoadedFunction;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
}

export function buildHttpRoutes(app: LoadedApp): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of app.functions.values()) {
    if (fn.kind !== 'http') continue;
    const trigger = fn.metadata.bindings[fn.triggerName];
    const template = typeof trigger.route === 'string' && trigger.route.length > 0 ? trigger.route : fn.name;
    const methods = Array.isArray(trigger.methods) ? (trigger.methods as string[]) : ['GET', 'POST'];
    routes.push({
      fn,
      route: compileRoute(template),
      methods: new Set(methods.map((m) => m.toUpperCase())),
      authLevel: typeof trigger.authLevel === 'string' ? trigger.authLevel.toLowerCase() : 'anonymous',
    });
  }
  return routes.sort((a, b) => compareSpecificity(a.route, b.route));
}

/**
 * The route serving `method` on `relativePath` (the path after the route prefix), the most
 * specific first; 405 with Allow when only other methods match, else 404.
 */
export function matchFunctionRoute(
  routes: readonly HttpRoute[],
  method: string,
  relativePath: string,
  path: string,
): { route: HttpRoute; params: Record<string, string> } {
  const allowed = new Set<string>();
  for (const candidate of routes) {
    const params = candidate.route.match(relativePath);
    if (!params) continue;
    if (!candidate.methods.has(method)) {
      for (const m of candidate.methods) allowed.add(m);
      continue;
    }
    return { route: candidate, params };
  }
  if (allowed.size > 0) {
    throw new HttpError(
      405,
      'method_not_allowed',
      `${method} is not allowed here; use ${[...allowed].join(', ')}.`,
      { Allow: [...allowed].join(', ') },
    );
  }
  throw new HttpError(404, 'not_found', `No function serves ${path}.`);
}
