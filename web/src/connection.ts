/**
 * Whether the host answers, shared by every view: the API layer reports each outcome, the
 * "reconnecting" banner and the pollers listen. Pure state and listeners; no DOM.
 */
type Listener = (reachable: boolean) => void;

let reachable = true;
const listeners = new Set<Listener>();

export function reportReachable(now: boolean): void {
  if (now === reachable) return;
  reachable = now;
  for (const listener of listeners) listener(now);
}

export function isReachable(): boolean {
  return reachable;
}

export function onReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The wait before the next poll: steady while things work, doubling (to 30 s) while they fail. */
export function pollDelay(options: { failures: number; waitingForPerson: boolean }): number {
  if (options.failures > 0) return Math.min(1000 * 2 ** (options.failures - 1), 30_000);
  return options.waitingForPerson ? 2500 : 1000;
}
