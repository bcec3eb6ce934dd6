import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITY_FILE_COLUMNS } from '../src/modules/activities/activity-file.ts';
import { ISSUER_NAMED_COLUMNS, LEARNER_FILE_COLUMNS } from '../src/modules/uploads/learner-columns.ts';
import { demoLogins, demoPassword, login } from './helpers.ts';
import type { Session } from './helpers.ts';
import { startUploadScene } from './upload-scene.ts';
import type { UploadScene } from './upload-scene.ts';

/** Text that does not compress, as a value pasted from elsewhere: an index entry of it is as long as it is. */
function pasted(length: number, seed: number): string {
  let state = seed;
  return Array.from({ length }, () => String.fromCharCode(35 + ((state = (state * 48271) % 2147483647) % 88))).join('');
}

/**
 * Values no one means to type but files hold: a note or a whole row pasted into one cell, emoji, numbers too large
 * or too small for any column, impossible dates, control characters, formulas, lists where one value goes.
 */
const extremeValues = [
  '', ' ', pasted(3000, 5), pasted(40_000, 7), '😀'.repeat(300), '😀', '-1', '0', '1e308', '1e-300', '0.0000000001', '99999999999999999999',
  'NaN', 'Infinity', '2026-02-30', '0001-01-01', '99999-01-01', '12/31/9999', '=1+1', '\u0007bell', 'a\u2028b', '\uFEFFmark', 'A\u0301', '1,5',
  '90 min', 'MOC_ABIM_MK; MOC_ABP_LA; X; Y; Z', 'ABIM; ABP; ABS; ABTS', '3/14', 'March 14 1971', 'Yes', 'TRUE',
  // How a workbook writes a character XML cannot hold: NUL, and half of an emoji.
  'a_x0000_b', 'a_xD83D_b',
];

/** One row per extreme value in `column`, the other columns as `base` has them, `varied` told apart row by row. */
function rowsOf(base: Record<string, string>, column: string, varied: string): { header: string[]; rows: string[][] } {
  const header = [...new Set([...Object.keys(base), column])];
  const rows = extremeValues.map((value, index) => header.map((name) => (name === column ? value : name === varied ? `${base[varied]}${index}` : base[name] ?? '')));
  return { header, rows };
}

const csvOf = ({ header, rows }: { header: string[]; rows: string[][] }) =>
  [header, ...rows].map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n');

