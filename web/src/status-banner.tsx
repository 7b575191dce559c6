/**
 * The live banner while a run works: what it is doing in one sentence, how long it has taken,
 * and a card per specialist going from waiting to working to done. The sentence is a polite live
 * region (it changes a few times a run); the ticking clock is not, so screen readers are not
 * flooded.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { clock } from './format';
import { elapsedMs, phaseOf, specialistCards } from './trip';

const ICONS = { waiting: '○', working: '', done: '✓', failed: '!' } as const;

export function StatusBanner({ run, now }: { run: RunResource; now: number }) {
  const cards = specialistCards(run, now);
  const waiting = run.status === 'needs_input' || run.status === 'awaiting_approval';
  const started = cards.some((c) => c.state !== 'waiting');
  return (
    <section class={`banner card${waiting ? ' paused' : ''}`} aria-labelledby="banner-title">
      <div class="banner-head">
        <h2 id="banner-title" class="banner-phase" aria-live="polite">
          {waiting ? null : <span class="spinner" aria-hidden="true" />}
          {phaseOf(run)}
        </h2>
        {waiting ? null : (
          <p class="elapsed">
            <span class="visually-hidden">Time so far: </span>
            <time>{clock(elapsedMs(run, now))}</time>
          </p>
        )}
      </div>
      {started || run.status === 'running' ? (
        <ul class="specialists" aria-label="What each planner is doing">
          {cards.map((card) => (
            <li key={card.agent} class={`specialist state-${card.state}`} data-agent={card.agent}>
              <span class="specialist-icon" aria-hidden="true">
                {card.state === 'working' ? <span class="spinner" /> : ICONS[card.state]}
              </span>
              <span class="specialist-label">{card.label}</span>
              <span class="specialist-text">{card.text}</span>
              {card.elapsedMs !== undefined ? (
                <span class="specialist-time">{clock(card.elapsedMs)}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
