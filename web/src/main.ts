/**
 * The Waypoint web UI: a hash-routed single page over the trips API.
 *
 *   #/                 plan a trip
 *   #/runs?status=s    the runs list, filtered
 *   #/runs/{id}        one run, live
 */
import { replace } from './dom';
import { planView } from './plan-view';
import { runView, type RunViewHandle } from './run-view';
import { runsView } from './runs-view';

let active: RunViewHandle | undefined;
/** The control to keep focus on across a re-render it caused (the runs filter), else the heading gets it. */
let keepFocusOn: string | undefined;

function route(): void {
  const main = document.getElementById('main');
  if (!main) return;
  active?.dispose();
  active = undefined;
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const runMatch = /^\/runs\/([^/]+)$/.exec(path);
  let section: 'plan' | 'runs';
  if (runMatch) {
    active = runView(decodeURIComponent(runMatch[1]));
    replace(main, active.element);
    section = 'runs';
    document.title = 'Trip run · Waypoint';
  } else if (path === '/runs') {
    const filter = new URLSearchParams(query).get('status') ?? '';
    replace(
      main,
      runsView(filter, (next) => {
        keepFocusOn = 'runs-filter';
        window.location.hash = next ? `#/runs?status=${next}` : '#/runs';
      }),
    );
    section = 'runs';
    document.title = 'Runs · Waypoint';
  } else {
    replace(
      main,
      planView((id) => (window.location.hash = `#/runs/${encodeURIComponent(id)}`)),
    );
    section = 'plan';
    document.title = 'Plan a trip · Waypoint';
  }
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // Move focus to the new view's heading, as a page load would for a screen reader.
  const kept = keepFocusOn ? document.getElementById(keepFocusOn) : null;
  keepFocusOn = undefined;
  const heading = main.querySelector<HTMLElement>('h1');
  if (kept) {
    kept.focus();
  } else if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', route);
route();
