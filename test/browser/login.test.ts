import { describe, expect, test } from 'vitest';
import { demoPassword, demoUsers, signIn, useBrowserHub, viewports, waitForHeading } from './browser.ts';

const testTimeoutMs = 60_000;

describe('signing in and out', () => {
  const hub = useBrowserHub();

  for (const [role, user] of Object.entries(demoUsers)) {
    test(
      `${role} (${user.email}) lands on "${user.homeHeading}" and signs out`,
      async () => {
        const page = await hub.newPage();
        await signIn(page, user);

        expect(new URL(page.url()).pathname).toBe(user.homePath);
        await waitForHeading(page, user.homeHeading);
        const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
        expect(await current.count()).toBe(1);

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
        expect(await page.getByRole('status').filter({ hasText: 'You have signed out.' }).count()).toBe(1);

        // The session is gone on the hub's side too: the home page sends the person back to sign in.
        await page.goto(user.homePath);
        await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
        expect(new URL(page.url()).searchParams.get('next')).toBe(user.homePath);
      },
      testTimeoutMs,
    );
  }

  test(
    'a second visit takes the app\'s scripts and styles from the browser\'s cache, and asks the hub for the page itself',
    async () => {
      const page = await hub.newPage();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      const fromHub: string[] = [];
      const servedFromCache = new Set<string>();
      cdp.on('Network.requestServedFromCache', ({ requestId }) => servedFromCache.add(requestId));
      cdp.on('Network.responseReceived', ({ requestId, response }) => {
        if (!servedFromCache.has(requestId) && !response.fromDiskCache) fromHub.push(new URL(response.url).pathname);
      });
      await page.goto('/login');
      await waitForHeading(page, 'Sign in to CME Hub');
      const assets = fromHub.filter((path) => path.startsWith('/assets/'));
      expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
      expect(assets.some((path) => path.endsWith('.css'))).toBe(true);

      fromHub.length = 0;
      await page.goto('/login?again');
      await waitForHeading(page, 'Sign in to CME Hub');
      expect(fromHub).toContain('/login');
      expect(fromHub.filter((path) => path.startsWith('/assets/'))).toEqual([]);
    },
    testTimeoutMs,
  );

  test(
    'the sign-in page opens without an error in the browser\'s console, on a first visit and after signing out',
    async () => {
      const page = await hub.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.goto(demoUsers.providerAdmin.homePath);
      await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
      expect(consoleErrors).toEqual([]);

      // The home page's own requests held up until the hub has ended the session, and the hub's answer to signing out
      // held up until they are answered, as a slow connection may order them: none may be refused for the ended session.
      let sessionEnded = () => {};
      const ended = new Promise<void>((resolve) => (sessionEnded = resolve));
      const heldUp: Promise<void>[] = [];
      await page.route(
        (url) => url.pathname.startsWith('/api/v1/') && !url.pathname.startsWith('/api/v1/auth/') && url.pathname !== '/api/v1/me',
        (route) => {
          const held = ended.then(() => route.continue().catch(() => undefined));
          heldUp.push(held);
          return held;
        },
      );
      await page.route('**/api/v1/auth/logout', async (route) => {
        const answer = await route.fetch();
        sessionEnded();
        await Promise.all(heldUp);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await route.fulfill({ response: answer });
      });
      await signIn(page, demoUsers.providerAdmin);
      // The home page's heading may be drawn before it asks the hub for its content.
      await expect.poll(() => heldUp.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
      expect(consoleErrors).toEqual([]);
    },
    testTimeoutMs,
  );

  test(
    'a wrong password is announced and the person stays on the sign-in page',
    async () => {
      const page = await hub.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill(demoUsers.providerAdmin.email);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('email address or password is not right');
      expect(new URL(page.url()).pathname).toBe('/login');
      // Focus returns to the emptied password field so the person can type again.
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    },
    testTimeoutMs,
  );

  test(
    'an address opened while signed out comes back after signing in',
    async () => {
      const page = await hub.newPage();
      await page.goto('/operator/audit-log');
      await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
      await page.getByLabel('Email').fill(demoUsers.operator.email);
      await page.getByLabel('Password').fill(demoPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await waitForHeading(page, 'Audit log');
      expect(new URL(page.url()).pathname).toBe('/operator/audit-log');
    },
    testTimeoutMs,
  );

  test(
    'on a phone the menu folds behind a button that opens it',
    async () => {
      const page = await hub.newPage({ viewport: viewports.phone });
      await signIn(page, demoUsers.providerAdmin);

      const menuButton = page.getByRole('button', { name: 'Menu' });
      const navigation = page.getByRole('navigation', { name: 'Main' });
      expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
      expect(await navigation.isVisible()).toBe(false);

      await menuButton.click();
      expect(await page.getByRole('button', { name: 'Close menu' }).getAttribute('aria-expanded')).toBe('true');
      await navigation.getByRole('link', { name: 'API keys' }).click();
      await waitForHeading(page, 'API keys');
      // Choosing a page closes the menu again.
      await navigation.waitFor({ state: 'hidden' });
      expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
    },
    testTimeoutMs,
  );

  test(
    'when the session ends, the next page that asks the hub sends the person to sign in again',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.licensingBoardAdmin);
      await page.context().clearCookies();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await waitForHeading(page, 'Sign in to CME Hub');
      await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
      expect(new URL(page.url()).searchParams.get('next')).toBe('/organization/users');
    },
    testTimeoutMs,
  );
});
