/**
 * A trip with several stops in real Chromium, served by the app on the local host. First planned
 * for real — the planner and the travel agents' offline policies on a scripted model, the real
 * tool servers, each item booked once on approval. Then, from the fixture made from the tool
 * servers' own offers (test/unit/web), answered in place of GET /api/trips/{id} so every detail
 * is known: the heading names the stops, the checkout lists what is booked stop by stop (the
 * flight in, the hotel, the flight home last) and approves its quote by id, the booked itinerary
 * has a flight per journey, a hotel per stop and days that say where they are, the calendar file
 * has every flight, and the printed page is the trip. axe-core finds no violation, light and
 * dark, desktop and phone; screenshots are kept.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { AppHost } from '../support/app-host';
import { tripsClient } from '../support/trips-client';
import { multiCityRun, offers } from '../unit/web/multi-city-fixture';
import {
  api,
  booking,
  axe,
  DESKTOP,
  newFindings,
  openPage,
  runAppInChromium,
  PHONE,
  scriptedModel,
  shot,
} from './web-ui-support';

let app: AppHost;
let browser: Browser;
const findings = newFindings();
const ID = 'trip-multicity00000000000000000000000';

runAppInChromium(findings, (started, chromium) => {
  app = started;
  browser = chromium;
});

/** Answers the run's URLs from the fixture: the run as it is now, and its approval. */
async function serveRun(page: Page, initial: RunResource['status']) {
  const state = { status: initial as 'awaiting_approval' | 'completed', approvals: [] as unknown[] };
  await page.route(`**/api/trips/${ID}**`, async (route: Route) => {
    const request = route.request();
    const json = (body: unknown) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    if (request.method() === 'POST' && request.url().endsWith('/approval')) {
      state.approvals.push(request.postDataJSON());
      state.status = 'completed';
      return json(multiCityRun('completed', ID));
    }
    if (request.method() === 'GET' && request.url().endsWith(`/api/trips/${ID}`))
      return json(multiCityRun(state.status, ID));
    return route.fulfill({ status: 404, contentType: 'application/json', body: '{}' });
  });
  return state;
}

const bookingCount = () => tripsClient(app).bookings();

const open = (viewport = DESKTOP, colorScheme: 'light' | 'dark' = 'light') =>
  openPage(browser, new URL(app.host.url).origin, findings, { viewport, colorScheme });