async function workbookOf({ header, rows }: { header: string[]; rows: string[][] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(header);
  // Numbers go in as numbers, as a spreadsheet keeps what looks like one.
  for (const row of rows) sheet.addRow(row.map((cell) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell) ? Number(cell) : cell)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('extreme values in files', () => {
  let scene: UploadScene;
  let board: Session;
  let boardOrgId: string;
  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Extremes', providerActivityId: 'EXTREMES-1' });
    board = await login(scene.t.app, demoLogins.boardAdmin, demoPassword);
    boardOrgId = (await board.get('/api/v1/me')).json().organization.id;
  });
  afterAll(() => scene.close());

  /** How the upload of this file ended: its status, and how many rows it counted. */
  async function uploaded(body: string | Buffer, contentType: string) {
    const sent = await scene.coordinator.request({ method: 'POST', url: '/api/v1/uploads?consent=written', payload: body, headers: { 'content-type': contentType } });
    expect(sent.statusCode, sent.body).toBe(202);
    await scene.worker.idle();
    const upload = (await scene.coordinator.get(`/api/v1/uploads/${sent.json().id}`)).json();
    return { status: upload.status, done: upload.rows.done, error: upload.error?.message };
  }

  it('takes in a learner file of them, in any column, CSV or XLSX, every row counted and none failing the upload', async () => {
    const base = {
      Reference: 'R', 'Activity ID': 'EXTREMES-1', 'Completion date': '2026-11-20', 'First name': 'Ann', 'Last name': 'Berg', 'Birth month': '1', 'Birth day': '30',
      'License state': 'CA', 'License number': 'A20001', NPI: '', 'CME credits': '1', Consent: 'Written',
    };
    // A file whose every row names an unknown activity is refused before it is taken in, as another test tells.
    const columns = [...LEARNER_FILE_COLUMNS.map((column) => column.label), ...ISSUER_NAMED_COLUMNS.slice(0, 3).map((column) => column.label)].filter((label) => label !== 'Activity ID');
    const ended: Record<string, unknown> = {};
    // Each row names its own learner, not on file, so that each is stored as a report of its own, to match later; and
    // again with a birth day no month has, so that each is kept as a rejected report to fix, with its reference.
    for (const [kept, birthDay] of [['pending', '30'], ['rejected', '40']]) {
      for (const column of columns) {
        const file = rowsOf({ ...base, Reference: kept, 'License number': `X${kept}`, 'Birth day': birthDay }, column, column === 'License number' ? 'Reference' : 'License number');
        ended[`CSV ${column}, ${kept}`] = await uploaded(csvOf(file), 'text/csv');
        ended[`XLSX ${column}, ${kept}`] = await uploaded(await workbookOf(file), xlsxType);
      }
    }
    const expected = { status: 'finished', done: extremeValues.length, error: undefined };
    expect(ended).toEqual(Object.fromEntries(Object.keys(ended).map((name) => [name, expected])));
  });

  it('takes in a MedBiquitous document of them, in any field, every report counted', async () => {
    const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
    const base = { license: 'A20001', first: 'Ann', last: 'Berg', birth: '1900-01-30', completed: '2026-11-20T00:00:00', certification: 'AMA PRA Category 1 Credit', credits: '1', creditId: 'ccid:1234567:x' };
    const report = (fields: typeof base) => `<ActivityReport><ReportingOrganization>Demo</ReportingOrganization>
  <Member><m:UniqueID domain="idd:ca.gov:license">${fields.license}</m:UniqueID><m:Name><n:GivenName>${fields.first}</n:GivenName><n:FamilyName>${fields.last}</n:FamilyName></m:Name>
    <m:PersonalInfo><m:BirthDate accuracy="DayMonth">${fields.birth}</m:BirthDate></m:PersonalInfo></Member>
  <Activity><ProviderOrganization>1234567</ProviderOrganization><ActivityName>Extremes</ActivityName><Module><ModuleName moduleID="EXTREMES-1">Review</ModuleName>
    <Status>Completed</Status><CompletedDateTime>${fields.completed}</CompletedDateTime>
    <CreditCertificate><CreditReceived><hx:activityCertification>${fields.certification}</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>${fields.credits}</hx:numberOfCredits></CreditReceived>
    <CreditID>${fields.creditId}</CreditID></CreditCertificate></Module></Activity></ActivityReport>`;
    const ended: Record<string, unknown> = {};
    for (const field of Object.keys(base) as (keyof typeof base)[]) {
      const reports = extremeValues.map((value, index) => report({ ...base, creditId: `ccid:1234567:${field}-${index}`, [field]: escaped(value) }));
      const document = `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
<DateTimeCreated>2026-11-22T09:00:00</DateTimeCreated><ReportingStartDate>2026-11-01</ReportingStartDate><ReportingEndDate>2026-11-22</ReportingEndDate>
${reports.join('\n')}
</ActivityReports>`;
      ended[field] = await uploaded(document, 'application/xml');
    }
    const expected = { status: 'finished', done: extremeValues.length, error: undefined };
    expect(ended).toEqual(Object.fromEntries(Object.keys(ended).map((name) => [name, expected])));
  });

  it('loads a roster of them, in any column, every row counted', async () => {
    const base = { 'License number': 'Z', 'License type': 'MD', Status: 'Active', 'First name': 'Ann', 'Middle name': '', 'Last name': 'Berg', 'Previous last name': '', 'Birth month': '1', 'Birth day': '30', NPI: '', 'Issue date': '', 'Expiry date': '' };
    const ended: Record<string, unknown> = {};
    for (const column of [...Object.keys(base), 'Date of birth', 'Name']) {
      const file = rowsOf(base, column, column === 'License number' ? 'Last name' : 'License number');
      // A date of birth, or a whole name, stands for the columns it replaces.
      const replaced = column === 'Date of birth' ? /^Birth (month|day)$/ : column === 'Name' ? /^(First|Last) name$/ : null;
      const kept = file.header.map((name, index) => (replaced?.test(name) ? -1 : index)).filter((index) => index >= 0);
      const csv = csvOf({ header: kept.map((index) => file.header[index]), rows: file.rows.map((row) => kept.map((index) => row[index])) });
      const sent = await board.request({ method: 'POST', url: `/api/v1/boards/${boardOrgId}/roster`, payload: csv, headers: { 'content-type': 'text/csv' } });
      expect(sent.statusCode, `${column}: ${sent.body}`).toBe(202);
      let load = sent.json();
      while (load.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        load = (await board.get(`/api/v1/boards/${boardOrgId}/roster/loads/${load.id}`)).json();
      }
      ended[column] = { status: load.status, rows: load.created + load.updated + load.unchanged + load.rejected };
    }
    expect(ended).toEqual(Object.fromEntries(Object.keys(ended).map((name) => [name, { status: 'completed', rows: extremeValues.length }])));
  });

  it('answers a file of activities with them, in any column, with a receipt line for every row', async () => {
    const base = {
      'Provider activity ID': 'FZ', Title: 'Extremes', 'Activity type': 'C', 'Delivery method': 'in_person', 'Start date': '2026-11-01', 'End date': '2026-11-02',
      City: 'Chicago', State: 'IL', Country: 'USA', 'AMA PRA Category 1 credits': '2',
    };
    const answered: Record<string, unknown> = {};
    for (const column of ACTIVITY_FILE_COLUMNS.map((spec) => spec.label)) {
      const file = rowsOf(base, column, column === 'Provider activity ID' ? 'Title' : 'Provider activity ID');
      const sent = await scene.coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=extremes.csv', payload: csvOf(file), headers: { 'content-type': 'text/csv' } });
      answered[column] = { status: sent.statusCode, rows: sent.json().rows?.length };
    }
    expect(answered).toEqual(Object.fromEntries(Object.keys(answered).map((name) => [name, { status: 200, rows: extremeValues.length }])));
  });
});
