/**
 * What the web UI's browser tests share: Debian's Chromium through playwright-core, pages that
 * may reach the host alone, a record of every Content-Security-Policy violation (the
 * `securitypolicyviolation` event, which the console does not always show), console errors and
 * uncaught exceptions, axe-core injected into the page, and screenshots kept under
 * test-artifacts/web-ui/ (gitignored; CI keeps them).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ScriptedModel, turn, type Script, type ScriptedTurn } from '../../src/models/scripted-model';
import type { ModelRequest } from '../../src/models/types';
import { TRAVEL_OFFLINE_POLICIES } from '../../src/travel/offline/policies';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startAppHost, type AppHost } from '../support/app-host';
import { repoRoot } from '../support/local-host';

/** The browser globals the page callbacks use: they run in Chromium, not in Node. */
declare const window: any;
declare const document: any;

export const ARTIFACTS = join(repoRoot, 'test-artifacts', 'web-ui');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What every page of a test file reported; each list must stay empty. */
export interface PageFindings {
  /** Requests to anywhere but the host. */
  offHost: string[];
  /** `securitypolicyviolation` events: directive and blocked URI. */
  csp: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

export function newFindings(): PageFindings {
  return { offHost: [], csp: [], errors: [] };
}

/**
 * The app and Chromium for one test file: both started before its tests (`env` applied before the
 * app loads), every test checked after it for requests that left the host, CSP violations and
 * console errors (and the app's model reset), both stopped after the file. `onStart` gets them.
 */
export function runAppInChromium(
  findings: PageFindings,
  onStart: (app: AppHost, browser: Browser) => void,
  env: Record<string, string> = {},
): void {
  let app: AppHost | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startAppHost(env);
    browser = await launchChromium();
    onStart(app, browser);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.host.stop();
  });
  afterEach(() => {
    expect(findings.offHost, 'requests that left the host').toEqual([]);
    expect(findings.csp, 'Content-Security-Policy violations').toEqual([]);
    expect(findings.errors, 'console errors and uncaught exceptions').toEqual([]);
    app?.useModel(undefined);
  });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Console errors matching this are expected (a refused request the test provokes). */
  expectErrors?: RegExp;
}

export async function openPage(
  browser: Browser,
  origin: string,
  findings: PageFindings,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    findings.offHost.push(url);
    return route.abort();
  });
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
    findings.csp.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event: any) => {
      void window.__reportCspViolation(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (options.expectErrors?.test(text)) return;
    findings.errors.push(text);
  });
  page.on('pageerror', (error) => findings.errors.push(error.message));
  return { context, page };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(
  createRequire(join(repoRoot, 'package.json')).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA, and best practices) on the page as it is. The engine is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so injecting it
 * is not itself a violation.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const engine = (
      window as unknown as { axe: { run(...args: unknown[]): Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await engine.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  });
  return (violations as AxeViolation[]).map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
  }));
}

/** The offline policy of every travel agent, with `overrides` for some agents. */
export function scriptedModel(
  app: AppHost,
  overrides: Record<string, ScriptedTurn[] | ((r: ModelRequest, call: number) => ScriptedTurn)> = {},
): ScriptedModel {
  const entries: Script = Object.fromEntries(
    Object.keys(TRAVEL_OFFLINE_POLICIES).map((agent) => {
      const policy = TRAVEL_OFFLINE_POLICIES[agent];
      return [agent, overrides[agent] ?? ((request: ModelRequest): ScriptedTurn => policy(request))];
    }),
  );
  const model = new ScriptedModel(entries);
  app.useModel(model);
  return model;
}

/** `agent`'s offline policy, each answer `delayMs` late (to keep a run busy). */
export function slow(agent: string, delayMs: number) {
  return (request: ModelRequest): ScriptedTurn =>
    turn.delayed(delayMs, TRAVEL_OFFLINE_POLICIES[agent](request));
}

/** The API, as the tests call it beside the browser. */
export function api(app: AppHost) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.host.fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await response.json();
    if (response.status >= 400)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    start: async (body: unknown): Promise<string> => (await call('POST', '/api/trips', body)).id as string,
    get: (id: string) => call('GET', `/api/trips/${id}`),
    approve: (id: string, approved: boolean) => call('POST', `/api/trips/${id}/approval`, { approved }),
    cancel: (id: string) => call('POST', `/api/trips/${id}/cancel`, { reason: 'test' }),
    /** Polls until the run is in one of `statuses`. */
    async waitFor(id: string, statuses: string[], timeoutMs = 60_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await call('GET', `/api/trips/${id}`);
        if (statuses.includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${id} is ${run.status}, not ${statuses.join('/')}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
  };
}

/** The trip every test plans: four days, two people, within budget. */
export const TRIP =
  'Plan a 4-day hiking trip from Seattle to El Calafate, 10-14 March 2027, for two, budget $5,000';
export const TRAVELLERS = [
  { firstName: 'Ada', lastName: 'Lovelace' },
  { firstName: 'Grace', lastName: 'Hopper' },
];

/** `request`, to be booked: with the contact and the travellers' names a booking needs. */
export const booking = (request: string) => ({
  request,
  book: true,
  contactEmail: 'ada@example.org',
  travellerNames: TRAVELLERS,
});
