import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { demoUsers, expectStackedOnPhone, fitsWidth, signIn, useBrowserHub, viewports, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

/** The CSRF header the hub wants on writes made with the page's session cookie. */
async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const token = (await page.context().cookies()).find((cookie) => cookie.name === 'cmehub_csrf')?.value ?? '';
  return { 'x-csrf-token': token };
}

/** Calls the hub's API with the page's own session, as the web app does. */
async function callApi(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
  const response = await page.request.fetch(path, { method, headers: await csrfHeader(page), data });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return response.json();
}

describe('the home pages', () => {
  const hub = useBrowserHub();

  test(
    'a provider sees this month’s reports, what waits for them, their uploads, and the way to each task',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.providerAdmin);
      const tasks = page.getByRole('list', { name: 'Provider tasks' });
      for (const task of ['Register an activity', 'Report a learner', 'Upload a file', 'Validate learners']) {
        await tasks.getByRole('link', { name: new RegExp(`^${task}`) }).waitFor();
      }

      // Until the provider reports someone, the reports part says how to; then it counts.
      const organizationId = (await callApi(page, 'GET', '/api/v1/me')).organization.id;
      const before = await callApi(page, 'GET', `/api/v1/providers/${organizationId}/dashboard`);
      const reports = page.getByRole('region', { name: 'Learner reports' });
      if (before.thisMonth.total + before.toFix.pending + before.toFix.rejected === 0) {
        await reports.getByText(/^Nothing reported in \w+ \d{4}$/).waitFor();
      } else {
        await reports.getByRole('list', { name: 'Learner reports' }).getByText(`${before.thisMonth.total} reported in`).waitFor();
      }

      // The demo activities: one ended and waiting for its year-end data, one still a draft.
      const attention = page.getByRole('region', { name: 'Activities needing attention' });
      const ended = attention.getByRole('row').filter({ hasText: 'End-of-Life Conversations' });
      await ended.waitFor();
      expect(await ended.textContent()).toContain('Add its year-end data, then close it');
      expect(await attention.getByRole('row').filter({ hasText: 'Ethics Grand Rounds (planning)' }).textContent()).toContain(
        'Activate it to take learner reports',
      );
      const uploads = page.getByRole('region', { name: 'Recent uploads' });
      const [latestUpload] = (await callApi(page, 'GET', '/api/v1/uploads?limit=1')).items;
      if (latestUpload) await uploads.getByRole('link', { name: latestUpload.fileName ?? /file$/ }).first().waitFor();
      else await uploads.getByText('No file uploaded yet').waitFor();
      // A screen reader lists the section once: its table has a name of its own.
      if (latestUpload) expect(await uploads.getByRole('table', { name: 'Latest files sent' }).count()).toBe(1);
      expect(await page.getByRole('table', { name: 'Recent uploads' }).count()).toBe(0);

      // A learner reported through the API is counted the next time the home page opens.
      const activities = await callApi(page, 'GET', '/api/v1/activities?q=DEMO-MATE');
      const activity = activities.items[0];
      await callApi(page, 'POST', '/api/v1/learner-reports', {
        activityId: activity.id,
        completionDate: activity.startDate,
        learner: { firstName: 'Nora', lastName: 'Unmatched', birthMonth: 4, birthDay: 9, npi: '1234567893' },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
        consent: 'written',
      });
      const dashboard = await callApi(page, 'GET', `/api/v1/providers/${organizationId}/dashboard`);
      expect(dashboard.thisMonth.total).toBe(before.thisMonth.total + 1);
      await page.reload();
      const figures = reports.getByRole('list', { name: 'Learner reports' });
      await figures.waitFor();
      expect(await figures.textContent()).toContain(`${dashboard.thisMonth.total} reported in`);
      const toFix = dashboard.toFix.pending > 0 ? 'pending a match' : 'rejected, to fix';
      await figures.getByRole('link', { name: new RegExp(toFix) }).click();
      await waitForHeading(page, 'Learner reports');
      expect(new URL(page.url()).searchParams.get('status')).toBe(dashboard.toFix.pending > 0 ? 'pending' : 'rejected');
      // Each report's activity is named as the coordinator knows it, not by its hub ID.
      await page.getByRole('row', { name: /Unmatched, Nora/ }).getByText(`${activity.title} (DEMO-MATE)`).waitFor();

      await page.goBack();
      await waitForHeading(page, 'Provider home');
      await page.getByRole('region', { name: 'Activities needing attention' }).getByRole('link', { name: 'End-of-Life Conversations' }).click();
      await waitForHeading(page, 'End-of-Life Conversations');

      // All uploads leads past the upload form to the list of files sent, in view.
      await page.goBack();
      await waitForHeading(page, 'Provider home');
      await page.getByRole('region', { name: 'Recent uploads' }).getByRole('link', { name: 'All uploads' }).click();
      await waitForHeading(page, 'Upload learner completions');
      await expect.poll(() => page.getByRole('heading', { name: 'Recent uploads' }).isVisible()).toBe(true);
      await expect
        .poll(() => page.getByRole('heading', { name: 'Recent uploads' }).evaluate((heading) => heading.getBoundingClientRect().top >= 0 && heading.getBoundingClientRect().bottom <= window.innerHeight))
        .toBe(true);
    },
    testTimeoutMs,
  );

  test(
    'a new provider with nothing yet is told to register an activity first',
    async () => {
      const operator = await hub.newPage();
      await signIn(operator, demoUsers.operator);
      const provider = await callApi(operator, 'POST', '/api/v1/organizations', {
        kind: 'provider',
        name: 'Brand New CME',
        providerId: '7000001',
      });
      const password = 'brand-new-cme-2026';
      await callApi(operator, 'POST', `/api/v1/organizations/${provider.id}/users`, {
        email: 'lead@brand-new-cme.example.org',
        password,
        role: 'provider_admin',
      });

      const page = await hub.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill('lead@brand-new-cme.example.org');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await waitForHeading(page, 'Provider home');
      const start = page.getByRole('region', { name: 'Start here' });
      await start.getByText('No activities yet').waitFor();
      expect(await page.getByRole('region', { name: 'Activities needing attention' }).count()).toBe(0);
      await start.getByRole('link', { name: 'Register an activity' }).click();
      await waitForHeading(page, 'New activity');
    },
    testTimeoutMs,
  );

  test(
    'a licensing board sees it has loaded no roster, then the latest load with its figures',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.licensingBoardAdmin);
      const tasks = page.getByRole('list', { name: 'Board tasks' });
      await tasks.getByRole('link', { name: /^Licensee credits/ }).waitFor();
      const me = await callApi(page, 'GET', '/api/v1/me');
      const roster = page.getByRole('region', { name: 'Latest roster load' });
      if ((await callApi(page, 'GET', `/api/v1/boards/${me.organization.id}/roster/loads`)).items.length === 0) {
        await roster.getByText('No roster loaded yet').waitFor();
        expect(await roster.textContent()).toContain('licensees');
      }

      const csv = [
        'License number,License type,Status,First name,Last name,Birth month,Birth day',
        'A100001,MD,active,Maria,Lopez,3,14',
        'A100002,MD,active,James,Okafor,11,2',
        'A100003,MD,active,Nameless,,5,5',
      ].join('\n');
      const load = await page.request.post(`/api/v1/boards/${me.organization.id}/roster?fileName=licensees.csv`, {
        headers: { 'content-type': 'text/csv', ...(await csrfHeader(page)) },
        data: csv,
      });
      expect(load.status(), await load.text()).toBe(202);
      // The file is loaded once it has arrived: the home page shows the load once it has ended.
      const loadAddress = load.headers().location;
      await expect.poll(async () => (await (await page.request.get(loadAddress)).json()).status).toBe('completed');

      await page.reload();
      await roster.getByText(/Loaded/).first().waitFor();
      const figures = roster.getByRole('list', { name: 'Latest roster load' });
      const text = (await figures.textContent()) ?? '';
      expect(text).toContain('3 rows read');
      expect(text).toContain('2 new licenses');
      expect(text).toContain('1 rejected');
      expect(await roster.getByRole('link', { name: 'Excel (XLSX)' }).getAttribute('href')).toContain('/receipt?format=xlsx');
      expect(text).toContain('rejected, see the receipt');
      await roster.getByText('Receipt, one line per row with what to fix:').waitFor();

      // A load that rejected nothing points to nothing to fix.
      const clean = await page.request.post(`/api/v1/boards/${me.organization.id}/roster?fileName=more-licensees.csv`, {
        headers: { 'content-type': 'text/csv', ...(await csrfHeader(page)) },
        data: ['License number,License type,Status,First name,Last name,Birth month,Birth day', 'A100004,MD,active,Ada,Clean,1,2'].join('\n'),
      });
      expect(clean.status(), await clean.text()).toBe(202);
      const cleanAddress = clean.headers().location;
      await expect.poll(async () => (await (await page.request.get(cleanAddress)).json()).status).toBe('completed');
      await page.reload();
      await roster.getByText('more-licensees.csv', { exact: false }).waitFor();
      const cleanText = (await figures.textContent()) ?? '';
      expect(cleanText).toContain('0 rejected');
      // One row, said as one.
      expect(cleanText).toContain('1 row read');
      expect(cleanText).toMatch(/1 new license(?!s)/);
      expect(cleanText).not.toContain('see the receipt');
      await roster.getByText('Receipt, one line per row:').waitFor();
      expect(await roster.getByText('what to fix').count()).toBe(0);

      await roster.getByRole('link', { name: 'Load a roster' }).click();
      await waitForHeading(page, 'Licensee roster');
    },
    testTimeoutMs,
  );

  test(
    'a certifying board’s home speaks of diplomates and MOC credit',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.certifyingBoardAdmin);
      await page.getByRole('list', { name: 'Board tasks' }).getByRole('link', { name: /^MOC credit reported/ }).waitFor();
      const me = await callApi(page, 'GET', '/api/v1/me');
      const roster = page.getByRole('region', { name: 'Latest roster load' });
      if ((await callApi(page, 'GET', `/api/v1/boards/${me.organization.id}/roster/loads`)).items.length === 0) {
        await roster.getByText('No roster loaded yet').waitFor();
        expect(await roster.textContent()).toContain('diplomates');
      } else {
        await roster.getByRole('link', { name: 'Excel (XLSX)' }).waitFor();
      }
    },
    testTimeoutMs,
  );

  test(
    'a physician sees their credits and yearly Category 1 totals, or that their account is not linked yet',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.physician);
      const credits = await page.request.get('/api/v1/me/credits');
      if (credits.status() === 403) {
        await page.getByText('Your account is not linked to your physician record yet').waitFor();
      } else {
        const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric' }).format(new Date()));
        const totals = page.getByRole('list', { name: 'AMA PRA Category 1 Credit™ by year' });
        await totals.getByText(`in ${year - 1}`).waitFor();
        const lines = (await credits.json()).items;
        const table = page.getByRole('region', { name: 'Credits reported for you' });
        if (lines.length === 0) await table.getByText('No credits yet').waitFor();
        else await table.getByRole('row').filter({ hasText: lines[0].providerName ?? '' }).first().waitFor();
      }
      expect(await page.getByRole('alert').count()).toBe(0);
    },
    testTimeoutMs,
  );

  test(
    'on a phone the physician’s credits are stacked, the first line with its credit type and credits in view',
    async () => {
      const page = await hub.newPage({ viewport: viewports.phone });
      await signIn(page, demoUsers.physician);
      await expectStackedOnPhone(page, page.getByRole('region', { name: 'Your credits, latest completion first', exact: true }), ['Credit type', 'Credits']);
    },
    testTimeoutMs,
  );

  test(
    'on a phone the activities needing attention are stacked, as the other tables of the provider home are, what to do and the dates in view',
    async () => {
      const page = await hub.newPage({ viewport: viewports.phone });
      await signIn(page, demoUsers.providerStaff);
      await expectStackedOnPhone(page, page.getByRole('region', { name: 'Ended activities to close, then drafts to activate', exact: true }), ['What to do', 'Status', 'Dates']);
    },
    testTimeoutMs,
  );

  test(
    'a screen reader finds each part of the provider and physician home pages once among the regions, and its table by a name of its own',
    async () => {
      const provider = await hub.newPage();
      await signIn(provider, demoUsers.providerAdmin);
      const attention = provider.getByRole('region', { name: 'Activities needing attention', exact: true });
      const activities = attention.getByRole('table', { name: 'Ended activities to close, then drafts to activate', exact: true });
      await activities.getByRole('row', { name: /End-of-Life Conversations/ }).waitFor();
      expect(await provider.getByRole('region', { name: 'Activities needing attention', exact: true }).count()).toBe(1);
      expect(await provider.getByRole('table', { name: 'Activities needing attention', exact: true }).count()).toBe(0);

      const physician = await hub.newPage();
      await signIn(physician, demoUsers.physician);
      const credits = physician.getByRole('region', { name: 'Credits reported for you', exact: true });
      const lines = credits.getByRole('table', { name: 'Your credits, latest completion first', exact: true });
      await lines.getByRole('row').nth(1).waitFor();
      expect(await physician.getByRole('region', { name: 'Credits reported for you', exact: true }).count()).toBe(1);
      expect(await physician.getByRole('table', { name: 'Credits reported for you', exact: true }).count()).toBe(0);
    },
    testTimeoutMs,
  );

  test(
    'the operator sees how many organizations of each kind use the hub, each leading to its list',
    async () => {
      const page = await hub.newPage();
      await signIn(page, demoUsers.operator);
      const boards = await callApi(page, 'GET', '/api/v1/organizations?kind=certifying_board&limit=500');
      const counts = page.getByRole('list', { name: 'Organizations by kind' });
      await counts.waitFor();
      const link = counts.getByRole('link', { name: `${boards.items.length} certifying boards` });
      await link.click();
      await waitForHeading(page, 'Organizations');
      expect(new URL(page.url()).searchParams.get('kind')).toBe('certifying_board');
      await page.getByRole('link', { name: 'American Board of Internal Medicine' }).waitFor();
    },
    testTimeoutMs,
  );

  test(
    'on a phone the home pages fit the screen',
    async () => {
      for (const user of [demoUsers.providerStaff, demoUsers.licensingBoardStaff, demoUsers.operator]) {
        const page = await hub.newPage({ viewport: viewports.phone });
        await signIn(page, user);
        await page.getByRole('region').first().waitFor();
        await expect.poll(() => page.locator('.loading').count()).toBe(0);
        expect(await fitsWidth(page), user.email).toBe(true);
      }
    },
    testTimeoutMs,
  );
});
