/** "Reconnecting…": shown while the host does not answer, gone when it does again. */
import { useReachable } from './hooks';

export function ConnectionBanner() {
  const reachable = useReachable();
  return (
    <div class="connection" role="status" aria-live="polite">
      {reachable ? null : (
        <p class="connection-lost">
          <span class="spinner" aria-hidden="true" />
          <strong>Reconnecting…</strong> Waypoint is not answering right now. Your trip is safe: this page
          will catch up as soon as it is back.
        </p>
      )}
    </div>
  );
}
