import { describe, expect, test } from 'vitest';
import { demoPassword, demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 60_000;

describe('changing a password', () => {
  const hub = useBrowserHub();

  test(
    'mistakes are shown next to the fields, and the new password works afterwards',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.physician);
      await page.getByRole('link', { name: 'Change password' }).click();
      await waitForHeading(page, 'Change password');

      await page.getByLabel('Current password').fill(demoPassword);
      await page.getByLabel('New password', { exact: true }).fill('short');
      await page.getByLabel('New password again').fill('short');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The new password needs at least 12 characters.').waitFor();

      const newPassword = 'a-much-longer-passphrase';
      await page.getByLabel('Current password').fill('not-my-password-at-all');
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByLabel('New password again').fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      // The hub checks the current password; its answer lands next to that field.
      await page.getByText('The current password is not right.').waitFor();
      expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Current password').fill(demoPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();
      await signIn(page, demoUsers.physician, newPassword);
      await waitForHeading(page, 'My CME passport');
    },
    testTimeoutMs,
  );

  test(
    'after repeated wrong passwords the sign-in page says how long to wait',
    async () => {
      const page = await hub.newPage();
      await page.goto('/login');
      const alert = page.getByRole('alert');
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await page.getByLabel('Email').fill(demoUsers.providerStaff.email);
        await page.getByLabel('Password').fill(`wrong-password-${attempt}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await alert.filter({ hasText: 'not right' }).waitFor();
        await page.getByRole('button', { name: 'Sign in' }).and(page.locator(':enabled')).waitFor();
      }
      await page.getByLabel('Password').fill(demoPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await alert.filter({ hasText: 'Too many sign-in attempts' }).waitFor();
      expect(await alert.textContent()).toMatch(/Wait \d+ seconds and try again/);
      expect(new URL(page.url()).pathname).toBe('/login');
    },
    testTimeoutMs,
  );
});
