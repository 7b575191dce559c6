/**
 * Every state of the web UI, reached deterministically with a scripted model (the travel agents'
 * offline policies, with a fault or a delay where a state needs one) on the real local host, then
 * opened in Chromium light and dark, on a desktop (1440×900) and a phone (390×844): axe-core finds
 * no violation in any of them, no page reports a CSP violation or a console error, and each is
 * kept as a screenshot. The ends that need a way forward have one: a failure (plain words, the
 * detail behind a disclosure, Try again), a budget breach (what was found, Raise the budget), an
 * unknown run, and the host going down and coming back ("Reconnecting…", then the page catches up).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turn } from '../../src/models/scripted-model';
import { startAppHost, type AppHost } from '../support/app-host';
import { repoRoot, startHost } from '../support/local-host';
import {
  api,
  booking,
  axe,
  DESKTOP,
  launchChromium,
  newFindings,
  openPage,
  PHONE,
  scriptedModel,
  shot,
  slow,
  TRIP,
  type AxeViolation,
} from './web-ui-support';

let app: AppHost;
let browser: Browser;
const findings = newFindings();
/** State name → the hash it is seen at. */
const states = new Map<string, string>();
/** State name → how to tell the page has it on screen. */
const ready = new Map<string, (page: Page) => Promise<unknown>>();
/** The run kept busy for the "working" state (cancelled once it has been looked at). */
let busyRun = '';

const heading = (name: string | RegExp) => (page: Page) =>
  page.getByRole('heading', { name }).first().waitFor({ timeout: 30_000 });

beforeAll(async () => {
  app = await startAppHost({
    TRIP_INPUT_TIMEOUT_MS: '600000',
    TRIP_APPROVAL_TIMEOUT_MS: '600000',
    TRIP_RETRY_MODEL: '{"firstRetryIntervalMs":50,"maxRetryIntervalMs":100,"maxAttempts":2}',
  });
  browser = await launchChromium();
  const trips = api(app);

  scriptedModel(app);
  const question = await trips.start({
    request: 'A hiking trip from Seattle to El Calafate for two, budget $5,000',
  });
  const checkout = await trips.start(booking(TRIP));
  const booked = await trips.start(booking(TRIP));
  const rejected = await trips.start(booking(TRIP));
  const ready_ = await trips.start({ request: TRIP });
  const answer = await trips.start({ request: 'What is the weather in Lisbon from 3 to 6 May 2027?' });
  const overBudget = await trips.start({ request: TRIP.replace('$5,000', '$800') });
  // The run's own spending limit (not the traveller's budget) stops this one.
  const overLimit = await trips.start({ request: TRIP, budgets: { money: 800 } });
  const cancelled = await trips.start({ request: 'A hiking trip from Seattle to El Calafate for two' });
  await trips.waitFor(question, ['needs_input']);
  await trips.waitFor(cancelled, ['needs_input']);
  await trips.cancel(cancelled);
  for (const id of [checkout, booked, rejected]) await trips.waitFor(id, ['awaiting_approval']);
  await trips.approve(booked, true);
  await trips.approve(rejected, false);
  for (const id of [booked, rejected, ready_, answer, overBudget]) await trips.waitFor(id, ['completed']);
  await trips.waitFor(overLimit, ['budget_exceeded']);
  await trips.waitFor(cancelled, ['cancelled']);

  // The flights model keeps failing: retried, then the run stops.
  scriptedModel(app, { flights: [turn.transient(10)] });
  const failed = await trips.start({ request: TRIP });
  await trips.waitFor(failed, ['failed', 'completed']);

  // The flights specialist takes ten minutes: the run stays busy while the pages look at it.
  scriptedModel(app, { flights: slow('flights', 600_000) });
  const working = await trips.start({ request: TRIP });
  await trips.waitFor(working, ['running']);
  busyRun = working;

  const run = (id: string) => `#/runs/${id}`;
  for (const [name, hash, isReady] of [
    ['plan', '#/', heading('Where to next?')],
    ['working', run(working), (page: Page) => page.locator('li.specialist.state-working').first().waitFor()],
    ['question', run(question), heading('A few details to go on')],
    ['checkout', run(checkout), heading('Review and book')],
    ['booked', run(booked), heading('Your trip is booked')],
    ['ready', run(ready_), heading('Your trip plan is ready')],
    ['rejected', run(rejected), heading('You rejected this quote')],
    [
      'answer',
      run(answer),
      // The answer, and the forecast it was read from, day by day.
      async (page: Page) => {
        await heading('Here is your answer')(page);
        await page.locator('table.forecast tbody tr').first().waitFor({ timeout: 30_000 });
      },
    ],
    ['cancelled', run(cancelled), heading('You cancelled this plan')],
    ['failed', run(failed), heading(/We could not finish the search|Something went wrong|Planning stopped/)],
    ['over-budget', run(overBudget), heading('Your trip plan is over your budget')],
    ['over-limit', run(overLimit), heading('This trip costs more than planning may spend')],
    ['not-found', '#/runs/trip-00000000000000000000000000000000', heading('We can’t find that trip')],
    ['runs', '#/runs', (page: Page) => page.locator('tr[data-run-id]').first().waitFor()],
  ] as const) {
    states.set(name, hash);
    ready.set(name, isReady);
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.host.stop();
});

const origin = () => new URL(app.host.url).origin;

async function visit(name: string, options: Parameters<typeof openPage>[3] = {}) {
  const { context, page } = await openPage(browser, origin(), findings, {
    expectErrors: name === 'not-found' ? /status of 404/ : undefined,
    ...options,
  });
  await page.goto(`${app.host.url}/${states.get(name)}`);
  await ready.get(name)!(page);
  return { context, page };
}

function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    )
    .join('\n');
}

