import { describe, expect, test } from 'vitest';
import { answerDatesDayFirst, demoUsers, signIn, useBrowserHub, viewports, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

/** A date `days` from today, as the date inputs take it. */
function isoDate(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('activities in the web app', () => {
  const hub = useBrowserHub();

  test(
    'a coordinator creates an activity, edits it, and closes it with its year-end data',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerStaff);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activities' }).click();
      await waitForHeading(page, 'Activities');
      await page.getByRole('link', { name: 'New activity' }).first().click();
      await waitForHeading(page, 'New activity');

      // A first try with mistakes: the hub's problems appear at their fields.
      await page.getByLabel('Provider activity ID').fill('GR-BROWSER-1');
      await page.getByLabel('Title').fill('Grand Rounds: Pain Management');
      await page.getByLabel('Activity type').selectOption('C');
      await page.getByLabel('Delivery method').selectOption('in_person');
      await page.getByLabel('Start date').fill(isoDate(-20));
      await page.getByLabel('End date', { exact: true }).fill(isoDate(-21));
      await page.getByLabel('AMA PRA Category 1 Credit™').fill('1.3');
      await page.getByRole('button', { name: 'Create activity' }).click();
      await page.getByText('The activity was not created').waitFor();
      const endDateField = page.locator('.field', { has: page.getByLabel('End date', { exact: true }) });
      expect(await endDateField.textContent()).toContain('End date is before start date.');
      const cityField = page.locator('.field', { has: page.getByLabel('City') });
      expect(await cityField.textContent()).toContain('City is required');
      expect(await page.locator('.field', { has: page.getByLabel('AMA PRA Category 1 Credit™') }).textContent()).toContain('steps of 0.25');

      await page.getByLabel('End date', { exact: true }).fill(isoDate(-20));
      await page.getByLabel('City').fill('Chicago');
      await page.getByLabel('State').selectOption('IL');
      await page.getByLabel('AMA PRA Category 1 Credit™').fill('1.5');
      await page.getByRole('checkbox', { name: 'Pain management', exact: true }).check();
      await page.getByRole('button', { name: 'Create activity' }).click();
      await waitForHeading(page, 'Grand Rounds: Pain Management');
      await page.getByText('The activity was created as a draft.').waitFor();
      const hubId = (await page.locator('.page-header__subtitle code').textContent()) ?? '';
      expect(hubId).toMatch(/^\d{9}$/);
      expect(await page.getByRole('heading', { name: /Status:/ }).textContent()).toContain('Draft');

      // Edit: a new title and the year-end data.
      await page.getByRole('link', { name: 'Edit' }).click();
      await waitForHeading(page, 'Edit activity');
      await page.getByLabel('Title').fill('Grand Rounds: Pain Management and Opioids');
      await page.getByLabel('Commercial support').selectOption('no');
      await page.getByLabel('Physician learners').fill('35');
      await page.getByLabel('Other learners').fill('0');
      await page.getByRole('group', { name: 'Learner competence' }).getByRole('checkbox', { name: 'Subjective' }).check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await waitForHeading(page, 'Grand Rounds: Pain Management and Opioids');
      await page.getByText('The activity was saved.').waitFor();

      // Close it: the end date has passed and the year-end data is there.
      await page.getByRole('button', { name: 'Close activity' }).click();
      await page.getByText('The activity is now closed.').waitFor();
      await page.getByRole('heading', { name: /Status: Closed/ }).waitFor();
      expect(await page.getByRole('heading', { name: /Status:/ }).textContent()).toContain('Closed');
      expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
      const history = page.getByRole('region', { name: 'History' }).or(page.locator('.activity-history'));
      expect(await history.first().textContent()).toContain('Closed');

      // The list finds it by its ID and shows the status.
      await page.goto('/activities');
      await page.getByLabel('Title or ID').fill(hubId);
      await page.getByRole('button', { name: 'Search' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Grand Rounds: Pain Management and Opioids' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Closed');
    },
    testTimeoutMs,
  );

  test(
    'on a phone the new and edit activity forms fit the screen, their outcome ticks included',
    async () => {
      const page = await hub.newPage({ viewport: viewports.phone });
      await signIn(page, demoUsers.providerStaff);
      const [activity] = (await (await page.request.get('/api/v1/activities?q=DEMO-GERIATRICS')).json()).items;
      for (const [path, heading] of [
        ['/activities/new', 'New activity'],
        [`/activities/${activity.id}/edit`, 'Edit activity'],
      ]) {
        await page.goto(path);
        await waitForHeading(page, heading);
        const outcomes = page.getByRole('group', { name: 'Outcomes measured' });
        await outcomes.getByRole('checkbox').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(viewports.phone.width);
        const box = await outcomes.boundingBox();
        expect(box && box.x + box.width, path).toBeLessThanOrEqual(viewports.phone.width);
      }
    },
    testTimeoutMs,
  );

  const activityHeader = 'Provider activity ID,Title,Activity type,Delivery method,Start date,End date,AMA PRA Category 1 credits';

  /** The activities upload page, signed in as a coordinator. */
  async function uploadPage() {
    const page = await hub.newPage();
    await signIn(page, demoUsers.providerAdmin);
    await page.goto('/activities/upload');
    await waitForHeading(page, 'Upload activities');
    return page;
  }

  test(
    'a coordinator uploads a file and reads per row what was created and what to fix',
    async () => {
      const page = await uploadPage();
      const csv = [
        activityHeader,
        `UP-1,Journal Club,JN,print_other,${isoDate(5)},${isoDate(200)},1`,
        `UP-2,Backwards dates,EM,online,${isoDate(10)},${isoDate(5)},1`,
      ].join('\n');
      await page.getByLabel('Activities file').setInputFiles({ name: 'activities.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Upload' }).click();
      // Not all well: said apart from a file taken whole, with what to do.
      const summary = page.getByRole('status').filter({ hasText: '1 created, 0 updated, 0 unchanged, 1 rejected.' });
      expect(await summary.textContent()).toContain('Correct the rejected row as it says below, and upload the file again: the rows saved come back unchanged.');
      expect(await summary.getAttribute('class')).toContain('banner--warning');
      const rejected = page.getByRole('row').filter({ hasText: 'UP-2' });
      expect(await rejected.textContent()).toContain('End date is before start date.');
      // Said in the file's words, not with the API's name of the column.
      expect(await rejected.textContent()).not.toContain('end_date');

      // A year-end file of updates whose heading is misspelt: its rows come back, but not in green as if it was read.
      const updates = ['Provider activity ID,Physician lerners', 'UP-1,40'].join('\n');
      await page.getByLabel('Activities file').setInputFiles({ name: 'year-end.csv', mimeType: 'text/csv', buffer: Buffer.from(updates) });
      await page.getByRole('button', { name: 'Upload' }).click();
      const notRead = page.getByRole('status').filter({ hasText: '0 created, 0 updated, 1 unchanged, 0 rejected.' });
      expect(await notRead.textContent()).toContain(
        'The column "Physician lerners" was not read: the rows saved have none of its values. ' +
          'If it is "Physician learners", write that heading and upload the file again.',
      );
      expect(await notRead.getAttribute('class')).toContain('banner--warning');
      await page.getByRole('row').filter({ hasText: 'UP-1' }).getByRole('link').click();
      await waitForHeading(page, 'Journal Club');
    },
    testTimeoutMs,
  );

  test(
    'a file written day first is asked about at its dates, then saved on the right days once the coordinator says so',
    async () => {
      const page = await uploadPage();
      const csv = [
        activityHeader,
        'DAY-1,Winter grand rounds,RSS,online,04/01/2027,22/01/2027,1',
      ].join('\n');
      await page.getByLabel('Activities file').setInputFiles({ name: 'day-first.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Upload' }).click();
      await answerDatesDayFirst(page, 'Row 2 has "22/01/2027" as its End date, which can only be read day first (DD/MM/YYYY)', 'The file was not taken', 'Upload');
      const summary = page.getByRole('status').filter({ hasText: '1 created, 0 updated, 0 unchanged, 0 rejected.' });
      expect(await summary.getAttribute('class')).toContain('banner--success');
      await page.getByRole('row').filter({ hasText: 'DAY-1' }).getByRole('link').click();
      await waitForHeading(page, 'Winter grand rounds');
      await page.getByText(/Jan(uary)? 4, 2027/).first().waitFor();
    },
    testTimeoutMs,
  );
});
