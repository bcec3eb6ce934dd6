import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, hubToday } from '../../src/modules/activities/dates.ts';
import { startUploadWorker } from '../../src/modules/uploads/upload-worker.ts';
import type { UploadWorker } from '../../src/modules/uploads/upload-worker.ts';
import { datesBothWays, dayFirst } from '../dates-both-ways.ts';
import { createTestApp, demoLogins, demoPassword, login, openActivity } from '../helpers.ts';
import type { TestApp } from '../helpers.ts';
import { browserHubConfig, demoUsers, fitsWidth, launchBrowser, signIn, viewports, waitForHeading } from './browser.ts';
import { ensureWebAppBuilt } from './web-build.ts';

const testTimeoutMs = 90_000;
const today = hubToday();
/** The status of an upload taken in whole: "Done", or "Done, 12 to fix" while rows it rejected are still to fix. */
const takenInWhole = /^Done(, [\d,]+ to fix)?$/;
const learnerColumns = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits';

// The hub runs here with its upload worker (the shared browser hub has no background workers).
describe('uploading a learner file in the web app', () => {
  let t: TestApp;
  let worker: UploadWorker;
  let browser: Browser;
  let baseUrl: string;
  let activityId: string;
  let scratch: string;

  beforeAll(async () => {
    await ensureWebAppBuilt();
    t = await createTestApp({ demo: true, config: browserHubConfig });
    worker = startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, pollMs: 100 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const activity = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sepsis update', providerActivityId: 'BROWSER-UP' }));
    expect(activity.statusCode, activity.body).toBe(201);
    activityId = activity.json().id;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-browser-upload-'));
  }, 180_000);

  /** A signed-out page of its own, closed once `use` is done. */
  async function withPage(viewport: (typeof viewports)[keyof typeof viewports], use: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport });
    context.setDefaultTimeout(15_000);
    try {
      await use(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }, 180_000);

  test(
    'a file refused for one thing says it once, above the form, and nothing is taken',
    async () => {
      const file = path.join(scratch, 'last-year.csv');
      const lastYear = addDays(today, -400);
      fs.writeFileSync(file, [learnerColumns, ...Array.from({ length: 12 }, (_, index) => `LY-${index},${activityId},${lastYear},Pat,Year${index},4,5,CA,Z70${index},1`)].join('\r\n'));
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await chooseWithWrittenConsent(page, file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        const refusal = page.getByRole('alert').filter({ hasText: 'The file was not taken' });
        await refusal.filter({ hasText: `Row 2 would be rejected for its completion date: The completion date ${lastYear} is outside the activity’s dates` }).waitFor();
        expect((await refusal.innerText()).match(/Row 2 would be rejected for its completion date/g)).toHaveLength(1);
        expect(await page.getByRole('link', { name: 'last-year.csv' }).count()).toBe(0);
      });
    },
    testTimeoutMs,
  );

  test(
    'a file refused for its header names the header row once, then each column to add',
    async () => {
      const file = path.join(scratch, 'sign-in-sheet.csv');
      fs.writeFileSync(file, 'Notes,Name,License,Birth\r\nSeen,Maria Lopez,A12345,03/14\r\n');
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await chooseWithWrittenConsent(page, file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        const refusal = page.getByRole('alert').filter({ hasText: "The file's header row (row 1) lacks columns every learner row needs" });
        await refusal.waitFor();
        const problems = await refusal.getByRole('listitem').allInnerTexts();
        expect(problems[0]).toMatch(/^The file has no "Activity ID" column/);
        expect(problems.at(-1)).toMatch(/^These columns are not used/);
        expect(problems.filter((problem) => /^Row /.test(problem))).toEqual([]);
      });
    },
    testTimeoutMs,
  );

  test(
    'rows that are no completion (a registrant who did not attend) are listed apart from what to fix',
    async () => {
      const file = path.join(scratch, 'webinar-attendees.csv');
      fs.writeFileSync(
        file,
        [
          `${learnerColumns},Attended`,
          `ATT-1,${activityId},${addDays(today, -2)},Pat,Came,4,5,CA,Z2001,1,Yes`,
          `ATT-2,${activityId},${addDays(today, -2)},Robin,Away,6,7,CA,Z2002,1,No`,
        ].join('\r\n'),
      );
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await chooseWithWrittenConsent(page, file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'webinar-attendees.csv');
        await page.getByText('Done', { exact: true }).waitFor();
        const notTaken = page.getByRole('region', { name: 'Not taken in: no completions' });
        await expect.poll(() => notTaken.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(/^1 row\s+Row 3: Attended: "No" says the registrant did not attend/)]);
        await notTaken.getByText('Nothing of these rows is kept, and there is nothing to fix or send again').waitFor();
        expect(await page.getByRole('region', { name: 'What to fix, most common first' }).count()).toBe(0);
      });
    },
    testTimeoutMs,
  );

  test(
    'a coordinator drops a CSV file, watches it go in, and reads the receipt',
    async () => {
      const file = path.join(scratch, 'september-completions.csv');
      fs.writeFileSync(
        file,
        [
          learnerColumns,
          `REG-1,${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1.5`,
          `REG-2,${activityId},${addDays(today, -40)},Robin,Stone,6,7,CA,Z1002,2`,
          `REG-3,${activityId},last week,Sam,Tate,8,9,CA,Z1003,1`,
        ].join('\r\n'),
      );
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');

        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByText('september-completions.csv').waitFor();
        await page.getByLabel("Learners' consent to be reported").selectOption('written');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();

        await waitForHeading(page, 'september-completions.csv');
        await page.getByText('Done, 1 to fix', { exact: true }).waitFor();
        // The tab says so too, for a coordinator who went on working in another tab.
        await expect.poll(() => page.title()).toBe('Done · september-completions.csv · CME Hub');
        const counts = page.getByRole('list', { name: 'Rows so far' });
        await expect.poll(() => counts.innerText()).toMatch(/3\s+Rows[\s\S]*2\s+Pending[\s\S]*1\s+Rejected/);

        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await receipt.getByText('REG-3').waitFor();
        // A row completed 40 days ago says its status, then that it is late, in words the page's legend explains.
        await expect.poll(() => resultOf(receipt, 'REG-2')).toBe('Pending · reported more than 30 days after completion');
        expect(await resultOf(receipt, 'REG-1')).toBe('Pending');
        await page.getByText('A row reported more than 30 days after its completion date is taken in all the same, marked late.').waitFor();
        await page.getByRole('button', { name: 'Rejected' }).click();
        await expect.poll(() => receipt.getByRole('row').count()).toBe(2);
        await receipt.getByText('Completion date: "last week" is not a date; write it as YYYY-MM-DD or MM/DD/YYYY').waitFor();

        // What went wrong, summed up, opens its rows in the receipt.
        const whatToFix = page.getByRole('region', { name: 'What to fix, most common first' });
        await expect.poll(() => whatToFix.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(/^1 row\s+Row 4: Completion date: "last week" is not a date/)]);
        // The pending rows' problem is apart: they are on file, with nothing to send again.
        const toCheck = page.getByRole('region', { name: 'Taken in, with something to check' });
        await expect.poll(() => toCheck.getByRole('listitem').allInnerTexts()).toEqual([
          expect.stringMatching(/^2 rows\s+Such as row 2: California has no license number Z1001 on record/),
        ]);
        await page.getByRole('button', { name: 'All rows' }).click();
        await expect.poll(() => receipt.getByRole('row').count()).toBe(4);
        // From the top of the page, where the list is read, the receipt's rows are out of sight.
        await page.evaluate(() => window.scrollTo(0, 0));
        await whatToFix.getByRole('button', { name: 'Show this row' }).click();
        await expect.poll(() => receipt.getByRole('row').count()).toBe(2);
        await receipt.getByText('REG-3').waitFor();
        // The row is brought into view below the list, and the focus with it, for the keyboard and screen readers.
        await expect.poll(() => receipt.evaluate((region) => region === document.activeElement)).toBe(true);
        expect(await topInView(page, receipt.getByRole('row', { name: /REG-3/ }))).toBe(true);
        await page.getByText('Rows with the problem of row 4:').waitFor();
        // Each line names its learner, with the activity and the date as the row gave them.
        await receipt.getByRole('cell', { name: /^Sam Tate.*last week$/ }).waitFor();

        const download = await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href');
        const csv = await (await page.request.get(download!)).text();
        expect(csv.replace(/^\uFEFF/, '').split('\r\n').slice(0, 4)).toEqual([
          'Row,Reference,Learner,Activity,Completion date,Status,Duplicate,Late,Report ID,Problems,Problem codes',
          expect.stringMatching(new RegExp(`^2,REG-1,Pat Quinn,[^,]+,${addDays(today, -2)},pending,`)),
          expect.stringMatching(new RegExp(`^3,REG-2,Robin Stone,[^,]+,${addDays(today, -40)},pending,`)),
          expect.stringMatching(/^4,REG-3,Sam Tate,[^,]+,last week,rejected,,,.*Completion date/),
        ]);

        // The rejected row's report shows the row as the file gave it, the date that could not be read too.
        await page.getByRole('link', { name: 'Open the report of row 4' }).click();
        await waitForHeading(page, 'Sam Tate');
        const asSent = page.getByRole('region', { name: 'As the file gave it' });
        await expect.poll(() => asSent.innerText()).toMatch(/Completion date\s+last week/);
        expect(await asSent.innerText()).toMatch(/Reference\s+REG-3/);
        // Its date could not be read: the page says nothing of when it was completed. Rejected, it reached no passport or board.
        expect(await page.getByText(/· completed/).count()).toBe(0);
        const deletion = page.getByRole('region', { name: 'Delete this report' });
        expect(await deletion.innerText()).toContain('A rejected report reached no physician’s passport and no board: deleting it takes it off the reports to fix.');
        expect(await deletion.getByText('The credit leaves the physician’s passport').count()).toBe(0);
        await page.goBack();
        await waitForHeading(page, 'september-completions.csv');

        // The rejected row comes back as a file to correct, which then goes in.
        await page.getByText(/^Download the rejected row to fix, with what to fix beside it: .*\. Correct it there and upload that file/).waitFor();
        await page.getByText(/It can be downloaded until /).waitFor();
        const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Rows to fix, CSV' }).click()]);
        expect(saved.suggestedFilename()).toMatch(/^rows-to-fix-.*\.csv$/);
        const rowsToFix = await page.getByRole('link', { name: 'Rows to fix, CSV' }).getAttribute('href');
        const toFix = (await (await page.request.get(rowsToFix!)).text()).replace(/^\uFEFF/, '');
        expect(toFix.split('\r\n')[0]).toMatch(/^What to fix,Row in the file sent,Reference,Activity ID,Completion date,/);
        expect(toFix).toContain(',4,REG-3,');
        const corrected = path.join(scratch, 'rows-to-fix.csv');
        fs.writeFileSync(corrected, toFix.replace(',last week,', `,${addDays(today, -3)},`));
        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');
        await takeIn(page, corrected);
        await expect.poll(() => page.getByRole('list', { name: 'Rows so far' }).innerText()).toMatch(/1\s+Rows[\s\S]*1\s+Pending[\s\S]*0\s+Rejected/);

        // The same file again adds nothing, and the page says so.
        // A row leads to the report it became, which says where it stands now.
        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await page.getByRole('link', { name: 'september-completions.csv' }).click();
        // Its rejected row was corrected: the page says so, and offers no rows to fix.
        await page.getByText('The rejected row was corrected since: nothing is left to fix. The receipt below lists it as sent.').waitFor();
        expect(await page.getByRole('link', { name: 'Rows to fix, CSV' }).count()).toBe(0);
        // Its line says it was corrected since, by which file, and its problems are what was wrong.
        await page.getByRole('region', { name: 'What was wrong, most common first' }).waitFor();
        await expect.poll(() => resultOf(page.getByRole('region', { name: 'Receipt lines' }), 'REG-3')).toBe('Rejected · corrected since by rows-to-fix.csv');
        // Its report says what corrected it, and leads there.
        await page.getByRole('link', { name: 'Open the report of row 4' }).click();
        await waitForHeading(page, 'Sam Tate');
        await page.getByRole('link', { name: 'Row 4 of september-completions.csv' }).waitFor();
        // It says what corrected it in words, the upload a link rather than its id; its problems are what was wrong.
        const deleted = page.getByRole('definition').filter({ hasText: 'Corrected by rows-to-fix.csv' });
        await deleted.waitFor();
        expect(await deleted.innerText()).not.toMatch(/upload [0-9a-f]{8}-/);
        await page.getByRole('heading', { name: 'What was wrong' }).waitFor();
        await page.getByRole('link', { name: 'Open the upload that corrected it' }).click();
        await waitForHeading(page, 'rows-to-fix.csv');
        await page.goBack();
        await waitForHeading(page, 'Sam Tate');
        await page.goBack();
        await page.getByRole('link', { name: 'Open the report of row 2' }).click();
        await waitForHeading(page, 'Pat Quinn');
        await page.getByText('Pending match', { exact: true }).waitFor();
        await page.goBack();

        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        const alreadyUploaded = page.getByRole('status').filter({ hasText: 'This file was already uploaded' });
        await alreadyUploaded.waitFor();
        // Its time is shown as the page's others are, in the reader's zone, not as the hub's words carry it for every client (UTC).
        const earlier = (await (await page.request.get('/api/v1/uploads?limit=100')).json()).items.find((item: { fileName: string }) => item.fileName === 'september-completions.csv');
        const shownAs = await page.evaluate((at: string) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)), earlier.createdAt);
        await expect.poll(() => alreadyUploaded.innerText()).toContain(`This file was already uploaded (${shownAs})`);
        // A screen reader hears it: focus is on the message rather than the heading, the file's name alone.
        await expect.poll(() => alreadyUploaded.evaluate((element) => element === document.activeElement)).toBe(true);

        // Sent by mistake after all: withdrawn, with a reason, its three reports are deleted; all from the keyboard,
        // focus going from the button to the reason, and back when the form is cancelled.
        const withdrawButton = page.getByRole('button', { name: 'Withdraw this upload…' });
        const isFocused = (element: HTMLElement) => element === document.activeElement;
        await withdrawButton.focus();
        await page.keyboard.press('Enter');
        const withdraw = page.getByRole('form', { name: 'Withdraw this upload' });
        const reason = withdraw.getByLabel('Reason for withdrawing');
        await expect.poll(() => reason.evaluate(isFocused)).toBe(true);
        await withdraw.getByRole('button', { name: 'Cancel' }).focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => withdrawButton.evaluate(isFocused)).toBe(true);
        await page.keyboard.press('Enter');
        await expect.poll(() => reason.evaluate(isFocused)).toBe(true);
        // Two of the three rows: the rejected row's report went when its corrected row was taken in; the count,
        // come after the field had the focus, is read out.
        await withdraw.getByRole('status').getByText('Withdrawing deletes the 2 reports this file took in that are still on file').waitFor();
        // Sent without a reason, the form says what it needs, and the focus stays in the field.
        await page.keyboard.press('Enter');
        await withdraw.getByText('Say why you withdraw this file, in a few words (3 characters at least).').waitFor();
        expect(await reason.getAttribute('aria-invalid')).toBe('true');
        expect(await reason.evaluate(isFocused)).toBe(true);
        await page.keyboard.type('Sent for the wrong activity');
        await page.keyboard.press('Enter');
        const withdrawn = page.getByRole('region', { name: 'Withdrawn' });
        await withdrawn.getByText(/2 reports this file took in were deleted\. Reason: Sent for the wrong activity/).waitFor();
        await expect.poll(() => withdrawn.evaluate(isFocused)).toBe(true);
        await page.getByRole('status').filter({ hasText: 'Withdrawn: 2 reports deleted.' }).waitFor();
        expect(await page.getByRole('button', { name: 'Withdraw this upload…' }).count()).toBe(0);
        // Its accepted and pending rows went too: the rows to fix alone would no longer do.
        await page.getByText('To report these learners after all, send the whole file again, with the rejected row corrected (the receipt below says what to fix in it).').waitFor();
        expect(await page.getByRole('link', { name: 'Rows to fix, CSV' }).count()).toBe(0);
        // Nothing it took in stays: what was wrong is to correct in the file sent again whole, its pending rows no longer apart as on file.
        const wasWrong = page.getByRole('region', { name: 'What was wrong, most common first' });
        await wasWrong.getByText('Its accepted and pending rows were deleted too: correct these in the file and send it again whole.').waitFor();
        await expect.poll(() => wasWrong.getByRole('listitem').allInnerTexts()).toEqual([
          expect.stringMatching(/^2 rows\s+Such as row 2: California has no license number Z1001 on record/),
          expect.stringMatching(/^1 row\s+Row 4: Completion date: "last week" is not a date/),
        ]);
        expect(await page.getByRole('region', { name: 'Taken in, with something to check' }).count()).toBe(0);
        expect(await page.getByText(/Do not send them again/).count()).toBe(0);
        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');
        await page.getByRole('row', { name: /september-completions\.csv/ }).getByText('Withdrawn', { exact: true }).waitFor();
        // Every column of the list, who sent each file last, fits a laptop's screen.
        const list = page.getByRole('region', { name: 'Recent uploads' }).getByRole('region', { name: 'Files sent, newest first' });
        expect(await list.evaluate((region) => region.scrollWidth <= region.clientWidth)).toBe(true);
      });
    },
    testTimeoutMs,
  );

  /** A coordinator sends a CSV file of these rows from the Uploads page and waits on its page until it is taken in; its upload's id. */
  async function sendAndTakeIn(page: Page, fileName: string, rows: string[]): Promise<string> {
    const file = path.join(scratch, fileName);
    fs.writeFileSync(file, [learnerColumns, ...rows].join('\r\n'));
    return takeIn(page, file);
  }

  /** On the Uploads page, a file chosen and its learners' consent given as written, ready to be sent. */
  async function chooseWithWrittenConsent(page: Page, file: string): Promise<void> {
    await page.goto('/uploads');
    await waitForHeading(page, 'Upload learner completions');
    await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
    await page.getByLabel("Learners' consent to be reported").selectOption('written');
  }

  /** Whether the top of `target` is on the screen, clear of the top bar that stays over the page as it scrolls. */
  async function topInView(page: Page, target: Locator): Promise<boolean> {
    const bar = await page.getByRole('banner').boundingBox();
    const box = await target.boundingBox();
    return Boolean(bar && box && box.y >= bar.y + bar.height && box.y < page.viewportSize()!.height);
  }

  /** The Result of a receipt line, as it reads: its status, then what qualifies it. */
  async function resultOf(receipt: Locator, reference: string): Promise<string> {
    const result = receipt.getByRole('row', { name: new RegExp(reference) }).getByRole('cell', { name: /^(Accepted|Pending|Rejected)\b/ });
    return (await result.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** A coordinator sends a file from the Uploads page, with written consent, and waits on its page until it is taken in; its upload's id. */
  async function takeIn(page: Page, file: string): Promise<string> {
    await chooseWithWrittenConsent(page, file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await waitForHeading(page, path.basename(file));
    await page.getByText(takenInWhole).waitFor();
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  test(
    'a line that is a repeat and late says both after its status, the repeat of a row above or of a report on file',
    async () => {
      const row = `RP-1,${activityId},${addDays(today, -45)},Kim,Vale,3,4,CA,Z1501,1`;
      const first = path.join(scratch, 'repeats.csv');
      fs.writeFileSync(first, [learnerColumns, row, row.replace('RP-1', 'RP-2')].join('\r\n'));
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await takeIn(page, first);
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await expect.poll(() => resultOf(receipt, 'RP-2')).toBe('Pending · a repeat of a row above · reported more than 30 days after completion');
        expect(await resultOf(receipt, 'RP-1')).toBe('Pending · reported more than 30 days after completion');
        await page.getByText('A repeat of a row above or of a report on file is counted once, under Duplicates; its status is that of the report it repeats.').waitFor();

        // The same completion in a later file repeats the report on file.
        const again = path.join(scratch, 'repeats-again.csv');
        fs.writeFileSync(again, [learnerColumns, row.replace('RP-1', 'RP-3')].join('\r\n'));
        await takeIn(page, again);
        await expect
          .poll(() => resultOf(page.getByRole('region', { name: 'Receipt lines' }), 'RP-3'))
          .toBe('Pending · a repeat of a report on file · reported more than 30 days after completion');
      });
    },
    testTimeoutMs,
  );

  test(
    'a rejected row no longer to fix says whether it was corrected since, and by which upload, or deleted; the summary counts each',
    async () => {
      const completed = addDays(today, -3);
      const line = (reference: string, name: string, birthMonth: number, date = completed) => `${reference},${activityId},${date},${name},${birthMonth},9,CA,Z16${reference.slice(-1)}0,1`;
      const first = path.join(scratch, 'morbidity-rounds.csv');
      fs.writeFileSync(first, [learnerColumns, line('NL-1', 'Noor,Lind', 13), line('NL-2', 'Ola,Berg', 4, 'last week'), line('NL-3', 'Ivo,Sand', 15), line('NL-4', 'Eli,Moe', 16)].join('\r\n'));
      const corrected = path.join(scratch, 'morbidity-rounds-corrected.csv');
      fs.writeFileSync(corrected, [learnerColumns, line('NL-1', 'Noor,Lind', 3)].join('\r\n'));
      const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        const firstId = await takeIn(page, first);
        await takeIn(page, corrected);
        // Ola's report corrected on its own page (here through the API), Ivo's deleted.
        const reportOf = async (reference: string) => (await coordinator.get(`/api/v1/uploads/${firstId}/rows`)).json().items.find((item: { reference: string }) => item.reference === reference).reportId;
        const inPlace = await coordinator.patch(`/api/v1/learner-reports/${await reportOf('NL-2')}`, { completionDate: completed });
        expect(inPlace.statusCode, inPlace.body).toBe(200);
        const deleted = await coordinator.request({ method: 'DELETE', url: `/api/v1/learner-reports/${await reportOf('NL-3')}?reason=Not%20ours` });
        expect(deleted.statusCode, deleted.body).toBe(200);

        await page.goto(`/uploads/${firstId}`);
        await waitForHeading(page, 'morbidity-rounds.csv');
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await expect.poll(() => resultOf(receipt, 'NL-1')).toBe('Rejected · corrected since by morbidity-rounds-corrected.csv');
        expect(await resultOf(receipt, 'NL-2')).toBe('Rejected · corrected since');
        expect(await resultOf(receipt, 'NL-3')).toBe('Rejected · deleted');
        expect(await resultOf(receipt, 'NL-4')).toBe('Rejected');
        // Every line is on the page: the rows no longer to fix are counted by what became of them.
        await page.getByText(/^Download the rejected row still to fix \(2 were corrected since and 1 deleted\), with what to fix beside it/).waitFor();
        // Eli's deleted too, none is left to fix.
        const alsoDeleted = await coordinator.request({ method: 'DELETE', url: `/api/v1/learner-reports/${await reportOf('NL-4')}?reason=Not%20ours` });
        expect(alsoDeleted.statusCode, alsoDeleted.body).toBe(200);
        await page.reload();
        await page.getByText('Of the 4 rejected rows, 2 were corrected since and 2 deleted: nothing is left to fix. The receipt below lists them as sent.').waitFor();
        // The line leads to the upload that corrected its row.
        await receipt.getByRole('link', { name: 'morbidity-rounds-corrected.csv' }).click();
        await waitForHeading(page, 'morbidity-rounds-corrected.csv');
      });
    },
    testTimeoutMs,
  );

  test(
    'a row the database would not store is rejected alone, and its report shows the row as the file gave it',
    async () => {
      // A real refusal of the database (a data exception), as of a value no check foresaw.
      await sql`create function refuse_browser_test() returns trigger language plpgsql as $$
        begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
      await sql`create trigger refuse_browser_test before insert on learner_reports for each row when (new.first_name = 'Robin') execute function refuse_browser_test()`.execute(t.db);
      try {
        const file = path.join(scratch, 'october-completions.csv');
        fs.writeFileSync(file, [learnerColumns, `OCT-1,${activityId},${addDays(today, -2)},Pat,Quill,4,5,CA,Z2001,1`, `OCT-2,${activityId},${addDays(today, -2)},Robin,Stane,6,7,CA,Z2002,2`].join('\r\n'));
        await withPage(viewports.desktop, async (page) => {
          await signIn(page, demoUsers.providerAdmin);
          await takeIn(page, file);
          await expect.poll(() => page.getByRole('list', { name: 'Rows so far' }).innerText()).toMatch(/2\s+Rows[\s\S]*1\s+Pending[\s\S]*1\s+Rejected/);
          const receipt = page.getByRole('region', { name: 'Receipt lines' });
          await receipt.getByRole('row', { name: /OCT-2/ }).getByText('A value in this row could not be stored (the value is out of range)', { exact: false }).waitFor();
          await receipt.getByRole('row', { name: /OCT-2/ }).getByRole('link', { name: 'Open' }).click();
          // Named for what befell it, with the row as sent to correct from.
          await waitForHeading(page, 'Row not stored as sent');
          await expect.poll(() => page.getByRole('region', { name: 'As the file gave it' }).innerText()).toMatch(/First name\s+Robin/);

          // Corrected on its page: the form starts from the row as sent, the activity with it, as the report has none.
          await page.getByRole('link', { name: 'Correct' }).click();
          await waitForHeading(page, 'Correct a learner report');
          const activityField = page.getByLabel('Activity ID');
          expect(await activityField.isEnabled()).toBe(true);
          expect(await activityField.inputValue()).toBe(activityId);
          expect(
            await Promise.all(['First name', 'Last name', 'Birth day', 'License state (optional)', 'License number (optional)', 'Credits', 'Completion date'].map((label) => page.getByLabel(label, { exact: true }).inputValue())),
          ).toEqual(['Robin', 'Stane', '7', 'CA', 'Z2002', '2', addDays(today, -2)]);
          expect(await page.getByLabel('Birth month').inputValue()).toBe('6');
          await page.getByLabel('Learner’s consent to be reported').selectOption('written');
          await page.getByLabel('First name', { exact: true }).fill('Robyn');
          await page.getByLabel('Reason for the correction').fill('the first name had a note pasted into it');
          await page.getByRole('button', { name: 'Save the correction' }).click();
          await waitForHeading(page, 'Robyn Stane');
          await page.getByText('Pending match', { exact: true }).waitFor();
          await page.getByRole('region', { name: 'History' }).getByText(/activityId: — → \d{9}/).waitFor();
        });
      } finally {
        await sql`drop trigger if exists refuse_browser_test on learner_reports`.execute(t.db);
        await sql`drop function if exists refuse_browser_test()`.execute(t.db);
      }
    },
    testTimeoutMs,
  );

  test(
    'a file with many kinds of problem lists the most common first, and the others at a click, each with its rows',
    async () => {
      const row = (reference: string, values: Partial<Record<'date' | 'first' | 'last' | 'month' | 'day' | 'state' | 'license' | 'credits', string>>) => {
        const cells = { date: addDays(today, -3), first: 'Kim', last: reference, month: '4', day: '5', state: 'CA', license: `K${reference}`, credits: '1', ...values };
        return [reference, activityId, cells.date, cells.first, cells.last, cells.month, cells.day, cells.state, cells.license, cells.credits].join(',');
      };
      const file = path.join(scratch, 'many-kinds.csv');
      fs.writeFileSync(file, [
        learnerColumns,
        row('Good', {}),
        row('K1', { date: 'not a date' }),
        row('K2', { month: '13' }),
        row('K3', { day: '40' }),
        row('K4', { state: 'ZZ' }),
        row('K5', { credits: 'lots' }),
        row('K6', { first: '' }),
        row('K7', { credits: '0.3' }),
        row('K8', { credits: '50' }),
        row('K9', { date: addDays(today, 30) }),
        row('K10', { state: '', license: '' }),
      ].join('\r\n'));
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        const id = await takeIn(page, file);
        // The kinds with rejected rows: those of rows taken in are listed apart.
        const rowProblems: { rejectedRows: number }[] = (await (await page.request.get(`/api/v1/uploads/${id}`)).json()).rowProblems;
        const kinds = rowProblems.filter((kind) => kind.rejectedRows > 0).length;
        expect(kinds).toBeGreaterThan(9);
        const whatToFix = page.getByRole('region', { name: 'What to fix, most common first' });
        const listed = whatToFix.getByRole('listitem');
        await expect.poll(() => listed.count()).toBe(8);
        await whatToFix.getByRole('button', { name: `Show ${kinds - 8} more kinds of problem` }).click();
        await expect.poll(() => listed.count()).toBe(kinds);
        // The focus goes on to the first kind it brought, rather than back to the top of the page.
        await expect.poll(() => listed.nth(8).getByRole('button').evaluate((element) => element === document.activeElement)).toBe(true);
        await listed.nth(kinds - 1).getByRole('button').click();
        await expect.poll(() => page.getByRole('region', { name: 'Receipt lines' }).getByRole('row').count()).toBe(2);
      });
    },
    testTimeoutMs,
  );

  test(
    'a file written day first is asked about at the Dates choice, and read as chosen: day first, or month first when sent again as it is',
    async () => {
      const { bothWays, onlyDayFirst } = datesBothWays(today);
      const rows = (reference: string, license: string) => [
        `${reference}-1,${activityId},${dayFirst(onlyDayFirst)},Dee,First,4,5,CA,${license}1,1`,
        `${reference}-2,${activityId},${dayFirst(bothWays)},Dee,Second,4,5,CA,${license}2,1`,
      ];
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        /** Sends the file, which the hub refuses: the page asks at the Dates choice, which has the focus. */
        const askedAboutDates = async (fileName: string, license: string) => {
          const file = path.join(scratch, fileName);
          fs.writeFileSync(file, [learnerColumns, ...rows(fileName.slice(0, 2).toUpperCase(), license)].join('\r\n'));
          await chooseWithWrittenConsent(page, file);
          await page.getByRole('button', { name: 'Upload', exact: true }).click();
          await page.getByRole('alert').getByText(`Row 2 has the date "${dayFirst(onlyDayFirst)}", which can only be read day first (DD/MM/YYYY), and none of the file's first 2 rows has a date that can only be read month first. Read month first, the file's dates`).waitFor();
          const dates = page.getByLabel('Dates in the file');
          await expect.poll(() => dates.evaluate((element) => element === document.activeElement)).toBe(true);
          expect(await dates.getAttribute('aria-invalid')).toBe('true');
          expect(new URL(page.url()).pathname).toBe('/uploads');
          return dates;
        };

        const dates = await askedAboutDates('day-first-rounds.csv', 'Z61');
        await dates.selectOption('day_first');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'day-first-rounds.csv');
        // Nothing rejected: all is well, in green.
        expect(await page.getByText('Done', { exact: true }).getAttribute('class')).toContain('tag--ok');
        await page.getByText("The file's dates were read day first (DD/MM/YYYY), as the upload said.").waitFor();
        await page.getByRole('status').filter({ hasText: 'Done. 2 rows: 0 accepted, 2 pending, 0 rejected, 0 duplicates.' }).waitFor();

        // Those dates were mistakes: Upload again as it is reads them month first, and rejects the rows they are in.
        await askedAboutDates('typed-wrong-rounds.csv', 'Z62');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'typed-wrong-rounds.csv');
        await page.getByText(takenInWhole).waitFor();
        await page.getByText("The file's dates were read month first (MM/DD/YYYY), as the upload said.").waitFor();
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await receipt.getByRole('row', { name: /TY-1/ }).getByText(`"${dayFirst(onlyDayFirst)}" looks like day/month/year, but this upload's dates are read month first`, { exact: false }).waitFor();
      });
    },
    testTimeoutMs,
  );

  test(
    'a file that says neither how its learners consented nor how its dates are written is asked both at once, each at its choice',
    async () => {
      const { bothWays, onlyDayFirst } = datesBothWays(today);
      const file = path.join(scratch, 'yes-and-day-first.csv');
      fs.writeFileSync(
        file,
        [`${learnerColumns},Consent`, `YD-1,${activityId},${dayFirst(onlyDayFirst)},Dee,Yes,4,5,CA,Z631,1,Yes`, `YD-2,${activityId},${dayFirst(bothWays)},Dee,Also,4,5,CA,Z632,1,Yes`].join('\r\n'),
      );
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await page.goto('/uploads');
        await waitForHeading(page, 'Upload learner completions');
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: 'Row 2 says only "Yes" under Consent, as does 1 more of the file\'s first 2 rows' }).waitFor();
        await page.getByRole('alert').filter({ hasText: `Row 2 has the date "${dayFirst(onlyDayFirst)}", which can only be read day first (DD/MM/YYYY)` }).waitFor();
        const consent = page.getByLabel("Learners' consent to be reported");
        await expect.poll(() => consent.evaluate((element) => element === document.activeElement)).toBe(true);
        expect(await page.getByLabel('Dates in the file').getAttribute('aria-invalid')).toBe('true');

        await consent.selectOption('written');
        await page.getByLabel('Dates in the file').selectOption('day_first');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'yes-and-day-first.csv');
        await page.getByText('Done', { exact: true }).waitFor();
        await page.getByText("The file's dates were read day first (DD/MM/YYYY), as the upload said.").waitFor();
      });
    },
    testTimeoutMs,
  );

  test(
    'a coordinator sends a sign-in sheet for one session, picking its activity by title and giving its date',
    async () => {
      const file = path.join(scratch, 'sepsis-sign-in.csv');
      fs.writeFileSync(file, ['Name,DOB,State,License #', 'Pat Quinn,4/5,CA,Z5001', 'Robin Stone,June 7,CA,Z5002'].join('\r\n'));
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await chooseWithWrittenConsent(page, file);
        // Sent without them, what the sheet lacks is said at the two fields that give it, not above the form.
        const activity = page.getByLabel('Activity of every row');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: 'sepsis-sign-in.csv has no Activity column: give here the activity its learners attended' }).waitFor();
        await page.getByRole('alert').filter({ hasText: 'sepsis-sign-in.csv has no Completion date column: give here the day of the session' }).waitFor();
        await expect.poll(() => activity.evaluate((input) => input === document.activeElement)).toBe(true);
        expect(await page.getByLabel('Completion date of every row').getAttribute('aria-invalid')).toBe('true');
        expect(await page.getByText('The file was not taken').count()).toBe(0);
        // An activity the provider does not have is said at the field, which then has the focus.
        await activity.fill('Sepsis updat');
        await page.getByLabel('Completion date of every row').fill(addDays(today, -1));
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: 'Your organization has no activity "Sepsis updat"' }).waitFor();
        await expect.poll(() => activity.evaluate((input) => input === document.activeElement)).toBe(true);
        // A MedBiquitous document names its activity and dates itself: chosen with them, it is not sent.
        const xmlFile = path.join(scratch, 'lms-export.xml');
        fs.writeFileSync(xmlFile, '<?xml version="1.0"?><ActivityReports/>');
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(xmlFile);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: 'lms-export.xml is an XML file, which names the activity and date of each report itself' }).waitFor();
        // Nor with an order of its dates, which its schema writes YYYY-MM-DD: said at that choice.
        const dates = page.getByLabel('Dates in the file');
        await dates.selectOption('day_first');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: 'lms-export.xml is an XML file, whose dates are written YYYY-MM-DD: choose Month first here' }).waitFor();
        await expect.poll(() => dates.evaluate((select) => select === document.activeElement)).toBe(true);
        await dates.selectOption('');
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        // Its title as registered, in any case, will do; the provider's activities are offered as it is typed.
        await activity.fill('sepsis update');
        await expect.poll(() => page.locator('#upload-activity-choices option').evaluateAll((options) => options.map((option) => option.getAttribute('value')))).toContain(activityId);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();

        await waitForHeading(page, 'sepsis-sign-in.csv');
        await page.getByText('Done', { exact: true }).waitFor();
        await expect.poll(() => page.getByRole('list', { name: 'Rows so far' }).innerText()).toMatch(/2\s+Rows[\s\S]*2\s+Pending[\s\S]*0\s+Rejected/);
        await page.getByText(/^Rows without an activity were taken for Sepsis update \(BROWSER-UP\); rows without a completion date as completed on /).waitFor();
        // The sheet has no credits column: the page says what each learner was given.
        await page.getByText('The file has no credits column: each learner is given the AMA PRA Category 1 credits their activity designates').waitFor();
        // How each heading was read is there to check, folded away.
        await page.getByText('How the file\'s columns were read (its header, row 1)').click();
        await expect.poll(() => page.getByRole('row', { name: /^DOB/ }).innerText()).toMatch(/DOB\s+Birth month and day \(a year is dropped\)/);
        await page.getByRole('link', { name: 'Sepsis update (BROWSER-UP)' }).click();
        await waitForHeading(page, 'Sepsis update');
      });
    },
    testTimeoutMs,
  );

  test(
    'a coordinator sends a sign-in sheet whose title gives its session and day: both are filled in, and taken once sent again',
    async () => {
      const day = addDays(today, -1);
      const [year, month, date] = day.split('-').map(Number);
      const written = new Date(Date.UTC(year, month - 1, date)).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
      const file = path.join(scratch, 'titled-sign-in.csv');
      fs.writeFileSync(file, ['Sepsis update', `"Date: ${written}"`, '', 'Name,DOB,State,License #', 'Pat Quinn,4/5,CA,Z5101'].join('\r\n'));
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await chooseWithWrittenConsent(page, file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page
          .getByRole('alert')
          .filter({ hasText: 'titled-sign-in.csv has no Activity column. Row 1, above its header, says "Sepsis update": the activity it names is filled in here. If every row is of it, press Upload again' })
          .waitFor();
        await page
          .getByRole('alert')
          .filter({ hasText: `titled-sign-in.csv has no Completion date column. Row 2, above its header, says "Date: ${written}": that day is filled in here.` })
          .waitFor();
        expect(await page.getByLabel('Activity of every row').inputValue()).toBe(activityId);
        // The number filled in is said for what it is.
        await page.getByRole('alert').filter({ hasText: `press Upload again; if not, give here the activity its learners attended. (${activityId} is its hub ID.)` }).waitFor();
        expect(await page.getByLabel('Completion date of every row').inputValue()).toBe(day);
        // Nothing was taken in before the coordinator confirmed it.
        expect(await page.getByText('The file was not taken').count()).toBe(0);
        // Another file chosen, what was read in this one is not kept for it.
        const other = path.join(scratch, 'untitled-sign-in.csv');
        fs.writeFileSync(other, ['Name,DOB,State,License #', 'Pat Quinn,4/5,CA,Z5101'].join('\r\n'));
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(other);
        expect(await page.getByLabel('Activity of every row').inputValue()).toBe('');
        expect(await page.getByLabel('Completion date of every row').inputValue()).toBe('');
        // A title typed with a slip is filled in as the activity it probably names, said so.
        const slipped = path.join(scratch, 'slipped-sign-in.csv');
        fs.writeFileSync(slipped, ['Sepsis updte', `"Date: ${written}"`, '', 'Name,DOB,State,License #', 'Pat Quinn,4/5,CA,Z5101'].join('\r\n'));
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(slipped);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page
          .getByRole('alert')
          .filter({ hasText: 'slipped-sign-in.csv has no Activity column. Row 1, above its header, says "Sepsis updte": the activity it probably names, spelt a little otherwise, is filled in here.' })
          .waitFor();
        expect(await page.getByLabel('Activity of every row').inputValue()).toBe(activityId);
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await expect.poll(() => page.getByLabel('Completion date of every row').inputValue()).toBe(day);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'titled-sign-in.csv');
        await page.getByText('Done', { exact: true }).waitFor();
        await page.getByText(/^Rows without an activity were taken for Sepsis update \(BROWSER-UP\); rows without a completion date as completed on /).waitFor();
      });
    },
    testTimeoutMs,
  );

  test(
    'a coordinator sends a workbook with a tab per month, and finds each row by its sheet in the receipt and on its report',
    async () => {
      const built = new ExcelJS.Workbook();
      const months = [
        ['October', ['Pat', 'Quinn', 4, 5, 'Z6001'], ['Robin', 'Stone', 13, 7, 'Z6002']],
        ['November', ['Sam', 'Tate', 8, 9, 'Z6003']],
      ] as const;
      for (const [month, ...learners] of months) {
        const sheet = built.addWorksheet(month);
        // November's tab gained a column of notes, which the hub does not read.
        const notes = month === 'November' ? ['Notes'] : [];
        sheet.addRow(['Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits', ...notes]);
        for (const [first, last, birthMonth, birthDay, license] of learners) sheet.addRow([activityId, addDays(today, -2), first, last, birthMonth, birthDay, 'CA', license, 1, ...notes.map(() => 'came late')]);
      }
      const file = path.join(scratch, 'autumn-sign-ins.xlsx');
      await built.xlsx.writeFile(file);
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await takeIn(page, file);
        await page.getByText('How the file\'s columns were read (its header, row 1 of sheet "October"; sheet "November" with its own, below)').click();
        const november = page.getByRole('region', { name: 'Sheet "November"' });
        await expect.poll(() => november.getByRole('row', { name: /^Notes/ }).innerText()).toMatch(/Notes\s+Not used/);
        const whatToFix = page.getByRole('region', { name: 'What to fix, most common first' });
        await whatToFix.getByText('Row 3 of sheet "October":').waitFor();
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await expect.poll(() => receipt.getByRole('row').allInnerTexts()).toEqual([
          expect.stringMatching(/^Sheet\s+Row\s+Learner\s+Reference/),
          expect.stringMatching(/^October\s+2\s/),
          expect.stringMatching(/^October\s+3\s/),
          expect.stringMatching(/^November\s+2\s/),
        ]);
        await receipt.getByRole('link', { name: 'Open the report of row 2 of sheet "November"' }).click();
        await page.getByRole('link', { name: 'Row 2 of sheet "November" of autumn-sign-ins.xlsx' }).waitFor();
      });
    },
    testTimeoutMs,
  );

  test(
    'a row already on file from an earlier upload leads to that upload, named by its file and the day it was sent',
    async () => {
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        const pending = `DUP-1,${activityId},${addDays(today, -4)},Lee,Park,2,3,CA,Z7001,1`;
        const rejected = `DUP-2,${activityId},sometime,Kim,Ross,3,4,CA,Z7002,1`;
        const juneId = await sendAndTakeIn(page, 'june-grand-rounds.csv', [pending, rejected]);
        const julyId = await sendAndTakeIn(page, 'july-grand-rounds.csv', [pending, rejected, `DUP-3,${activityId},${addDays(today, -4)},Ana,Bell,5,6,CA,Z7003,1`]);
        await expect.poll(() => page.getByRole('list', { name: 'Rows so far' }).innerText()).toMatch(/3\s+Rows[\s\S]*2\s+Duplicates/);

        // Today, as the page writes a date.
        const uploadedToday = await page.evaluate(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date()));
        const earlier = `june-grand-rounds.csv, uploaded ${uploadedToday}`;
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        const repeated = receipt.getByRole('row', { name: /DUP-1/ });
        await repeated.getByText(`This completion was already reported, by row 2 of ${earlier}; it is not counted again.`).waitFor();
        const rejectedAgain = receipt.getByRole('row', { name: /DUP-2/ });
        await rejectedAgain.getByText(`This row was sent before, by row 3 of ${earlier}, and rejected: its rejected report is still to fix, and is not counted again.`).waitFor();
        expect(await receipt.innerText()).not.toContain(juneId);
        // A script reading the receipt lines still gets the upload's id in the message.
        const lines = (await (await page.request.get(`/api/v1/uploads/${julyId}/rows`)).json()) as { items: { problems: { message: string }[] }[] };
        expect(lines.items[0].problems[0].message).toContain(`(upload ${juneId}, `);

        await repeated.getByRole('link', { name: earlier }).click();
        await waitForHeading(page, 'june-grand-rounds.csv');
        expect(new URL(page.url()).pathname).toBe(`/uploads/${juneId}`);
      });
    },
    testTimeoutMs,
  );

  test(
    'a screen reader finds the recent uploads once among the regions, and their table by a name of its own',
    async () => {
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await sendAndTakeIn(page, 'august-grand-rounds.csv', [`AUG-1,${activityId},${addDays(today, -5)},Max,Neal,7,8,CA,Z7101,1`]);
        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');
        const recent = page.getByRole('region', { name: 'Recent uploads', exact: true });
        const table = recent.getByRole('table', { name: 'Files sent, newest first', exact: true });
        await table.getByRole('row', { name: /august-grand-rounds\.csv/ }).waitFor();
        expect(await page.getByRole('region', { name: 'Recent uploads', exact: true }).count()).toBe(1);
        expect(await page.getByRole('table', { name: 'Recent uploads', exact: true }).count()).toBe(0);
      });
    },
    testTimeoutMs,
  );

  test(
    'the drop box stays highlighted while a file is dragged across it, and not once it leaves or is dropped',
    async () => {
      await withPage(viewports.desktop, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await page.goto('/uploads');
        await waitForHeading(page, 'Upload learner completions');
        // The events a browser fires as a file is dragged over the box, across its text and its picker, and out
        // again (each enter before the leave of the element it came from); then dragged in again and dropped.
        const highlighted = await page.getByLabel('Drop the file here, or choose it').evaluate(async (picker: HTMLInputElement) => {
          const box = picker.closest('label')!;
          const text = box.querySelector('span')!;
          const resting = getComputedStyle(box).backgroundColor;
          const transfer = new DataTransfer();
          transfer.items.add(new File(['Reference\r\n'], 'dragged.csv', { type: 'text/csv' }));
          const fire = (target: Element, type: string) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
          const seen: [string, boolean][] = [];
          const look = async (when: string) => {
            await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            seen.push([when, getComputedStyle(box).backgroundColor !== resting]);
          };
          fire(box, 'dragenter');
          fire(box, 'dragover');
          await look('over the box');
          // A frame may be drawn between a leave and the next dragover, which comes every 50 ms or so.
          fire(text, 'dragenter');
          fire(box, 'dragleave');
          await look('over its text');
          fire(text, 'dragover');
          fire(picker, 'dragenter');
          fire(text, 'dragleave');
          await look('over its picker');
          fire(picker, 'dragover');
          fire(document.body, 'dragenter');
          fire(picker, 'dragleave');
          await look('out of the box');
          fire(box, 'dragenter');
          fire(text, 'dragenter');
          fire(box, 'dragleave');
          await look('back over its text');
          fire(text, 'drop');
          await look('dropped');
          fire(box, 'dragenter');
          await look('over the box again');
          fire(box, 'dragleave');
          await look('out again');
          return seen;
        });
        expect(highlighted).toEqual([
          ['over the box', true],
          ['over its text', true],
          ['over its picker', true],
          ['out of the box', false],
          ['back over its text', true],
          ['dropped', false],
          ['over the box again', true],
          ['out again', false],
        ]);
        await page.getByText('dragged.csv').waitFor();
      });
    },
    testTimeoutMs,
  );

  /**
   * With no worker running, a coordinator sends a one-row file from the Uploads page: it waits in the queue,
   * on its own page, until a worker starts. The caller closes the page's context.
   */
  async function sendWhileNoWorkerRuns(fileName: string, row: string): Promise<{ page: Page; context: BrowserContext }> {
    await worker.stop();
    const file = path.join(scratch, fileName);
    fs.writeFileSync(file, [learnerColumns, row].join('\r\n'));
    const context = await browser.newContext({ baseURL: baseUrl, viewport: viewports.desktop });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signIn(page, demoUsers.providerAdmin);
    await chooseWithWrittenConsent(page, file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await waitForHeading(page, fileName);
    return { page, context };
  }

  test(
    'a coordinator stops a file sent by mistake before it is taken in',
    async () => {
      const { page, context } = await sendWhileNoWorkerRuns('last-year.csv', `OLD-1,${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1.5`);
      try {
        await page.getByText('Waiting', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Stop this upload' }).click();
        await page.getByRole('button', { name: 'Stop the upload' }).click();
        // A stop asked for is news, not an error.
        const stopped = page.getByRole('status').filter({ hasText: 'The upload was stopped' });
        await stopped.getByText(`Stopped by ${demoLogins.providerAdmin} before any row was taken in.`).waitFor();
        // The stop button is gone: focus is on what the stop did, not lost at the top of the page.
        await expect.poll(() => stopped.evaluate((element) => element === document.activeElement)).toBe(true);
        expect(await page.getByRole('alert').count()).toBe(0);
        const tag = page.getByText('Stopped', { exact: true });
        expect(await tag.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
        expect(await page.getByRole('button', { name: 'Stop this upload' }).count()).toBe(0);
      } finally {
        await context.close();
      }
    },
    testTimeoutMs,
  );

  test(
    'the list of uploads follows an upload until it is done, without being reloaded',
    async () => {
      const { page, context } = await sendWhileNoWorkerRuns('october.csv', `OCT-1,${activityId},${addDays(today, -1)},Robin,Stone,6,7,CA,Z1002,1`);
      try {
        await page.getByRole('link', { name: 'Back to uploads' }).click();
        const row = page.getByRole('row', { name: /october\.csv/ });
        await row.getByText('Waiting', { exact: true }).waitFor();

        worker = startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, pollMs: 100 });
        await row.getByText('Done', { exact: true }).waitFor();
        expect(await row.getByRole('cell').allInnerTexts()).toContain('1');
      } finally {
        await context.close();
      }
    },
    testTimeoutMs,
  );

  test(
    "an upload's page goes on following it after the hub could not be reached for a while",
    async () => {
      const { page, context } = await sendWhileNoWorkerRuns('november.csv', `NOV-1,${activityId},${addDays(today, -3)},Sam,Tate,8,9,CA,Z1003,1`);
      try {
        await page.getByText('Waiting', { exact: true }).waitFor();
        // The connection drops: the page's looks at the upload fail, and it says so.
        await page.route('**/api/v1/uploads/*', (route) => route.abort('internetdisconnected'));
        const unreachable = page.getByRole('status').filter({ hasText: 'The hub could not be reached just now, so these figures may be behind.' });
        await unreachable.waitFor();
        await page.unroute('**/api/v1/uploads/*');
        worker = startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, pollMs: 100 });
        await page.getByText('Done', { exact: true }).waitFor();
        expect(await unreachable.count()).toBe(0);
      } finally {
        await context.close();
      }
    },
    testTimeoutMs,
  );

  test(
    'on a phone, a coordinator drops a file and reads its receipt as its rows are taken in',
    async () => {
      await worker.stop();
      const rows = Array.from({ length: 120 }, (_, index) => {
        const number = index + 1;
        // Every tenth row has a date the hub cannot read: something to fix.
        const date = number % 10 === 0 ? 'next week' : addDays(today, -2);
        return `PH-${number},${activityId},${date},Pat,Quinn,4,5,CA,Z${3000 + number},1`;
      });
      await withPage(viewports.phone, async (page) => {
        await signIn(page, demoUsers.providerAdmin);
        await page.goto('/uploads');
        await waitForHeading(page, 'Upload learner completions');
        const picker = page.getByLabel('Drop the file here, or choose it');

        // Sent without a file, or with an empty one: the message is announced, and the picker has the focus.
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').getByText('Choose a CSV, XLSX or XML file, or drop it on the box.').waitFor();
        expect(await picker.evaluate((input) => input === document.activeElement)).toBe(true);
        const empty = path.join(scratch, 'empty.csv');
        fs.writeFileSync(empty, '');
        await picker.setInputFiles(empty);
        await page.getByText('empty.csv (empty, 0 bytes)').waitFor();
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('alert').getByText('empty.csv is empty (0 bytes)').waitFor();
        expect(new URL(page.url()).pathname).toBe('/uploads');

        // A file of another kind is refused in words that say what to send instead, and focus goes to them.
        const printout = path.join(scratch, 'completions.pdf');
        fs.writeFileSync(printout, '%PDF-1.4\n%%EOF\n');
        await picker.setInputFiles(printout);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        const refused = page.getByRole('alert').filter({ hasText: 'The file was not taken' });
        await refused.getByText(/^The file is a PDF document, .*Send the list itself/).waitFor();
        await expect.poll(() => refused.evaluate((element) => element === document.activeElement)).toBe(true);
        // Refused for its headings, the file gets a box taller than the screen: scrolled to, it starts below the top bar.
        const wrongHeadings = path.join(scratch, 'wrong-headings.csv');
        fs.writeFileSync(wrongHeadings, ['Name,Email,Phone,Course', 'Maria Lopez,maria@example.org,555-0100,Tumor board'].join('\r\n'));
        await picker.setInputFiles(wrongHeadings);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await refused.getByText(/The file has no "Birth month" and "Birth day" columns/).waitFor();
        await expect.poll(() => refused.evaluate((element) => element === document.activeElement)).toBe(true);
        expect(await topInView(page, refused.getByText('The file was not taken', { exact: true }))).toBe(true);

        // An XML file has no place for consent: the page asks for it before sending, rather than the hub refusing every report.
        const xml = path.join(scratch, 'lms-export.xml');
        fs.writeFileSync(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/"/>\n');
        await picker.setInputFiles(xml);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        const consent = page.getByLabel("Learners' consent to be reported");
        await page.getByRole('alert').getByText('lms-export.xml is an XML file, which has no place for consent: choose Written or Implied here').waitFor();
        await expect.poll(() => consent.evaluate((element) => element === document.activeElement)).toBe(true);
        expect(await consent.getAttribute('aria-invalid')).toBe('true');
        expect(await consent.evaluate((select: HTMLSelectElement) => select.labels[0]?.textContent?.trim())).toBe("Learners' consent to be reported");
        // Its hint says in plain words which rows the choice is for.
        expect(await consent.evaluate((select) => document.getElementById(`${select.id}-hint`)?.textContent)).toBe(
          'An XML file cannot say how its learners consented, and a row saying only "Yes" does not say whether consent was written or implied. For those rows, choose it here.',
        );
        expect(new URL(page.url()).pathname).toBe('/uploads');

        /** Sends a CSV file the hub refuses for want of consent: the page says why at the consent choice, in plain words. */
        const refusedAtConsent = async (name: string, lines: string[], said: string) => {
          const file = path.join(scratch, name);
          fs.writeFileSync(file, lines.join('\r\n'));
          await picker.setInputFiles(file);
          await page.getByRole('button', { name: 'Upload', exact: true }).click();
          await page.getByRole('alert').getByText(said).waitFor();
          await expect.poll(() => consent.evaluate((element) => element === document.activeElement)).toBe(true);
          expect(await page.getByText('The file was not taken').count()).toBe(0);
          expect(new URL(page.url()).pathname).toBe('/uploads');
        };
        // A CSV file without a Consent column.
        await refusedAtConsent(
          'no-consent.csv',
          [learnerColumns, `NC-1,${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1`],
          'no-consent.csv does not say whether its learners consented to be reported: choose Written or Implied here, or add a "Consent" column',
        );
        // A Consent column saying only Yes, refused when sent: how the learners consented is asked once.
        await refusedAtConsent(
          'said-yes.csv',
          [`${learnerColumns},Consent`, `SY-1,${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1,Yes`],
          'Row 2 says only "Yes" under Consent, and none says how its learner consented to be reported (Written or Implied). If they consented, choose Written or Implied here',
        );

        // Dropped on the box, the file is the picker's own; of several dropped at once, the page says which one goes.
        const dropped = await page.evaluateHandle((text) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text], 'phone-completions.csv', { type: 'text/csv' }));
          transfer.items.add(new File([text], 'october-completions.csv', { type: 'text/csv' }));
          return transfer;
        }, [learnerColumns, ...rows].join('\r\n'));
        await page.getByText('Drop the file here, or choose it').dispatchEvent('drop', { dataTransfer: dropped });
        expect(await picker.evaluate((input: HTMLInputElement) => [...(input.files ?? [])].map((chosen) => chosen.name))).toEqual(['phone-completions.csv']);
        await page
          .getByRole('status')
          .filter({ hasText: 'One file goes at a time: phone-completions.csv is chosen. Send october-completions.csv after it, each on its own.' })
          .waitFor();
        await page.getByLabel("Learners' consent to be reported").selectOption('written');
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await waitForHeading(page, 'phone-completions.csv');
        await page.getByText('No row taken in yet: rows appear here as they are.').waitFor();

        // One row a chunk, each a little slow, so that the file takes some seconds to go in.
        worker = startUploadWorker({
          db: t.db,
          config: t.hub.config,
          databaseKind: t.database.kind,
          pollMs: 100,
          chunkSize: 1,
          beforeCommit: () => new Promise((resolve) => setTimeout(resolve, 20)),
        });
        const receipt = page.getByRole('region', { name: 'Receipt lines' });
        await receipt.getByText('PH-1', { exact: true }).waitFor();
        expect(await page.getByText('Taking rows in', { exact: true }).count()).toBe(1);
        // A screen reader hears how far it has gone a tenth at a time, not every count and the receipt's length at every look.
        await page.getByRole('status').filter({ hasText: /^Taking rows in: \d*0% done\.$/ }).waitFor();
        expect(await page.getByRole('list', { name: 'Rows so far' }).getAttribute('aria-live')).toBeNull();
        expect(await page.getByRole('status').filter({ hasText: /^Showing / }).count()).toBe(0);
        expect(await fitsWidth(page)).toBe(true);

        // Taken in whole, but not all well: its status says so, in amber.
        const status = page.getByText('Done, 12 to fix', { exact: true });
        await status.waitFor({ timeout: 60_000 });
        expect(await status.getAttribute('class')).toContain('tag--warning');
        await page.getByRole('status').filter({ hasText: 'Done. 120 rows: 0 accepted, 108 pending, 12 rejected, 0 duplicates.' }).waitFor();
        await page.getByRole('status').filter({ hasText: 'Showing 100 of 120 rows' }).waitFor();
        // What to fix is on the screen, beside its row, not in a column off to the right.
        const whatToFix = receipt.getByText('Completion date: "next week" is not a date', { exact: false }).first();
        const box = await whatToFix.boundingBox();
        expect(box && box.x + box.width).toBeLessThanOrEqual(viewports.phone.width);
        expect(await fitsWidth(page)).toBe(true);

        // Each "Show these rows" says which rows it shows.
        await page.getByRole('button', { name: /^Show these rows: Completion date: "next week" is not a date/ }).click();
        await page.getByRole('status').filter({ hasText: 'Showing 12 rows (all)' }).waitFor();
        await expect.poll(() => receipt.evaluate((region) => region === document.activeElement)).toBe(true);
        expect(await topInView(page, receipt.locator('tbody tr').first())).toBe(true);

        await page.getByRole('link', { name: 'Back to uploads' }).click();
        await waitForHeading(page, 'Upload learner completions');
        await page.getByRole('link', { name: 'phone-completions.csv' }).waitFor();
        // The list, which does not count the rows corrected since, says how many were rejected, in amber too.
        const listed = page.getByRole('row', { name: /phone-completions\.csv/ }).getByText('Done, 12 rejected', { exact: true });
        expect(await listed.getAttribute('class')).toContain('tag--warning');
        expect(await fitsWidth(page)).toBe(true);
      });
    },
    testTimeoutMs,
  );

  test(
    'a coordinator cancels a large file while it is still being sent, from the keyboard alone, and is asked before signing out stops it',
    async () => {
      // About 2 MB, sent at 100 KB a second: some twenty seconds before the hub has it all.
      const rows = Array.from({ length: 25_000 }, (_, index) => `ALL-${index + 1},${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z${10_000 + index},1`);
      const file = path.join(scratch, 'year-end-all.csv');
      fs.writeFileSync(file, [learnerColumns, ...rows].join('\r\n'));
      await withPage(viewports.desktop, async (page, context) => {
        const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
        await signIn(page, demoUsers.providerAdmin);
        await page.goto('/uploads');
        await waitForHeading(page, 'Upload learner completions');
        const network = await context.newCDPSession(page);
        await network.send('Network.enable');
        await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 100_000 });
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByRole('button', { name: 'Upload', exact: true }).focus();
        await page.keyboard.press('Enter');

        // The Upload button is disabled while the file goes: focus is on the progress, read out a tenth at a time.
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();
        await expect.poll(focused).toMatch(/^Sending the file… \d+%/);
        await page.getByRole('status').filter({ hasText: /^Sending the file… \d*0%$/ }).waitFor();
        // Reloading the page would stop the file: the browser asks first, and staying keeps it going.
        const asked = new Promise<string>((resolve) => {
          page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.type())));
          setTimeout(() => resolve('no question'), 5_000);
        });
        await page.evaluate(() => setTimeout(() => location.reload()));
        expect(await asked).toBe('beforeunload');
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();
        await page.keyboard.press('Tab');
        expect(await focused()).toBe('Cancel sending');
        await page.keyboard.press('Enter');

        await page.getByRole('status').filter({ hasText: 'Sending year-end-all.csv was cancelled before the hub had all of it: nothing was taken in.' }).waitFor();
        await expect.poll(focused).toBe('Upload');
        expect(await page.getByRole('progressbar').count()).toBe(0);

        // Signing out while the file is sent asks first: staying keeps it going; signing out stops it.
        await page.keyboard.press('Enter');
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();
        const signOut = page.getByRole('button', { name: 'Sign out' });
        const question = page.getByRole('group', { name: 'Sign out while a file is sent?' });
        await signOut.click();
        await question.getByText('A file is still on its way to the hub. Signing out stops it, and nothing of it is kept.').waitFor();
        await expect.poll(focused).toBe('Stay and send it');
        await page.keyboard.press('Enter');
        expect(await question.count()).toBe(0);
        await expect.poll(focused).toBe('Sign out');
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();

        // Going to another page of the hub asks the same: Escape stays; leaving stops the file.
        const menuLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
        const leaving = page.getByRole('group', { name: 'Leave this page while a file is sent?' });
        await menuLink('Activities').click();
        await leaving.getByText('A file is still on its way to the hub. Leaving this page stops it, and nothing of it is kept.').waitFor();
        await expect.poll(focused).toBe('Stay and send it');
        await page.keyboard.press('Escape');
        await expect.poll(() => leaving.count()).toBe(0);
        await expect.poll(focused).toBe('Activities');
        await waitForHeading(page, 'Upload learner completions');
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();
        await menuLink('Activities').click();
        await leaving.getByRole('button', { name: 'Leave and stop it' }).click();
        await waitForHeading(page, 'Activities');
        // With no file on its way, the menu goes where it leads. Sent again, the file is stopped by signing out.
        await menuLink('Uploads').click();
        await waitForHeading(page, 'Upload learner completions');
        await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
        await page.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByRole('progressbar', { name: /^Sending the file… \d+%$/ }).waitFor();
        await signOut.click();
        await question.getByRole('button', { name: 'Sign out and stop it' }).click();
        await page.getByRole('heading', { level: 1, name: 'Sign in to CME Hub' }).waitFor();

        await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        await signIn(page, demoUsers.providerAdmin);
        const uploads = (await (await page.request.get('/api/v1/uploads?limit=100')).json()) as { items: { fileName: string }[] };
        expect(uploads.items.map((upload) => upload.fileName)).not.toContain('year-end-all.csv');
      });
    },
    testTimeoutMs,
  );
});
