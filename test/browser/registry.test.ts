import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { claimCutOffLoad, finishLoad, insertLoad, markServerStopped, recordProgress } from '../../src/modules/registry/registry.repository.ts';
import { answerDatesDayFirst, demoUsers, signIn, useBrowserHub, waitForHeading } from './browser.ts';

const testTimeoutMs = 90_000;

describe('board roster and learner validation in the web app', () => {
  const hub = useBrowserHub();

  /** The Roster page, signed in as the licensing board's administrator, reached from the menu. */
  async function rosterPage() {
    const board = await hub.newPage();
    await signIn(board, demoUsers.licensingBoardAdmin);
    await board.getByRole('navigation').getByRole('link', { name: 'Roster', exact: true }).click();
    await waitForHeading(board, 'Licensee roster');
    return board;
  }

  test('a roster load still going on is followed on the roster page to its end, the page having been left, and says it was resumed', async () => {
    const board = await hub.newPage();
    await signIn(board, demoUsers.licensingBoardAdmin);
    const me = await (await board.request.get('/api/v1/me')).json();
    // A load begun earlier, as a large roster's is for a minute: its rows are being loaded.
    const notRead = 'These columns are not used and their values are ignored: "Board notes".';
    const { id: loadId } = await insertLoad(hub.db, {
      organizationId: me.organization.id, kind: 'licenses', fullRoster: false, fileName: 'all-licensees.csv', startedBy: 'board',
      notes: [{ code: 'unknown_columns', message: notRead }],
    });
    await recordProgress(hub.db, loadId, 250_000);
    await board.getByRole('navigation').getByRole('link', { name: 'Roster', exact: true }).click();
    await waitForHeading(board, 'Licensee roster');
    await board.getByText('Loading all-licensees.csv: 250,000 rows so far.').waitFor();
    // What the file says of its columns is known as the load begins, and said while it runs.
    await board.locator('.banner').getByText(notRead).waitFor();
    expect(await board.getByRole('button', { name: 'Loading rows…' }).isDisabled()).toBe(true);
    // Its server stops, and the next resumes it from the file after the rows loaded, which the page says.
    await markServerStopped(hub.db, loadId);
    expect(await claimCutOffLoad(hub.db, loadId, 90)).toBe(250_000);
    await finishLoad(hub.db, loadId, { rowsRead: 400_000, deactivated: 0, failure: null });
    await board.getByText('Loaded all-licensees.csv: 400,000 rows:').waitFor();
    await board.getByRole('cell', { name: /The server stopped during the load: it was resumed from the file at .*, after its first 250,000 rows, which were loaded already\./ }).waitFor();
    expect(await board.getByRole('button', { name: 'Upload roster' }).isEnabled()).toBe(true);
  }, testTimeoutMs);

  test('a board loads its roster, then a provider validates a learner by form and by file', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-browser-registry-'));
    const roster = path.join(scratch, 'roster.csv');
    fs.writeFileSync(roster, [
      'License number,License type,Status,First name,Last name,Birth month,Birth day,Expiraton date',
      'T12345,MD,Active,Robert,Smith,3,14,2027-06-30',
      'T54321,MD,Sleeping,Nadia,Quist,11,2,2027-06-30',
    ].join('\n'));

    const board = await rosterPage();
    await board.getByLabel('Roster file').setInputFiles(roster);
    await board.getByRole('button', { name: 'Upload roster' }).click();
    await board.getByText('2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected.').first().waitFor();
    // Said with the counts, and in the list of loads: the misspelt column of expiry dates was not read.
    const notRead = board.getByText('These columns are not used and their values are ignored: "Expiraton date" (is it "Expiry date"?).');
    await notRead.nth(1).waitFor();
    expect(await notRead.count()).toBe(2);
    expect(await board.getByRole('link', { name: 'Download the receipt' }).getAttribute('href')).toMatch(/\/receipt\?format=xlsx$/);
    await board.getByText(/Download the receipt to see each row and what to fix\.$/).waitFor();
    // A row rejected is not all well: said apart from a roster loaded whole.
    expect(await board.getByRole('status').filter({ hasText: 'Loaded roster.csv' }).getAttribute('class')).toContain('banner--warning');

    const provider = await hub.newPage();
    await signIn(provider, demoUsers.providerAdmin);
    await provider.getByRole('navigation').getByRole('link', { name: 'Validate learners', exact: true }).click();
    await waitForHeading(provider, 'Validate learners');
    await provider.getByLabel('First name', { exact: true }).fill('Bob');
    await provider.getByLabel('Last name', { exact: true }).fill('Smith');
    await provider.getByLabel('Birth month').fill('3');
    await provider.getByLabel('Birth day').fill('14');
    await provider.getByLabel('State (optional)').fill('CA');
    await provider.getByLabel('License number (optional)').fill('T-012345');
    await provider.getByRole('button', { name: 'Check learner' }).click();
    await provider.getByText('Matched: the hub knows this physician').waitFor();
    await provider.getByText('Accepted despite the first name as a nickname.').waitFor();

    await provider.getByLabel('Birth day').fill('15');
    await provider.getByRole('button', { name: 'Check learner' }).click();
    await provider.getByText('Not found').waitFor();
    await provider.getByText(/birth month and day do not match/).waitFor();

    const learners = path.join(scratch, 'learners.csv');
    fs.writeFileSync(learners, 'First name,Last name,Birth month,Birth day,State,License number\nRobert,Smith,3,14,CA,T12345\n');
    await provider.getByLabel('Learner file').setInputFiles(learners);
    await provider.getByLabel('Answer as').selectOption('csv');
    await provider.getByRole('button', { name: 'Check file' }).click();
    const download = provider.waitForEvent('download');
    await provider.getByRole('link', { name: /Download learners-checked\.csv/ }).click();
    const answer = fs.readFileSync(await (await download).path(), 'utf8');
    expect(answer).toContain(',matched,');
  }, testTimeoutMs);

  test('a roster with nothing rejected sends to its receipt without speaking of what to fix, and a certifying board’s tabs are by specialty or status', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-browser-registry-'));
    const roster = path.join(scratch, 'clean-roster.csv');
    fs.writeFileSync(roster, [
      'License number,License type,Status,First name,Last name,Birth month,Birth day',
      'T77777,MD,Active,Irene,Vasquez,5,21',
    ].join('\n'));
    const board = await rosterPage();
    expect(await board.getByText(/a tab per license type goes in whole/).count()).toBe(1);
    await board.getByLabel('Roster file').setInputFiles(roster);
    await board.getByRole('button', { name: 'Upload roster' }).click();
    await board.getByText('1 row: 1 created, 0 updated, 0 unchanged, 0 rejected.').first().waitFor();
    await board.getByText(/Download the receipt to see each row\.$/).waitFor();
    expect(await board.getByText(/what to fix/).count()).toBe(0);
    expect(await board.getByRole('status').filter({ hasText: 'Loaded clean-roster.csv' }).getAttribute('class')).toContain('banner--success');

    const certifying = await hub.newPage();
    await signIn(certifying, demoUsers.certifyingBoardAdmin);
    await certifying.getByRole('navigation').getByRole('link', { name: 'Roster', exact: true }).click();
    await waitForHeading(certifying, 'Diplomate roster');
    await certifying.getByText(/a tab per specialty or status goes in whole/).waitFor();
    expect(await certifying.getByText(/license type/).count()).toBe(0);
  }, testTimeoutMs);

  /** Whether the focus is on `element` or inside it, and not left on the page's body. */
  const focusIsIn = (element: Locator) => element.evaluate((target) => document.activeElement !== document.body && target.contains(document.activeElement));

  test('a file form sent without a file puts the focus on its file picker, which says to choose one', async () => {
    const board = await rosterPage();
    await board.getByRole('button', { name: 'Upload roster' }).click();
    const rosterFile = board.getByLabel('Roster file');
    await expect.poll(() => focusIsIn(rosterFile)).toBe(true);
    expect(await rosterFile.getAttribute('aria-invalid')).toBe('true');
    expect(await board.locator('.field', { has: rosterFile }).textContent()).toContain('Choose a CSV or XLSX file.');

    const provider = await hub.newPage();
    await signIn(provider, demoUsers.providerAdmin);
    await provider.goto('/validation');
    await waitForHeading(provider, 'Validate learners');
    await provider.getByRole('button', { name: 'Check file' }).click();
    const learnerFile = provider.getByLabel('Learner file');
    await expect.poll(() => focusIsIn(learnerFile)).toBe(true);
    expect(await learnerFile.getAttribute('aria-invalid')).toBe('true');
    expect(await provider.locator('.field', { has: learnerFile }).textContent()).toContain('Choose a CSV or XLSX file.');
  }, testTimeoutMs);

  test('a learner checked has the focus on the answer, each time', async () => {
    const provider = await hub.newPage();
    await signIn(provider, demoUsers.providerAdmin);
    await provider.goto('/validation');
    await waitForHeading(provider, 'Validate learners');
    await provider.getByLabel('First name', { exact: true }).fill('Maria');
    await provider.getByLabel('Last name', { exact: true }).fill('Lopez');
    await provider.getByLabel('Birth month').fill('3');
    await provider.getByLabel('Birth day').fill('14');
    await provider.getByLabel('State (optional)').fill('CA');
    await provider.getByLabel('License number (optional)').fill('A12345');
    await provider.getByRole('button', { name: 'Check learner' }).click();
    const matched = provider.getByRole('status').filter({ hasText: 'Matched: the hub knows this physician' });
    await matched.waitFor();
    await expect.poll(() => focusIsIn(matched)).toBe(true);

    await provider.getByLabel('Birth day').fill('15');
    await provider.getByRole('button', { name: 'Check learner' }).click();
    const notFound = provider.getByRole('status').filter({ hasText: 'Not found' });
    await notFound.waitFor();
    await expect.poll(() => focusIsIn(notFound)).toBe(true);
  }, testTimeoutMs);

  test('a full roster leaving out many licensees leaves them as they were, until the board makes them inactive', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-browser-roster-'));
    const rows = (count: number) => Array.from({ length: count }, (_, index) => `H${2000 + index},MD,Active,Hana,Held${index},1,${1 + (index % 28)}`);
    const header = 'License number,License type,Status,First name,Last name,Birth month,Birth day';
    fs.writeFileSync(path.join(scratch, 'all.csv'), [header, ...rows(40)].join('\n'));
    fs.writeFileSync(path.join(scratch, 'cut-short.csv'), [header, ...rows(5)].join('\n'));

    const board = await rosterPage();
    await board.getByLabel('Roster file').setInputFiles(path.join(scratch, 'all.csv'));
    await board.getByRole('button', { name: 'Upload roster' }).click();
    await board.getByText('Loaded all.csv: 40 rows:').waitFor();

    await board.getByLabel('Roster file').setInputFiles(path.join(scratch, 'cut-short.csv'));
    await board.getByLabel('This file lists every licensee').check();
    await board.getByRole('button', { name: 'Upload roster' }).click();
    const held = board.getByRole('region', { name: /licenses were left as they were$/ });
    await held.waitFor();
    const count = /^([\d,]+) licenses/.exec(await held.getByRole('heading').innerText())![1];
    expect(Number(count.replace(',', ''))).toBeGreaterThanOrEqual(35);
    await held.getByText(`cut-short.csv leaves out ${count} of your practising licenses: more than a tenth of them`).waitFor();
    await board.getByText(`Loaded cut-short.csv: 5 rows: 0 created, 0 updated, 5 unchanged, 0 rejected, ${count} not in the file, left as they were.`).waitFor();

    await held.getByRole('button', { name: `Make these ${count} licenses inactive` }).click();
    await board.getByText(`${count} licenses not in cut-short.csv are now inactive.`).waitFor();
    await held.waitFor({ state: 'detached' });
    await board.getByRole('cell', { name: `5 rows: 0 created, 0 updated, 5 unchanged, 0 rejected, ${count} no longer listed, now inactive.` }).waitFor();
  }, testTimeoutMs);

  test('a roster whose dates are written day first is asked about at its dates, then loaded on the right days', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-browser-roster-dates-'));
    const file = path.join(scratch, 'export.csv');
    fs.writeFileSync(file, ['License number,License type,Status,First name,Last name,Birth month,Birth day,Expiry date', 'D3001,MD,Active,Dora,Daye,2,3,31/01/2028'].join('\n'));

    const board = await rosterPage();
    await board.getByLabel('Roster file').setInputFiles(file);
    await board.getByRole('button', { name: 'Upload roster' }).click();
    await answerDatesDayFirst(board, 'Row 2 has "31/01/2028" as its Expiry date, which can only be read day first (DD/MM/YYYY)', 'The roster was not loaded', 'Upload roster');
    await board.getByText('Loaded export.csv: 1 row: 1 created, 0 updated, 0 unchanged, 0 rejected.').waitFor();
    const license = await hub.db.selectFrom('licenses').select('expires_on').where('number_key', '=', 'D3001').executeTakeFirstOrThrow();
    expect(String(license.expires_on).slice(0, 10)).toBe('2028-01-31');
  }, testTimeoutMs);
});
