/** Scoring against labels, and the page block the figures go in. */
import { beforeAll, describe, expect, it } from 'vitest';
import { labelledRequestSchema } from '../../../../src/travel/evaluation/labels';
import { withFigures } from '../../../../src/travel/evaluation/report';
import { placeMatches, scoreLine, summarize } from '../../../../src/travel/evaluation/score';
import { understand } from '../../../../src/travel/understanding';

const line = labelledRequestSchema.parse({
  id: 't-1',
  lang: 'en',
  tags: [],
  request: 'Plan a trip from Portland, Maine to Chicago, 2-6 August 2027, for two, $3000',
  expect: {
    route: 'full_trip',
    origin: 'Portland, US-ME',
    destinations: ['Chicago, US'],
    startDate: '2027-08-02',
    endDate: '2027-08-06',
    nights: 4,
    party: [2, 0, 0],
    rooms: 1,
    budget: [3000, 'USD'],
  },
});

describe('scoring', () => {
  // The gazetteer and the town index load once per process: seconds on a busy machine.
  beforeAll(() => void understand('Zermatt from London', '2026-11-29'), 120_000);

  it('scores every field of a line read right', () => {
    const score = scoreLine(line, understand(line.request, '2026-11-29'));
    expect(Object.values(score.fields)).toHaveLength(8);
    expect(Object.values(score.fields).every(Boolean)).toBe(true);
  });

  it('counts an invented fact as wrong: a field the label leaves out must be absent', () => {
    const loose = { ...line, expect: { ...line.expect, budget: undefined } };
    expect(scoreLine(loose, understand(line.request, '2026-11-29')).fields.budget).toBe(false);
  });

  it('tells homonyms apart by state, and accepts a place by any of its names', () => {
    const portland = understand(line.request, '2026-11-29').facts.origin;
    expect(placeMatches('Portland, US-ME', portland)).toBe(true);
    expect(placeMatches('Portland, US-OR', portland)).toBe(false);
    const munich = understand('Von München nach Wien, 3.–5. März 2027', '2026-11-29').facts.origin;
    expect(placeMatches('Munich, DE', munich)).toBe(true);
    expect(placeMatches('München, DE', munich)).toBe(true);
  });

  it('summarizes per field, leaving out fields that do not apply', () => {
    const out = scoreLine(
      { ...line, id: 't-2', request: 'Write a poem', expect: { route: 'out_of_scope' } },
      understand('Write a poem', '2026-11-29'),
    );
    const summary = summarize([scoreLine(line, understand(line.request, '2026-11-29')), out]);
    expect(summary.fields.route).toEqual({ correct: 2, total: 2, accuracy: 1 });
    expect(summary.fields.origin.total).toBe(1);
    expect(summary.allRight).toBe(2);
  });

  it('replaces the block of one model on the page, and adds a new one before the end marker', () => {
    const page = 'intro\n<!-- eval:figures-end -->\nrest\n';
    const once = withFigures(page, 'offline/m1', 'first');
    expect(once).toContain('<!-- eval:figures offline/m1 -->\nfirst\n<!-- /eval:figures offline/m1 -->');
    const twice = withFigures(once, 'offline/m1', 'second');
    expect(twice).not.toContain('first');
    expect(twice.indexOf('second')).toBeLessThan(twice.indexOf('<!-- eval:figures-end -->'));
    expect(withFigures(twice, 'openai/gpt', 'other')).toContain('second');
  });
});
