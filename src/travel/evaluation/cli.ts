/**
 * `npm run eval`: the understanding evaluation. Runs the labelled sets (eval/requests.jsonl, the
 * set the code was developed against, and eval/holdout.jsonl, written after it) through the router
 * agent — the offline model by default, or the model the settings name (MODEL_PROVIDER=openai,
 * azure-openai or openai-compatible with MODEL_BASE_URL …, see local.settings.sample.json) — and
 * prints per-field accuracy as a table (or JSON with --json), writes the figures into
 * docs/evaluation.md (--no-docs to skip), and exits 1 when a field is below --min (default 0.95).
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createModelProvider, loadModelSettings } from '../../models';
import { TRAVEL_OFFLINE_POLICIES } from '../offline/policies';
import { readLabelledSet } from './labels';
import { figuresMarkdown, missesText, tableText, withFigures, type SetReport } from './report';
import { runEvaluation } from './run';
import { runPlans, type PlansReport } from './plans';
import { FIELDS } from './score';

const root = resolve(__dirname, '../../../..');

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      docs: { type: 'string' },
      'no-docs': { type: 'boolean' },
      min: { type: 'string' },
      concurrency: { type: 'string' },
      misses: { type: 'boolean' },
      plans: { type: 'boolean' },
      'plans-limit': { type: 'string' },
    },
  });
  const sets = values.set ?? ['eval/requests.jsonl', 'eval/holdout.jsonl'];
  const settings = loadModelSettings();
  const model = createModelProvider(settings, { offlinePolicies: TRAVEL_OFFLINE_POLICIES });
  const concurrency = Number(values.concurrency ?? (settings.provider === 'offline' ? 1 : 4));
  const reports: SetReport[] = [];
  for (const path of sets) {
    const lines = readLabelledSet(resolve(root, path));
    reports.push({
      name: path.replace(/^.*\//, '').replace(/\.jsonl$/, ''),
      report: await runEvaluation(model, lines, { concurrency }),
    });
  }
  if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    process.stdout.write(`${tableText(reports)}\n`);
    const misses = missesText(reports);
    if (misses && values.misses) process.stdout.write(`\n${misses}\n`);
  }
  if (!values['no-docs']) {
    const page = resolve(root, values.docs ?? 'docs/evaluation.md');
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`;
    const block = figuresMarkdown(reports, { date: new Date().toISOString().slice(0, 10), machine });
    const updated = withFigures(readFileSync(page, 'utf8'), `${model.provider}/${model.model}`, block);
    writeFileSync(page, await formatted(updated, page));
  }
  if (values.plans) {
    const lines = readLabelledSet(resolve(root, sets[0]));
    const plans = await runPlans(root, lines, Number(values['plans-limit'] ?? Infinity));
    process.stdout.write(`\n${plansText(plans)}\n`);
    if (!values['no-docs']) {
      const page = resolve(root, values.docs ?? 'docs/evaluation.md');
      const block = `Plan invariants, ${plans.plans.length} full-trip requests of ${sets[0]} — run ${new Date().toISOString().slice(0, 10)}:\n\n${plansMarkdown(plans)}`;
      writeFileSync(
        page,
        await formatted(
          withFigures(readFileSync(page, 'utf8'), `plans ${model.provider}/${model.model}`, block),
          page,
        ),
      );
    }
  }
  const min = Number(values.min ?? 0.95);
  const below = reports.flatMap(({ name, report }) =>
    FIELDS.filter((field) => report.summary.fields[field].accuracy < min).map((field) => `${name}: ${field}`),
  );
  if (below.length > 0) {
    process.stderr.write(`Below ${min * 100}%: ${below.join(', ')}\n`);
    return 1;
  }
  return 0;
}

function plansText(report: PlansReport): string {
  const broken = report.plans.flatMap((plan) =>
    Object.entries(plan.invariants)
      .filter(([, result]) => !result.ok)
      .map(([name, result]) => `  ${plan.id} (${plan.status}): ${name}: ${result.why ?? ''}`),
  );
  const rows = Object.entries(report.figures).map(([name, f]) => `${name.padEnd(24)} ${f.held}/${f.total}`);
  return [
    'invariant                held/runs',
    ...rows,
    ...(broken.length ? ['broken:', ...broken] : []),
  ].join('\n');
}

function plansMarkdown(report: PlansReport): string {
  return [
    '| invariant | held |',
    '| --- | --- |',
    ...Object.entries(report.figures).map(([name, f]) => `| ${name} | ${f.held}/${f.total} |`),
  ].join('\n');
}

/** The page as the repository's formatter writes it (prettier is a development tool: skipped without it). */
async function formatted(text: string, path: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...options, filepath: path });
  } catch {
    return text;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
