import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openActivity } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { systemContext } from '../../http/actor.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import { createRegistryService } from '../registry/registry.service.ts';
import type { UploadWorker } from './upload-worker.ts';

// CSV files as providers' systems and hands make them: two encodings in one file, Excel for Mac's, UTF-16
// without its byte order mark, a stray NUL, a row far too long, a quote never closed, rows that stop short,
// spaces around quoted values.

const completed = addDays(hubToday(), -3);
const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent,Notes';

type Line = { rowNumber: number; reference: string | null; status: string; reportId: string | null; problems: { code: string; message: string }[] };
type Upload = {
  status: string;
  rows: { done: number; accepted: number; rejected: number };
  problems: { code: string; message: string }[];
  error: { code: string; message: string } | null;
};

describe('the text of CSV uploads', () => {
  let scene: UploadScene;
  let t: TestApp;
  let coordinator: Session;
  let worker: UploadWorker;
  let activityId: string;

  const row = (reference: string, first: string, last: string, rest = ',1,Written,') => `${reference},${activityId},${completed},${first},${last},3,3,CA,Q${reference}${rest}`;

  async function send(body: string | Buffer, query = '') {
    return coordinator.request({ method: 'POST', url: `/api/v1/uploads${query}`, payload: body, headers: { 'content-type': 'text/csv' } });
  }

  /** Sends a file, waits for its job, and gives the upload and its receipt lines. */
  async function takenIn(body: string | Buffer, query = ''): Promise<{ upload: Upload; lines: Line[] }> {
    const sent = await send(body, query);
    expect(sent.statusCode, sent.body).toBe(202);
    await worker.idle();
    const upload = (await coordinator.get(`/api/v1/uploads/${sent.json().id}`)).json();
    const lines = (await coordinator.get(`/api/v1/uploads/${sent.json().id}/rows?limit=100`)).json().items;
    return { upload, lines };
  }

  /** The learner's names as the hub stored them, for each receipt line with a report. */
  async function storedNames(lines: Line[]): Promise<string[]> {
    const reportIds = lines.flatMap((line) => (line.reportId ? [line.reportId] : []));
    const reports = await t.db.selectFrom('learner_reports').select(['id', 'first_name', 'last_name']).where('id', 'in', reportIds).execute();
    const names = new Map(reports.map((report) => [report.id, `${report.first_name} ${report.last_name}`]));
    return reportIds.map((id) => names.get(id) ?? '');
  }

  /** Another activity of the provider, for a test whose learners other tests report on too. */
  /** Loads these licensees (rows of License number, type, status, first and last name, birth month and day) into California's roster. */
  async function loadCaliforniaRoster(licensees: readonly string[]): Promise<void> {
    const california = await t.db
      .selectFrom('organizations')
      .select('id')
      .where('kind', '=', 'licensing_board')
      .where('jurisdiction', '=', 'CA')
      .where('board_type', '<>', 'DO')
      .executeTakeFirstOrThrow();
    const roster = ['License number,License type,Status,First name,Last name,Birth month,Birth day', ...licensees];
    await createRegistryService({ database: t.database }).loadRoster(
      systemContext('test roster'),
      california.id,
      { source: Readable.from([Buffer.from(roster.join('\n'))]), format: 'csv', fileName: 'roster.csv' },
      { fullRoster: false },
    );
  }

  async function anotherActivity(providerActivityId: string): Promise<string> {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: providerActivityId, providerActivityId }));
    expect(created.statusCode, created.body).toBe(201);
    return created.json().id;
  }

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'CSV text', providerActivityId: 'CSV-TEXT-1' });
    ({ t, worker, coordinator, activityId } = scene);
  });

  afterAll(() => scene.close());

  it('takes each line in its own encoding, past the first 64 KB too, and stores no NUL', async () => {
    const notes = 'n'.repeat(30_000);
    const file = Buffer.concat([
      Buffer.from(`${header}\r\n${row('E1', 'José', 'Núñez')}\r\n${[2, 3, 4].map((index) => `${row(`E${index}`, 'Ann', 'Lee', `,1,Written,${notes}`)}\r\n`).join('')}`),
      iconv.encode(`${row('E5', 'Zoë', 'Muñoz')}\r\n`, 'windows-1252'),
      Buffer.from(`${row('E6', 'Ann', 'Nu\0ll')}\r\n`),
    ]);
    const { upload, lines } = await takenIn(file);
    expect(upload).toMatchObject({ status: 'finished', rows: { done: 6, rejected: 0 } });
    expect(await storedNames(lines)).toEqual(['José Núñez', 'Ann Lee', 'Ann Lee', 'Ann Lee', 'Zoë Muñoz', 'Ann Null']);
  });

  it('takes a file saved as "CSV (Macintosh)" in Mac Roman, its learners matched by their accented names, and says so', async () => {
    await loadCaliforniaRoster(['A70001,MD,Active,Renée,Dubois,5,17', 'A70002,MD,Active,Jürgen,Müller,8,23', 'A70003,MD,Active,Françoise,Lefèvre,2,11', 'A70004,MD,Active,Inês,Antunes,9,4']);
    // The license holder is the learner only if the names agree too.
    const learner = (reference: string, first: string, last: string, month: number, day: number, license: string) =>
      `${reference},${activityId},${completed},${first},${last},${month},${day},CA,${license},1,Written,`;
    // Excel for Mac ends lines with CR alone.
    const file = iconv.encode([header, learner('MAC1', 'Renée', 'Dubois', 5, 17, 'A70001'), learner('MAC2', 'Jürgen', 'Müller', 8, 23, 'A70002'), ''].join('\r'), 'macintosh');
    const { upload, lines } = await takenIn(file);
    expect(upload).toMatchObject({ status: 'finished', rows: { done: 2, accepted: 2, rejected: 0 } });
    expect(upload.problems).toContainEqual({
      code: 'not_utf8',
      message: 'The file was not saved as CSV UTF-8: its text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
    });
    expect(await storedNames(lines)).toEqual(['Renée Dubois', 'Jürgen Müller']);

    // A list whose first 64 KB are plain ASCII (long notes here; a list sorted by name, often): its later rows are
    // read in the encoding they read best in, and the upload says so once they are read.
    const notes = 'n'.repeat(30_000);
    const asciiFirst = Buffer.concat([
      Buffer.from([header, ...[1, 2, 3].map((index) => row(`LATE${index}`, 'Ann', 'Lee', `,1,Written,${notes}`)), ''].join('\r')),
      iconv.encode([learner('LATE4', 'Françoise', 'Lefèvre', 2, 11, 'A70003'), learner('LATE5', 'Inês', 'Antunes', 9, 4, 'A70004'), ''].join('\r'), 'macintosh'),
    ]);
    const late = await takenIn(asciiFirst);
    expect(late.upload).toMatchObject({ status: 'finished', rows: { done: 5, rejected: 0 } });
    expect(late.lines.slice(3).map((line) => line.status)).toEqual(['accepted', 'accepted']);
    expect(await storedNames(late.lines.slice(3))).toEqual(['Françoise Lefèvre', 'Inês Antunes']);
    expect(late.upload.problems).toContainEqual({
      code: 'not_utf8',
      message:
        'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
    });
  });

  it('reads a license number and an activity ID a script exported from a number column as decimals (pandas writes 34567.0) as the whole numbers', async () => {
    await loadCaliforniaRoster(['40017,MD,Active,Grace,Hopper,12,9']);
    const numbered = await coordinator.post('/api/v1/activities', openActivity({ title: 'Numbered course', providerActivityId: '4170' }));
    expect(numbered.statusCode, numbered.body).toBe(201);
    // pandas' to_csv: a column of numbers with a gap in it is written as decimals, after the frame's index.
    const file = [
      ',Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,NPI,CME credits,Consent',
      `0,PD1,4170.0,${completed},Grace,Hopper,12.0,9,CA,40017.0,,1.5,Written`,
      `1,PD2,,${completed},Ann,Lee,3.0,3,CA,,1234567893.0,1.5,Written`,
    ].join('\n');
    const { upload, lines } = await takenIn(`${file}\n`, `?activity=${activityId}`);
    expect(upload).toMatchObject({ status: 'finished', rows: { done: 2, rejected: 0 } });
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['PD1', 'accepted', []],
      ['PD2', 'pending', expect.any(Array)],
    ]);
    const report = (await coordinator.get(`/api/v1/learner-reports/${lines[0].reportId}`)).json();
    expect(report).toMatchObject({ activityId: numbered.json().id, learner: { licenseNumber: '40017' } });
  });

  it('reads a cell a database wrote for an empty value (NULL, as mysql -B and sqlcmd write it; \\N, as COPY and SELECT INTO OUTFILE write it) as empty', async () => {
    const activityId = await anotherActivity('CSV-DB-EMPTY');
    const columns = ['reference', 'activity_id', 'completion_date', 'first_name', 'middle_name', 'last_name', 'birth_month', 'birth_day', 'license_state', 'license_number', 'npi', 'credits', 'consent', 'credit_id'];
    // mysql -B: values between tabs, a header, NULL for a value the table does not have.
    const mysql = [
      columns.join('\t'),
      `DB1\t${activityId}\t${completed}\tJames\tNULL\tOkafor\t11\t2\tCA\tA23456\tNULL\t1.50\tWritten\tNULL`,
      `DB2\t${activityId}\t${completed}\tRobert\tT\tChen\t1\t9\tNULL\tNULL\t1456789019\t1.50\tWritten\tccid:1234567:7`,
    ].join('\n');
    const first = await takenIn(`${mysql}\n`);
    expect(first.upload).toMatchObject({ status: 'finished', rows: { done: 2, rejected: 0 } });
    expect(first.lines.map((line) => [line.reference, line.status, line.problems])).toEqual([
      ['DB1', 'accepted', []],
      ['DB2', 'accepted', []],
    ]);
    const report = (await coordinator.get(`/api/v1/learner-reports/${first.lines[0].reportId}`)).json();
    expect(report).toMatchObject({ creditId: null, learner: { npi: null, licenseNumber: 'A23456' } });
    // PostgreSQL's COPY (psql's \\copy ... to 'file'), in its text format: \\N for an empty value.
    const copy = [columns.join('\t'), `DB3\t${activityId}\t${completed}\tPriya\t\\N\tNatarajan\t6\t30\tCA\tA34567\t\\N\t1.50\tWritten\t\\N`].join('\n');
    const second = await takenIn(`${copy}\n`);
    expect(second.lines.map((line) => [line.reference, line.status, line.problems])).toEqual([['DB3', 'accepted', []]]);
  });

  it('passes over the lines a database tool writes around its rows, and takes none of the lines of text a report writes under them as a row to fix', async () => {
    const activityId = await anotherActivity('CSV-DB-TOOLS');
    // sqlcmd -s, -W: a line of dashes under the header, the count of rows after them.
    const sqlcmd = [
      'Reference,ActivityID,CompletionDate,FirstName,LastName,BirthMonth,BirthDay,LicenseState,LicenseNumber,Credits,Consent',
      '---------,----------,--------------,---------,--------,----------,--------,------------,-------------,-------,-------',
      `SQ1,${activityId},${completed} 00:00:00.000,James,Okafor,11,2,CA,A23456,1.50,Written`,
      `SQ2,${activityId},${completed} 00:00:00.000,Priya,Natarajan,6,30,CA,A34567,1.50,Written`,
      '',
      '(2 rows affected)',
      '',
    ].join('\r\n');
    const fromSqlcmd = await takenIn(sqlcmd);
    expect(fromSqlcmd.upload).toMatchObject({ status: 'finished', rows: { done: 3, accepted: 2, toFix: 0 } });
    expect(fromSqlcmd.lines.map((line) => [line.rowNumber, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      [3, 'accepted', []],
      [4, 'accepted', []],
      [6, 'rejected', ['not_a_completion']],
    ]);
    expect(fromSqlcmd.lines[2].problems[0].message).toBe(
      'The row is a line of text without a separator (a title or a note, or a line a program writes under its rows, such as "(2 rows affected)" or "Grand Totals (2 records)"), so it is not a completion, and nothing of it is kept: delete it from the file. If it is a learner\'s row, separate its values as the header row\'s are',
    );

    // psql's aligned output, pasted into a file: columns between vertical bars, a rule of dashes under the header.
    const psql = [
      ' reference | activity_id | completion_date | first_name | last_name | birth_month | birth_day | license_state | license_number | credits | consent',
      '-----------+-------------+-----------------+------------+-----------+-------------+-----------+---------------+----------------+---------+---------',
      ` PS1       | ${activityId}   | ${completed}      | Robert     | Chen      |           1 |         9 | CA            | A45678         |    1.50 | Written`,
      '(1 row)',
      '',
    ].join('\n');
    const fromPsql = await takenIn(psql);
    expect(fromPsql.upload).toMatchObject({ status: 'finished', rows: { done: 2, accepted: 1, toFix: 0 } });
    expect(fromPsql.lines.map((line) => [line.rowNumber, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      [3, 'accepted', []],
      [4, 'rejected', ['not_a_completion']],
    ]);

    // A Salesforce report exported as CSV (details only): every value quoted, the report's total and notices under the rows.
    const salesforce = [
      '"First Name","Last Name","Birthdate","License State","License Number","Course Code","Completion Date","Credits Earned","Consent"',
      `"Hannah","Berg","8/21/1979","WA","MD60023456","${activityId}","${completed}","1.00","Written"`,
      '',
      '"Grand Totals (1 records)"',
      '',
      '"Confidential Information - Do Not Distribute"',
      '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
      '',
    ].join('\n');
    const fromSalesforce = await takenIn(salesforce);
    expect(fromSalesforce.upload).toMatchObject({ status: 'finished', rows: { done: 4, accepted: 1, toFix: 0 } });
    expect(fromSalesforce.lines.map((line) => [line.rowNumber, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      [2, 'accepted', []],
      [4, 'rejected', ['not_a_completion']],
      [6, 'rejected', ['not_a_completion']],
      [7, 'rejected', ['not_a_completion']],
    ]);
  });

  it('reads a consent column a database keeps as a boolean (t and f from psql, 1 and 0 from MySQL and SQL Server) as Yes and No', async () => {
    const activityId = await anotherActivity('CSV-DB-BOOLEAN');
    // psql's \\copy (select ...) to 'file' csv header: booleans as t and f.
    const psql = [
      'reference,activity_id,completion_date,first_name,last_name,birth_month,birth_day,license_state,license_number,credits,consent_to_share',
      `BO1,${activityId},${completed},James,Okafor,11,2,CA,A23456,1.5,t`,
      `BO2,${activityId},${completed},Priya,Natarajan,6,30,CA,A34567,1.5,f`,
    ].join('\n');
    const fromPsql = await takenIn(`${psql}\n`, '?consent=written');
    expect(fromPsql.lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['BO1', 'accepted', []],
      ['BO2', 'rejected', ['consent_declined']],
    ]);
    // sqlcmd's bit: 1 and 0.
    const sqlcmd = [
      'Reference,ActivityID,CompletionDate,FirstName,LastName,BirthMonth,BirthDay,LicenseState,LicenseNumber,Credits,Consent',
      `BO3,${activityId},${completed},Robert,Chen,1,9,CA,A45678,1.5,1`,
      `BO4,${activityId},${completed},Maria,Lopez,3,14,CA,A12345,1.5,0`,
    ].join('\r\n');
    const fromSqlcmd = await takenIn(sqlcmd, '?consent=written');
    expect(fromSqlcmd.lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['BO3', 'accepted', []],
      ['BO4', 'rejected', ['consent_declined']],
    ]);
  });

  it('reads an identifier written as none (N/A, NA, None, a dash) as not given, the learner taken by the identifier the row gives', async () => {
    const activityId = await anotherActivity('CSV-NONE');
    const file = [
      'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,NPI,Board,Board ID,CME credits,Consent',
      `NA1,${activityId},${completed},James,Okafor,11,2,CA,A23456,N/A,,,1.5,Written`,
      `NA2,${activityId},${completed},Priya,Natarajan,6,30,CA,A34567,none,,NA,1.5,Written`,
      `NA3,${activityId},${completed},Maria,Lopez,3,14,,n/a,1234567893,,-,1.5,Written`,
      // A script's missing values turned into text: pandas' nan, JavaScript's null.
      `NA4,${activityId},${completed},Robert,Chen,1,9,CA,A45678,nan,,null,1.5,Written`,
    ].join('\n');
    const { upload, lines } = await takenIn(`${file}\n`);
    expect(upload).toMatchObject({ status: 'finished', rows: { done: 4, rejected: 0 } });
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['NA1', 'accepted', []],
      ['NA2', 'accepted', []],
      ['NA3', 'accepted', []],
      ['NA4', 'accepted', []],
    ]);
  });

  it('takes UTF-16 text saved without a byte order mark', async () => {
    const text = [header, row('U1', 'François', 'O’Neil'), row('U2', 'Zoë', 'Brontë')].join('\r\n').replaceAll(',', '\t');
    const { upload, lines } = await takenIn(iconv.encode(text, 'utf16le'));
    expect(upload).toMatchObject({ status: 'finished', rows: { done: 2, rejected: 0 } });
    expect(await storedNames(lines)).toEqual(['François O’Neil', 'Zoë Brontë']);
  });

  it('takes every row after a row longer than the limit, which it rejects with its row number', async () => {
    // As the tester sent them: one row, a name of 270,000 characters (in quotes or not), then 30 rows.
    for (const [prefix, longName] of [['Q', `"${'y'.repeat(270_000)}"`], ['P', 'y'.repeat(270_000)]]) {
      const after = Array.from({ length: 30 }, (_, index) => `${prefix}A${index}`);
      const file = [header, row(`${prefix}B`, 'Before', 'Row'), row(`${prefix}L`, longName, 'Row'), ...after.map((reference) => row(reference, 'After', 'Row')), ''].join('\n');
      const { upload, lines } = await takenIn(file);
      expect(upload).toMatchObject({ status: 'finished', rows: { done: 32, rejected: 1 } });
      expect(lines.map((line) => [line.rowNumber, line.reference, line.status])).toEqual([
        [2, `${prefix}B`, 'pending'],
        [3, null, 'rejected'],
        ...after.map((reference, index) => [index + 4, reference, 'pending']),
      ]);
      expect(lines[1].problems).toEqual([
        expect.objectContaining({ code: 'row_too_long', message: 'The row is longer than 262,144 characters, the most a row may have; shorten the values that are too long.' }),
      ]);
    }
  });

  it('rejects the row of a quote that never closes alone, takes the rows after it in, and takes it in once its rows to fix are corrected', async () => {
    const { upload, lines } = await takenIn([header, row('Q1', 'Ann', 'Lee'), row('Q2', 'Bo', 'Ray'), row('Q3', '"Cy', 'Dee'), row('Q4', 'Dan', 'Eck')].join('\n'));
    expect(upload).toMatchObject({ status: 'finished', error: null, rows: { done: 4, rejected: 1 } });
    expect(lines.map((line) => [line.rowNumber, line.reference, line.status])).toEqual([
      [2, 'Q1', 'pending'],
      [3, 'Q2', 'pending'],
      [4, 'Q3', 'rejected'],
      [5, 'Q4', 'pending'],
    ]);
    expect(lines[2].problems).toEqual([expect.objectContaining({ code: 'unreadable_row', message: expect.stringContaining('A value opens a quote (") that is not closed on this row\'s line') })]);
    const sent = (await coordinator.get('/api/v1/uploads')).json().items[0];
    const toFix = await coordinator.get(`/api/v1/uploads/${sent.id}/rows-to-fix?format=csv`);
    expect(toFix.statusCode, toFix.body).toBe(200);
    // The row as its line holds it, the quote in its value: taken out, the row goes in as a correction.
    expect(toFix.body).toContain(`,Q3,${activityId},${completed},"""Cy",,Dee,3,3,CA,QQ3,`);
    const corrected = await takenIn(toFix.body.replace('"""Cy"', 'Cy'));
    expect(corrected.upload).toMatchObject({ status: 'finished', rows: { done: 1, rejected: 0 } });
    expect(corrected.lines.map((line) => [line.reference, line.status])).toEqual([['Q3', 'pending']]);
    expect(await storedNames(corrected.lines)).toEqual(['Cy Dee']);

    // In the first rows, checked before the file is queued, it is a row to fix all the same.
    const early = await takenIn([header, row('Q5', '"Eve', 'Fox'), row('Q6', 'Finn', 'Gray')].join('\n'));
    expect(early.upload.status).toBe('finished');
    expect(early.lines.map((line) => [line.rowNumber, line.reference, line.status])).toEqual([
      [2, 'Q5', 'rejected'],
      [3, 'Q6', 'pending'],
    ]);

    // Closed rows later by the quote that opens another value, as where a spreadsheet program quoted a name with a comma.
    const closedLater = await takenIn([header, row('Q7', '"Gil', 'Ames'), row('Q8', 'Hal', 'Best'), row('Q9', 'Ida', '"Cole, Jr."'), row('Q10', 'Jo', 'Dunn')].join('\r\n'));
    expect(closedLater.upload).toMatchObject({ status: 'finished', rows: { done: 4, rejected: 1 } });
    expect(closedLater.lines.map((line) => [line.rowNumber, line.reference, line.status])).toEqual([
      [2, 'Q7', 'rejected'],
      [3, 'Q8', 'pending'],
      [4, 'Q9', 'pending'],
      [5, 'Q10', 'pending'],
    ]);
    expect(await storedNames(closedLater.lines.slice(1))).toEqual(['Hal Best', 'Ida Cole, Jr.', 'Jo Dunn']);
  });

  it('keeps what its rows told of the file on an upload they stopped', async () => {
    // The encoding of rows past the first 64 KB is told once they are read: the upload that stops further down says it too.
    const notes = 'n'.repeat(30_000);
    const file = Buffer.concat([
      Buffer.from([header, ...[1, 2, 3].map((index) => row(`SL${index}`, 'Ann', 'Lee', `,1,Written,${notes}`)), ''].join('\n')),
      iconv.encode([row('SL4', 'Françoise', 'Lefèvre'), row('SL5', 'Inês', 'Antunes', `,1,Written,${'n'.repeat(1_100_000)}`), row('SL6', 'Zoë', 'Brontë')].join('\n'), 'macintosh'),
    ]);
    const { upload, lines } = await takenIn(file);
    expect(upload.status).toBe('failed');
    expect(upload.error).toMatchObject({ code: 'file_unreadable', message: expect.stringContaining('Row 6 goes on for more than 1 MB without ending') });
    expect(lines.map((line) => line.reference)).toEqual(['SL1', 'SL2', 'SL3', 'SL4']);
    expect(upload.problems).toContainEqual({
      code: 'not_utf8',
      message:
        'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
    });
  });

  it('takes in the rows after a quote still open a megabyte on, the row with the quote rejected alone', async () => {
    const rest = Array.from({ length: 20_000 }, (_, index) => row(`M${index}`, 'Later', 'Row'));
    const { upload, lines } = await takenIn([header, row('R1', 'Ann', 'Lee'), row('R2', '"Never', 'Closed'), ...rest].join('\n'));
    expect(upload).toMatchObject({ status: 'finished', error: null, rows: { done: 20_002, rejected: 1 } });
    expect(lines.slice(0, 3).map((line) => [line.rowNumber, line.reference, line.status])).toEqual([
      [2, 'R1', 'pending'],
      [3, 'R2', 'rejected'],
      [4, 'M0', 'pending'],
    ]);
  });

  it('takes the rows of a file with a space between each separator and a quoted value, by comma or semicolon, and a file by vertical bars', async () => {
    // Physicians of the demo registry's California roster, so that each row is accepted.
    const padded = (separator: string, rows: string[][]) => [header.split(','), ...rows].map((values) => values.join(`${separator} `)).join('\r\n');
    const byComma = padded(',', [
      ['"W1"', `"${activityId}"`, completed, '"James"', '"Okafor, Jr."', '11', '2', 'CA', '"A23456" ', '1', 'Written', '"Seen, twice"'],
      ['W2', activityId, completed, 'Robert', ' "Chen"\t', '1', '9', '"CA"', 'A45678', '"1.5"', 'Written', ''],
    ]);
    const comma = await takenIn(byComma);
    expect(comma.upload).toMatchObject({ status: 'finished', rows: { done: 2, rejected: 0 } });
    expect(comma.lines.map((line) => [line.reference, line.status, line.problems])).toEqual([
      ['W1', 'accepted', []],
      ['W2', 'accepted', []],
    ]);
    expect(await storedNames(comma.lines)).toEqual(['James Okafor, Jr.', 'Robert Chen']);

    const bySemicolon = padded(';', [['"W3"', activityId, completed, '"Priya"', '"Natarajan"', '6', '30', 'CA', '"A34567"', '"1,5"', 'Written', '"Late; by mail"']]);
    const semicolon = await takenIn(bySemicolon);
    expect(semicolon.upload).toMatchObject({ status: 'finished', rows: { done: 1, rejected: 0 } });
    expect(semicolon.lines.map((line) => [line.reference, line.status, line.problems])).toEqual([['W3', 'accepted', []]]);
    expect(await storedNames(semicolon.lines)).toEqual(['Priya Natarajan']);

    // A registration system's export, by vertical bars, a comma in a value as it is.
    const byBar = padded('|', [['W4', activityId, completed, 'Hannah', 'Berg', '8', '21', 'WA', 'MD60023456', '1', 'Written', 'Seen, once']]);
    const bar = await takenIn(byBar);
    expect(bar.upload).toMatchObject({ status: 'finished', rows: { done: 1, rejected: 0 } });
    expect(bar.lines.map((line) => [line.reference, line.status, line.problems])).toEqual([['W4', 'accepted', []]]);
  });

  it('reads the optional columns a row leaves out at its end as empty, but not a required one', async () => {
    const { upload, lines } = await takenIn(
      [header, row('S1', 'Few', 'Cols', ',1'), row('S2', 'Few', 'Cols', ',1,written'), `S3,${activityId},${completed},Few`].join('\n'),
      '?consent=written',
    );
    expect(upload.status).toBe('finished');
    expect(lines.map((line) => [line.reference, line.status, line.problems[0]?.code])).toEqual([
      ['S1', 'pending', 'license_not_found'],
      ['S2', 'pending', 'license_not_found'],
      ['S3', 'rejected', 'too_few_values'],
    ]);
    expect(lines[2].problems[0].message).toBe(
      'The row has 4 values but the header has 12 columns: it ends before "Last name", which must be filled in. Check for a missing separator, or values shifted into the wrong columns.',
    );
  });
});
