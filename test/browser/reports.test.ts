import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { addDays, hubToday } from '../../src/modules/activities/dates.ts';
import { demoUsers, expectStackedOnPhone, signIn, useBrowserHub, viewports, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

/** California licensees of the demo registry. */
const okafor = { firstName: 'James', lastName: 'Okafor', birthMonth: '11', birthDay: '2', licenseNumber: 'A23456' };
const natarajan = { firstName: 'Priya', lastName: 'Natarajan', birthMonth: '6', birthDay: '30', licenseNumber: 'A34567' };

/** The report form filled in with a California licensee's completion yesterday (James Okafor's unless said): the learner, the date, the license. */
async function fillCompletion(page: Page, learner = okafor) {
  await page.getByLabel('Completion date').fill(addDays(hubToday(), -1));
  await page.getByLabel('First name').fill(learner.firstName);
  await page.getByLabel('Last name').fill(learner.lastName);
  await page.getByLabel('Birth month').selectOption(learner.birthMonth);
  await page.getByLabel('Birth day').fill(learner.birthDay);
  await page.getByLabel('License state').fill('CA');
  await page.getByLabel('License number').fill(learner.licenseNumber);
}

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

      await fillCompletion(page);
      await page.getByLabel('Credits', { exact: true }).fill('1.5');
      await page.getByLabel('Learner’s consent to be reported').selectOption('written');
      await page.getByRole('button', { name: 'Report this learner' }).click();
      await page.getByText('Reported and accepted').waitFor();

      // The report names the activity as the coordinator knows it, its title and their own ID, and leads to it
      // (its hub ID); its credits by the name of their type.
      await page.getByRole('link', { name: 'Open the report' }).click();
      const activityLink = page.getByRole('link', { name: 'Geriatrics Update: Falls, Delirium and Dementia (DEMO-GERIATRICS)' });
      expect(await activityLink.getAttribute('href')).toBe(`/activities/${hubId}`);
      await page.getByText('1.5 AMA PRA Category 1 Credit™', { exact: true }).waitFor();

      // Its credit is on the physician's record, which boards read: a correction of it says why, in its history.
      await page.getByRole('link', { name: 'Correct' }).click();
      await waitForHeading(page, 'Correct a learner report');
      await page.getByLabel('Credits', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await page.locator('.field', { has: page.getByLabel('Reason for the correction') }).getByText('Say why the report is corrected: its credit is on the physician’s record').waitFor();
      await expect.poll(() => page.getByLabel('Reason for the correction').evaluate((input) => input === document.activeElement)).toBe(true);
      await page.getByLabel('Reason for the correction').fill('Left after the first hour');
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await page.getByText('1 AMA PRA Category 1 Credit™', { exact: true }).waitFor();
      await page.getByText('“Left after the first hour”').waitFor();
    },
    testTimeoutMs,
  );

  test(
    'a report whose activity ID was mistyped is corrected on its page, the activity with it',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerStaff);
      await page.goto('/reports/new');
      await waitForHeading(page, 'Report a learner');
      await page.getByLabel('Activity ID').fill('DEMO-GERIATRIX');
      await fillCompletion(page, natarajan);
      await page.getByLabel('Credits', { exact: true }).fill('1');
      await page.getByLabel('Learner’s consent to be reported').selectOption('written');
      await page.getByRole('button', { name: 'Report this learner' }).click();
      await page.getByText('Not accepted').waitFor();
      await page.getByRole('link', { name: 'Open the report' }).click();
      await page.getByText('Activity “DEMO-GERIATRIX”, none of yours').waitFor();

      await page.getByRole('link', { name: 'Correct' }).click();
      await waitForHeading(page, 'Correct a learner report');
      const activityField = page.getByLabel('Activity ID');
      expect(await activityField.inputValue()).toBe('DEMO-GERIATRIX');
      await activityField.fill('DEMO-GERIATRICS');
      await page.locator('.field', { has: activityField }).getByText(/Geriatrics Update: Falls, Delirium and Dementia \(DEMO-GERIATRICS, hub ID/).waitFor();
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await page.getByRole('link', { name: 'Geriatrics Update: Falls, Delirium and Dementia (DEMO-GERIATRICS)' }).waitFor();
      await page.getByText('Accepted', { exact: true }).waitFor();
    },
    testTimeoutMs,
  );
});

