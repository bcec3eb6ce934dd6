import { describe, expect, test } from 'vitest';
import { demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 60_000;

describe('API keys in the web app', () => {
  const hub = useBrowserHub();

  test(
    'a provider administrator creates a key, sees it once, and it works for the API',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerAdmin);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
      await waitForHeading(page, 'API keys');

      await page.getByLabel('Key name').fill('LMS export');
      // A year unless chosen otherwise.
      expect(await page.getByLabel('Expires after').inputValue()).toBe('365');
      await page.getByLabel('Expires after').selectOption({ label: '90 days' });
      await page.getByRole('button', { name: 'Create key' }).click();

      const notice = page.getByRole('region', { name: 'Copy your new key now' });
      await notice.waitFor();
      const key = await notice.getByLabel('API key LMS export').inputValue();
      expect(key.length).toBeGreaterThan(20);
      expect(await notice.textContent()).toContain('only time the hub shows the key');
      // The day it stops working, as the page writes a date.
      const until = await page.evaluate(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(Date.now() + 90 * 86_400_000)));
      expect(await notice.textContent()).toContain(`It works until ${until}`);

      await notice.getByRole('button', { name: 'Copy key' }).click();
      await notice.getByText('Copied to the clipboard.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

      // The list shows the new key by name and identifier only.
      const row = page.getByRole('row').filter({ hasText: 'LMS export' });
      await row.waitFor();
      const identifier = (await row.locator('code').textContent()) ?? '';
      expect(identifier.length).toBeGreaterThan(4);
      expect(key).toContain(identifier);
      expect(await row.textContent()).not.toContain(key);

      await page.getByRole('button', { name: 'I have copied the key' }).click();
      await notice.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(key);

      await page.reload();
      await page.getByRole('row').filter({ hasText: 'LMS export' }).waitFor();
      expect(await page.content()).not.toContain(key);
      await page.getByRole('row').filter({ hasText: 'LMS export' }).getByText('Active').waitFor();

      // Eighty days on, the list says that the key is near its end.
      await page.clock.setFixedTime(new Date(Date.now() + 80 * 86_400_000));
      await page.reload();
      await page.getByRole('row').filter({ hasText: 'LMS export' }).getByText('Expires in 10 days').waitFor();
      await page.clock.setFixedTime(new Date());

      // The key the person copied is the real one.
      const response = await fetch(`${hub.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ kind: 'api_key', apiKey: { name: 'LMS export' } });
    },
    testTimeoutMs,
  );

  test(
    'a board is given its own systems as examples, not a provider’s learning management system',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.licensingBoardAdmin);
      await page.goto('/organization/api-keys');
      await page.getByText('The system that will use it, for example “Licensing system sync”.').waitFor();
      await page.getByText(/such as your licensing system, so you can revoke one/).waitFor();
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByText('Name the key after the system that will use it, for example “Licensing system sync”.').first().waitFor();
      expect(await page.getByRole('main').getByText(/learning management|LMS/).count()).toBe(0);

      const provider = await hub.newPage();
      await signIn(provider, demoUsers.providerAdmin);
      await provider.goto('/organization/api-keys');
      await provider.getByText('The system that will use it, for example “LMS export”.').waitFor();
    },
    testTimeoutMs,
  );

  test(
    'revoking a key asks first and then the key stops working',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.licensingBoardAdmin);
      await page.goto('/organization/api-keys');
      await page.getByLabel('Key name').fill('Roster sync');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.getByLabel('API key Roster sync').inputValue();
      await page.getByRole('button', { name: 'I have copied the key' }).click();

      await page.getByRole('button', { name: 'Revoke Roster sync' }).click();
      const confirm = page.getByRole('group', { name: /Revoke “Roster sync”/ });
      await confirm.getByRole('button', { name: 'Revoke' }).click();

      await page.getByRole('status').filter({ hasText: 'was revoked' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'Roster sync' });
      await row.getByText(/Revoked/).waitFor();

      const response = await fetch(`${hub.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(401);
    },
    testTimeoutMs,
  );
});
