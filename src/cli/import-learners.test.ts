import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, demoPassword, login, openActivity } from '../../test/helpers.ts';
import { prepareCommandLineHub } from '../../test/command-line-hub.ts';
import type { CommandLineHub } from '../../test/command-line-hub.ts';
import { runCmehub, startCmehub, startServerProcess, stopProcess } from '../../test/hub-process.ts';
import { openConfiguredDatabase } from '../bootstrap.ts';
import { testConfig } from '../config.ts';
import type { Hub } from '../hub.ts';
import { buildApp } from '../http/app.ts';
import { addDays, hubToday } from '../modules/activities/dates.ts';
import { loadDemoData } from '../modules/demo/demo.ts';

const today = hubToday();

/** A port nothing listens on now, for a server of the test's own. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

// Each test runs several commands, each a process opening the database: a few seconds apiece, more on a busy machine.
describe('cmehub import FILE --provider <id>', { timeout: 300_000 }, () => {
  let commandLineHub: CommandLineHub;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let learnerFile: string;
  let activityId: string;

  beforeAll(async () => {
    commandLineHub = await prepareCommandLineHub('cli-import');
    ({ dataDir, env } = commandLineHub);
    await withTestHub(async (hub) => {
      await loadDemoData(hub);
      const app = await buildApp(hub);
      const coordinator = await login(app, demoLogins.providerAdmin, demoPassword);
      const activity = await coordinator.post('/api/v1/activities', openActivity({ title: 'Imported from the command line', providerActivityId: 'CLI-1' }));
      expect(activity.statusCode, activity.body).toBe(201);
      activityId = activity.json().id;
      await app.close();
      learnerFile = path.join(dataDir, 'completions.csv');
      fs.writeFileSync(
        learnerFile,
        [
          'Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits',
          `${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1`,
          `${activityId},${addDays(today, -2)},Robin,Stone,6,7,CA,Z1002,2`,
          `${activityId},not a date,Sam,Tate,8,9,CA,Z1003,1`,
        ].join('\n'),
      );
    });
  }, 120_000);

  afterAll(() => commandLineHub.remove());

  function cmehub(...args: string[]) {
    return runCmehub(env, ...args);
  }

  /** The hub the commands run against, opened here while no command runs. */
  function withTestHub(work: (hub: Hub) => Promise<void>): Promise<void> {
    return commandLineHub.withHub(work);
  }

  /** A copy of the learner file whose license numbers start with `prefix`: a file not sent before. */
  function learnerFileNamed(name: string, prefix: string): string {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', prefix));
    return file;
  }

  it('takes the file in with a receipt, and adds nothing the second time', () => {
    const receipt = path.join(dataDir, 'receipt.csv');
    const rowsToFix = path.join(dataDir, 'rows-to-fix.csv');
    const first = cmehub('import', learnerFile, '--provider', '1234567', '--consent', 'written', '--receipt', receipt, '--rows-to-fix', rowsToFix);
    // Taken in, with a row to correct: a script tells it from a file taken in whole.
    expect(first.status, first.stderr).toBe(3);
    expect(first.stdout).toContain('Demo Academy of Medicine (1234567): Taking the file in.');
    // Its output is a log here, not a terminal: a line per step, with its time, and no bar drawn in control characters.
    expect(first.stdout).toMatch(/\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  Importing: 0% \| 0 rows \| accepted 0, pending 0, rejected 0, duplicates 0\n/);
    expect(first.stdout).toMatch(/ UTC  Importing: 100% \| 3 rows \| accepted 0, pending 2, rejected 1, duplicates 0\n/);
    expect(first.stdout + first.stderr).not.toMatch(/[\r\u001b]/);
    expect(first.stdout).toMatch(/finished\. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0\./);
    // What to fix comes first, apart from the rows taken in, which are on file with nothing to send again.
    expect(first.stdout).toContain('What to fix, most common first:\n  1 row (row 4): Completion date: "not a date" is not a date;');
    expect(first.stdout).toMatch(
      /\nTaken in, with something to check \(on file: pending until the physician is matched, or accepted with a note; do not send them again\):\n  2 rows, such as row 2: California has no license number Z1001 on record\./,
    );
    const lines = fs.readFileSync(receipt, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^4,,Sam Tate,CLI-1,not a date,rejected,/);
    expect(first.stdout).toContain(`1 rejected row to fix written to ${rowsToFix}`);
    const toFix = fs.readFileSync(rowsToFix, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(toFix).toHaveLength(2);
    expect(toFix[1]).toMatch(/^"Completion date: ""not a date"" is not a date; write it as YYYY-MM-DD or MM\/DD\/YYYY",4,,\d{9},not a date,Sam,,Tate,8,9,CA,Z1003,/);

    const second = cmehub('import', learnerFile, '--provider', '1234567');
    expect(second.status, second.stderr).toBe(3);
    expect(second.stdout).toContain('already uploaded');
    expect(second.stdout).toMatch(/3 rows: accepted 0, pending 2, rejected 1/);
    // Its rows to fix were not asked for this time: the command that writes them is said.
    const uploadId = /^Upload ([0-9a-f-]{36}): /m.exec(second.stdout)?.[1];
    expect(second.stdout).toContain(`The rejected row to fix can be written to a file, to correct and import again: cmehub upload rows-to-fix ${uploadId} FILE.xlsx (or .csv).`);
    expect(first.stdout).not.toContain('can be written to a file');
  });

  it('says of an XML file\'s rejected reports only what to fix, as its rows are corrected in the learning system that wrote it', () => {
    const report = path.join(dataDir, 'activity-report.xml');
    fs.writeFileSync(
      report,
      `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
  <DateTimeCreated>${today}T09:00:00</DateTimeCreated>
  <ReportingStartDate>${today}</ReportingStartDate>
  <ReportingEndDate>${today}</ReportingEndDate>
  <ActivityReport>
    <ReportingOrganization>Demo Academy of Medicine</ReportingOrganization>
    <Member>
      <m:UniqueID domain="idd:ca.gov:license">Z7001</m:UniqueID>
      <m:Name><n:GivenName>Xena</n:GivenName><n:FamilyName>Marks</n:FamilyName></m:Name>
      <m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-03-04</m:BirthDate></m:PersonalInfo>
    </Member>
    <Activity>
      <ProviderOrganization>1234567</ProviderOrganization>
      <ActivityName>Imported from the command line</ActivityName>
      <Module>
        <ModuleName moduleID="${activityId}">Imported from the command line</ModuleName>
        <Status>Completed</Status>
        <CompletedDateTime>${addDays(today, 30)}T00:00:00</CompletedDateTime>
      </Module>
    </Activity>
  </ActivityReport>
</ActivityReports>`,
    );
    const imported = cmehub('import', report, '--provider', '1234567', '--consent', 'written');
    expect(imported.status, imported.stdout + imported.stderr).toBe(3);
    expect(imported.stdout).toMatch(/rejected 1/);
    expect(imported.stdout).toContain('What to fix, most common first:');
    expect(imported.stdout).not.toContain('rows-to-fix');
  });

  it('takes a sign-in sheet with the activity and date of its rows given on the command line, the date as a sheet writes it', () => {
    const sheet = path.join(dataDir, 'sign-in.csv');
    fs.writeFileSync(sheet, ['Name,DOB,State,License #,Hours', 'Pat Quinn,4/5,CA,Z4001,1', 'Robin Stone,6/7,CA,Z4002,1'].join('\n'));
    const [year, month, day] = addDays(today, -2).split('-');
    const imported = cmehub('import', sheet, '--provider', '1234567', '--consent', 'written', '--activity', 'cli-1', '--completion-date', `${Number(month)}/${Number(day)}/${year}`);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/finished\. 2 rows: accepted 0, pending 2, rejected 0, duplicates 0\./);
    expect(imported.stdout).toContain(`Rows without an activity took activity ${activityId}; rows without a completion date, ${addDays(today, -2)}.`);
    const badDate = cmehub('import', sheet, '--provider', '1234567', '--activity', 'CLI-1', '--completion-date', 'last Tuesday');
    expect(badDate.status).toBe(2);
    expect(badDate.stderr.trim()).toBe('--completion-date is a date: YYYY-MM-DD or MM/DD/YYYY.');
  });

  it('takes a sheet whose dates are written day first once told so, the date given on the command line read so too', () => {
    const sheet = path.join(dataDir, 'sign-in-day-first.csv');
    fs.writeFileSync(sheet, ['Name,DOB,State,License #,Hours', 'Kim Lee,25/4,CA,Z4101,1', 'Ash Grey,6/7,CA,Z4102,1'].join('\n'));
    const [year, month, day] = addDays(today, -2).split('-');
    const options = ['--provider', '1234567', '--consent', 'written', '--activity', 'cli-1', '--completion-date', `${day}/${month}/${year}`];
    const refused = cmehub('import', sheet, ...options);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Row 2 has a date of birth, which can only be read day first (DD/MM/YYYY)');
    expect(refused.stderr).toContain('--dates day-first on the command line');
    // Said once: not again as the one problem the refusal lists.
    expect(refused.stderr.match(/Row 2 has a date of birth/g)).toHaveLength(1);
    const imported = cmehub('import', sheet, ...options, '--dates', 'day-first');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`rows without a completion date, ${addDays(today, -2)}.`);
    expect(imported.stdout).toContain("The file's dates were read day first (DD/MM/YYYY), as the upload said.");
    const misspelt = cmehub('import', sheet, ...options, '--dates', 'european');
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr.trim()).toBe('--dates is day-first (DD/MM/YYYY) or month-first (MM/DD/YYYY).');
  });

  it('says why a completion date given on the command line is not read, and how to give it', () => {
    const options = ['--provider', '1234567', '--consent', 'written', '--activity', 'CLI-1'];
    const dayFirst = cmehub('import', learnerFile, ...options, '--completion-date', '17/11/2026');
    expect(dayFirst.status).toBe(2);
    expect(dayFirst.stderr.trim()).toBe(
      "--completion-date 17/11/2026 can only be read day first (DD/MM/YYYY), and dates are read month first unless --dates day-first says otherwise: add --dates day-first (the file's dates are then read day first too), or write 2026-11-17.",
    );
    const monthFirst = cmehub('import', learnerFile, ...options, '--dates', 'day-first', '--completion-date', '11/17/2026');
    expect(monthFirst.stderr.trim()).toBe('--completion-date 11/17/2026 can only be read month first (MM/DD/YYYY), but --dates day-first reads dates day first: write 2026-11-17.');
    const noDay = cmehub('import', learnerFile, ...options, '--completion-date', '2026-02-30');
    expect(noDay.status).toBe(2);
    expect(noDay.stderr.trim()).toBe('--completion-date 2026-02-30 is not a date: February 2026 has 28 days.');
  });

  it('says a workbook imported with --format csv is a workbook', async () => {
    const built = new ExcelJS.Workbook();
    built.addWorksheet('Learners').addRow(['Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits']);
    const workbook = path.join(dataDir, 'as-csv.xlsx');
    await built.xlsx.writeFile(workbook);
    const refused = cmehub('import', workbook, '--provider', '1234567', '--consent', 'written', '--format', 'csv');
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe('as-csv.xlsx is an Excel workbook (XLSX), not a CSV file: send it with format=xlsx (--format xlsx on the command line), or leave the format out and the hub tells it by its content.');
  });

  it('takes a workbook with a tab per month, naming the sheets it read and each row by its sheet', async () => {
    const built = new ExcelJS.Workbook();
    for (const [month, licenses] of [['October', ['Z7001', 'Z7002']], ['November', ['Z7003']]] as const) {
      const sheet = built.addWorksheet(month);
      // November's tab was headed otherwise.
      sheet.addRow(['Activity ID', 'Completion date', 'First name', month === 'November' ? 'Surname' : 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits']);
      licenses.forEach((license, index) => sheet.addRow([activityId, addDays(today, -2), `Pat${license}`, 'Quinn', index === 1 ? 13 : 4, 5, 'CA', license, 1]));
    }
    const workbook = path.join(dataDir, 'autumn.xlsx');
    await built.xlsx.writeFile(workbook);
    const receipt = path.join(dataDir, 'autumn-receipt.csv');
    const imported = cmehub('import', workbook, '--provider', '1234567', '--consent', 'written', '--receipt', receipt);
    expect(imported.status, imported.stderr).toBe(3);
    expect(imported.stdout).toContain('Rows read from 2 sheets, one after another: "October", "November"; the receipt names each row\'s sheet.');
    expect(imported.stdout).toContain('  1 row (row 3 of sheet "October"): Birth month 13 is not a month');
    expect(imported.stdout).toContain('Headings read (the header is row 1 of sheet "November"): "Surname" as Last name; "CME credits" as AMA PRA Category 1 credits.');
    const lines = fs.readFileSync(receipt, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.map((line) => line.split(',').slice(0, 7).join(','))).toEqual([
      'Sheet,Row,Reference,Learner,Activity,Completion date,Status',
      `October,2,,PatZ7001 Quinn,CLI-1,${addDays(today, -2)},pending`,
      `October,3,,PatZ7002 Quinn,CLI-1,${addDays(today, -2)},rejected`,
      `November,2,,PatZ7003 Quinn,CLI-1,${addDays(today, -2)},pending`,
    ]);
  });

  it('shows, stops and withdraws an upload by its id', () => {
    const file = path.join(dataDir, 'sent-by-mistake.csv');
    fs.writeFileSync(file, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z200'));
    const imported = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
    expect(imported.status, imported.stderr).toBe(3);
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(imported.stdout)?.[1] ?? '';
    expect(id).not.toBe('');

    const listed = cmehub('upload', 'list', '--provider', '1234567');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(new RegExp(`^${id}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  finished +3 rows  sent-by-mistake\\.csv  \\(1 rejected\\)$`));
    expect(cmehub('upload', 'list', '--provider', '7654321').stderr).toContain('No provider has the id or name "7654321"');
    // The provider by its name, in any case, as the hub has it; a board's name names no provider.
    const byName = cmehub('upload', 'list', '--provider', 'demo academy of MEDICINE');
    expect(byName.status, byName.stderr).toBe(0);
    expect(byName.stdout.split('\n')[0]).toBe(listed.stdout.split('\n')[0]);
    const boardNamed = cmehub('upload', 'list', '--provider', 'ABIM');
    expect(boardNamed.status).toBe(2);
    expect(boardNamed.stderr.trim()).toBe('No provider has the id or name "ABIM"; give its 7-digit provider ID, its organization id or its name as the hub has it.');

    const shown = cmehub('upload', 'show', id);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Upload ${id}: finished. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0.`);
    const stop = cmehub('upload', 'stop', id);
    expect(stop.status).toBe(2);
    expect(stop.stderr).toContain('This upload is already done: there is nothing to stop.');

    const receipt = path.join(dataDir, 'receipt-again.xlsx');
    const written = cmehub('upload', 'receipt', id, receipt);
    expect(written.status, written.stderr).toBe(0);
    expect(fs.readFileSync(receipt).subarray(0, 2).toString()).toBe('PK');
    const rowsToFix = path.join(dataDir, 'fix-later.csv');
    const fixWritten = cmehub('upload', 'rows-to-fix', id, rowsToFix);
    expect(fixWritten.status, fixWritten.stderr).toBe(0);
    expect(fixWritten.stdout.trim()).toBe(`1 rejected row to fix written to ${rowsToFix}`);
    expect(fs.readFileSync(rowsToFix, 'utf8').trim().split('\r\n')[1]).toMatch(/^"Completion date: ""not a date"" is not a date;/);

    const noReason = cmehub('upload', 'withdraw', id);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>'");
    const withdrawn = cmehub('upload', 'withdraw', id, '--reason', 'Sent for the wrong activity');
    expect(withdrawn.status, withdrawn.stderr).toBe(0);
    // In a log, a line per step rather than a progress bar.
    expect(withdrawn.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  Withdrawing: 0 of 3 reports deleted\n.*Withdrawing: 3 of 3 reports deleted\n/);
    expect(withdrawn.stdout + withdrawn.stderr).not.toMatch(/[\r\u001b]/);
    expect(cmehub('upload', 'rows-to-fix', id, rowsToFix).stdout).toContain('No rows to fix written: This upload was withdrawn');
    // The two pending reports and the rejected row's report are deleted.
    expect(withdrawn.stdout).toMatch(/Withdrawn \d{4}-\d\d-\d\d \d\d:\d\d UTC by command line: the 3 reports this file took in were deleted\. Reason: Sent for the wrong activity/);
    const shownWithdrawn = cmehub('upload', 'show', id).stdout;
    expect(shownWithdrawn).toContain('the 3 reports this file took in were deleted');
    // Nothing it took in stays: no row is to fix alone, nor on file not to send again; the file goes again whole, as rows-to-fix says.
    for (const summary of [withdrawn.stdout, shownWithdrawn]) {
      expect(summary).toContain(
        'Its accepted and pending rows were deleted too: once corrected, the file may be sent again whole.\n' +
          'What was wrong, most common first:\n  2 rows, such as row 2: California has no license number Z2001 on record.',
      );
      expect(summary).toContain('\n  1 row (row 4): Completion date: "not a date" is not a date;');
      expect(summary).not.toMatch(/What to fix|do not send them again/);
    }
    expect(cmehub('upload', 'list').stdout.split('\n')[0]).toMatch(new RegExp(`^${id} .* withdrawn +3 rows`));

    const notAnId = cmehub('upload', 'show', 'last-year');
    expect(notAnId.status).toBe(2);
    expect(notAnId.stderr).toContain('"last-year" is not an upload id');
    const unknown = cmehub('upload', 'show', '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).not.toContain('    at ');
  });

  it('says, once every rejected row was corrected since, which command writes them as they were sent', () => {
    const file = learnerFileNamed('corrected-since.csv', 'Z400');
    const rowsToFix = path.join(dataDir, 'corrected-since-fix.csv');
    const sent = cmehub('import', file, '--provider', '1234567', '--consent', 'written', '--rows-to-fix', rowsToFix);
    expect(sent.status, sent.stderr).toBe(3);
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(sent.stdout)?.[1] ?? '';
    fs.writeFileSync(rowsToFix, fs.readFileSync(rowsToFix, 'utf8').replace(',not a date,', `,${addDays(today, -2)},`));
    const corrected = cmehub('import', rowsToFix, '--provider', '1234567', '--consent', 'written');
    expect(corrected.status, corrected.stdout + corrected.stderr).toBe(0);

    const noneLeft = cmehub('upload', 'rows-to-fix', id, path.join(dataDir, 'none-left.csv'));
    expect(noneLeft.status, noneLeft.stderr).toBe(0);
    expect(noneLeft.stdout.trim()).toBe(
      'No rows to fix written: every rejected row of this upload was corrected since or deleted: none is left to fix. ' +
        "Its page in the web app says which was corrected and which deleted; its receipt still lists them as they were sent: " +
        `cmehub upload receipt ${id} FILE.xlsx (or .csv).`,
    );
    expect(fs.existsSync(path.join(dataDir, 'none-left.csv'))).toBe(false);
  });

  it('shows how far a running upload has gone, and about how long is left', async () => {
    const file = path.join(dataDir, 'still-going.csv');
    fs.writeFileSync(file, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z300'));
    const imported = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(imported.stdout)?.[1] ?? '';
    expect(id, imported.stderr).not.toBe('');
    // As a server taking it in would leave it: half the file read in the 10 minutes since its run's first chunk.
    await withTestHub(async (hub) => {
      await sql`
        update uploads set status = 'running', finished_at = null, lease_expires_at = now() + interval '1 minute',
          bytes_done = file_bytes / 2, pace_from_at = now() - interval '10 minutes', pace_from_bytes = 0, updated_at = now()
        where id = ${id}`.execute(hub.db);
    });
    const shown = cmehub('upload', 'show', id);
    expect(shown.status, shown.stderr).toBe(0);
    // As long again, less the seconds the command took to start.
    expect(shown.stdout).toMatch(new RegExp(`^Upload ${id}: running \\(50%, about (9 min \\d\\d|10 min 00) s left\\)\\.`));
    // Its receipt is whole only once it is done: until then, when to ask, in the command's words.
    const early = cmehub('upload', 'receipt', id, path.join(dataDir, 'early-receipt.csv'));
    expect(early.status).toBe(2);
    expect(early.stderr.trim()).toBe(`Upload ${id} is still being taken in: its receipt can be written once it is done. Run this again then (cmehub upload show ${id} says how far it is).`);
    expect(fs.existsSync(path.join(dataDir, 'early-receipt.csv'))).toBe(false);
  });

  it('says what is wrong with the call, without a stack trace', () => {
    const unknownProvider = cmehub('import', learnerFile, '--provider', '7654321');
    expect(unknownProvider.status).toBe(2);
    expect(unknownProvider.stderr).toContain('No provider has the id or name "7654321"');
    const badFile = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(badFile, 'Name,Shoe size\nPat,9\n');
    const refused = cmehub('import', badFile, '--provider', '1234567');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('"Activity ID"');
    expect(refused.stderr).not.toContain('    at ');
    const folder = cmehub('import', dataDir, '--provider', '1234567');
    expect(folder.status).toBe(2);
    expect(folder.stderr.trim()).toBe(`${dataDir} is a folder: name one file in it.`);
    expect(cmehub('import', path.join(dataDir, 'none.csv'), '--provider', '1234567').stderr.trim()).toBe(`There is no file ${path.join(dataDir, 'none.csv')}.`);
    const empty = path.join(dataDir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const emptyRefused = cmehub('import', empty, '--provider', '1234567', '--consent', 'written');
    expect(emptyRefused.status).toBe(2);
    expect(emptyRefused.stderr).toContain('The file is empty.');
    const misspelt = cmehub('import', learnerFile, '--provider', '1234567', '--consnet', 'written');
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr).toContain('(Did you mean --consent?)');
    const help = cmehub('import', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('3    taken in, with rejected rows to correct');
    expect(help.stdout).toContain('--hub <url> from another');
  });

  it('refuses a receipt or rows-to-fix file it cannot write before taking anything in, and says when there are no rows to fix', () => {
    const file = learnerFileNamed('receipt-as-pdf.csv', 'Z700');
    const pdf = cmehub('import', file, '--provider', '1234567', '--consent', 'written', '--receipt', path.join(dataDir, 'receipt.pdf'));
    expect(pdf.status).toBe(2);
    expect(pdf.stderr.trim()).toBe('The receipt file is written as CSV or Excel: give it a name ending in .csv or .xlsx (not receipt.pdf).');
    expect(pdf.stdout).toBe('');
    expect(cmehub('upload', 'list').stdout).not.toContain('receipt-as-pdf.csv');

    // A folder that is not there, or a file where the folder should be: said before the file is taken in.
    const noFolder = path.join(dataDir, 'no-such-folder');
    const file2 = learnerFileNamed('receipt-nowhere.csv', 'Z720');
    const nowhere = cmehub('import', file2, '--provider', '1234567', '--consent', 'written', '--rows-to-fix', path.join(noFolder, 'fix.xlsx'));
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr.trim()).toBe(
      `The rows to fix file cannot be written to ${path.join(noFolder, 'fix.xlsx')}: there is no folder ${noFolder}. Create it first, or give a file in a folder that is there.`,
    );
    expect(nowhere.stdout).toBe('');
    const inAFile = cmehub('import', file2, '--provider', '1234567', '--consent', 'written', '--receipt', path.join(learnerFile, 'receipt.csv'));
    expect(inAFile.status).toBe(2);
    expect(inAFile.stderr.trim()).toBe(`The receipt file cannot be written to ${path.join(learnerFile, 'receipt.csv')}: ${learnerFile} is not a folder.`);
    expect(cmehub('upload', 'list').stdout).not.toContain('receipt-nowhere.csv');

    const allGood = path.join(dataDir, 'all-good.csv');
    fs.writeFileSync(allGood, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z710').replace(/\n[^\n]*not a date[^\n]*$/, ''));
    const none = cmehub('import', allGood, '--provider', '1234567', '--consent', 'written', '--rows-to-fix', path.join(dataDir, 'none-to-fix.xlsx'));
    expect(none.status, none.stderr).toBe(0);
    expect(none.stdout).toContain(`No rows to fix written to ${path.join(dataDir, 'none-to-fix.xlsx')}: no row was rejected.`);
    expect(fs.existsSync(path.join(dataDir, 'none-to-fix.xlsx'))).toBe(false);
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(none.stdout)?.[1] ?? '';
    for (const [command, name] of [['receipt', 'receipt.csv'], ['rows-to-fix', 'fix.xlsx']]) {
      const later = cmehub('upload', command, id, path.join(noFolder, name));
      expect(later.status, later.stderr).toBe(2);
      expect(later.stderr.trim()).toMatch(new RegExp(`^The (receipt|rows to fix) file cannot be written to .*${name.replace('.', '\\.')}: there is no folder `));
    }

    // One row is one row.
    const oneRow = path.join(dataDir, 'one-row.csv');
    fs.writeFileSync(oneRow, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z730').split('\n').slice(0, 2).join('\n'));
    const single = cmehub('import', oneRow, '--provider', '1234567', '--consent', 'written');
    expect(single.status, single.stderr).toBe(0);
    expect(single.stdout).toMatch(/finished\. 1 row: accepted 0, pending 1, rejected 0, duplicates 0\./);
    expect(cmehub('upload', 'list', '--limit', '1').stdout).toMatch(/  finished +1 row   one-row\.csv\n$/);

    const help = cmehub('import', '--help');
    expect(help.stdout).toContain('(CSV, XLSX or MedBiquitous XML)');
  });

  it('ends on an unexpected error in a few words, never the values it carried, and the same command again takes the file in', async () => {
    const file = learnerFileNamed('disk-trouble.csv', 'Z600');
    // The database fails as the rows are stored, as it would on a failing disk.
    await withTestHub(async (hub) => {
      await sql`create function refuse_reports() returns trigger language plpgsql as $$ begin raise exception 'could not write block' using errcode = '58030'; end $$`.execute(hub.db);
      await sql`create trigger refuse_reports before insert on learner_reports for each row execute function refuse_reports()`.execute(hub.db);
    });
    const failed = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
    expect(failed.status).toBe(1);
    expect(failed.stderr.trim()).toBe(
      `The import stopped on an unexpected error (database error 58030). To take in the rest, run the same command again: cmehub import "${file}" --provider 1234567\n` +
        'Add --debug to the command to see where it happened.',
    );
    // The upload is not left running: it waits to be taken in.
    expect(cmehub('upload', 'list').stdout.split('\n')[0]).toMatch(/ queued +0 rows  disk-trouble\.csv$/);

    // Where it happened, with --debug; still none of the learners' names or license numbers the statement carried.
    const debugged = cmehub('import', file, '--provider', '1234567', '--debug');
    expect(debugged.status).toBe(1);
    expect(debugged.stdout).toContain('its import stopped (no row is in yet): it goes on from there.');
    expect(debugged.stderr).toContain('could not write block');
    expect(debugged.stderr).toContain('    at ');
    for (const personal of ['Quinn', 'Robin', 'Z6001', 'Z6002', 'Z6003']) {
      expect(failed.stderr + debugged.stderr).not.toContain(personal);
    }

    await withTestHub(async (hub) => {
      await sql`drop trigger refuse_reports on learner_reports`.execute(hub.db);
    });
    const resumed = cmehub('import', file, '--provider', '1234567');
    expect(resumed.status, resumed.stderr).toBe(3);
    expect(resumed.stdout).toMatch(/This file was sent before \(.* UTC, upload [0-9a-f-]{36}\) and its import stopped \(no row is in yet\): it goes on from there\./);
    expect(resumed.stdout).toMatch(/finished\. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0\./);
  });

  it('stops after the rows being stored when interrupted, leaves the upload waiting, and the same command again goes on', async () => {
    const [header, row] = fs.readFileSync(learnerFile, 'utf8').split('\n');
    const file = path.join(dataDir, 'interrupted.csv');
    const rows = 10_000;
    fs.writeFileSync(file, [header, ...Array.from({ length: rows }, (_, index) => row.replace('Z1001', `I${index}`))].join('\n'));
    const command = startCmehub(env, 'import', file, '--provider', '1234567', '--consent', 'written');
    let stdout = '';
    let stderr = '';
    command.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
    // Ctrl-C once the first rows are in.
    await new Promise<void>((resolve) =>
      command.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/Importing: [1-9]\d?% /.test(stdout)) resolve();
      }),
    );
    command.kill('SIGINT');
    expect(await ended, stdout + stderr).toBe(130);
    const id = /Interrupted: upload ([0-9a-f-]{36}) waits to be taken in again \(([\d,]+) rows are in, and stay\)/.exec(stderr);
    expect(id, stderr).not.toBeNull();
    expect(stderr).toContain(`or stop it: cmehub upload stop ${id?.[1]}`);
    const rowsIn = Number(id?.[2].replaceAll(',', ''));
    expect(rowsIn).toBeLessThan(rows);
    // Not left running for its lease to run out: it waits, with the rows taken in so far.
    expect(cmehub('upload', 'list').stdout.split('\n')[0]).toMatch(new RegExp(`^${id?.[1]} .* queued +${id?.[2]} rows  interrupted\.csv$`));

    const resumed = cmehub('import', file, '--provider', '1234567');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`its import stopped (${id?.[2]} rows are in): it goes on from there.`);
    expect(resumed.stdout).toMatch(/finished\. 10,000 rows: accepted 0, pending 10,000, rejected 0, duplicates 0\./);
  });

  it('keeps nothing of a file when interrupted while it is being stored', async () => {
    const [header, row] = fs.readFileSync(learnerFile, 'utf8').split('\n');
    const file = path.join(dataDir, 'interrupted-while-stored.csv');
    // Large enough to take a few seconds to store.
    const rows = Array.from({ length: 1_500_000 }, (_, index) => row.replace('Z1001', `S${index}`));
    fs.writeFileSync(file, [header, ...rows].join('\n'));
    const incoming = path.join(dataDir, 'uploads', 'incoming');
    const partFiles = () => (fs.existsSync(incoming) ? fs.readdirSync(incoming) : []);
    const command = startCmehub(env, 'import', file, '--provider', '1234567', '--consent', 'written');
    let stderr = '';
    command.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
    while (partFiles().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    command.kill('SIGINT');
    expect(await ended, stderr).toBe(130);
    expect(stderr.trim()).toBe('Interrupted while the file was being stored: nothing of it was kept, and no row was taken in.');
    // Not a part of the file left behind, where no one would see it (it may hold what the hub never keeps).
    expect(partFiles()).toEqual([]);
    expect(cmehub('upload', 'list').stdout).not.toContain('interrupted-while-stored.csv');
    fs.rmSync(file);
  });

  it('sends the file to a running hub with an API key kept off the command line, follows its upload, and says what to do when the key or the hub fails', async () => {
    let key = '';
    let expiringKey = '';
    let operatorKey = '';
    await withTestHub(async (hub) => {
      const app = await buildApp(hub);
      const coordinator = await login(app, demoLogins.providerAdmin, demoPassword);
      const organization = (await coordinator.get('/api/v1/me')).json().organization.id;
      key = (await coordinator.post(`/api/v1/organizations/${organization}/api-keys`, { name: 'nightly' })).json().key;
      expiringKey = (await coordinator.post(`/api/v1/organizations/${organization}/api-keys`, { name: 'contractor', expiresInDays: 5 })).json().key;
      const operator = await login(app, demoLogins.operator, demoPassword);
      const operators = (await operator.get('/api/v1/me')).json().organization.id;
      operatorKey = (await operator.post(`/api/v1/organizations/${operators}/api-keys`, { name: 'support' })).json().key;
      await app.close();
    });
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    const file = learnerFileNamed('through-the-api.csv', 'Z900');
    const receipt = path.join(dataDir, 'api-receipt.csv');
    const rowsToFix = path.join(dataDir, 'api-rows-to-fix.xlsx');
    const withKey = { ...env, CMEHUB_API_KEY: key };
    const server = await startServerProcess({ ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const sent = runCmehub(withKey, 'import', file, '--hub', address, '--consent', 'written', '--receipt', receipt, '--rows-to-fix', rowsToFix);
      expect(sent.status, sent.stdout + sent.stderr).toBe(3);
      expect(sent.stdout).toMatch(/^Upload [0-9a-f-]{36}: The file is queued/);
      expect(sent.stdout).toMatch(/ UTC  Importing: 100% \| 3 rows \| accepted 0, pending 2, rejected 1, duplicates 0\n/);
      expect(sent.stdout).toMatch(/finished\. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0\./);
      expect(fs.readFileSync(receipt, 'utf8').trim().split('\r\n')).toHaveLength(4);
      expect(sent.stdout).toContain(`1 rejected row to fix written to ${rowsToFix}`);
      expect(fs.readFileSync(rowsToFix).subarray(0, 2).toString()).toBe('PK');
      expect(sent.stderr).not.toContain('The API key expires');

      // A key in its last two weeks: the command says so once, on the error stream, and does its work.
      const expiring = runCmehub({ ...env, CMEHUB_API_KEY: expiringKey }, 'upload', 'list', '--hub', address);
      expect(expiring.status, expiring.stdout + expiring.stderr).toBe(0);
      expect(expiring.stdout).toContain('through-the-api.csv');
      const expiresOn = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      expect(expiring.stderr.trim()).toBe(
        `The API key expires on ${expiresOn} (in 5 days). An admin of your organization makes its successor on its page, under API keys: put it in CMEHUB_API_KEY or --api-key-file before then.`,
      );

      // The key from a file, the same file again: the same upload, nothing added, the same exit status.
      const keyFile = path.join(dataDir, 'api-key');
      fs.writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
      const again = runCmehub(env, 'import', file, '--hub', address, '--api-key-file', keyFile);
      expect(again.status, again.stdout + again.stderr).toBe(3);
      expect(again.stdout).toContain('This file was already uploaded');

      const wrongKey = runCmehub({ ...env, CMEHUB_API_KEY: 'cmh_wrong_key' }, 'import', file, '--hub', address);
      expect(wrongKey.status).toBe(2);
      expect(wrongKey.stderr.trim()).toBe(
        'The hub refused the API key: The API key is not valid or has been revoked. Check the key in CMEHUB_API_KEY or --api-key-file; ' +
          "an admin of your organization creates a new one on its page, under API keys.",
      );
      // An operator's key names the provider with the command's option, not the API's.
      const noProvider = runCmehub({ ...env, CMEHUB_API_KEY: operatorKey }, 'import', file, '--hub', address, '--consent', 'written');
      expect(noProvider.status, noProvider.stdout + noProvider.stderr).toBe(2);
      expect(noProvider.stderr.trim()).toBe("An operator's key sends a file for a provider it names: add --provider <7-digit provider ID>.");
      // A provider's key naming another provider: the command's option to leave out.
      const otherProvider = runCmehub(withKey, 'import', file, '--hub', address, '--provider', '4567890', '--consent', 'written');
      expect(otherProvider.status, otherProvider.stdout + otherProvider.stderr).toBe(2);
      expect(otherProvider.stderr.trim()).toBe("This API key sends files for its own provider: leave --provider out (it names a provider with a hub operator's key).");
      const noKey = runCmehub(env, 'import', file, '--hub', address);
      expect(noKey.status).toBe(2);
      expect(noKey.stderr).toContain('--hub needs an API key of your organization: set CMEHUB_API_KEY, or name a file holding it with --api-key-file.');
    } finally {
      await stopProcess(server, 'SIGTERM');
    }
    // The hub gone: asked again for --wait minutes, then what to do.
    const gone = runCmehub(withKey, 'import', file, '--hub', address, '--wait', '0.05');
    expect(gone.status).toBe(1);
    expect(gone.stdout).toContain(`The hub at ${address} does not answer (ECONNREFUSED): asking again for up to 3 s.`);
    expect(gone.stderr).toContain(`The hub at ${address} has not answered for 3 s (ECONNREFUSED). Run the same command again once it answers`);
  });

  /** The API keys a script may be given, made once: its provider's, an operator's, a board's and another provider's. */
  let scriptKeys: Promise<{ provider: string; operator: string; board: string; otherProvider: string }> | undefined;
  function apiKeys() {
    scriptKeys ??= (async () => {
      const keys = { provider: '', operator: '', board: '', otherProvider: '' };
      await withTestHub(async (hub) => {
        const app = await buildApp(hub);
        const keyOf = async (client: Awaited<ReturnType<typeof login>>, organization: string, name: string) =>
          (await client.post(`/api/v1/organizations/${organization}/api-keys`, { name })).json().key as string;
        const ownOrganization = async (client: Awaited<ReturnType<typeof login>>) => (await client.get('/api/v1/me')).json().organization.id as string;
        const coordinator = await login(app, demoLogins.providerAdmin, demoPassword);
        keys.provider = await keyOf(coordinator, await ownOrganization(coordinator), 'year-end');
        const operator = await login(app, demoLogins.operator, demoPassword);
        keys.operator = await keyOf(operator, await ownOrganization(operator), 'support desk');
        const board = await login(app, demoLogins.boardAdmin, demoPassword);
        keys.board = await keyOf(board, await ownOrganization(board), 'roster sync');
        const lakeside = await operator.post('/api/v1/organizations', { kind: 'provider', name: 'Lakeside Medical Society', providerId: '4567890' });
        expect(lakeside.statusCode, lakeside.body).toBe(201);
        keys.otherProvider = await keyOf(operator, lakeside.json().id, 'lakeside lms');
        await app.close();
      });
      return keys;
    })();
    return scriptKeys;
  }

  it('follows an upload at a hub in a log with a line at each tenth of the file, as the import here writes', async () => {
    const keys = await apiKeys();
    const file = path.join(dataDir, 'a-tenth-at-a-time.csv');
    // Rows enough that a tenth of them is several of the hub's chunks, padded with a note: the hub tells how far it is
    // by the bytes its rows take, once it has read two pieces of the file.
    const header = `${fs.readFileSync(learnerFile, 'utf8').split('\n')[0]},Note`;
    const note = 'Attended the whole session. '.repeat(20);
    fs.writeFileSync(file, [header, ...Array.from({ length: 4000 }, (_, index) => `${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z8${String(index).padStart(5, '0')},1,${note}`)].join('\n'));
    // Each report stored slowly, as on a busy hub: the file takes seconds, a tenth of it less than the 2 s between two looks.
    await withTestHub(async (hub) => {
      await sql`create function store_slowly() returns trigger language plpgsql as $$ begin perform pg_sleep(0.001); return new; end $$`.execute(hub.db);
      await sql`create trigger store_slowly before insert on learner_reports for each row execute function store_slowly()`.execute(hub.db);
    });
    const port = await freePort();
    const server = await startServerProcess({ ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const sent = runCmehub({ ...env, CMEHUB_API_KEY: keys.provider }, 'import', file, '--hub', `http://127.0.0.1:${port}`, '--consent', 'written');
      expect(sent.status, sent.stdout + sent.stderr).toBe(0);
      const percents = [...sent.stdout.matchAll(/ UTC  Importing: (\d+)% \| /g)].map(([, percent]) => Number(percent));
      expect(new Set(percents.map((percent) => Math.floor(percent / 10))), percents.join(', ')).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    } finally {
      await stopProcess(server, 'SIGTERM');
      await withTestHub(async (hub) => {
        await sql`drop trigger store_slowly on learner_reports`.execute(hub.db);
      });
    }
  });

  it('lists, shows and withdraws uploads at a running hub, and writes their receipts and rows to fix, as the commands do here', async () => {
    const keys = await apiKeys();
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    const withKey = (key: string) => ({ ...env, CMEHUB_API_KEY: key });
    const atHub = (...args: string[]) => runCmehub(withKey(keys.provider), ...args, '--hub', address);
    const file = learnerFileNamed('remote-commands.csv', 'Z950');
    const allGood = path.join(dataDir, 'remote-all-good.csv');
    fs.writeFileSync(allGood, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z960').replace(/\n[^\n]*not a date[^\n]*$/, ''));
    let shownAtHub = '';
    let listedAtHub = '';
    let id = '';
    const server = await startServerProcess({ ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const imported = atHub('import', file, '--consent', 'written');
      expect(imported.status, imported.stdout + imported.stderr).toBe(3);
      id = /Upload ([0-9a-f-]{36}): finished/.exec(imported.stdout)?.[1] ?? '';

      const listed = atHub('upload', 'list');
      expect(listed.status, listed.stderr).toBe(0);
      expect(listed.stdout.split('\n')[0]).toMatch(new RegExp(`^${id}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  finished +3 rows  remote-commands\\.csv  \\(1 rejected\\)$`));
      // The address as pasted from the browser (a page of the web app), or the API's: the same hub.
      const fromBrowser = runCmehub(withKey(keys.provider), 'upload', 'list', '--hub', `${address}/uploads/`);
      expect(fromBrowser.status, fromBrowser.stdout + fromBrowser.stderr).toBe(0);
      expect(fromBrowser.stdout).toBe(listed.stdout);
      const atTheApi = runCmehub(withKey(keys.provider), 'upload', 'show', id, '--hub', `${address}/api/v1`);
      expect(atTheApi.status, atTheApi.stdout + atTheApi.stderr).toBe(0);
      expect(atTheApi.stdout).toContain(`Upload ${id}: finished. 3 rows:`);
      const sentAgain = runCmehub(withKey(keys.provider), 'import', file, '--hub', `${address}/api/v1/`);
      expect(sentAgain.status, sentAgain.stdout + sentAgain.stderr).toBe(3);
      expect(sentAgain.stdout).toContain('This file was already uploaded');
      expect(sentAgain.stdout).toMatch(/to fix can be written to a file, to correct and import again: cmehub upload rows-to-fix [0-9a-f-]{36} FILE\.xlsx --hub http:\/\/127\.0\.0\.1:\d+ \(or \.csv\)\./);

      // A receipt or rows to fix whose folder is not there: said before anything is sent.
      const noFolder = path.join(dataDir, 'no-such-folder');
      const notSent = learnerFileNamed('remote-receipt-nowhere.csv', 'Z980');
      const nowhere = atHub('import', notSent, '--consent', 'written', '--receipt', path.join(noFolder, 'receipt.csv'));
      expect(nowhere.status).toBe(2);
      expect(nowhere.stderr.trim()).toBe(
        `The receipt file cannot be written to ${path.join(noFolder, 'receipt.csv')}: there is no folder ${noFolder}. Create it first, or give a file in a folder that is there.`,
      );
      expect(nowhere.stdout).toBe('');
      expect(atHub('upload', 'list').stdout).not.toContain('remote-receipt-nowhere.csv');
      const receiptNowhere = atHub('upload', 'receipt', id, path.join(noFolder, 'receipt.csv'));
      expect(receiptNowhere.status).toBe(2);
      expect(receiptNowhere.stderr.trim()).toBe(nowhere.stderr.trim());
      const fixNowhere = atHub('upload', 'rows-to-fix', id, path.join(noFolder, 'fix.xlsx'));
      expect(fixNowhere.status).toBe(2);
      expect(fixNowhere.stderr.trim()).toMatch(/^The rows to fix file cannot be written to .*fix\.xlsx: there is no folder /);
      // An operator's key lists every provider's uploads, or one provider's.
      const operatorList = runCmehub(withKey(keys.operator), 'upload', 'list', '--provider', '1234567', '--limit', '1', '--hub', address);
      expect(operatorList.status, operatorList.stderr).toBe(0);
      expect(operatorList.stdout.trim()).toBe(listed.stdout.split('\n')[0]);
      const noSuchProvider = runCmehub(withKey(keys.operator), 'upload', 'list', '--provider', '7654321', '--hub', address);
      expect(noSuchProvider.status).toBe(2);
      expect(noSuchProvider.stderr.trim()).toBe("No provider has the id 7654321: uploads are for providers. Give the provider's 7-digit provider ID or its organization id.");
      const notProviderId = runCmehub(withKey(keys.operator), 'upload', 'list', '--provider', 'last-year', '--hub', address);
      expect(notProviderId.stderr.trim()).toBe('No provider has the id last-year; give its 7-digit provider ID or its organization id.');
      // A provider's key lists its own uploads only.
      const othersListed = atHub('upload', 'list', '--provider', '4567890');
      expect(othersListed.status).toBe(2);
      expect(othersListed.stderr.trim()).toBe(
        'The API key "year-end" belongs to Demo Academy of Medicine (provider 1234567) and lists that provider\'s uploads only: ' +
          "leave --provider out (it names a provider with a hub operator's key).",
      );

      const shown = atHub('upload', 'show', id);
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(
        `Upload ${id}: finished. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0.\n` +
          'Headings read (the header is row 1): "CME credits" as AMA PRA Category 1 credits.\nWhat to fix, most common first:\n  1 row (row 4):',
      );
      const stopDone = atHub('upload', 'stop', id);
      expect(stopDone.status).toBe(2);
      expect(stopDone.stderr.trim()).toBe('This upload is already done: there is nothing to stop. Its receipt lists every row it took in.');

      // Written whole: no part of a file is left beside it.
      const receipt = path.join(dataDir, 'remote-receipt.csv');
      const written = atHub('upload', 'receipt', id, receipt);
      expect(written.status, written.stderr).toBe(0);
      expect(written.stdout.trim()).toBe(`Receipt written to ${receipt}`);
      const receiptLines = fs.readFileSync(receipt, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(receiptLines).toHaveLength(4);
      expect(receiptLines[3]).toMatch(/^4,,Sam Tate,CLI-1,not a date,rejected,/);
      const workbook = path.join(dataDir, 'remote-receipt.xlsx');
      expect(atHub('upload', 'receipt', id, workbook).status).toBe(0);
      expect(fs.readFileSync(workbook).subarray(0, 2).toString()).toBe('PK');
      expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);

      const rowsToFix = path.join(dataDir, 'remote-fix.csv');
      const fixWritten = atHub('upload', 'rows-to-fix', id, rowsToFix);
      expect(fixWritten.status, fixWritten.stderr).toBe(0);
      expect(fixWritten.stdout.trim()).toBe(`1 rejected row to fix written to ${rowsToFix}`);
      expect(fs.readFileSync(rowsToFix, 'utf8').trim().split('\r\n')[1]).toMatch(/^"Completion date: ""not a date"" is not a date;.*,Z9503,/);
      const good = atHub('import', allGood, '--consent', 'written');
      expect(good.status, good.stderr).toBe(0);
      const goodId = /Upload ([0-9a-f-]{36}): finished/.exec(good.stdout)?.[1] ?? '';
      const noneToFix = path.join(dataDir, 'remote-none-to-fix.xlsx');
      const none = atHub('upload', 'rows-to-fix', goodId, noneToFix);
      expect(none.status, none.stderr).toBe(0);
      expect(none.stdout.trim()).toBe(`No rows to fix written to ${noneToFix}: no row was rejected.`);
      expect(fs.existsSync(noneToFix)).toBe(false);

      // Dates written day first, said so on the command line, reach the hub as the API takes them.
      const dayFirst = path.join(dataDir, 'remote-day-first.csv');
      fs.writeFileSync(dayFirst, ['Name,DOB,State,License #,Hours', 'Kim Lee,25/4,CA,Z9701,1'].join('\n'));
      const [year, month, day] = addDays(today, -2).split('-');
      const readDayFirst = atHub('import', dayFirst, '--consent', 'written', '--activity', 'cli-1', '--completion-date', `${day}/${month}/${year}`, '--dates', 'day-first');
      expect(readDayFirst.status, readDayFirst.stdout + readDayFirst.stderr).toBe(0);
      expect(readDayFirst.stdout).toContain("The file's dates were read day first (DD/MM/YYYY), as the upload said.");

      const withdrawn = atHub('upload', 'withdraw', id, '--reason', 'Sent for the wrong activity');
      expect(withdrawn.status, withdrawn.stderr).toBe(0);
      expect(withdrawn.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  Withdrawing: 0 of 3 reports deleted\n.*Withdrawing: 3 of 3 reports deleted\n/);
      expect(withdrawn.stdout).toMatch(/Withdrawn \d{4}-\d\d-\d\d \d\d:\d\d UTC by API key year-end: the 3 reports this file took in were deleted\. Reason: Sent for the wrong activity/);
      expect(atHub('upload', 'rows-to-fix', id, rowsToFix).stdout).toContain('No rows to fix written: This upload was withdrawn');

      // Another organization's key, a wrong one, an id that is not one or names no upload: what to do.
      const byBoard = runCmehub(withKey(keys.board), 'upload', 'show', id, '--hub', address);
      expect(byBoard.status).toBe(2);
      const boardMessage =
        'Uploads are shown to the provider that sent them (and the hub\'s operators): the API key "roster sync" belongs to Medical Board of California, a licensing board. ' +
        "Use a key of that provider (its admin creates one on the organization's page, under API keys).";
      expect(byBoard.stderr.trim()).toBe(boardMessage);
      expect(runCmehub(withKey(keys.board), 'upload', 'list', '--hub', address).stderr.trim()).toBe(boardMessage);
      const byOtherProvider = runCmehub(withKey(keys.otherProvider), 'upload', 'receipt', id, receipt, '--hub', address);
      expect(byOtherProvider.status).toBe(2);
      expect(byOtherProvider.stderr.trim()).toBe(
        `The hub at ${address} has no upload ${id} of Lakeside Medical Society (provider 4567890), to which the API key "lakeside lms" belongs. ` +
          `Check the id (cmehub upload list --hub ${address} lists its uploads), or use a key of the provider that sent the file.`,
      );
      const wrongKey = runCmehub(withKey('cmh_wrong_key'), 'upload', 'list', '--hub', address);
      expect(wrongKey.status).toBe(2);
      expect(wrongKey.stderr).toContain('The hub refused the API key: The API key is not valid or has been revoked. Check the key in CMEHUB_API_KEY or --api-key-file;');
      const notAnId = atHub('upload', 'show', 'last-year');
      expect(notAnId.status).toBe(2);
      expect(notAnId.stderr.trim()).toBe('"last-year" is not an upload id: cmehub upload list and cmehub import print it, and it is in the upload\'s address.');
      const unknown = runCmehub(withKey(keys.operator), 'upload', 'withdraw', '00000000-0000-4000-8000-000000000000', '--reason', 'Sent twice', '--hub', address);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr.trim()).toBe(
        `The hub at ${address} has no upload 00000000-0000-4000-8000-000000000000. Check the id: cmehub upload list --hub ${address} lists the latest.`,
      );

      // The key from a file; the same output here as at the hub, once the hub is stopped.
      const keyFile = path.join(dataDir, 'year-end-key');
      fs.writeFileSync(keyFile, `${keys.provider}\n`, { mode: 0o600 });
      const shownWithKeyFile = runCmehub(env, 'upload', 'show', id, '--hub', address, '--api-key-file', keyFile);
      expect(shownWithKeyFile.status, shownWithKeyFile.stderr).toBe(0);
      shownAtHub = shownWithKeyFile.stdout;
      listedAtHub = atHub('upload', 'list').stdout;
    } finally {
      await stopProcess(server, 'SIGTERM');
    }
    const shownHere = cmehub('upload', 'show', id);
    expect(shownHere.stdout).toContain('the 3 reports this file took in were deleted');
    expect(shownAtHub).toBe(shownHere.stdout);
    expect(listedAtHub).toBe(cmehub('upload', 'list').stdout);

    const gone = atHub('upload', 'show', id, '--wait', '0.05');
    expect(gone.status).toBe(1);
    expect(gone.stdout).toContain(`The hub at ${address} does not answer (ECONNREFUSED): asking again for up to 3 s.`);
    expect(gone.stderr.trim()).toBe(`The hub at ${address} has not answered for 3 s (ECONNREFUSED). Run the same command again once it answers (or give --wait more minutes).`);
    // Without --hub, the key's options are a mistake to say, not a database here to open.
    const noHub = runCmehub(withKey(keys.provider), 'upload', 'list', '--api-key-file', path.join(dataDir, 'year-end-key'));
    expect(noHub.status).toBe(2);
    expect(noHub.stderr.trim()).toBe("--api-key-file goes with --hub <address>: add the hub's address, such as --hub https://cme.example.org.");
    const help = cmehub('upload', 'withdraw', '--help');
    expect(help.stdout).toContain('--hub <url>');
    expect(help.stdout).toContain('as your\norganization\'s API key sees them');
  });

  it('stops an upload at a running hub while a script follows it there, and says when its receipt can be written', async () => {
    const keys = await apiKeys();
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    const atHub = (...args: string[]) => runCmehub({ ...env, CMEHUB_API_KEY: keys.provider }, ...args, '--hub', address);
    const [header, row] = fs.readFileSync(learnerFile, 'utf8').split('\n');
    // Long enough to take in that it is still going when the commands that follow reach the hub.
    const large = path.join(dataDir, 'remote-to-stop.csv');
    fs.writeFileSync(large, [header, ...Array.from({ length: 200_000 }, (_, index) => row.replace('Z1001', `L${index}`))].join('\n'));
    const server = await startServerProcess({ ...env, PORT: String(port), HOST: '127.0.0.1' });
    const following = startCmehub({ ...env, CMEHUB_API_KEY: keys.provider }, 'import', large, '--consent', 'written', '--hub', address);
    try {
      let followed = '';
      following.stderr?.on('data', (chunk: Buffer) => (followed += chunk.toString()));
      const followingEnded = new Promise<number | null>((resolve) => following.once('exit', (code) => resolve(code)));
      const largeId = await new Promise<string>((resolve, reject) => {
        following.stdout?.on('data', (chunk: Buffer) => {
          followed += chunk.toString();
          const sent = /^Upload ([0-9a-f-]{36}): /.exec(followed);
          if (sent) resolve(sent[1]);
        });
        following.once('exit', () => reject(new Error(`The import ended before its upload was queued:\n${followed}`)));
      });
      const early = atHub('upload', 'receipt', largeId, path.join(dataDir, 'remote-early.csv'));
      expect(early.status).toBe(2);
      expect(early.stderr.trim()).toBe(
        `Upload ${largeId} is still being taken in: its receipt can be written once it is done. Run this again then (cmehub upload show ${largeId} --hub ${address} says how far it is).`,
      );
      expect(fs.existsSync(path.join(dataDir, 'remote-early.csv'))).toBe(false);
      const stopped = atHub('upload', 'stop', largeId);
      expect(stopped.status, stopped.stderr).toBe(0);
      expect(stopped.stdout).toMatch(new RegExp(`^Upload ${largeId}: stopped\\. [\\d,]+ rows: .*\\nStopped by API key year-end`));
      // The script following it hears that it was stopped, and ends as on a failed upload.
      expect(await followingEnded, followed).toBe(1);
      expect(followed).toContain(`Upload ${largeId}: stopped.`);
    } finally {
      await stopProcess(following, 'SIGKILL');
      await stopProcess(server, 'SIGTERM');
    }
    fs.rmSync(large);
  });

  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))('keeps the embedded database to one process: a command run beside the server says which has it and what to do', async () => {
    const lockFile = path.join(dataDir, 'pglite.lock');
    const file = learnerFileNamed('beside-the-server.csv', 'Z800');
    const server = await startServerProcess({ ...env, PORT: '0', HOST: '127.0.0.1' });
    try {
      const refused = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`The embedded database in ${path.join(dataDir, 'pglite')} is in use by process ${server.pid} (cmehub serve, since `);
      expect(refused.stderr).toContain('Stop the hub first');
      // The server's own address, on the port it took: where to send the file instead.
      const { address } = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { address: string };
      expect(address).toMatch(/^http:\/\/localhost:\d+$/);
      expect(refused.stderr).toContain(`cmehub import FILE --hub ${address}, with an API key in CMEHUB_API_KEY`);
      // Nor does a second server open it; a command that does not open the database runs.
      const secondServer = runCmehub({ ...env, PORT: '0', HOST: '127.0.0.1' }, 'serve');
      expect(secondServer.status).toBe(1);
      expect(secondServer.stderr).toContain(`is in use by process ${server.pid}`);
      expect(cmehub('upload', '--help').status).toBe(0);
    } finally {
      await stopProcess(server, 'SIGKILL');
    }
    // Killed, the server could not give the database back: the next command takes it over, and gives it back.
    expect(fs.existsSync(lockFile)).toBe(true);
    const listed = cmehub('upload', 'list');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain('beside-the-server.csv');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('refuses a database migrated by a later version of the hub, saying what to run', async () => {
    // Opened without migrating it: the hub itself would refuse it.
    const withDatabaseAlone = async (statement: ReturnType<typeof sql>) => {
      const database = await openConfiguredDatabase(testConfig({ dataDir, databaseUrl: env.DATABASE_URL ?? null }));
      await statement.execute(database.db).finally(() => database.close());
    };
    await withDatabaseAlone(sql`insert into kysely_migration (name, timestamp) values ('9900_from_a_later_version', now()::text)`);
    try {
      for (const refused of [cmehub('upload', 'list'), runCmehub({ ...env, PORT: '0', HOST: '127.0.0.1' }, 'serve')]) {
        expect(refused.status).toBe(1);
        expect(refused.stderr.trim()).toBe(
          'The database was migrated by a later version of CME Hub (migration 9900_from_a_later_version, which this version does not have). Run that version, or a later one, with this database.',
        );
      }
    } finally {
      await withDatabaseAlone(sql`delete from kysely_migration where name = '9900_from_a_later_version'`);
    }
  });
});