describe('the report form’s checks and answers, for keyboard and screen reader users', () => {
  const hub = useBrowserHub();

  /** The Report a learner page, with every report it sends to the hub counted in `sent`. */
  async function reportForm() {
    const page = await hub.newPage();
    await signIn(page, demoUsers.providerStaff);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/learner-reports') sent.push(request.url());
    });
    await page.goto('/reports/new');
    await waitForHeading(page, 'Report a learner');
    return { page, sent };
  }

  /** What is said under the field labelled `label`. */
  const fieldText = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).textContent();
  const focusedLabel = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? document.activeElement?.tagName);

  test(
    'a form sent empty sends nothing: each missing field says what it needs, and the first has the focus',
    async () => {
      const { page, sent } = await reportForm();
      const send = page.getByRole('button', { name: 'Report this learner' });
      await send.click();
      await expect.poll(() => focusedLabel(page)).toBe('Activity ID');
      expect(await fieldText(page, 'Activity ID')).toContain('Enter the activity');
      expect(await page.getByLabel('Activity ID').getAttribute('aria-invalid')).toBe('true');
      expect(await fieldText(page, 'Completion date')).toContain('Enter the date the learner completed the activity');
      expect(await fieldText(page, 'First name')).toContain('Enter the first name');
      expect(await fieldText(page, 'Last name')).toContain('Enter the last name');
      expect(await fieldText(page, 'Birth month')).toContain('Choose the birth month');
      expect(await fieldText(page, 'Birth day')).toContain('Enter the birth day');
      expect(await fieldText(page, 'License state (optional)')).toContain('Identify the learner by state and license number, NPI, or certifying board and board ID');
      expect(await fieldText(page, 'Credits')).toContain('Enter the credits');
      expect(await fieldText(page, 'Learner’s consent to be reported')).toContain('Choose whether the learner consented');

      // Sent empty again, it is still not sent, nor said to be reported already.
      await send.click();
      await expect.poll(() => focusedLabel(page)).toBe('Activity ID');
      expect(await page.getByText(/Already reported|Not accepted/).count()).toBe(0);

      // With the activity and date given, the first name is the first thing missing; half an identifier is said at the half missing.
      await page.getByLabel('Activity ID').fill('DEMO-GERIATRICS');
      await page.getByLabel('Completion date').fill(addDays(hubToday(), -1));
      await page.getByLabel('License state (optional)').fill('CA');
      await send.click();
      await expect.poll(() => focusedLabel(page)).toBe('First name');
      expect(await fieldText(page, 'Activity ID')).not.toContain('Enter the activity');
      expect(await fieldText(page, 'License number (optional)')).toContain('Give the license number with the state');
      expect(sent).toEqual([]);
    },
    testTimeoutMs,
  );

  test(
    'a report sent and not accepted has the focus on what the hub answered',
    async () => {
      const { page, sent } = await reportForm();
      await page.getByLabel('Activity ID').fill('DEMO-GERIATRICS');
      await fillCompletion(page);
      // Not in steps of 0.25: the hub keeps the report as rejected.
      await page.getByLabel('Credits', { exact: true }).fill('0.3');
      await page.getByLabel('Learner’s consent to be reported').selectOption('written');
      await page.getByRole('button', { name: 'Report this learner' }).click();
      const answer = page.getByRole('status').filter({ hasText: 'Not accepted' });
      await answer.waitFor();
      expect(sent).toHaveLength(1);
      await expect.poll(() => answer.evaluate((status) => document.activeElement !== document.body && Boolean(document.activeElement?.contains(status)))).toBe(true);
    },
    testTimeoutMs,
  );
});

