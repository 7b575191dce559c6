/**
 * `npm run chaos`: the full chaos run (≥ 200 booking runs across ≥ 10 callers, ≥ 10 SIGKILLs,
 * MCP and model faults, the duplicate-request and graceful-stop checks); prints the report and
 * exits 1 when a promise was broken. Sizes can be changed with CHAOS_CALLERS, CHAOS_RUNS_PER_CALLER,
 * CHAOS_CONCURRENCY, CHAOS_MIN_KILLS, CHAOS_SEED, CHAOS_TIME_LIMIT_S. `--short` is CI's run
 * (`npm run chaos:short`). See docs/reliability.md.
 */
import { fullChaos, shortChaos } from './presets';
import { runChaos } from './scenario';

async function main(): Promise<void> {
  const env = process.env;
  const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  const log = (line: string) =>
    process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const seed = number('CHAOS_SEED', Date.now() % 100_000);
  const options = process.argv.includes('--short')
    ? shortChaos(log, number('CHAOS_SEED', 1234))
    : fullChaos({
        callers: number('CHAOS_CALLERS', 12),
        runsPerCaller: number('CHAOS_RUNS_PER_CALLER', 17),
        concurrency: number('CHAOS_CONCURRENCY', 2),
        minKills: number('CHAOS_MIN_KILLS', 10),
        seed,
        timeLimitMs: number('CHAOS_TIME_LIMIT_S', 1_800) * 1000,
        log,
      });
  process.stderr.write(
    `chaos seed ${options.seed} (CHAOS_SEED=${options.seed} repeats the fault decisions)\n`,
  );
  const outcome = await runChaos(options);
  process.stdout.write(`\n${outcome.report}\n\n`);
  process.stdout.write(`${JSON.stringify({ seed: options.seed, ...outcome.figures })}\n`);
  if (outcome.violations.length > 0) {
    process.stdout.write(`\nBROKEN:\n${outcome.violations.map((v) => `  - ${v}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      '\nHELD: nothing lost, stuck, duplicated, booked without approval or off its quote; no 500.\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(2);
});
