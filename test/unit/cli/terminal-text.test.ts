/**
 * Model and tool text reaches the trip CLI's terminal only without escape sequences or control
 * characters: a title change, an OSC 8 link that hides its target, a cursor move that overwrites
 * the quote, a bell.
 */
import { describe, expect, it } from 'vitest';
import { terminalLine, terminalSafe, terminalText } from '../../../src/cli/terminal-text';
import { budgetMeters, printableRun, quoteText, resultText, stepLine } from '../../../src/cli/trip-format';
import type { RunResource } from '../../../src/travel/api/run-resource';
import {
  BELL,
  C1_CSI,
  C1_LINK,
  hostileRun,
  LINK,
  OVERWRITE,
  TITLE,
  TITLE_ST,
} from '../../fakes/hostile-text';

/** Control characters a terminal acts on: every C0 but tab and line feed, DEL, every C1. */
// eslint-disable-next-line no-control-regex -- the characters this test looks for
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('terminalText', () => {
  it('removes title changes (BEL or ST terminated) whole', () => {
    expect(terminalText(`Lisbon${TITLE} trip${TITLE_ST}`)).toBe('Lisbon trip');
  });

  it('keeps the text of an OSC 8 link and drops its hidden target', () => {
    expect(terminalText(`See ${LINK}.`)).toBe('See Official booking page.');
    expect(terminalText(C1_LINK)).toBe('click');
  });

  it('removes cursor moves, erases, colours, carriage returns, bells and C1 controls', () => {
    expect(terminalText(OVERWRITE)).toBe('total 10 USDtotal 1 USD');
    expect(terminalText(C1_CSI)).toBe('cleared');
    expect(terminalText(BELL)).toBe('ding');
    expect(terminalText('\x00a\x01b\x85c\x1fd\x1b')).toBe('abcd');
  });

  it('swallows an unterminated control string, as a terminal would', () => {
    expect(terminalText('safe\x1b]0;title without end')).toBe('safe');
  });

  it('keeps line breaks and tabs in multi-line text, and everything printable', () => {
    expect(terminalText('Day 1\tArrive\nDay 2 — Perito Moreno · 12 °C · €400 · 東京')).toBe(
      'Day 1\tArrive\nDay 2 — Perito Moreno · 12 °C · €400 · 東京',
    );
  });

  it('turns line breaks and tabs into spaces for one-line text', () => {
    expect(terminalLine('Arrive\n✓ book flight — confirmed\tok')).toBe('Arrive ✓ book flight — confirmed ok');
  });
});

describe('terminalSafe', () => {
  it('cleans every string of a JSON value, keys included, keeping layout only where asked', () => {
    const cleaned = terminalSafe(
      { a: [`x${TITLE}\ny`], b: { c: `p\nq${LINK}` }, [`k${BELL}`]: 1, n: null, t: true },
      new Set(['b.c']),
    );
    expect(cleaned).toEqual({
      a: ['x y'],
      b: { c: 'p\nqOfficial booking page' },
      kding: 1,
      n: null,
      t: true,
    });
  });
});

/** What the CLI prints for a run: its steps, meters, question, quote, result and error. */
function printed(run: RunResource): string {
  return [
    ...run.progress.steps.map(stepLine),
    budgetMeters(run),
    run.needsInput?.question ?? '',
    ...(run.needsInput?.fields ?? []).map((field) => `${field.path}: ${field.issue}`),
    quoteText(run.quote!),
    resultText(run),
    `${run.error?.code}: ${run.error?.message}`,
    JSON.stringify(run, null, 2),
  ].join('\n');
}

describe('the trip CLI prints model and tool text safely', () => {
  it('has the hostile text to clean (the fixture is not vacuous)', () => {
    expect(printed(hostileRun())).toMatch(ACTIVE);
  });

  it('prints no escape sequence or control character from any field', () => {
    const text = printed(printableRun(hostileRun()));
    expect(text).not.toMatch(ACTIVE);
    expect(text).toContain('SEA → NRT Official booking page');
    expect(text).not.toContain('evil.example');
  });

  it('keeps line breaks only where they are layout', () => {
    const run = printableRun(hostileRun());
    expect(run.result?.itinerary?.summary).toBe('Four days in Patagonia.\nHike every day.');
    expect(run.needsInput?.question).toBe('When do you leave?\nAnd when do you return?');
    // A title cannot forge a line of its own (a fake "✓ book" step).
    expect(resultText(run).split('\n')).toContain(
      '2027-03-10  Arrive ✓ book payment — confirmedtotal 10 USDtotal 1 USD  (sunnyclick)',
    );
  });
});
