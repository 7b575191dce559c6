/**
 * The understanding evaluation on the offline model, as `npm run eval` runs it: both labelled
 * sets through the router agent and the recognizers. A regression below 95 % on any field fails
 * here, so it fails CI.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OfflineModel } from '../../../../src/models';
import { readLabelledSet } from '../../../../src/travel/evaluation/labels';
import { runEvaluation } from '../../../../src/travel/evaluation/run';
import { FIELDS } from '../../../../src/travel/evaluation/score';
import { TRAVEL_OFFLINE_POLICIES } from '../../../../src/travel/offline/policies';

const TARGET = 0.95;
const root = resolve(__dirname, '../../../..');

describe('the understanding evaluation (offline model)', () => {
  const model = new OfflineModel(TRAVEL_OFFLINE_POLICIES);

  it.each(['eval/requests.jsonl', 'eval/holdout.jsonl'])(
    '%s meets the target on every field',
    async (path) => {
      const lines = readLabelledSet(resolve(root, path));
      const report = await runEvaluation(model, lines);
      const misses = report.results
        .filter((r) => Object.values(r.score.fields).some((right) => !right))
        .map((r) => `${r.score.id} ${JSON.stringify(r.score.got)}`);
      for (const field of FIELDS) {
        expect(
          report.summary.fields[field].accuracy,
          `${field}; misses:\n${misses.join('\n')}`,
        ).toBeGreaterThanOrEqual(TARGET);
      }
      expect(report.results.every((r) => r.invalidAnswer === undefined)).toBe(true);
    },
    120_000,
  );

  it('has a set of at least 200 requests in at least 8 languages', () => {
    const lines = readLabelledSet(resolve(root, 'eval/requests.jsonl'));
    expect(lines.length).toBeGreaterThanOrEqual(200);
    expect(new Set(lines.map((line) => line.lang)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(lines.map((line) => line.id)).size).toBe(lines.length);
  });
});
