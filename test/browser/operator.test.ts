import { describe, expect, test } from 'vitest';
import { demoPassword, demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

describe('the operator console', () => {
  const hub = useBrowserHub();

  test(
    'finds organizations by kind and by name',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.operator);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
      await waitForHeading(page, 'Organizations');

      const search = page.getByRole('search', { name: 'Find organizations' });
      await search.getByLabel('Kind').selectOption('certifying_board');
      await search.getByRole('button', { name: 'Search' }).click();
      // The unfiltered list is on screen until the filtered one replaces it.
      await expect.poll(() => page.getByRole('link', { name: 'Medical Board of California' }).count()).toBe(0);
      await page.getByRole('link', { name: 'American Board of Internal Medicine' }).waitFor();
      expect(new URL(page.url()).searchParams.get('kind')).toBe('certifying_board');

      await search.getByLabel('Kind').selectOption('');
      await search.getByLabel('Name or identifier').fill('California');
      await search.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.getByRole('link', { name: 'American Board of Internal Medicine' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Medical Board of California' }).waitFor();
    },
    testTimeoutMs,
  );

  test(
    'creates a provider, adds its administrator, who can then sign in; the audit log shows both',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.operator);
      await page.goto('/operator/organizations');
      await page.getByRole('link', { name: 'New organization' }).first().click();
      await waitForHeading(page, 'New organization');

      await page.getByLabel('Kind').selectOption('provider');
      await page.getByLabel('Name').fill('Lakeside Medical Education');
      await page.getByLabel('Provider ID').fill('12345');
      await page.getByRole('button', { name: 'Create organization' }).click();
      // Checked before anything is sent, and shown next to the field.
      await page.getByText('The provider ID is 7 digits, for example 1234567.').waitFor();
      expect(await page.getByLabel('Provider ID').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Provider ID').fill('7654321');
      await page.getByLabel('Accreditation status').selectOption('provisional');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await waitForHeading(page, 'Lakeside Medical Education');
      await page.getByRole('status').filter({ hasText: 'was created' }).waitFor();
      expect(await page.locator('.details').textContent()).toContain('Provider ID 7654321');

      const users = page.getByRole('region', { name: 'Users' });
      await users.getByText('No users yet').waitFor();
      await users.getByLabel('Email').fill('lead@lakeside.example.org');
      await users.getByLabel('Name').fill('Lee Lakeside');
      await users.getByLabel('Role').selectOption('provider_admin');
      await users.getByLabel('First password').fill('lakeside-first-2026');
      await users.getByRole('button', { name: 'Add person' }).click();
      await users.getByRole('row').filter({ hasText: 'lead@lakeside.example.org' }).waitFor();

      // The same provider ID again is refused, and the hub says why.
      await page.goto('/operator/organizations/new');
      await page.getByLabel('Name').fill('Lakeside again');
      await page.getByLabel('Provider ID').fill('7654321');
      await page.getByRole('button', { name: 'Create organization' }).click();
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('The organization was not created');
      await waitForHeading(page, 'New organization');

      await page.goto('/operator/audit-log');
      const log = page.getByRole('search', { name: 'Filter the audit log' });
      await log.getByLabel('Action').fill('organization.create');
      await log.getByRole('button', { name: 'Filter' }).click();
      // Until the filtered entries arrive the unfiltered ones (sign-ins among them) are on screen.
      await expect
        .poll(async () => new Set(await page.locator('tbody th').allTextContents()))
        .toEqual(new Set(['organization.create']));

      const newcomer = await hub.newPage();
      await newcomer.goto('/login');
      await newcomer.getByLabel('Email').fill('lead@lakeside.example.org');
      await newcomer.getByLabel('Password').fill('lakeside-first-2026');
      await newcomer.getByRole('button', { name: 'Sign in' }).click();
      await waitForHeading(newcomer, 'Provider home');
      await newcomer.getByText('Lakeside Medical Education · Provider ID 7654321').waitFor();
    },
    testTimeoutMs,
  );

  test(
    'removes a person only after confirming',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerAdmin);
      await page.goto('/organization/users');
      await page.getByLabel('Email').fill('temp@demo-provider.org');
      await page.getByLabel('Role').selectOption('provider_staff');
      await page.getByLabel('First password').fill(`${demoPassword}-temp`);
      await page.getByRole('button', { name: 'Add person' }).click();
      const row = page.getByRole('row').filter({ hasText: 'temp@demo-provider.org' });
      await row.waitFor();

      await row.getByRole('button', { name: /^Remove/ }).click();
      // Cancel keeps the person.
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await row.count()).toBe(1);

      await row.getByRole('button', { name: /^Remove/ }).click();
      await row.getByRole('group').getByRole('button', { name: 'Remove' }).click();
      await row.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'can no longer sign in' }).waitFor();
    },
    testTimeoutMs,
  );

  test(
    'pages through a long audit log with "Load more"',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.operator);
      // 105 audited changes, made through the public API with the operator's own session.
      const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'cmehub_csrf')?.value ?? '';
      const organizations = await (await page.request.get('/api/v1/organizations?kind=provider')).json();
      const providerId = organizations.items[0].id as string;
      for (let index = 0; index < 105; index += 1) {
        const response = await page.request.post(`/api/v1/organizations/${providerId}/api-keys`, {
          headers: { 'x-csrf-token': csrf },
          data: { name: `Paging key ${index}` },
        });
        expect(response.status()).toBe(201);
      }

      await page.goto('/operator/audit-log?action=api_key.create');
      const rows = page.locator('tbody tr');
      await page.getByText('Showing 100 entries').waitFor();
      expect(await rows.count()).toBe(100);
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.getByText('Showing 105 entries (all)').waitFor();
      expect(await rows.count()).toBe(105);
      expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    },
    testTimeoutMs,
  );
});
