/**
 * Hooks shared by the views: the page's visibility, a ticking clock, the host's reachability, and
 * a poller that keeps one value fresh — paused while the tab is hidden, backing off while the host
 * does not answer, stopped when `done` says so.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { asProblem, type ApiProblem } from './api';
import { isReachable, onReachability, pollDelay } from './connection';

export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/** The current time, updated every `everyMs` while `active` (and the page is visible). */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  const visible = usePageVisible();
  useEffect(() => {
    if (!active || !visible) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, visible, everyMs]);
  return now;
}

export function useReachable(): boolean {
  const [reachable, setReachable] = useState(isReachable);
  useEffect(() => onReachability(setReachable), []);
  return reachable;
}

export interface Polled<T> {
  value?: T;
  problem?: ApiProblem;
  /** Consecutive failures (for the backoff and the banner's countdown). */
  failures: number;
  /** When the next attempt is due (ms since epoch), while one is scheduled. */
  nextAt?: number;
  /** Fetch now (after an action, or "Try now"). */
  refresh: () => void;
}

/**
 * Polls `load` until `done(value)`; `waiting(value)` slows it while a person is awaited. A
 * problem that is not about reaching the host (a 404) stops polling: it will not pass by itself.
 */
export function usePoll<T>(
  key: string,
  load: () => Promise<T>,
  options: { done: (value: T) => boolean; waiting?: (value: T) => boolean },
): Polled<T> {
  // The key the state belongs to: a value loaded for another key is never shown, not even for the
  // frame between a new key's render and the effect that starts it over.
  const [state, setState] = useState<{
    key: string;
    value?: T;
    problem?: ApiProblem;
    failures: number;
    nextAt?: number;
  }>({ key, failures: 0 });
  const visible = usePageVisible();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const generation = useRef(0);
  const latest = useRef({ key, load, options, visible, state });
  latest.current = { key, load, options, visible, state };

  const run = useCallback(() => {
    clearTimeout(timer.current);
    const mine = generation.current;
    const forKey = latest.current.key;
    latest.current
      .load()
      .then((value) => {
        if (mine !== generation.current) return;
        const { options: o } = latest.current;
        const finished = o.done(value);
        const delay = pollDelay({ failures: 0, waitingForPerson: o.waiting?.(value) ?? false });
        setState({ key: forKey, value, failures: 0, ...(finished ? {} : { nextAt: Date.now() + delay }) });
        if (!finished && latest.current.visible) timer.current = setTimeout(run, delay);
      })
      .catch((error: unknown) => {
        if (mine !== generation.current) return;
        const problem = asProblem(error);
        const failures = latest.current.state.failures + 1;
        const retry = problem.unreachable || problem.status >= 500;
        const delay = pollDelay({ failures, waitingForPerson: false });
        setState((s) => ({ ...s, problem, failures, ...(retry ? { nextAt: Date.now() + delay } : {}) }));
        if (retry && latest.current.visible) timer.current = setTimeout(run, delay);
      });
  }, []);

  // A new key starts over; leaving stops.
  useEffect(() => {
    generation.current += 1;
    setState({ key, failures: 0 });
    run();
    return () => {
      generation.current += 1;
      clearTimeout(timer.current);
    };
  }, [key, run]);

  // Hidden: stop. Visible again: fetch at once if polling was still going.
  useEffect(() => {
    if (!visible) {
      clearTimeout(timer.current);
      return;
    }
    const { value, problem } = latest.current.state;
    const stopped = value !== undefined && latest.current.options.done(value) && !problem;
    if (!stopped && (value !== undefined || problem)) run();
  }, [visible, run]);

  const { key: _stateKey, ...current } = state.key === key ? state : { key, failures: 0 };
  return { ...current, refresh: () => run() };
}