describe('a trip with several stops in Chromium', () => {
  it('checks out stop by stop, approves the quote by id, and shows each journey and stay', async () => {
    const { context, page } = await open();
    const served = await serveRun(page, 'awaiting_approval');
    await page.goto(`${app.host.url}/#/runs/${ID}`);
    await page.getByRole('heading', { level: 1, name: 'Rome → Florence' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.trip-sub').textContent()).toBe('From London · 10–18 Mar 2027 · 2 travellers');
    expect(await page.title()).toBe('Rome → Florence · Waypoint');

    const checkout = page.locator('section.checkout');
    const groups = await checkout
      .locator('.stop-group > h4')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(groups).toEqual([
      'Rome · 10–14 Mar 2027',
      'Florence · 14–18 Mar 2027',
      'Back to London · Thu 18 Mar',
    ]);
    const items = await checkout
      .locator('.quote-item .quote-kind')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(items).toEqual([
      'Flight to Rome',
      'Hotel in Rome',
      'Flight to Florence',
      'Hotel in Florence',
      'Flight home',
    ]);
    // Each flight is one way, and says so rather than "Outbound".
    expect(await checkout.locator('.leg-head').first().textContent()).toMatch(/^One way · Wed 10 Mar$/);
    await shot(page, 'multi-city-checkout-desktop');

    await page.getByRole('button', { name: 'Approve and book' }).click();
    await page.getByRole('heading', { name: 'Your trip is booked' }).waitFor({ timeout: 30_000 });
    expect(served.approvals).toEqual([{ approved: true, quoteId: 'q1' }]);

    const confirmations = await page
      .locator('ul.bookings .booking-item')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(confirmations).toEqual([
      'Flight to Rome',
      'Flight to Florence',
      'Flight home',
      'Hotel in Rome',
      'Hotel in Florence',
    ]);
    const sections = await page
      .locator('section.itinerary h3')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(sections.slice(0, 6)).toEqual([
      'Booking confirmations',
      'Flights',
      'Hotel in Rome',
      'Hotel in Florence',
      'Cost',
      'Day by day',
    ]);
    const legs = await page
      .locator('section.itinerary .flights .leg-head')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(legs).toEqual([
      'London → Rome · Wed 10 Mar',
      'Rome → Florence · Sun 14 Mar',
      'Florence → London · Thu 18 Mar',
    ]);
    // The day they move on: out of the Rome hotel, the flight, into the Florence hotel.
    const moving = page.locator('ol.days > li').nth(4);
    expect(await moving.locator('.day-place').textContent()).toBe('Rome → Florence');
    const events = await moving.locator('.event-title').evaluateAll((els) => els.map((el) => el.textContent));
    expect(events).toEqual(
      expect.arrayContaining([
        `Check out of ${offers['hotels:1'].hotel.name}`,
        expect.stringMatching(/^Flight FCO → FLR/),
        `Check in at ${offers['hotels:2'].hotel.name}`,
      ]),
    );
    expect(await page.locator('.costs').textContent()).toMatch(/Hotels/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Add to calendar/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Rome-Florence.ics');
    const ics = readFileSync(await download.path(), 'utf8');
    expect([...ics.matchAll(/SUMMARY:Flight (\w{3}) → (\w{3})/g)].map((m) => `${m[1]}-${m[2]}`)).toEqual([
      'LHR-FCO',
      'FCO-FLR',
      'FLR-LHR',
    ]);
    await shot(page, 'multi-city-booked-desktop');

    // Printed, it is the trip: no navigation, buttons or engine room; every day still there.
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() =>
      ['header.top', '.itinerary .tools', 'details.hood', '.outcome .actions'].map((selector) => {
        const el = (globalThis as any).document.querySelector(selector);
        return [selector, el ? (globalThis as any).getComputedStyle(el).display : 'absent'];
      }),
    );
    expect(hidden.filter(([, display]) => display !== 'none' && display !== 'absent')).toEqual([]);
    expect(await page.locator('ol.days > li').count()).toBe(9);
    await shot(page, 'multi-city-booked-print');
    await context.close();
  }, 90_000);

  it('plans a real trip with two stops through the planner, checks it out stop by stop and books each item once', async () => {
    scriptedModel(app);
    const before = await bookingCount();
    const id = await api(app).start(
      booking(
        'From London to Rome for 4 nights then Florence for 4 nights, 10-18 March 2027, for two, budget $6,000',
      ),
    );
    const { context, page } = await open();
    await page.goto(`${app.host.url}/#/runs/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Rome → Florence' }).waitFor({ timeout: 60_000 });
    const checkout = page.locator('section.checkout');
    await checkout.waitFor({ timeout: 60_000 });
    expect(
      await checkout.locator('.stop-group > h4').evaluateAll((els) => els.map((el) => el.textContent)),
    ).toEqual(['Rome · 10–14 Mar 2027', 'Florence · 14–18 Mar 2027', 'Back to London · Thu 18 Mar']);
    expect(
      await checkout.locator('.quote-item .quote-kind').evaluateAll((els) => els.map((el) => el.textContent)),
    ).toEqual(['Flight to Rome', 'Hotel in Rome', 'Flight to Florence', 'Hotel in Florence', 'Flight home']);
    expect(await axe(page), 'axe on the checkout').toEqual([]);
    await shot(page, 'multi-city-real-checkout-desktop');
    await page.getByRole('button', { name: 'Approve and book' }).dblclick();
    await page.getByRole('heading', { name: 'Your trip is booked' }).waitFor({ timeout: 60_000 });
    expect(await bookingCount()).toBe(before + 5);
    expect(
      await page.locator('ul.bookings .booking-item').evaluateAll((els) => els.map((el) => el.textContent)),
    ).toEqual(['Flight to Rome', 'Flight to Florence', 'Flight home', 'Hotel in Rome', 'Hotel in Florence']);
    expect(
      await page
        .locator('section.itinerary .flights .leg-head')
        .evaluateAll((els) => els.map((el) => el.textContent)),
    ).toEqual([
      'London → Rome · Wed 10 Mar',
      'Rome → Florence · Sun 14 Mar',
      'Florence → London · Thu 18 Mar',
    ]);
    expect(
      await page.locator('ol.days > li .day-place').evaluateAll((els) => els.map((el) => el.textContent)),
    ).toEqual([...Array(4).fill('Rome'), 'Rome → Florence', ...Array(4).fill('Florence')]);
    expect(await axe(page), 'axe on the booked trip').toEqual([]);
    await shot(page, 'multi-city-real-booked-desktop');
    await context.close();
  }, 180_000);

  it('has no axe-core violation and fits a phone, light and dark', async () => {
    const problems: string[] = [];
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const { context, page } = await open(viewport, scheme);
        for (const status of ['awaiting_approval', 'completed'] as const) {
          await page.unrouteAll();
          await serveRun(page, status);
          await page.goto('about:blank');
          await page.goto(`${app.host.url}/#/runs/${ID}`);
          await page
            .getByRole('heading', {
              name: status === 'completed' ? 'Your trip is booked' : 'Review and book',
            })
            .waitFor({ timeout: 30_000 });
          const violations = await axe(page);
          for (const v of violations)
            problems.push(
              `${status} ${device} ${scheme}: ${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`,
            );
          const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
          if (width > viewport.width) problems.push(`${status} ${device} ${scheme}: ${width}px wide`);
          await shot(
            page,
            `multi-city-${status === 'completed' ? 'booked' : 'checkout'}-${device}-${scheme}`,
          );
        }
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
