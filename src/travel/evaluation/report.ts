/**
 * The evaluation's figures as a terminal table, as Markdown for docs/evaluation.md, and the block
 * of that page they replace (one block per model, between markers), all pure.
 */
import { FIELDS, type Field } from './score';
import type { EvalReport } from './run';

const LABELS: Record<Field, string> = {
  route: 'route',
  origin: 'origin',
  destinations: 'destination(s)',
  dates: 'dates',
  nights: 'nights',
  party: 'party',
  rooms: 'rooms',
  budget: 'budget and currency',
};

const percent = (accuracy: number) => `${(accuracy * 100).toFixed(1)}%`;

export interface SetReport {
  name: string;
  report: EvalReport;
}

/** One row per field, one column per set. */
export function tableText(sets: readonly SetReport[]): string {
  const head = ['field', ...sets.map((set) => `${set.name} (${set.report.summary.lines})`)];
  const rows = FIELDS.map((field) => [
    LABELS[field],
    ...sets.map(({ report }) => {
      const figure = report.summary.fields[field];
      return `${percent(figure.accuracy)}  ${figure.correct}/${figure.total}`;
    }),
  ]);
  rows.push([
    'all fields right',
    ...sets.map(({ report }) => `${report.summary.allRight}/${report.summary.lines}`),
  ]);
  const widths = head.map((_, k) => Math.max(...[head, ...rows].map((row) => row[k].length)));
  const line = (row: string[]) => row.map((cell, k) => cell.padEnd(widths[k])).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The misses, one line each: what was wrong and what was read. */
export function missesText(sets: readonly SetReport[]): string {
  const lines: string[] = [];
  for (const { name, report } of sets) {
    for (const result of report.results) {
      const wrong = Object.entries(result.score.fields)
        .filter(([, right]) => !right)
        .map(([field]) => field);
      if (wrong.length === 0 && !result.invalidAnswer) continue;
      lines.push(
        `${name} ${result.score.id}: ${wrong.join(', ') || 'ok'}${result.invalidAnswer ? ` (invalid answer: ${result.invalidAnswer})` : ''} — read ${JSON.stringify(result.score.got)}`,
      );
    }
  }
  return lines.join('\n');
}

export interface RunContext {
  date: string;
  machine: string;
}

/** The Markdown block with the figures of one model. */
export function figuresMarkdown(sets: readonly SetReport[], context: RunContext): string {
  const model = sets[0]?.report.model;
  const out = [
    `Model: \`${model?.provider}\` / \`${model?.model}\` — run ${context.date} on ${context.machine}.`,
    '',
    `| field | ${sets.map((set) => `${set.name} (${set.report.summary.lines} requests)`).join(' | ')} |`,
    `| --- | ${sets.map(() => '---').join(' | ')} |`,
    ...FIELDS.map(
      (field) =>
        `| ${LABELS[field]} | ${sets
          .map(
            ({ report }) =>
              `${percent(report.summary.fields[field].accuracy)} (${report.summary.fields[field].correct}/${report.summary.fields[field].total})`,
          )
          .join(' | ')} |`,
    ),
    `| all fields right | ${sets.map(({ report }) => `${report.summary.allRight}/${report.summary.lines}`).join(' | ')} |`,
    '',
    `Time: ${sets.map(({ name, report }) => `${name} ${(report.elapsedMs / 1000).toFixed(1)} s`).join(', ')}.`,
  ];
  return out.join('\n');
}

/** `page` with the block for this model replaced (or added before the end marker of the figures section). */
export function withFigures(page: string, modelKey: string, block: string): string {
  const start = `<!-- eval:figures ${modelKey} -->`;
  const end = `<!-- /eval:figures ${modelKey} -->`;
  const wrapped = `${start}\n${block}\n${end}`;
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from >= 0 && to > from) return page.slice(0, from) + wrapped + page.slice(to + end.length);
  const anchor = '<!-- eval:figures-end -->';
  const at = page.indexOf(anchor);
  return at >= 0
    ? `${page.slice(0, at)}${wrapped}\n\n${page.slice(at)}`
    : `${page.trimEnd()}\n\n${wrapped}\n`;
}
