import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { hubToday } from '../../src/modules/activities/dates.ts';
import { demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

/** Calls the hub's API with the page's own session, as the web app does (the CSRF header on writes). */
async function callApi(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
  const token = (await page.context().cookies()).find((cookie) => cookie.name === 'cmehub_csrf')?.value ?? '';
  const response = await page.request.fetch(path, { method, headers: { 'x-csrf-token': token }, data });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return response.json();
}

describe('a physician claims a report made under her name', () => {
  const hub = useBrowserHub();

  test(
    'only a report she can claim is offered, with what the provider named her by, and claimed once she confirms',
    async () => {
      const physician = await hub.newPage();
      await signIn(physician, demoUsers.physician);
      const held = (await callApi(physician, 'GET', '/api/v1/me/credits?limit=100')).items[0] as { activityId: string; completionDate: string };
      const inPassport = new Set(((await callApi(physician, 'GET', '/api/v1/me/credits?limit=100')).items as { activityId: string }[]).map((line) => line.activityId));

      // A provider reports Dr. Lopez again for a completion in her passport, under another license, and for
      // another activity under a mistyped license: both wait for a match.
      const provider = await hub.newPage();
      await signIn(provider, demoUsers.providerAdmin);
      const activities = (await callApi(provider, 'GET', '/api/v1/activities?q=DEMO-&status=active&limit=50')).items as { id: string; title: string; startDate: string }[];
      const other = activities.find((activity) => !inPassport.has(activity.id) && activity.startDate < hubToday());
      if (!other) throw new Error('The demo data has no started activity outside Dr. Lopez’s passport');
      const maria = { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14 };
      const receipts = await callApi(provider, 'POST', '/api/v1/learner-reports', [
        { activityId: held.activityId, completionDate: held.completionDate, learner: { ...maria, state: 'CA', licenseNumber: 'B77777' }, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], consent: 'written' },
        { activityId: other.id, completionDate: other.startDate, learner: { ...maria, state: 'CA', licenseNumber: 'A99999' }, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], consent: 'written' },
      ]);
      expect(receipts.map((receipt: { status: string }) => receipt.status)).toEqual(['pending', 'pending']);

      // The passport counts only what she can claim.
      await physician.reload();
      await physician.getByRole('status').getByText('A reported completion may be yours').waitFor();
      await physician.getByRole('link', { name: 'Review the reports to claim' }).click();
      await waitForHeading(physician, 'Reports to claim');
      const table = physician.getByRole('table', { name: 'Reports you may claim' });
      await table.getByRole('row', { name: new RegExp(other.title) }).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(1);
      expect(await table.textContent()).not.toContain('•••777');
      const row = table.getByRole('row', { name: new RegExp(other.title) });
      await row.getByText('CA license •••999').waitFor();
      await row.getByText('Maria Lopez').waitFor();

      // The claim asks first, naming what the provider reported; Escape takes the question back.
      const mine = row.getByRole('button', { name: /^This is mine/ });
      await mine.click();
      const question = 'Claim this report as yours? It names Maria Lopez, CA license •••999. Once claimed it goes to your boards.';
      await row.getByText(question).waitFor();
      const yes = row.getByRole('button', { name: 'Yes, claim it' });
      await expect.poll(() => yes.evaluate((button) => button === document.activeElement)).toBe(true);
      await physician.keyboard.press('Escape');
      await expect.poll(() => mine.evaluate((button) => button === document.activeElement)).toBe(true);
      expect(await row.getByText(question).count()).toBe(0);

      // By keyboard: the claim, then its confirmation.
      await physician.keyboard.press('Enter');
      await expect.poll(() => yes.evaluate((button) => button === document.activeElement)).toBe(true);
      await physician.keyboard.press('Enter');
      await physician.getByText(`${other.title} is now in your passport.`).waitFor();
      await physician.getByText('Nothing to claim').waitFor();
      expect(await physician.getByRole('alert').count()).toBe(0);
      const credits = (await callApi(physician, 'GET', '/api/v1/me/credits?limit=100')).items as { activityId: string }[];
      expect(credits.map((line) => line.activityId)).toContain(other.id);
    },
    testTimeoutMs,
  );
});
