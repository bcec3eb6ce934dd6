import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 60_000;

/** Form controls on the page that no label names (a screen reader would read them as just "edit text"). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select, textarea')]
      .filter((control) => control.type !== 'hidden')
      .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label'))
      .map((control) => control.outerHTML),
  );
}

describe('accessibility', () => {
  const hub = useBrowserHub();

  test(
    'every form control on every page has a label',
    async () => {
      const page = await hub.newPage();
      await page.goto('/login');
      await waitForHeading(page, 'Sign in to CME Hub');
      expect(await unlabelledControls(page)).toEqual([]);

      await signIn(page, demoUsers.operator);
      const pages = [
        ['/operator/organizations', 'Organizations'],
        ['/operator/audit-log', 'Audit log'],
        ['/account/password', 'Change password'],
      ] as const;
      for (const [path, heading] of pages) {
        await page.goto(path);
        await waitForHeading(page, heading);
        expect(await unlabelledControls(page), path).toEqual([]);
      }

      await page.goto('/operator/organizations/new');
      await waitForHeading(page, 'New organization');
      for (const kind of ['provider', 'licensing_board', 'certifying_board']) {
        await page.getByLabel('Kind').selectOption(kind);
        expect(await unlabelledControls(page), kind).toEqual([]);
      }

      await page.goto('/operator/organizations');
      await page.getByRole('link', { name: 'Demo Academy of Medicine' }).click();
      await waitForHeading(page, 'Demo Academy of Medicine');
      await page.getByRole('button', { name: 'Create key' }).waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
    },
    testTimeoutMs,
  );

  test(
    'the account block is a navigation landmark of its own, named Your account',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerStaff);
      const account = page.getByRole('navigation', { name: 'Your account', exact: true });
      await account.getByRole('link', { name: 'Change password', exact: true }).waitFor();
      await account.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
      expect(await account.textContent()).toContain('Provider staff');
      // Beside the main menu, not inside it.
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Change password' }).count()).toBe(0);
    },
    testTimeoutMs,
  );

  test(
    'the first Tab reaches the skip link, which moves focus to the page content',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.licensingBoardStaff);
      await page.keyboard.press('Tab');
      const skipLink = page.getByRole('link', { name: 'Skip to main content' });
      expect(await skipLink.evaluate((link) => link === document.activeElement)).toBe(true);
      expect(await skipLink.isVisible()).toBe(true);

      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    },
    testTimeoutMs,
  );

  test(
    'an area outside a role is not in its menu and says so when opened by address',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerStaff);
      const menu = page.getByRole('navigation', { name: 'Main' });
      const links = await menu.getByRole('link').allTextContents();
      expect(links).toContain('Home');
      for (const elsewhere of ['Organizations', 'Audit log', 'Users', 'API keys', 'My passport']) {
        expect(links).not.toContain(elsewhere);
      }

      await page.goto('/operator/organizations');
      await waitForHeading(page, 'Not available');
      await page.getByRole('link', { name: 'Go to your home page' }).click();
      await waitForHeading(page, 'Provider home');
    },
    testTimeoutMs,
  );
});
