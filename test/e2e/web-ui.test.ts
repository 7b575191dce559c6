/**
 * The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core)
 * against the app on the local host, with the real MCP servers and the travel agents' offline
 * policies played by a scripted model (a specialist slowed down where a test needs the run to
 * stay busy). The journeys a traveller takes, each ending with a way forward: plan → answer the
 * question → check out → approve (booked exactly once), reject, cancel (after a confirmation);
 * keyboard focus surviving polls; the runs list from the light listing refreshing on its own;
 * the trace viewer by keyboard. It also checks the serving: compressed, content-hashed immutable
 * files, a strict CSP with zero `securitypolicyviolation` events, a favicon, and JSON 404s.
 * Screenshots go to test-artifacts/web-ui/.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppHost } from '../support/app-host';
import { tripsClient } from '../support/trips-client';
import {
  api,
  booking,
  newFindings,
  openPage,
  PHONE,
  runAppInChromium,
  scriptedModel,
  shot,
  slow,
  TRIP,
  type PageOptions,
} from './web-ui-support';

/** The page's globals these tests read inside page.evaluate (the tests compile without the DOM lib). */
interface PageElement {
  textContent: string | null;
  tagName: string;
  value: string;
  getAttribute(name: string): string | null;
  dispatchEvent(event: unknown): boolean;
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number };
  title: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};
declare const window: {
  addEventListener(type: string, listener: (event: unknown) => void, options?: { once?: boolean }): void;
};
declare const Event: new (type: string, init?: { bubbles?: boolean }) => unknown;

let app: AppHost;
let browser: Browser;
const findings = newFindings();

runAppInChromium(
  findings,
  (started, chromium) => {
    app = started;
    browser = chromium;
  },
  { TRIP_INPUT_TIMEOUT_MS: '300000', TRIP_APPROVAL_TIMEOUT_MS: '300000' },
);

const url = (hash = '') => `${app.host.url}/${hash}`;
const open = (options?: PageOptions) => openPage(browser, new URL(app.host.url).origin, findings, options);

const bookingCount = () => tripsClient(app).bookings();