describe('a board finding its licensees’ credits in the web app', () => {
  const hub = useBrowserHub();

  /** Licensee credits as the licensing board's staff open it at `address`: its table of credits, and the physicians it lists. */
  async function creditsPage(address = '/board/credits', viewport?: (typeof viewports)[keyof typeof viewports]) {
    const page = await hub.newPage(viewport ? { viewport } : undefined);
    await signIn(page, demoUsers.licensingBoardStaff);
    await page.goto(address);
    await waitForHeading(page, 'Licensee credits');
    const table = page.getByRole('region', { name: 'Credits' });
    return { page, table, physicians: () => table.locator('tbody tr td:nth-child(2)').allTextContents() };
  }

  test(
    'board staff find a physician by last name, see the list named as hers, and show all licensees again',
    async () => {
      const { page, table, physicians } = await creditsPage();
      await expect.poll(physicians).toContain('James Okafor');
      expect(await physicians()).toContain('Maria Lopez');
      // The credit type as coordinators know it, not its code.
      expect(await table.textContent()).toContain('AMA PRA Category 1 Credit™');
      expect(await table.textContent()).not.toContain('AMA_PRA_CAT1');

      await page.getByLabel('Physician: name, license number or NPI').fill('lopez');
      await page.getByRole('button', { name: 'Show' }).click();
      const shown = page.getByRole('region', { name: 'Physician shown' });
      await shown.getByText('Credits of Maria Lopez (license A12345 · born March 14)').waitFor();
      await expect.poll(physicians).not.toContain('James Okafor');
      expect(new Set(await physicians())).toEqual(new Set(['Maria Lopez']));
      expect(await page.getByText(/Bad request|expected shape/).count()).toBe(0);

      // A name no licensee has is said plainly.
      await page.getByLabel('Physician: name, license number or NPI').fill('Nobody');
      await page.getByRole('button', { name: 'Show' }).click();
      await shown.getByText('No licensee of yours matches “Nobody”.').waitFor();
      expect(await page.getByText('No credits to show').count()).toBe(0);

      await shown.getByRole('link', { name: 'Show all licensees' }).click();
      await expect.poll(physicians).toContain('James Okafor');
      expect(await shown.count()).toBe(0);

      // A name in the list narrows it to that physician, named above the list, until all are shown again.
      await table.getByRole('link', { name: 'James Okafor' }).first().click();
      await shown.getByText(/^Credits of James Okafor \(license A23456 · born November 2\)$/).waitFor();
      expect(new Set(await physicians())).toEqual(new Set(['James Okafor']));
      await shown.getByRole('link', { name: 'Show all licensees' }).click();
      await expect.poll(physicians).toContain('Maria Lopez');
      expect(page.url()).not.toContain('personId');
    },
    testTimeoutMs,
  );

  test(
    'a start date after the end date is said beside the dates, not shown as no credits',
    async () => {
      const { page, table } = await creditsPage();
      await table.locator('tbody tr').first().waitFor();
      await page.getByLabel('Completed from').fill('2026-11-30');
      await page.getByLabel('Completed to').fill('2026-11-01');
      await page.getByRole('button', { name: 'Show' }).click();
      const said = page.getByText(/^The start date \(.+\) is after the end date \(.+\)\. Choose a start date on or before the end date\.$/);
      await said.waitFor();
      expect(await page.getByLabel('Completed from').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByText('No credits to show').count()).toBe(0);
      // The lines of the range shown before are not left under the message, as if they were in these dates.
      expect(await table.count()).toBe(0);

      // The same range in the address (a link kept from before) says the same, and asks the hub nothing.
      await page.goto('/board/credits?since=2026-11-30&until=2026-11-01');
      await waitForHeading(page, 'Licensee credits');
      await said.waitFor();
      expect(await page.getByText('No credits to show').count()).toBe(0);
      expect(await page.getByRole('alert').filter({ hasText: 'Bad request' }).count()).toBe(0);
    },
    testTimeoutMs,
  );

  test(
    'an address edited by hand, naming no physician or a date that is not one, is said in words with a way back',
    async () => {
      const { page, table, physicians } = await creditsPage('/board/credits?personId=not-an-id');
      const refused = page.getByRole('alert').filter({ hasText: /Bad request|expected shape|returned by the API/ });
      await page.getByText('This link names no physician: search by name, license number or NPI.').waitFor();
      expect(await refused.count()).toBe(0);
      expect(await table.count()).toBe(0);
      await page.getByRole('link', { name: 'Show all licensees' }).click();
      await expect.poll(physicians).toContain('James Okafor');
      expect(page.url()).not.toContain('personId');

      await page.goto('/board/credits?since=2026-13-45');
      await waitForHeading(page, 'Licensee credits');
      await page.getByText('The date in the address is not a date: choose the dates again.').waitFor();
      expect(await refused.count()).toBe(0);
      expect(await table.count()).toBe(0);
      await page.getByRole('link', { name: 'Clear the dates' }).click();
      await expect.poll(physicians).toContain('James Okafor');
      expect(page.url()).not.toContain('since');
    },
    testTimeoutMs,
  );

  test(
    'a certifying board is told of its diplomates, not licensees',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.certifyingBoardAdmin);
      await page.goto('/board/credits');
      await waitForHeading(page, 'MOC credit reported');
      await page.getByLabel('Physician: name, board ID or NPI').fill('Nobody');
      await page.getByRole('button', { name: 'Show' }).click();
      const shown = page.getByRole('region', { name: 'Physician shown' });
      await shown.getByText('No diplomate of yours matches “Nobody”.').waitFor();
      await shown.getByRole('link', { name: 'Show all diplomates' }).waitFor();
      // Neither the page nor the menu speaks of licensees to a certifying board.
      expect(await page.getByRole('main').getByText(/licensee/i).count()).toBe(0);
      const menu = page.getByRole('navigation', { name: 'Main' });
      await menu.getByRole('link', { name: 'MOC credit reported' }).waitFor();
      expect(await menu.getByText(/licensee/i).count()).toBe(0);
    },
    testTimeoutMs,
  );

  test(
    'on a phone the credits are stacked, each line with its credit type and credits in view',
    async () => {
      const { page, table } = await creditsPage('/board/credits', viewports.phone);
      await expectStackedOnPhone(page, table, ['Credit type', 'Credits']);
    },
    testTimeoutMs,
  );
});