describe('every state of the web UI', () => {
  it('has no axe-core violation in light and dark, on a desktop and a phone, and no CSP violation', async () => {
    const problems: string[] = [];
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        // One page per device and scheme, moving from state to state as a traveller would.
        const { context, page } = await openPage(browser, origin(), findings, {
          viewport,
          colorScheme,
          expectErrors: /status of 404/,
        });
        for (const name of states.keys()) {
          await page.goto(`${app.host.url}/${states.get(name)}`);
          await ready.get(name)!(page);
          // The trace too, on the booked trip: its viewer is part of the page.
          if (name === 'booked') {
            await page.locator('details.hood > summary').click();
            await page.getByRole('button', { name: 'Show the trace' }).click();
            await page.getByRole('treegrid').waitFor({ timeout: 30_000 });
            await page.locator('[role="row"].op-execute_tool').first().click();
          }
          const violations = await axe(page);
          if (violations.length)
            problems.push(`${name} ${device} ${colorScheme}:\n${describeViolations(violations)}`);
          await shot(page, `${name}-${device}-${colorScheme}`);
          if (device === 'phone') {
            const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
            if (width > PHONE.width) problems.push(`${name} phone ${colorScheme}: ${width}px wide`);
          }
        }
        await context.close();
      }
    }
    await api(app).cancel(busyRun);
    expect(problems.join('\n\n')).toBe('');
    expect(findings.csp).toEqual([]);
    expect(findings.errors).toEqual([]);
    expect(findings.offHost).toEqual([]);
  }, 600_000);

  it('a failed run says so in plain words, keeps the detail behind a disclosure, and offers Try again', async () => {
    const { context, page } = await visit('failed');
    const outcome = page.locator('section.outcome');
    expect(await outcome.locator('> p').first().textContent()).not.toMatch(
      /Activity function|ECONNREFUSED|callTool/,
    );
    const technical = outcome.locator('details.technical');
    expect(await technical.getAttribute('open')).toBeNull();
    await technical.locator('summary').click();
    expect(await technical.textContent()).toMatch(/Code/);
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await page.getByRole('link', { name: 'Change the request' }).waitFor();
    // Under the hood, the trace leads to the first error; the retried model turns are attempts.
    await page.locator('details.hood > summary').click();
    await page.getByRole('button', { name: 'Show the trace' }).click();
    await page.getByRole('button', { name: 'Jump to first error' }).click();
    const selected = page.locator('[role="row"][aria-selected="true"]');
    await expect.poll(() => selected.getAttribute('class')).toContain('error');
    expect(await page.locator('aside.span-panel').textContent()).toMatch(/StatusError/);
    await expect
      .poll(() =>
        page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('aria-selected')),
      )
      .toBe('true');
    await shot(page, 'failed-trace-desktop');
    await context.close();
  });

  it('a plan over the traveller’s budget raises the budget in one step; a run limit shows what was found', async () => {
    const { context, page } = await visit('over-budget');
    await page.getByRole('heading', { name: 'Your itinerary' }).waitFor();
    // The cheaper offers the tools returned are shown here too, not only at a checkout.
    const cheaper = page.getByRole('region', { name: 'Cheaper options' });
    expect(await cheaper.textContent()).toMatch(/Cheaper options we found.*saves \$[\d,.]+/s);
    await page.getByRole('link', { name: 'Raise the budget' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change your trip' }).waitFor();
    const amount = page.getByLabel(/^Budget/);
    await expect.poll(() => amount.inputValue()).not.toBe('');
    expect(Number(await amount.inputValue())).toBeGreaterThan(800);
    // Focus waits in the budget field.
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-path')))
      .toBe('budget.amount');
    await context.close();

    const limit = await visit('over-limit');
    await limit.page.getByRole('heading', { name: 'What we found before stopping' }).waitFor();
    expect(await limit.page.locator('section.partial').textContent()).toMatch(/Flights.*Hotel/s);
    await limit.page.getByRole('button', { name: 'Try again with more room' }).waitFor();
    await limit.context.close();
  });

  it('says "Reconnecting…" while the host is down and catches up when it is back', async () => {
    const { context, page } = await visit('question', {
      expectErrors: /ERR_CONNECTION_REFUSED|Failed to load resource/,
    });
    const port = Number(new URL(app.host.url).port);
    await app.host.stop();
    const banner = page.getByText('Reconnecting…');
    await banner.waitFor({ timeout: 30_000 });
    // The trip stays on screen, and so does the form.
    expect(await page.getByRole('heading', { name: 'A few details to go on' }).count()).toBe(1);
    await shot(page, 'reconnecting-desktop');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = await axe(page);
      expect(describeViolations(violations), `reconnecting ${colorScheme}`).toBe('');
    }
    app.host = await startHost({ appDir: repoRoot, port, storePath: join(app.dataDir, 'durable.sqlite') });
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    // Back: the page answers the question through the restarted host.
    await page.getByLabel('Leaving').fill('2027-03-10');
    await page.getByLabel('Coming back').fill('2027-03-14');
    await page.getByRole('button', { name: 'Continue planning' }).click();
    await page
      .getByRole('heading', { name: 'Thanks — planning goes on' })
      .or(page.locator('.banner'))
      .first()
      .waitFor();
    await context.close();
    expect(findings.csp).toEqual([]);
  }, 120_000);
});
