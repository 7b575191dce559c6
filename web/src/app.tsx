/**
 * The app shell: a hash router over three pages, the site header, and the banner that says when
 * the host cannot be reached. Routes:
 *
 *   #/                         plan a trip (`?from={id}` starts from an earlier run's request,
 *                              `&raise=1` with a higher budget suggested)
 *   #/runs?status=s            your trips
 *   #/runs/{id}                one trip, live
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { PlanPage } from './plan-page';
import { RunPage } from './run-page';
import { RunsPage } from './runs-page';
import { ConnectionBanner } from './connection-banner';

interface Route {
  page: 'plan' | 'runs' | 'run';
  id?: string;
  query: URLSearchParams;
}

function parseRoute(hash: string): Route {
  const [path, query = ''] = (hash.replace(/^#/, '') || '/').split('?');
  const params = new URLSearchParams(query);
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { page: 'run', id: decodeURIComponent(run[1]), query: params };
  if (path === '/runs') return { page: 'runs', query: params };
  return { page: 'plan', query: params };
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

export function App() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  const first = useRef(true);
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const key = `${route.page}:${route.id ?? ''}:${route.page === 'plan' ? route.query.toString() : ''}`;
  // A new page: focus its heading, as a page load would for a screen reader (not on first load).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }, [key]);
  const section = route.page === 'plan' ? 'plan' : 'runs';
  return (
    <>
      <a class="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true" />
          Waypoint
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href="#/" aria-current={section === 'plan' ? 'page' : undefined}>
                Plan a trip
              </a>
            </li>
            <li>
              <a href="#/runs" aria-current={section === 'runs' ? 'page' : undefined}>
                Your trips
              </a>
            </li>
          </ul>
        </nav>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {route.page === 'run' ? (
          <RunPage key={key} id={route.id!} />
        ) : route.page === 'runs' ? (
          <RunsPage key="runs" filter={route.query.get('status') ?? ''} />
        ) : (
          <PlanPage
            key={key}
            from={route.query.get('from') ?? undefined}
            raise={route.query.get('raise') === '1'}
          />
        )}
      </main>
    </>
  );
}

/** The skip link moves focus without changing the hash (the router owns the hash). */
function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
