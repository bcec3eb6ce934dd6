import { describe, expect, test } from 'vitest';
import { addDays, hubToday } from '../../src/modules/activities/dates.ts';
import { demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

describe('reporting one learner in the web app', () => {
  const hub = useBrowserHub();

  test(
    'a coordinator names the activity by its own ID, sees which activity that is, and the report is accepted',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerStaff);
      await page.getByRole('link', { name: 'Report a learner' }).first().click();
      await waitForHeading(page, 'Report a learner');

      // The activities that take reports are offered as the ID is typed; the one typed is named beside it.
      const activityField = page.getByLabel('Activity ID');
      // The list comes with the activities, a moment after the form.
      await expect.poll(() => activityField.getAttribute('list')).toBe('reportable-activities');
      const offered = await page.locator('#reportable-activities option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).label));
      expect(offered).toContain('DEMO-GERIATRICS: Geriatrics Update: Falls, Delirium and Dementia');
      expect(offered.join('\n')).not.toContain('DEMO-ETHICS'); // a draft takes no reports
      await activityField.fill('DEMO-GERIATRICS');
      const field = page.locator('.field', { has: activityField });
      await expect.poll(() => field.textContent()).toContain('Geriatrics Update: Falls, Delirium and Dementia (DEMO-GERIATRICS, hub ID');

      const hubId = /hub ID (\d{9})/.exec((await field.textContent()) ?? '')?.[1];
      expect(hubId).toMatch(/^\d{9}$/);

      await page.getByLabel('Completion date').fill(addDays(hubToday(), -1));
      await page.getByLabel('First name').fill('James');
      await page.getByLabel('Last name').fill('Okafor');
      await page.getByLabel('Birth month').selectOption('11');
      await page.getByLabel('Birth day').fill('2');
      await page.getByLabel('License state').fill('CA');
      await page.getByLabel('License number').fill('A23456');
      await page.getByLabel('Credits', { exact: true }).fill('1.5');
      await page.getByLabel('Learner’s consent to be reported').selectOption('written');
      await page.getByRole('button', { name: 'Report this learner' }).click();
      await page.getByText('Reported and accepted').waitFor();

      // The report names the activity by its hub ID, whichever ID was typed.
      await page.getByRole('link', { name: 'Open the report' }).click();
      await page.getByText(`Activity ${hubId}`).waitFor();
    },
    testTimeoutMs,
  );
});