function runIdOf(page: Page): string {
  const match = /#\/runs\/([^/?]+)$/.exec(page.url());
  if (!match) throw new Error(`not on a trip page: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

const badge = (page: Page) => page.getByTestId('run-status');

describe('web UI in Chromium', () => {
  it('serves the page and its content-hashed files compressed, cached as immutable, behind a strict CSP', async () => {
    const page = await fetch(url(), { headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('vary')).toBe('Accept-Encoding');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text(); // fetch decodes the brotli body
    const assets = [...html.matchAll(/"\/ui\/([\w.-]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      expect.stringMatching(/^favicon-[\w]{8}\.svg$/),
      expect.stringMatching(/^styles-[\w]{8}\.css$/),
      expect.stringMatching(/^app-[\w]{8}\.js$/),
    ]);
    for (const name of assets) {
      for (const [accept, encoding] of [
        ['br, gzip', 'br'],
        ['gzip', 'gzip'],
        ['identity', null],
      ] as const) {
        const response = await fetch(`${app.host.url}/ui/${name}`, {
          headers: { 'accept-encoding': accept },
        });
        expect(response.status, name).toBe(200);
        expect(response.headers.get('content-encoding'), `${name} ${accept}`).toBe(encoding);
        expect(response.headers.get('cache-control'), name).toBe('public, max-age=31536000, immutable');
        await response.arrayBuffer();
      }
    }
    // The bundle is small once compressed (zod/mini without eval, Preact).
    const app_ = assets.find((a) => a.startsWith('app-'))!;
    const bytes = await new Promise<number>((resolve, reject) => {
      // node:http does not decode: this is what goes over the wire.
      get(`${app.host.url}/ui/${app_}`, { headers: { 'accept-encoding': 'br' } }, (response) => {
        let size = 0;
        response.on('data', (chunk: Buffer) => (size += chunk.length));
        response.on('end', () => resolve(size));
      }).on('error', reject);
    });
    console.info(`web UI bundle: ${bytes} bytes brotli-compressed`);
    expect(bytes).toBeLessThan(60_000);
    // Unchanged validators revalidate to a 304.
    const etag = page.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await fetch(url(), { headers: { 'if-none-match': etag!, 'accept-encoding': 'br, gzip' } });
    expect(again.status).toBe(304);

    // No catch-all: a JSON 404 for every path the UI does not serve.
    for (const path of [
      '/nope',
      '/api/nope',
      '/ui/',
      '/ui/app.js',
      '/ui/manifest.json',
      '/index.html',
      '/api/ui/',
    ]) {
      const response = await fetch(`${app.host.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await response.json()) as { error?: { code?: string } }).error?.code, path).toBe('not_found');
    }
    const wrongMethod = await fetch(url(), { method: 'POST', headers: { origin: app.host.url } });
    expect(wrongMethod.status).toBe(405);
  });

  it('says what is wrong in plain words on the form, beside each field, before sending anything', async () => {
    const { context, page } = await open();
    await page.goto(url());
    await page.getByRole('heading', { level: 1, name: 'Where to next?' }).waitFor();
    expect(await page.getByLabel('Leaving').getAttribute('min')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel('Leaving').fill('2020-01-10');
    await page.getByLabel('Coming back').fill('2020-01-05');
    await page.getByLabel('Travellers').fill('12');
    await page.getByRole('button', { name: 'Plan my trip' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('Please tell us about the trip');
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('start tomorrow at the earliest');
    expect(text).toContain('up to 9 travellers');
    expect(text).not.toMatch(/expected|>=|Too small/);
    expect(await page.getByLabel('Travellers').getAttribute('aria-invalid')).toBe('true');
    // The summary takes focus; each line leads to its field.
    await summary.getByRole('link', { name: /up to 9 travellers/ }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-path'))).toBe('travellers');
    expect(page.url()).not.toMatch(/#\/runs\//);
    await shot(page, 'plan-errors-desktop');
    await context.close();
  });

  it('plans, asks once for what is missing (prefilled), checks out and books each item once; the trip comes first', async () => {
    scriptedModel(app);
    const before = await bookingCount();
    const { context, page } = await open();
    await page.goto(url());
    await page
      .getByLabel('Your trip', { exact: true })
      .fill('A 4-day hiking trip from Seattle to El Calafate for two, budget $5,000');
    await page.getByLabel('Book it for me once I approve the price').check();
    // A double click starts one run (one Idempotency-Key for the same request).
    await page.getByRole('button', { name: 'Plan my trip' }).dblclick();
    await page.waitForURL(/#\/runs\//);
    const id = runIdOf(page);

    const form = page.locator('form.question');
    await form.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.title()).toBe('Seattle → El Calafate · Waypoint');
    await page.getByRole('heading', { level: 1, name: 'Seattle → El Calafate' }).waitFor();
    // What was understood is shown, not asked again; every missing fact is asked in one round.
    expect(await form.locator('.understood').textContent()).toMatch(/Travellers2 travellers.*Budget\$5,000/);
    const asked = await form
      .locator('[data-path]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-path')));
    // The dates in one round; nothing personal before there is a price.
    expect(asked).toEqual(['startDate', 'endDate']);
    await shot(page, 'question-desktop');
    await form.getByLabel('Leaving').fill('2027-03-10');
    await form.getByLabel('Coming back').fill('2027-03-14');
    await form.getByRole('button', { name: 'Continue planning' }).focus();
    await page.keyboard.press('Enter');

    // With the price on the table: who travels and where the confirmations go.
    await page.getByRole('heading', { name: 'Who is travelling?' }).waitFor({ timeout: 60_000 });
    const contact = page.locator('form.question');
    expect(await contact.locator('.question').textContent()).toMatch(/Your trip comes to \$[\d,.]+/);
    await contact.getByLabel('E-mail for the booking').fill('ada@example.org');
    await contact.getByLabel('Who is travelling').fill('Ada Lovelace\nGrace Hopper');
    await shot(page, 'contact-desktop');
    await contact.getByRole('button', { name: 'Continue planning' }).click();

    const checkout = page.locator('section.checkout');
    await checkout.waitFor({ timeout: 60_000 });
    expect(await bookingCount()).toBe(before);
    const checkoutText = (await checkout.textContent()) ?? '';
    expect(checkoutText).toContain('Ada Lovelace');
    expect(checkoutText).toContain('Grace Hopper');
    expect(checkoutText).toContain('ada@example.org');
    expect(checkoutText).toMatch(/Price held/);
    expect(checkoutText).toMatch(/If you reject,\s*nothing is booked or charged/);
    expect(
      await checkout.locator('.quote-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))),
    ).toEqual(['flight', 'hotel']);
    await shot(page, 'checkout-desktop');
    await page.getByRole('button', { name: 'Approve and book' }).dblclick();

    await expect.poll(() => badge(page).textContent(), { timeout: 60_000 }).toContain('Booked');
    await page.getByRole('heading', { name: 'Your trip is booked' }).waitFor();
    // Confirmations come first in the itinerary, then flights, hotel, cost and the days.
    const sections = await page
      .locator('section.itinerary h3')
      .evaluateAll((els) => els.map((el) => el.textContent));
    expect(sections.slice(0, 5)).toEqual(['Booking confirmations', 'Flights', 'Hotel', 'Cost', 'Day by day']);
    const bookings = page.locator('ul.bookings > li');
    expect(await bookings.evaluateAll((els) => els.map((el) => el.className))).toEqual([
      'booking confirmed',
      'booking confirmed',
    ]);
    expect(await bookingCount()).toBe(before + 2);
    const days = await page
      .locator('ol.days > li time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
    expect(days).toEqual(['2027-03-10', '2027-03-11', '2027-03-12', '2027-03-13', '2027-03-14']);
    expect(await page.locator('.flights').textContent()).toMatch(/SEA.*FTE/);
    expect(await page.locator('.hotel').textContent()).toMatch(/Check-in.*from 14:00/);
    expect(await page.locator('.budget-note').textContent()).toMatch(/under budget/);
    // The itinerary starts on the first screen, above budgets and steps (which are folded away).
    const top = await page.locator('section.itinerary').evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeLessThan(900);
    expect(await page.locator('details.hood').getAttribute('open')).toBeNull();

    // The calendar file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Add to calendar/ }).click(),
    ]);
    const ics = readFileSync(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toBe('Seattle-El-Calafate.ics');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    // Each flight segment at its UTC time (the tool data's offsets), from the day it leaves Seattle.
    expect(ics).toMatch(/DTSTART:20270310T\d{6}Z\r\nDTEND:2027031[01]T\d{6}Z\r\nSUMMARY:Flight SEA → /);
    expect(ics).toContain('SUMMARY:Stay: ');
    await shot(page, 'booked-desktop');

    // The same trip on a phone: nothing wider than the screen.
    const { context: phone, page: small } = await open({ viewport: PHONE });
    await small.goto(url(`#/runs/${id}`));
    await small.getByRole('heading', { name: 'Your trip is booked' }).waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(small, 'booked-phone');
    await phone.close();
    await context.close();
  }, 180_000);

  it('keeps keyboard focus where it is while the page polls a busy run, and cancels only after asking', async () => {
    // The flights specialist takes a while: the run stays busy and the page polls.
    scriptedModel(app, {
      flights: slow('flights', 15_000),
    });
    const id = await api(app).start({ request: TRIP });
    const { context, page } = await open();
    await page.goto(url(`#/runs/${id}`));
    const flights = page.locator('li.specialist[data-agent="flights"]');
    await expect.poll(() => flights.getAttribute('class'), { timeout: 30_000 }).toContain('state-working');
    expect(await page.locator('.banner-phase').textContent()).toMatch(/Searching flights, hotels/);
    await shot(page, 'working-desktop');

    const stop = page.getByRole('button', { name: 'Stop planning' });
    await stop.focus();
    const elapsed = page.locator('.elapsed time');
    const before = await elapsed.textContent();
    // Several polls (one a second) and clock ticks later, focus is still on the same button.
    await expect.poll(() => elapsed.textContent(), { timeout: 10_000 }).not.toBe(before);
    await page.waitForTimeout(2500);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stop planning');
    // The hood, opened, stays open across polls.
    await page.locator('details.hood > summary').click();
    await page.waitForTimeout(2500);
    expect(await page.locator('details.hood').getAttribute('open')).toBe('');

    // Cancel asks first; "Keep planning" leaves the run alone and focus back on the button.
    await stop.click();
    await page.getByRole('button', { name: 'Keep planning' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stop planning');
    expect((await api(app).get(id)).status).toBe('running');
    await stop.click();
    await shot(page, 'cancel-confirm-desktop');
    await page.getByRole('button', { name: 'Yes, stop planning' }).click();
    await expect.poll(() => badge(page).textContent(), { timeout: 30_000 }).toContain('Cancelled');
    await page.getByRole('heading', { name: 'You cancelled this plan' }).waitFor();
    // A way forward: plan it again, or change it first.
    await page.getByRole('button', { name: 'Plan it again' }).waitFor();
    await page.getByRole('link', { name: 'Change the request' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change your trip' }).waitFor();
    await expect.poll(() => page.getByLabel('Your trip', { exact: true }).inputValue()).toBe(TRIP);
    await context.close();
  }, 120_000);

  it('stops polling while the tab is hidden and catches up at once when it is shown again', async () => {
    scriptedModel(app);
    const id = await api(app).start({
      request: 'A hiking trip from Seattle to El Calafate for two, budget $5,000',
    });
    await api(app).waitFor(id, ['needs_input']);
    const { context, page } = await open();
    const polls: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(`/api/trips/${id}`)) polls.push(Date.now());
    });
    await page.goto(url(`#/runs/${id}`));
    await page.locator('form.question').waitFor();
    await expect.poll(() => polls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        const doc = (globalThis as any).document;
        Object.defineProperty(doc, 'visibilityState', { value, configurable: true });
        doc.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    const hiddenAt = Date.now();
    await page.waitForTimeout(7000); // the page polls every 2.5 s while it waits for an answer
    expect(polls.filter((t) => t > hiddenAt + 200)).toEqual([]);
    const shownAt = Date.now();
    await setVisibility('visible');
    await expect
      .poll(() => polls.filter((t) => t >= shownAt).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(1);
    await api(app).cancel(id);
    await context.close();
  }, 90_000);

  it('rejects a quote: "Rejected", nothing booked, and the ways forward', async () => {
    scriptedModel(app);
    const before = await bookingCount();
    const id = await api(app).start(booking(TRIP));
    const { context, page } = await open({ viewport: PHONE });
    await page.goto(url(`#/runs/${id}`));
    const approve = page.getByRole('button', { name: 'Approve and book' });
    await approve.waitFor({ timeout: 60_000 });
    // On a phone the decision is on the first screen: the checkout bar sticks to its bottom.
    const box = await approve.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await shot(page, 'checkout-phone');
    await page.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => badge(page).textContent(), { timeout: 30_000 }).toContain('Rejected');
    expect(await badge(page).textContent()).not.toContain('Completed');
    await page.getByRole('heading', { name: 'You rejected this quote' }).waitFor();
    await page.getByRole('link', { name: 'Change the request' }).waitFor();
    await page.getByRole('button', { name: 'Plan it again' }).waitFor();
    expect(await bookingCount()).toBe(before);
    await shot(page, 'rejected-phone');
    await context.close();
  }, 90_000);

  it('lists trips with where, when, who, the total and whether booked, and refreshes active ones', async () => {
    scriptedModel(app, {
      flights: slow('flights', 8000),
    });
    const id = await api(app).start({ request: TRIP });
    const { context, page } = await open();
    await page.goto(url('#/runs'));
    const row = page.locator(`tr[data-run-id="${id}"]`);
    await row.waitFor();
    // "Starting" first if the page is quicker than the run's first step.
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 8_000 }).toBe('Planning');
    await shot(page, 'runs-desktop');
    // Nobody reloads: the list catches up when the run ends.
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 60_000 }).toBe('Completed');
    const cells = await row.locator('th, td').evaluateAll((els) => els.map((el) => el.textContent));
    expect(cells[0]).toContain('Seattle → El Calafate');
    expect(cells.slice(1, 4)).toEqual([
      '10–14 Mar 2027',
      '2 travellers',
      expect.stringMatching(/^\$[\d,.]+$/),
    ]);
    // The trip booked earlier in this file says so.
    const booked = page.locator('tr .badge', { hasText: 'Booked' });
    await expect.poll(() => booked.count()).toBeGreaterThanOrEqual(1);
    // A new filter never shows the list before it: in the render that follows the change, the list
    // is loading (read in the same task, before any frame or fetch).
    const rightAfter = await page.evaluate(async () => {
      const changed = new Promise((resolve) =>
        window.addEventListener('hashchange', resolve, { once: true }),
      );
      const select = document.querySelector('#runs-filter')!;
      select.value = 'cancelled';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await changed;
      await Promise.resolve();
      return {
        busy: document.querySelector('.runs-list')?.getAttribute('aria-busy'),
        rows: document.querySelectorAll('tr[data-run-id]').length,
      };
    });
    expect(rightAfter).toEqual({ busy: 'true', rows: 0 });
    await page.waitForURL(/status=cancelled/);
    expect(await page.getByLabel('Show').inputValue()).toBe('cancelled');
    // Only the cancelled trips (one was cancelled earlier in this file), never the list before it.
    const badges = page.locator('tr[data-run-id] .badge');
    await expect
      .poll(async () => [...new Set(await badges.allTextContents())], { timeout: 30_000 })
      .toEqual(['Cancelled']);
    expect(await page.locator(`tr[data-run-id="${id}"]`).count()).toBe(0);
    await context.close();
  }, 90_000);

  it('shows the trace as a tree grid: arrow keys move and open rows, Enter shows the details', async () => {
    scriptedModel(app);
    const id = await api(app).start({ request: TRIP });
    await api(app).waitFor(id, ['completed']);
    const { context, page } = await open();
    await page.goto(url(`#/runs/${id}`));
    await page.locator('details.hood > summary').click();
    await page.getByRole('button', { name: 'Show the trace' }).click();
    const grid = page.getByRole('treegrid', { name: 'Spans of the run' });
    await grid.waitFor({ timeout: 30_000 });
    const rows = grid.getByRole('row');
    expect(await rows.count()).toBeGreaterThan(5);
    // One row in the tab order: the first.
    const first = grid.locator('[role="row"][tabindex="0"]');
    expect(await first.count()).toBe(1);
    await first.focus();
    expect(await first.getAttribute('aria-level')).toBe('1');
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowLeft'); // collapse the root
    await expect.poll(() => first.getAttribute('aria-expanded')).toBe('false');
    expect(await rows.count()).toBe(2); // the axis and the root
    await page.keyboard.press('ArrowRight'); // open it again
    await expect.poll(() => first.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-level'));
    await expect.poll(focused).toBe('2');
    // Down to a tool call, then its details in the side panel.
    const tool = grid.locator('[role="row"].op-execute_tool').first();
    await tool.click();
    await page.keyboard.press('Enter');
    const panel = page.locator('aside.span-panel');
    await expect.poll(() => panel.textContent()).toMatch(/Toolsearch_|Tool(search|get)_/);
    expect(await panel.textContent()).toMatch(/content capture/);
    await shot(page, 'trace-desktop');
    await context.close();
  }, 90_000);
});
