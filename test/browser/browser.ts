// Browser tests: a real hub (fresh database, demo data) on a random local port, driven through Debian's Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { DB } from '../../src/db/schema.ts';
import { createTestApp, demoLogins, demoPassword } from '../helpers.ts';
import { ensureWebAppBuilt } from './web-build.ts';

export { demoPassword };

/** The demo data set's people, one per role, with the home page each lands on after signing in. */
export const demoUsers = {
  operator: { email: demoLogins.operator, homePath: '/operator', homeHeading: 'Operator console' },
  providerAdmin: { email: demoLogins.providerAdmin, homePath: '/provider', homeHeading: 'Provider home' },
  providerStaff: { email: demoLogins.providerStaff, homePath: '/provider', homeHeading: 'Provider home' },
  licensingBoardAdmin: { email: demoLogins.boardAdmin, homePath: '/board', homeHeading: 'Board home' },
  licensingBoardStaff: { email: demoLogins.boardStaff, homePath: '/board', homeHeading: 'Board home' },
  certifyingBoardAdmin: { email: demoLogins.certifyingBoardAdmin, homePath: '/board', homeHeading: 'Board home' },
  physician: { email: demoLogins.physician, homePath: '/passport', homeHeading: 'My CME passport' },
} as const;
export type DemoUser = (typeof demoUsers)[keyof typeof demoUsers];

export type RunningHub = {
  /** Such as http://127.0.0.1:40123 */
  baseUrl: string;
  /** The hub's database, for a state a test cannot reach through the pages in time (a load still going on). */
  db: Kysely<DB>;
  close: () => Promise<void>;
};

/**
 * The hub's limits per address, raised for a browser test: a test file signs in to the same accounts twenty times and more a minute
 * from one address, which the hub refuses as it should (`http.test.ts` holds it to its limits).
 */
export const browserHubConfig = { loginRateLimitPerMinute: 1000, addressRateLimitPerMinute: 100_000 } satisfies Partial<Config>;

/** Starts the hub in this process with a fresh database and the demo data, serving the built web app. */
export async function startHub(): Promise<RunningHub> {
  await ensureWebAppBuilt();
  const { app, db, close } = await createTestApp({ demo: true, config: browserHubConfig });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, db, close };
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium was not found at ${executablePath}. Install Debian's package (apt-get install -y chromium) ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath, args: chromiumArgs });
}

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export type BrowserHub = {
  readonly baseUrl: string;
  readonly browser: Browser;
  readonly db: Kysely<DB>;
  /** A page in its own browser context (own cookies), closed with the suite. */
  newPage: (options?: { viewport?: { width: number; height: number } }) => Promise<Page>;
};

const setupTimeoutMs = 180_000;

/**
 * Registers beforeAll/afterAll for a test file: one hub and one browser shared by its tests, each test
 * opening pages in fresh contexts so nobody is signed in by an earlier test.
 */
export function useBrowserHub(): BrowserHub {
  let hub: RunningHub | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    hub = await startHub();
    browser = await launchBrowser();
  }, setupTimeoutMs);

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await saveScreenshots(test.task.name, contexts);
    for (const context of contexts) await context.close();
    contexts = [];
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  }, setupTimeoutMs);

  return {
    get baseUrl() {
      if (!hub) throw new Error('The hub is not running yet; use it inside a test.');
      return hub.baseUrl;
    },
    get browser() {
      if (!browser) throw new Error('The browser is not running yet; use it inside a test.');
      return browser;
    },
    get db() {
      if (!hub) throw new Error('The hub is not running yet; use it inside a test.');
      return hub.db;
    },
    async newPage(options = {}) {
      if (!hub || !browser) throw new Error('The hub is not running yet; use it inside a test.');
      const context = await browser.newContext({
        baseURL: hub.baseUrl,
        viewport: options.viewport ?? viewports.desktop,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    },
  };
}

const screenshotDir = path.join(os.tmpdir(), 'cmehub-browser-failures');

/** What the pages of a failed test showed, for the person reading the failure. */
async function saveScreenshots(testName: string, contexts: readonly BrowserContext[]): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  const pages = contexts.flatMap((context) => context.pages());
  for (const [index, page] of pages.entries()) {
    const file = path.join(screenshotDir, `${slug}-${index + 1}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      console.error(`Screenshot of ${page.url()} after the failure: ${file}`);
    } catch {
      // A page that crashed cannot be photographed; the assertion message has to do.
    }
  }
}

/** Signs in through the sign-in form, as a person would, and waits for their home page. */
export async function signIn(page: Page, user: DemoUser, password = demoPassword): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A refused sign-in is said on the page: the failure quotes it rather than only the heading that never came.
  await page.getByRole('heading', { level: 1, name: user.homeHeading }).waitFor().catch(async (error: unknown) => {
    const said = await page.getByRole('alert').allInnerTexts().catch(() => []);
    throw new Error(`Signing in as ${user.email} did not reach "${user.homeHeading}" at ${page.url()}${said.length ? `; the page says: ${said.map((text) => text.replace(/\s+/g, ' ')).join(' / ')}` : ''}`, { cause: error });
  });
}

/** Waits until the page's h1 reads `name` (after a navigation the previous page's h1 may still be there). */
export async function waitForHeading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Whether the page is no wider than its window: nothing to scroll sideways. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * On a phone, a table stacked into cards (`stackOnNarrow`): nothing of it scrolls sideways, and the columns
 * `labels` of its first line are shown within the screen.
 */
export async function expectStackedOnPhone(page: Page, table: Locator, labels: readonly string[]): Promise<void> {
  await table.locator('tbody tr').first().waitFor();
  expect(await table.evaluate((region) => region.scrollWidth <= region.clientWidth)).toBe(true);
  expect(await fitsWidth(page)).toBe(true);
  for (const label of labels) {
    const cell = table.locator(`tbody tr:first-child [data-label="${label}"]`);
    const box = await cell.boundingBox();
    expect(box && box.x + box.width, label).toBeLessThanOrEqual(viewports.phone.width);
    expect(await cell.isVisible(), label).toBe(true);
  }
}

/**
 * The hub asked how a file sent writes its dates: its words are said at the page's *Dates in the file* choice,
 * which gets the focus, and not as the form's error (`formError`); the choice is then answered Day first and the
 * file sent again with the form's button (`send`).
 */
export async function answerDatesDayFirst(page: Page, found: string, formError: string, send: string): Promise<void> {
  const dates = page.getByLabel('Dates in the file');
  await page.getByRole('alert').filter({ hasText: found }).waitFor();
  await expect.poll(() => dates.evaluate((select) => select === document.activeElement)).toBe(true);
  expect(await page.getByText(formError).count()).toBe(0);
  await dates.selectOption('day_first');
  await page.getByRole('button', { name: send }).click();
}
