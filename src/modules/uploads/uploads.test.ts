import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingFields, createTestApp, demoLogins, demoPassword, login, openActivity, withApiKey } from '../../../test/helpers.ts';
import { compoundFile } from '../../../test/container-files.ts';
import { formBody } from '../../../test/form-body.ts';
import type { FormPart } from '../../../test/form-body.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { systemContext } from '../../http/actor.ts';
import { addDays, hubToday, MONTH_NAMES } from '../activities/dates.ts';
import { npiCheckDigit } from '../matching/npi.ts';
import { createRegistryService } from '../registry/registry.service.ts';
import { removeAbandonedPartFiles, removeExpiredUploadFiles } from './upload-file-retention.ts';
import { startUploadWorker } from './upload-worker.ts';
import type { UploadWorker } from './upload-worker.ts';

const today = hubToday();
const completed = addDays(today, -3);
const withCheckDigit = (nine: string) => `${nine}${npiCheckDigit(nine)}`;
const mariaNpi = withCheckDigit('123456789');

type Upload = {
  id: string;
  status: string;
  format: string;
  progress: number;
  rows: { done: number; accepted: number; pending: number; rejected: number; duplicates: number };
  problems: { code: string; message: string }[];
  columnsRead: { row: number; sheet: string | null; columns: { heading: string; readAs: string | null }[] } | null;
  error: { code: string; message: string } | null;
  alreadyUploaded?: boolean;
  message?: string;
  createdAt: string;
  finishedAt: string | null;
  fileKeptUntil: string | null;
  fileRemovedAt: string | null;
  withdrawal: { status: 'withdrawing' | 'withdrawn'; requestedAt: string; at: string | null; by: string; reason: string; reports: number; kept: number; heldUp: boolean } | null;
};
type Line = {
  rowNumber: number;
  reference: string | null;
  learner: string | null;
  activity: string | null;
  completionDate: string | null;
  status: string;
  duplicate: boolean;
  reportId: string | null;
  problems: { code: string; field?: string; message: string }[];
  earlierUpload: { id: string; fileName: string | null; createdAt: string; rowNumber: number | null } | null;
};

/** Physicians on the California roster; each test reports its own, so that reports do not collide. */
const doctors = {
  maria: { first: 'Maria', last: 'Lopez', month: '3', day: '14', license: 'A12345' },
  jose: { first: 'José', last: 'Núñez', month: '7', day: '2', license: 'G54321' },
  ann: { first: 'Ann', last: 'Berg', month: '1', day: '30', license: 'A20001' },
  ben: { first: 'Ben', last: 'Cole', month: '2', day: '11', license: 'A20002' },
  cy: { first: 'Cyrus', last: 'Dunn', month: '4', day: '5', license: 'A20003' },
  dee: { first: 'Dee', last: 'Ekberg', month: '5', day: '6', license: 'A20004' },
  eva: { first: 'Eva', last: 'Fox', month: '6', day: '7', license: 'A20005' },
  finn: { first: 'Finn', last: 'Gray', month: '8', day: '9', license: 'A20006' },
  gus: { first: 'Gus', last: 'Hale', month: '9', day: '10', license: 'A20007' },
} as const;
type Doctor = (typeof doctors)[keyof typeof doctors];

const header = ['Reference', 'Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'NPI', 'CME credits', 'Consent'];

/** A MedBiquitous Activity Report document with one completion of `activityId` per learner, in order. */
function activityReportDocument(activityId: string, learners: Doctor[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
  <DateTimeCreated>${today}T09:00:00</DateTimeCreated>
  <ReportingStartDate>${today}</ReportingStartDate>
  <ReportingEndDate>${today}</ReportingEndDate>
  ${learners
    .map(
      (doctor, index) => `<ActivityReport>
    <ReportingOrganization>Demo Academy of Medicine</ReportingOrganization>
    <Member>
      ${doctor === doctors.maria ? `<m:UniqueID domain="idd:nppes.cms.hhs.gov:npi">${mariaNpi}</m:UniqueID>` : `<m:UniqueID domain="idd:ca.gov:license">${doctor.license}</m:UniqueID>`}
      <m:Name><n:GivenName>${doctor.first}</n:GivenName><n:FamilyName>${doctor.last}</n:FamilyName></m:Name>
      <m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-${doctor.month.padStart(2, '0')}-${doctor.day.padStart(2, '0')}</m:BirthDate></m:PersonalInfo>
    </Member>
    <Activity>
      <ProviderOrganization>1234567</ProviderOrganization>
      <ActivityName>Grand Rounds</ActivityName>
      <Module>
        <ModuleName moduleID="${activityId}">Board review</ModuleName>
        <Status>Completed</Status>
        <CompletedDateTime>${addDays(today, -10)}T00:00:00</CompletedDateTime>
        <CreditCertificate>
          <CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>1</hx:numberOfCredits></CreditReceived>
          <CreditID>ccid:1234567:xml-${index}</CreditID>
        </CreditCertificate>
      </Module>
    </Activity>
  </ActivityReport>`,
    )
    .join('\n')}
</ActivityReports>`;
}

describe('batch uploads of learner files', () => {
  let t: TestApp;
  let coordinator: Session;
  let machine: Session;
  let otherProvider: Session;
  let worker: UploadWorker;
  let activityId: string;
  let mocActivityId: string;
  let scratch: string;

  /** A learner row as the template's columns want it. */
  function row(doctor: Doctor, overrides: Partial<Record<(typeof header)[number], string>> = {}): string[] {
    const values: Record<string, string> = {
      Reference: 'R-1',
      'Activity ID': activityId,
      'Completion date': completed,
      'First name': doctor.first,
      'Last name': doctor.last,
      'Birth month': doctor.month,
      'Birth day': doctor.day,
      'License state': 'CA',
      'License number': doctor.license,
      NPI: '',
      'CME credits': '1.5',
      Consent: 'written',
      ...overrides,
    };
    return header.map((column) => values[column]);
  }

  const csv = (rows: string[][], separator = ',') =>
    [header, ...rows].map((cells) => cells.map((cell) => (/[",;\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(separator)).join('\r\n');

  async function upload(session: Session, body: string | Buffer, query = '', contentType = 'text/csv') {
    return session.request({ method: 'POST', url: `/api/v1/uploads${query}`, payload: body, headers: { 'content-type': contentType } });
  }

  /** A browser's multipart upload of a named file. */
  async function uploadForm(session: Session, fileName: string, content: string | Buffer, query = '') {
    return sendForm(session, [{ name: 'file', fileName, content }], query);
  }

  /** A multipart form of these parts, in this order: text fields, and files (the parts with a file name). */
  async function sendForm(session: Session, parts: FormPart[], query = '') {
    return session.request({ method: 'POST', url: `/api/v1/uploads${query}`, ...formBody(parts) });
  }

  async function finished(session: Session, id: string): Promise<Upload> {
    await worker.idle();
    const response = await session.get(`/api/v1/uploads/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async function lines(session: Session, id: string): Promise<Line[]> {
    const response = await session.get(`/api/v1/uploads/${id}/rows?limit=500`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }

  async function reportCount(): Promise<number> {
    const row = await t.db.selectFrom('learner_reports').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-uploads-'));
    worker = startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, chunkSize: 4, pollMs: 50 });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const providerOrgId = (await coordinator.get('/api/v1/me')).json().organization.id;
    const key = (await coordinator.post(`/api/v1/organizations/${providerOrgId}/api-keys`, { name: 'LMS' })).json();
    machine = withApiKey(t.app, key.key);
    const operator = await login(t.app, demoLogins.operator, demoPassword);
    const northside = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    await operator.post(`/api/v1/organizations/${northside.id}/users`, { email: 'coordinator@northside.example.org', password: 'a long enough password', role: 'provider_admin' });
    otherProvider = await login(t.app, 'coordinator@northside.example.org', 'a long enough password');

    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Grand Rounds', providerActivityId: 'GR-UP' }));
    expect(created.statusCode, created.body).toBe(201);
    activityId = created.json().id;
    const moc = await coordinator.post(
      '/api/v1/activities',
      openActivity({
        title: 'Board review',
        providerActivityId: 'MOC-UP',
        mocRegistrations: [{ board: 'ABIM', points: 2, creditTypes: ['MK'], claimDate: addDays(today, 60) }],
      }),
    );
    expect(moc.statusCode, moc.body).toBe(201);
    mocActivityId = moc.json().id;

    const boards = (await operator.get('/api/v1/organizations?kind=licensing_board&limit=100')).json().items as { id: string; jurisdiction: string; boardType: string }[];
    const california = boards.find((board) => board.jurisdiction === 'CA' && board.boardType !== 'DO');
    const roster = path.join(scratch, 'roster.csv');
    fs.writeFileSync(
      roster,
      [
        'License number,License type,Status,First name,Last name,Birth month,Birth day,NPI',
        ...Object.values(doctors).map((doctor) => `${doctor.license},MD,Active,${doctor.first},${doctor.last},${doctor.month},${doctor.day},${doctor === doctors.maria ? mariaNpi : ''}`),
      ].join('\n'),
    );
    await createRegistryService({ database: t.database }).loadRoster(systemContext('test roster'), california!.id, { source: roster, format: 'csv', fileName: 'roster.csv' }, { fullRoster: false });
  });

  afterAll(async () => {
    await worker.stop();
    await t.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('takes a CSV file in from a form, with a receipt line for every row', async () => {
    const file = csv([
      row(doctors.maria, { Reference: 'R-1' }),
      row(doctors.jose, { Reference: 'R-2' }),
      row(doctors.ann, { Reference: 'R-3', 'First name': 'Nobody', 'Last name': 'Known', 'License number': 'Z99999' }),
      row(doctors.ann, { Reference: 'R-4', 'Completion date': 'yesterday' }),
      row(doctors.ann, { Reference: 'R-5', 'Birth month': '13' }),
      row(doctors.maria, { Reference: 'R-6' }),
      row(doctors.maria, { Reference: 'R-7', 'CME credits': '2' }),
    ]);
    const response = await uploadForm(coordinator, 'june.csv', file);
    expect(response.statusCode, response.body).toBe(202);
    const queued: Upload = response.json();
    expect(queued).toMatchObject({ status: 'queued', format: 'csv', alreadyUploaded: false, fileName: 'june.csv' });
    expect(response.headers.location).toBe(`/api/v1/uploads/${queued.id}`);

    const done = await finished(coordinator, queued.id);
    expect(done).toMatchObject({ status: 'finished', progress: 1, rows: { done: 7, accepted: 2, pending: 1, rejected: 2, duplicates: 2 } });
    const receipt = await lines(coordinator, queued.id);
    expect(receipt.map((line) => [line.rowNumber, line.reference, line.status, line.duplicate])).toEqual([
      [2, 'R-1', 'accepted', false],
      [3, 'R-2', 'accepted', false],
      [4, 'R-3', 'pending', false],
      [5, 'R-4', 'rejected', false],
      [6, 'R-5', 'rejected', false],
      [7, 'R-6', 'accepted', true],
      [8, 'R-7', 'accepted', true],
    ]);
    expect(receipt[3].problems[0].message).toContain('Completion date');
    expect(receipt[4].problems[0].message).toBe('Birth month 13 is not a month (1 to 12)');
    expect(receipt[5].problems[0]).toMatchObject({ code: 'duplicate_row', message: expect.stringContaining('row 2 of this file') });
    // Sent again with other credits: only that row is kept, and the receipt says so in the file's terms.
    expect(receipt[6].problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/^This learner appears for this activity earlier in the same file \(row [27]\), with other credits; only that row is kept\.$/));
  });

  it('says of a learner twice in a file, whose completion an earlier file reported, that neither row is kept', async () => {
    // An activity of its own, so that no other test's report of the same learner counts.
    const journalClub = (await coordinator.post('/api/v1/activities', openActivity({ title: 'Journal Club, twice', providerActivityId: 'JC-TWICE' }))).json().id;
    const ofJournalClub = (values: Record<string, string>) => row(doctors.gus, { 'Activity ID': journalClub, ...values });
    const earlier = await uploadForm(coordinator, 'gus-once.csv', csv([ofJournalClub({ Reference: 'G-1' })]));
    expect((await finished(coordinator, earlier.json().id)).rows).toMatchObject({ accepted: 1 });
    const twice = await uploadForm(coordinator, 'gus-twice.csv', csv([ofJournalClub({ Reference: 'G-2' }), ofJournalClub({ Reference: 'G-3', 'CME credits': '2' })]));
    const done = await finished(coordinator, twice.json().id);
    expect(done.rows).toMatchObject({ accepted: 0, duplicates: 2 });
    const receipt = await lines(coordinator, twice.json().id);
    expect(receipt[1].problems.map((problem) => problem.message)).toContainEqual(
      'This learner appears for this activity earlier in the same file (row 2), with other credits; that row is read in place of this one, and its report is on file already.',
    );
    // How it differs from the report on file is its own, not that of the row read in its place (which has none).
    expect(receipt[1].problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/already reported for activity .*, with 1.5 AMA PRA Category 1 Credit™, not 2 AMA PRA Category 1 Credit™\./));
    expect(receipt[0].problems.map((problem) => problem.code)).not.toContain('already_reported');
  });

  it('has the planner count the reports and receipt lines an upload adds from its first thousand rows, as PGlite has no autovacuum to', async () => {
    // Counted as it last analyzed them: with "a few reports" on file, the look-up of each chunk's reports already on
    // file is planned as a hash of all the provider's reports, a chunk at a time (a 30,000-row file, 74 s against 13).
    const counted = async () =>
      (await sql<{ relname: string; reltuples: number }>`select relname, reltuples::float8 as reltuples from pg_class
        where relname in ('learner_reports', 'upload_rows') and relnamespace = to_regnamespace(current_schema()) order by relname`.execute(t.db)).rows;
    const rows = Array.from({ length: 1_500 }, (_, index) => row(doctors.ann, { Reference: `COUNTED-${index}`, 'First name': `Ann${index}`, 'License number': `C${index}` }));
    const sent = await upload(machine, csv(rows));
    expect(sent.statusCode, sent.body).toBe(202);
    expect((await finished(machine, sent.json().id)).rows).toMatchObject({ done: 1_500, pending: 1_500 });
    const tables = await counted();
    expect(tables.map((table) => table.relname)).toEqual(['learner_reports', 'upload_rows']);
    for (const table of tables) expect(table.reltuples, table.relname).toBeGreaterThanOrEqual(1_000);
  });

  it('lists an outcome\'s lines as its count counts them, the repeats when asked, a problem by the field a line names, and refuses what does not belong', async () => {
    // Learners the registry does not know: none of them is on file from another test.
    const lia = { 'First name': 'Lia', 'Last name': 'Vance', 'License number': 'Z77701' };
    const file = csv([
      row(doctors.ben, { Reference: 'L-1', ...lia }),
      row(doctors.ben, { Reference: 'L-2', ...lia }),
      row(doctors.cy, { Reference: 'L-3', 'First name': 'Mo', 'Last name': 'Wirt', 'License number': 'Z77702', 'CME credits': '1.1' }),
    ]);
    const response = await uploadForm(coordinator, 'filters.csv', file);
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json();
    expect((await finished(coordinator, id)).rows).toMatchObject({ done: 3, pending: 1, rejected: 1, duplicates: 1 });
    const rowsOf = (query: string) => coordinator.get(`/api/v1/uploads/${id}/rows?${query}`);
    const references = async (query: string) => {
      const answer = await rowsOf(query);
      expect(answer.statusCode, answer.body).toBe(200);
      return (answer.json().items as Line[]).map((line) => line.reference);
    };
    expect(await references('status=pending')).toEqual(['L-1']);
    expect(await references('status=pending&duplicate=true')).toEqual(['L-2']);
    expect(await references('problem=duplicate_row')).toEqual(['L-2']);
    const [invalidAmount] = (await references('status=rejected')).length === 1 ? (await rowsOf('status=rejected')).json().items[0].problems : [];
    expect(invalidAmount).toMatchObject({ code: 'credit_amount_invalid', field: 'credits.0.amount' });
    expect(await references('problem=credit_amount_invalid&problemField=credits.0.amount')).toEqual(['L-3']);
    expect(await references('problem=credit_amount_invalid&problemField=credits.amount')).toEqual(['L-3']);

    const fieldAlone = await rowsOf('problemField=credits.amount');
    expect(fieldAlone.statusCode).toBe(400);
    expect(fieldAlone.json().problems).toContainEqual(expect.objectContaining({ field: 'problemField', message: expect.stringContaining('give problem too') }));
    const misspelt = await rowsOf('statuss=pending');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^The receipt lines take no option "statuss": its options are .* and problemField\.$/) }));

    const { nextCursor } = (await rowsOf('limit=1')).json();
    expect(nextCursor).toEqual(expect.any(String));
    // The lines name learners: each page read is in the audit log, as the receipt's file is.
    const pagesRead = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'upload.receipt.read').where(sql<boolean>`details->>'format' = 'json'`).execute();
    expect(pagesRead.at(-1)?.details).toMatchObject({ format: 'json', lines: 1 });
    expect(await references(`limit=1&cursor=${nextCursor}`)).toEqual(['L-2']);
    const otherList = await rowsOf(`limit=1&status=rejected&cursor=${nextCursor}`);
    const otherUpload = await coordinator.get(`/api/v1/uploads/${(await uploadForm(coordinator, 'other.csv', csv([row(doctors.ben, { Reference: 'O-1', ...lia })]))).json().id}/rows?cursor=${nextCursor}`);
    expect(otherList.statusCode).toBe(400);
    expect(otherList.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
    // Another upload's lines are another list: no filter would page them with it.
    expect(otherUpload.statusCode).toBe(400);
    expect(otherUpload.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to another list.*start again from the first page \(without cursor\)/) });
  });

  it('refuses a cursor of another list, or one changed, with what to do, and pages on with its own', async () => {
    for (const reference of ['P-1', 'P-2']) {
      const sent = await upload(coordinator, csv([row(doctors.eva, { Reference: reference, 'Birth month': '13' })]));
      expect(sent.statusCode, sent.body).toBe(202);
      await finished(coordinator, sent.json().id);
    }
    const cursorOf = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    const nextCursor = async (url: string) => {
      const page = await coordinator.get(url);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().nextCursor).toEqual(expect.any(String));
      return page.json().nextCursor as string;
    };
    const uploadsCursor = await nextCursor('/api/v1/uploads?limit=1');
    const reportsCursor = await nextCursor('/api/v1/learner-reports?limit=1');
    const activitiesCursor = await nextCursor('/api/v1/activities?limit=1');
    const refusedOn = async (list: string, cursor: string) => {
      const refused = await coordinator.get(`${list}${list.includes('?') ? '&' : '?'}cursor=${cursor}`);
      expect(refused.statusCode, `${list} ${Buffer.from(cursor, 'base64url').toString()}: ${refused.body}`).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringContaining('The cursor belongs to another list') });
    };

    // Another list's cursor, or one edited or cut short, would have reached the database (500) on the uploads.
    for (const cursor of [
      reportsCursor,
      activitiesCursor,
      cursorOf({ createdAt: '2026-12-05T19:17:31.745Z', id: 'nope' }),
      cursorOf({ createdAt: 'yesterday', id: '0190b6c2-8a4e-7000-8000-000000000000' }),
      cursorOf({ createdAt: '2026-02-30T19:17:31.745Z', id: '0190b6c2-8a4e-7000-8000-000000000000' }),
      cursorOf({ x: 1 }),
      cursorOf({ createdAt: 5, id: 5 }),
      cursorOf([]),
      uploadsCursor.slice(0, -6),
    ]) {
      await refusedOn('/api/v1/uploads?limit=1', cursor);
    }
    // The uploads' cursor on the learner reports or the activities lists nothing there, as if their end were reached.
    await refusedOn('/api/v1/learner-reports?limit=1', uploadsCursor);
    await refusedOn('/api/v1/activities?limit=1', uploadsCursor);
    // A learner reports' cursor edited.
    for (const reportedAt of ['nope', '2026-13-05 19:17:31.745+00', '2026-12-05T19:17:31.745Z']) {
      await refusedOn('/api/v1/learner-reports?limit=1', cursorOf({ reportedAt, id: '0190b6c2-8a4e-7000-8000-000000000000' }));
    }

    // Each list's own cursor still pages on.
    for (const [list, cursor] of [['/api/v1/uploads?limit=1', uploadsCursor], ['/api/v1/learner-reports?limit=1', reportsCursor], ['/api/v1/activities?limit=1', activitiesCursor]]) {
      const next = await coordinator.get(`${list}&cursor=${cursor}`);
      expect(next.statusCode, `${list} ${Buffer.from(cursor, 'base64url').toString()}`).toBe(200);
      expect(next.json().items).toHaveLength(1);
    }
  });

  it('pages an operator\'s list of uploads on the provider its cursor was made with, however the provider is named', async () => {
    for (const reference of ['OP-1', 'OP-2', 'OP-3']) {
      const sent = await upload(coordinator, csv([row(doctors.eva, { Reference: reference, 'Birth month': '13' })]));
      expect(sent.statusCode, sent.body).toBe(202);
      await finished(coordinator, sent.json().id);
    }
    const operator = await login(t.app, demoLogins.operator, demoPassword);
    const demoProvider = (await coordinator.get('/api/v1/me')).json().organization.id;
    const uploadsAt = (session: Session, query: string) => session.get(`/api/v1/uploads?limit=1&${query}`);
    const cursorOf = async (session: Session, query: string) => (await uploadsAt(session, query)).json().nextCursor as string;

    const everyProvider = await cursorOf(operator, '');
    const oneProvider = await cursorOf(operator, 'providerOrgId=1234567');
    for (const [query, cursor] of [[`providerOrgId=1234567`, everyProvider], ['', oneProvider]]) {
      const refused = await uploadsAt(operator, `${query}&cursor=${cursor}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
    }
    const next = await uploadsAt(operator, `providerOrgId=${demoProvider}&cursor=${oneProvider}`);
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().items).toEqual([expect.objectContaining({ providerOrgId: demoProvider })]);
    // A provider's own list is the same with or without its own provider ID.
    expect((await uploadsAt(coordinator, `providerOrgId=1234567&cursor=${await cursorOf(coordinator, '')}`)).statusCode).toBe(200);
  });

  it('says every problem of a row at once, those of the activity\'s rules beside a value that could not be read', async () => {
    const unknown = { 'First name': 'Sol', 'Last name': 'Quist', 'License number': 'Z77703' };
    const response = await uploadForm(coordinator, 'all-at-once.csv', csv([row(doctors.ben, { ...unknown, 'Birth month': '13', 'Completion date': addDays(today, 4), 'CME credits': '1.1' })]));
    expect(response.statusCode, response.body).toBe(202);
    await finished(coordinator, response.json().id);
    const [line] = await lines(coordinator, response.json().id);
    expect(line.status).toBe('rejected');
    expect(line.problems.map((problem) => [problem.code, problem.field])).toEqual(
      expect.arrayContaining([
        ['out_of_range', 'birthMonth'],
        ['completion_date_in_future', 'completionDate'],
        ['credit_amount_invalid', 'credits.0.amount'],
      ]),
    );

    // Credits that are no number say so once: that the row is then left without a credit line is not one more problem.
    const words = await uploadForm(coordinator, 'credits-in-words.csv', csv([row(doctors.ben, { ...unknown, 'Birth month': '13', 'CME credits': 'three' })]));
    await finished(coordinator, words.json().id);
    const [wordsLine] = await lines(coordinator, words.json().id);
    expect(wordsLine.problems.map((problem) => problem.code).sort()).toEqual(['credit_amount_invalid', 'out_of_range']);
  });

  it('sums up what went wrong, most common first, and lists the rows of one kind', async () => {
    const file = csv([
      row(doctors.ann, { Reference: 'S-1', 'Completion date': 'yesterday' }),
      row(doctors.ben, { Reference: 'S-2', 'Birth month': '13' }),
      row(doctors.cy, { Reference: 'S-3', 'Completion date': 'last week' }),
      row(doctors.dee, { Reference: 'S-4', 'Completion date': 'soon', 'Birth month': '0' }),
      row(doctors.eva, { Reference: 'S-5', 'Completion date': 'June' }),
    ]);
    const response = await uploadForm(coordinator, 'summary.csv', file);
    expect(response.statusCode, response.body).toBe(202);
    const done = (await finished(coordinator, response.json().id)) as Upload & {
      rowProblems: { code: string; field?: string; rows: number; firstRow: number; message: string; firstRejected: unknown }[];
    };
    expect(done.rows).toMatchObject({ done: 5, rejected: 5 });
    // Taken in four rows at a time here: the counts add up over the chunks.
    const [dates, births, ...others] = done.rowProblems;
    expect(others).toEqual([]);
    expect(dates).toMatchObject({ field: 'completionDate', rows: 4, firstRow: 2, message: expect.stringContaining('"yesterday"') });
    // Every one rejected: the first rejected is the first, which what to fix shows.
    expect(dates).toMatchObject({ firstRejected: { row: 2, sheet: null, message: dates.message } });
    expect(births).toMatchObject({ field: 'birthMonth', rows: 2, firstRow: 3, message: 'Birth month 13 is not a month (1 to 12): if it is the day, swap the Birth month and Birth day' });

    const kind = `problem=${dates.code}&problemField=${dates.field}`;
    const ofKind = await coordinator.get(`/api/v1/uploads/${response.json().id}/rows?${kind}`);
    expect(ofKind.statusCode, ofKind.body).toBe(200);
    expect((ofKind.json().items as Line[]).map((line) => line.reference)).toEqual(['S-1', 'S-3', 'S-4', 'S-5']);

    const receipt = await coordinator.get(`/api/v1/uploads/${response.json().id}/receipt?format=xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Summary')!.getColumn(1).values.map(String);
    expect(summary).toContain('What to fix, most common first:');
    expect(summary).toContain(`4 rows, such as row 2: ${dates.message}`);
    expect(summary).toContain('2 rows, such as row 3: Birth month 13 is not a month (1 to 12): if it is the day, swap the Birth month and Birth day');
  });

  it('refuses a problem code the hub never gives, asking about the code a letter or two off, and lists none for a code no row has', async () => {
    const response = await uploadForm(coordinator, 'codes.csv', csv([row(doctors.ann, { Reference: 'CODE-1', 'Birth month': '13' })]));
    expect(response.statusCode, response.body).toBe(202);
    const { id, rowProblems } = await finished(coordinator, response.json().id) as Upload & { rowProblems: { code: string }[] };
    expect(rowProblems.map((kind) => kind.code)).toEqual(['out_of_range']);
    const rowsWith = (code: string) => coordinator.get(`/api/v1/uploads/${id}/rows?problem=${encodeURIComponent(code)}`);

    for (const [sent, meant] of [['out_of_rang', 'out_of_range'], ['Out_Of_Range', 'out_of_range'], ['licence_not_found', 'license_not_found']]) {
      const refused = await rowsWith(sent);
      expect(refused.statusCode, sent).toBe(400);
      const message = `"${sent}" is not a problem code the hub gives a row. Did you mean "${meant}"?`;
      expect(refused.json()).toMatchObject({ code: 'problem_code_unknown', detail: message, problems: [{ code: 'problem_code_unknown', field: 'problem', message }] });
    }
    // Nothing close: the upload's own codes, where the upload says them.
    const farOff = await rowsWith('no_licence');
    expect(farOff.statusCode).toBe(400);
    expect(farOff.json().detail).toBe(`"no_licence" is not a problem code the hub gives a row. The codes this upload's rows have are in its rowProblems (GET /api/v1/uploads/${id}): "out_of_range".`);

    // A code the hub gives that no row of this upload has lists no rows; the upload's own lists its rows.
    const none = await rowsWith('license_not_found');
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().items).toEqual([]);
    expect(((await rowsWith('out_of_range')).json().items as Line[]).map((line) => line.reference)).toEqual(['CODE-1']);
  });

  it('adds nothing when the same file comes again, and says so', async () => {
    const file = csv([row(doctors.ann, { Reference: 'again', 'CME credits': '1' })]);
    const first = await upload(machine, file);
    expect(first.statusCode, first.body).toBe(202);
    await finished(machine, first.json().id);
    const reports = await reportCount();

    const second = await upload(coordinator, file, '?fileName=again.csv');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, alreadyUploaded: true, message: expect.stringContaining('already uploaded') });
    expect(second.headers.location).toBe(`/api/v1/uploads/${first.json().id}`);
    await worker.idle();
    expect(await reportCount()).toBe(reports);
    const list = (await coordinator.get('/api/v1/uploads')).json().items as Upload[];
    expect(list.filter((item) => item.id === first.json().id)).toHaveLength(1);
    // Sent again as another format, it says the file was read as what it is, not as asked now.
    const asXml = await upload(coordinator, file, '?format=xml');
    expect(asXml.statusCode, asXml.body).toBe(200);
    expect(asXml.json().message).toMatch(/already uploaded .* It was read as CSV; the format "xml" sent now was not applied\.$/);
  });

  it('keeps the earlier upload and its consent when the same file comes again with another consent, and says how to change it', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent again', providerActivityId: 'AGAIN-UP' }));
    expect(created.statusCode, created.body).toBe(201);
    const file = csv([row(doctors.cy, { 'Activity ID': created.json().id, Consent: '' })]);
    const first = await upload(machine, file, '?consent=written');
    expect(first.statusCode, first.body).toBe(202);
    const again = await upload(machine, file, '?consent=implied');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, alreadyUploaded: true, consent: 'written' });
    expect(again.json().message).toMatch(
      /with consent "written"\. That upload and its consent stand: nothing was added, and the consent "implied" sent now was not applied\. To take the file in with consent "implied", withdraw the earlier upload/,
    );
    await finished(machine, first.json().id);
  });

  it('catches a row sent in an earlier file, and says it is not counted again', async () => {
    const response = await upload(machine, csv([row(doctors.maria, { Reference: 'later' }), row(doctors.ben, { Reference: 'new', 'CME credits': '2' })]));
    const done = await finished(machine, response.json().id);
    expect(done.rows).toMatchObject({ done: 2, accepted: 1, duplicates: 1 });
    const receipt = await lines(machine, response.json().id);
    expect(receipt[0]).toMatchObject({ duplicate: true, problems: [expect.objectContaining({ code: 'already_on_file' })] });
  });

  it('names the earlier upload a repeated row comes from, its file and when it was sent, beside the message that names it by its id', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent in June and July', providerActivityId: 'REPEAT-UP' }));
    expect(created.statusCode, created.body).toBe(201);
    const activity = created.json().id as string;
    const june = await upload(machine, csv([row(doctors.maria, { 'Activity ID': activity }), row(doctors.ben, { 'Activity ID': activity })]), '?fileName=june.csv');
    const juneUpload = await finished(machine, june.json().id);
    const byApi = await machine.post('/api/v1/learner-reports', {
      activityId: activity,
      completionDate: completed,
      learner: { firstName: doctors.ann.first, lastName: doctors.ann.last, birthMonth: 1, birthDay: 30, state: 'CA', licenseNumber: doctors.ann.license },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
      consent: 'written',
    });
    expect(byApi.statusCode, byApi.body).toBe(201);
    const rows = [doctors.maria, doctors.ann, doctors.cy, doctors.cy, doctors.dee].map((doctor) => row(doctor, { 'Activity ID': activity }));
    const july = await upload(machine, csv(rows), '?fileName=july.csv');
    expect((await finished(machine, july.json().id)).rows).toMatchObject({ done: 5, duplicates: 3 });

    const [maria, ann, cy, cyAgain, dee] = await lines(machine, july.json().id);
    expect(maria).toMatchObject({
      duplicate: true,
      problems: [{ code: 'already_on_file', message: expect.stringContaining(`by row 2 of june.csv (upload ${june.json().id}, `) }],
      earlierUpload: { id: june.json().id, fileName: 'june.csv', createdAt: juneUpload.createdAt, rowNumber: 2 },
    });
    // Sent through the API, or an earlier row of the same file: no upload to name.
    expect(ann).toMatchObject({ duplicate: true, problems: [{ code: 'already_on_file' }], earlierUpload: null });
    expect(cyAgain).toMatchObject({ duplicate: true, problems: [{ code: 'duplicate_row' }], earlierUpload: null });
    expect([cy.earlierUpload, dee.earlierUpload]).toEqual([null, null]);
  });

  it('reads Windows-1252 files with semicolons, as Excel writes them in Europe', async () => {
    const file = iconv.encode(csv([row(doctors.jose, { Reference: 'win', 'Activity ID': mocActivityId, 'CME credits': '1,25' })], ';'), 'windows-1252');
    const response = await upload(machine, file, '?fileName=export.csv');
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done.rows).toMatchObject({ done: 1, accepted: 1 });
    expect(done.problems).toContainEqual(expect.objectContaining({ code: 'not_utf8', message: expect.stringContaining('read as Windows-1252, as Excel on Windows saves "CSV (Comma delimited)"') }));
    const report = await t.db.selectFrom('learner_reports').select(['first_name', 'credits']).where('upload_id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(report.first_name).toBe('José');
    expect(report.credits).toEqual([{ type: 'AMA_PRA_CAT1', amount: 1.25 }]);
  });

  it('takes an XLSX workbook with several credit lines on a row, any sheet with the header', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['Completions for the ABIM review course']);
    const sheet = workbook.addWorksheet('Completions');
    sheet.addRow(['Activity ID', 'Date completed', 'First Name', 'LAST NAME', 'DOB Month', 'DOB Day', 'State', 'License #', 'CME', 'MOC points', 'MOC credit type', 'Learner consent']);
    sheet.addRow([Number(mocActivityId), new Date(`${addDays(today, -2)}T00:00:00Z`), 'Cyrus', 'Dunn', 4, 5, 'California', 'A20003', 2, 2, 'MOC_ABIM_MK', 'Implied']);
    sheet.addRow([Number(mocActivityId), new Date(`${addDays(today, -2)}T00:00:00Z`), 'Dee', 'Ekberg', 5, 6, 'CA', 'A20004', 2, 2, '', 'Implied']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(machine, bytes, '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done).toMatchObject({ status: 'finished', format: 'xlsx', rows: { done: 2, accepted: 1, rejected: 1 } });
    // Its page says which sheet and row were read as the header, and each heading as which column.
    expect(done.columnsRead).toMatchObject({ row: 1, sheet: 'Completions' });
    expect(done.columnsRead?.columns.map(({ heading, readAs }) => `${heading} = ${readAs}`)).toEqual([
      'Activity ID = Activity ID', 'Date completed = Completion date', 'First Name = First name', 'LAST NAME = Last name',
      'DOB Month = Birth month', 'DOB Day = Birth day', 'State = License state', 'License # = License number',
      'CME = AMA PRA Category 1 credits', 'MOC points = MOC credits', 'MOC credit type = MOC credit type', 'Learner consent = Consent',
    ]);
    const receipt = await lines(machine, response.json().id);
    expect(receipt[1].problems.map((problem) => problem.message).join(' ')).toContain('MOC credit type');
    const report = await t.db.selectFrom('learner_reports').select(['credits', 'consent']).where('upload_id', '=', response.json().id).where('status', '=', 'accepted').executeTakeFirstOrThrow();
    expect(report.credits).toEqual([
      { type: 'AMA_PRA_CAT1', amount: 2 },
      { type: 'MOC_ABIM_MK', amount: 2 },
    ]);
    expect(report.consent).toBe('implied');
  });

  it('reads columns headed by a certifying board, "ABIM ID" and "ABIM MOC points", as that board\'s ID and MOC credits', async () => {
    const exported = [
      ['Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'ABIM ID', 'CME credits', 'ABIM MOC points', 'MOC credit type', 'Consent'],
      [mocActivityId, completed, doctors.finn.first, doctors.finn.last, doctors.finn.month, doctors.finn.day, 'CA', doctors.finn.license, '214365', '2', '2', 'MK', 'Written'],
    ];
    const response = await upload(machine, exported.map((cells) => cells.join(',')).join('\r\n'));
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done).toMatchObject({ status: 'finished', rows: { done: 1, accepted: 1 } });
    expect(done.columnsRead?.columns.filter(({ heading }) => heading.startsWith('ABIM')).map(({ heading, readAs }) => `${heading} = ${readAs}`)).toEqual([
      'ABIM ID = Board ID, of the certifying board ABIM',
      'ABIM MOC points = MOC credits, of the board ABIM',
    ]);
    const report = await t.db.selectFrom('learner_reports').select(['board', 'board_id', 'credits']).where('upload_id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(report).toMatchObject({ board: 'ABIM', board_id: '214365' });
    expect(report.credits).toEqual([
      { type: 'AMA_PRA_CAT1', amount: 2 },
      { type: 'MOC_ABIM_MK', amount: 2 },
    ]);
  });

  it('reads a license column headed by its state, "CA License #", as that state\'s license numbers, whatever state an address gives', async () => {
    const tumorBoard = await coordinator.post('/api/v1/activities', openActivity({ title: 'Tumor board, sign-in sheet', providerActivityId: 'SIGN-IN-CA' }));
    expect(tumorBoard.statusCode, tumorBoard.body).toBe(201);
    const person = (doctor: Doctor, state: string) => [tumorBoard.json().id, completed, `"${doctor.last}, ${doctor.first}"`, `${doctor.month}/${doctor.day}`, doctor.license, state, 'Written'];
    const signIn = [
      ['Activity ID', 'Completion date', 'Physician name', 'DOB', 'CA License #', 'State', 'Consent'],
      person(doctors.finn, 'NV'),
      person(doctors.gus, ''),
    ];
    const response = await upload(machine, signIn.map((cells) => cells.join(',')).join('\r\n'));
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done).toMatchObject({ status: 'finished', rows: { done: 2, accepted: 2 } });
    expect(done.columnsRead?.columns.find(({ heading }) => heading === 'CA License #')?.readAs).toBe('License number, of California (License state CA)');
    expect(done.problems.map((problem) => problem.code)).not.toContain('identifier_column_missing');
    const reports = await t.db.selectFrom('learner_reports').select(['state', 'license_number']).where('upload_id', '=', response.json().id).orderBy('row_number').execute();
    expect(reports).toEqual([
      { state: 'CA', license_number: doctors.finn.license },
      { state: 'CA', license_number: doctors.gus.license },
    ]);

    // "MD" before "License" says whose license it is, a doctor's: the file must still say which state's.
    const doctorsLicense = [['Activity ID', 'Completion date', 'Physician name', 'DOB', 'MD License #', 'Consent'], person(doctors.eva, '').filter((cell) => cell !== '')];
    const unsure = await upload(machine, doctorsLicense.map((cells) => cells.join(',')).join('\r\n'));
    expect(unsure.statusCode, unsure.body).toBe(422);
    expect(unsure.json().problems).toEqual([expect.objectContaining({ field: 'learner', message: expect.stringContaining('It has "License number" but no "License state".') })]);
  });

  it('reads a paper sign-in sheet typed up as it was headed: "Please Print Name", "Month/Day of Birth", "Medical Lic #", "St", "Hrs"', async () => {
    const grandRounds = await coordinator.post('/api/v1/activities', openActivity({ title: 'Grand rounds, paper sign-in', providerActivityId: 'SIGN-IN-PAPER' }));
    expect(grandRounds.statusCode, grandRounds.body).toBe(201);
    const typedUp = [
      'Please Print Name,Signature,Month/Day of Birth,Medical Lic #,St,Hrs',
      `${doctors.dee.first} ${doctors.dee.last},signed,${doctors.dee.month}/${doctors.dee.day},${doctors.dee.license},CA,1`,
    ].join('\r\n');
    const response = await upload(machine, typedUp, `?consent=written&activity=SIGN-IN-PAPER&completionDate=${completed}`);
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done.columnsRead?.columns.map(({ heading, readAs }) => `${heading} = ${readAs ?? 'not used'}`)).toEqual([
      'Please Print Name = First, middle and last name, in one column',
      'Signature = not used',
      'Month/Day of Birth = Birth month and day (a year is dropped)',
      'Medical Lic # = License number',
      'St = License state',
      'Hrs = AMA PRA Category 1 credits',
    ]);
    expect(done).toMatchObject({ status: 'finished', rows: { done: 1, accepted: 1 } });
  });

  it('gives each board its own MOC points, on a row with points of two boards, and never another board\'s', async () => {
    const medPeds = await coordinator.post('/api/v1/activities', openActivity({
      title: 'Med-peds update', providerActivityId: 'MOC-MEDPEDS',
      mocRegistrations: [
        { board: 'ABIM', points: 2, creditTypes: ['MK'], claimDate: addDays(today, 60) },
        { board: 'ABP', points: 2, creditTypes: ['LA'], claimDate: addDays(today, 60) },
      ],
    }));
    expect(medPeds.statusCode, medPeds.body).toBe(201);
    const person = (doctor: Doctor) => [medPeds.json().id, completed, doctor.first, doctor.last, doctor.month, doctor.day, 'CA', doctor.license];
    const exported = [
      // The ABP points come before the ABIM ID: they stay ABP's.
      ['Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'ABP MOC points', 'ABIM ID', 'ABIM MOC points', 'CME credits', 'MOC credit type', 'Consent'],
      [...person(doctors.gus), '2', '224466', '1.5', '2', 'MK; LA', 'Written'],
      [...person(doctors.eva), '2', '224467', '', '2', 'MK', 'Written'],
      [...person(doctors.ben), '2', '224468', '', '2', '', 'Written'],
    ];
    const response = await upload(machine, exported.map((cells) => cells.join(',')).join('\r\n'));
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done).toMatchObject({ status: 'finished', rows: { done: 3, accepted: 1, rejected: 2 } });
    const reports = await t.db.selectFrom('learner_reports').select(['row_number', 'board', 'board_id', 'credits', 'status']).where('upload_id', '=', response.json().id).orderBy('row_number').execute();
    expect(reports[0]).toMatchObject({ status: 'accepted', board: 'ABIM', board_id: '224466' });
    expect(reports[0].credits).toEqual([
      { type: 'AMA_PRA_CAT1', amount: 2 },
      { type: 'MOC_ABP_LA', amount: 2 },
      { type: 'MOC_ABIM_MK', amount: 1.5 },
    ]);
    const [, evaRow, benRow] = await lines(machine, response.json().id);
    expect(evaRow.problems).toEqual([expect.objectContaining({
      code: 'invalid', field: 'mocCreditType',
      message: 'MOC credit type: "MK" is not one of ABP\'s MOC credit types, for the 2 MOC points of ABP: write MOC_ABP_LA or MOC_ABP_QI (for points of two boards, one type each: "MOC_ABIM_MK; MOC_ABP_LA")',
    })]);
    expect(benRow.problems).toEqual([expect.objectContaining({ code: 'required', field: 'mocCreditType', message: expect.stringContaining('give ABP\'s MOC credit type') })]);
    // Their rows to fix keep no MOC credit type that the row's board would read as its own: what to fix says whose points they are.
    const toFix: Record<string, string>[] = parse((await coordinator.get(`/api/v1/uploads/${response.json().id}/rows-to-fix?format=csv`)).body, { bom: true, columns: true });
    expect(toFix.map((row) => [row['Certifying board'], row['MOC credits'], row['MOC credit type']])).toEqual([['ABIM', '', ''], ['ABIM', '', '']]);
  });

  it('takes the provider\'s own activity IDs, under a heading such as "Course", in CSV and in XML', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sepsis update', providerActivityId: 'COURSE-2026-07' }));
    expect(created.statusCode, created.body).toBe(201);
    const hubId: string = created.json().id;
    const person = (doctor: Doctor) => [doctor.first, doctor.last, doctor.month, doctor.day, 'CA', doctor.license, '1', 'Written'].join(',');
    const file = [
      // Headings as a sheet made by hand has them.
      'Course,Date,First name,Last name,DOB Month,DOB Day,State,License #,CME Hours,Consent',
      `COURSE-2026-07,${completed},${person(doctors.finn)}`,
      `NO-SUCH-COURSE,${completed},${person(doctors.gus)}`,
    ].join('\r\n');
    const sent = await upload(machine, file);
    expect(sent.statusCode, sent.body).toBe(202);
    expect((await finished(machine, sent.json().id)).rows).toMatchObject({ done: 2, accepted: 1, rejected: 1 });
    const [taken, unknown] = await lines(machine, sent.json().id);
    expect(taken).toMatchObject({ status: 'accepted', problems: [] });
    expect(unknown.problems).toEqual([
      expect.objectContaining({ code: 'activity_not_found', message: expect.stringContaining('"NO-SUCH-COURSE"') }),
    ]);

    const xml = await upload(machine, activityReportDocument('COURSE-2026-07', [doctors.finn, doctors.gus]), '?consent=written', 'application/xml');
    expect(xml.statusCode, xml.body).toBe(202);
    expect((await finished(machine, xml.json().id)).rows).toMatchObject({ done: 2, accepted: 1, duplicates: 1 });
    const stored = await t.db.selectFrom('learner_reports').select('activity_id').where('upload_id', 'in', [sent.json().id, xml.json().id]).where('status', '=', 'accepted').execute();
    expect(stored.map((report) => report.activity_id)).toEqual([hubId, hubId]);
  });

  it('reads headings as learning systems export them: the person named first, trademark signs, short forms', async () => {
    const person = (doctor: Doctor) => [doctor.first, doctor.last, doctor.month, doctor.day, 'CA', doctor.license, '1', 'Written'].join(',');
    const file = [
      "Activity ID,Activity Date,Attendee First Name,Participant's Last Name,DOB Month,DOB Day,State of Licensure,Lic #,AMA PRA Category 1 Credits™,Consent to share",
      `${activityId},${completed},${person(doctors.finn)}`,
    ].join('\r\n');
    const sent = await upload(machine, file);
    expect(sent.statusCode, sent.body).toBe(202);
    const done = await finished(machine, sent.json().id);
    expect(done.rows).toMatchObject({ done: 1, accepted: 1 });
    // Every column was read: none is listed as not used.
    expect(done.problems).toEqual([]);
  });

  it('reads the short headings of other exports: FName, Lic State, Birth Dy, Cat 1 Credits, Permission to Report', async () => {
    const file = [
      'Program Code,Date Attended,FName,LName,Birth Mo,Birth Dy,Lic State,License No.,Individual NPI,Cat 1 Credits,Permission to Report',
      `${activityId},${completed},${doctors.finn.first},${doctors.finn.last},${doctors.finn.month},${doctors.finn.day},CA,${doctors.finn.license},,1,Written`,
    ].join('\r\n');
    const sent = await upload(machine, file);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().columnsRead.columns.map((column: { readAs: string | null }) => column.readAs)).toEqual([
      'Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'NPI', 'AMA PRA Category 1 credits', 'Consent',
    ]);
    expect((await finished(machine, sent.json().id)).rows).toMatchObject({ done: 1, rejected: 0 });
  });

  it('reads the questions of a sign-in form\'s export as their columns, the consent question among them', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Form sign-in', providerActivityId: 'FORM-1' }));
    expect(created.statusCode, created.body).toBe(201);
    const file = [
      '"Timestamp","Email Address","Please enter your first name","What is your last name?","Your date of birth (MM/DD)","State of License","Please provide your license number","I consent to have my attendance reported","Date of consent"',
      `"2026/11/20 9:14:05 AM PST","gus@example.org","${doctors.gus.first}","${doctors.gus.last}","${doctors.gus.month}/${doctors.gus.day}","CA","${doctors.gus.license}","Yes","11/20/2026"`,
      `"2026/11/20 9:15:12 AM PST","finn@example.org","${doctors.finn.first}","${doctors.finn.last}","${doctors.finn.month}/${doctors.finn.day}","CA","${doctors.finn.license}","No","11/20/2026"`,
    ].join('\r\n');
    const sent = await upload(machine, file, `?consent=written&activity=FORM-1&completionDate=${completed}`);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().columnsRead.columns.map((column: { readAs: string | null }) => column.readAs)).toEqual([
      null, null, 'First name', 'Last name', 'Birth month and day (a year is dropped)', 'License state', 'License number', 'Consent', null,
    ]);
    const done = await finished(machine, sent.json().id);
    // Gus said Yes, the consent given for the upload; Finn said No, and nothing of his row is kept.
    expect(done.rows).toMatchObject({ done: 2, accepted: 1, rejected: 1 });
    expect((await lines(machine, sent.json().id)).map((line) => line.problems.map((problem) => problem.code))).toEqual([[], ['consent_declined']]);
  });

  it('reads a sheet filled in by hand with one Name column and credits in hours, and hands back a name it could not split and a date of birth left empty', async () => {
    // An activity of its own, so that these learners are no repeats of other tests' reports.
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sign-in sheet', providerActivityId: 'SIGN-IN-1' }));
    expect(created.statusCode, created.body).toBe(201);
    const row = (name: string, doctor: Doctor, credits: string) => ['SIGN-IN-1', completed, name, `${doctor.month}/${doctor.day}`, 'CA', doctor.license, credits, 'Written'].join(',');
    const file = [
      'Activity,Date Attended,Attendee Name,DOB,State,License #,Credits Claimed,Consent',
      row(`"${doctors.finn.last}, ${doctors.finn.first}"`, doctors.finn, '1 hr'),
      row(`Dr. ${doctors.gus.first} ${doctors.gus.last} MD`, doctors.gus, '1 credit'),
      row(doctors.maria.last, doctors.maria, '1'),
      ['SIGN-IN-1', completed, `${doctors.ann.first} ${doctors.ann.last}`, '', 'CA', doctors.ann.license, '1', 'Written'].join(','),
    ].join('\r\n');
    const sent = await upload(machine, file);
    expect(sent.statusCode, sent.body).toBe(202);
    const done = await finished(machine, sent.json().id);
    expect(done.rows).toMatchObject({ done: 4, accepted: 2, rejected: 2 });
    expect(done.problems).toEqual([]);
    const receipt = await lines(machine, sent.json().id);
    expect(receipt[2].problems).toEqual([
      expect.objectContaining({ field: 'fullName', message: `Name: "${doctors.maria.last}" is not a first and a last name: write both, such as Maria Lopez or Lopez, Maria` }),
    ]);
    // Said of the sheet's one "DOB" column, not of a birth month and a birth day it does not have.
    expect(receipt[3].problems).toEqual([
      expect.objectContaining({ field: 'dateOfBirth', code: 'required', message: "Date of birth is empty: write the learner's birth month and day, as MM/DD (a year is not needed, and is not kept)" }),
    ]);
    const stored = await t.db.selectFrom('learner_reports').select(['first_name', 'last_name']).where('upload_id', '=', sent.json().id).orderBy('row_number').execute();
    expect(stored.slice(0, 2)).toEqual([
      { first_name: doctors.finn.first, last_name: doctors.finn.last },
      { first_name: doctors.gus.first, last_name: doctors.gus.last },
    ]);

    // The rows to fix have a column for each part of the name: the one word is where the row to correct shows it.
    const download = await machine.get(`/api/v1/uploads/${sent.json().id}/rows-to-fix`);
    const [heading, fix] = parse(download.body, { bom: true }) as string[][];
    expect(heading).not.toContain('Name');
    expect([fix[heading.indexOf('First name')], fix[heading.indexOf('Last name')]]).toEqual(['', doctors.maria.last]);
  });

  it('finds an activity a sheet names by its title, as registered, a title used again by the date, and says when the date does not tell', async () => {
    const titled = async (title: string, providerActivityId: string, fields: { startDate?: string; endDate?: string; status?: string } = {}) => {
      const created = await coordinator.post('/api/v1/activities', openActivity({ title, providerActivityId, ...fields }));
      expect(created.statusCode, created.body).toBe(201);
      return created.json().id as string;
    };
    const hygiene = await titled('Hand Hygiene Refresher', 'HH-2026');
    // Each month's session registered under the same title: the completion date tells them apart.
    await titled('Weekly Grand Rounds', 'WGR-1', { startDate: addDays(today, -60), endDate: addDays(today, -30), status: 'ready_to_close' });
    const thisMonth = await titled('Weekly Grand Rounds', 'WGR-2', { startDate: addDays(today, -20) });
    await titled('Journal Club', 'JC-A');
    await titled('Journal Club', 'JC-B');
    const row = (title: string, doctor: Doctor) => [title, completed, `${doctor.first} ${doctor.last}`, `${doctor.month}/${doctor.day}`, 'CA', doctor.license, '1', 'Yes'].join(',');
    const file = ['Course title,Date,Name,DOB,State,License #,Hours,Consent', row('hand  hygiene REFRESHER', doctors.ann), row('weekly grand rounds', doctors.ben), row('Journal Club', doctors.cy)].join('\r\n');
    const sent = await upload(machine, file, '?consent=written');
    expect(sent.statusCode, sent.body).toBe(202);
    expect((await finished(machine, sent.json().id)).rows).toMatchObject({ done: 3, accepted: 2, rejected: 1 });
    const [found, byDate, shared] = await lines(machine, sent.json().id);
    expect([found.problems, byDate.problems]).toEqual([[], []]);
    expect(shared.problems).toEqual([
      expect.objectContaining({
        code: 'activity_not_found',
        message: `2 of your activities have the title "Journal Club", and the completion date ${completed} does not tell which: none of them, or more than one, ran that day. Write the activity's 9-digit hub activity ID, or your own ID for it.`,
      }),
    ]);
    const stored = await t.db.selectFrom('learner_reports').select('activity_id').where('upload_id', '=', sent.json().id).where('status', '=', 'accepted').orderBy('row_number').execute();
    expect(stored).toEqual([{ activity_id: hygiene }, { activity_id: thisMonth }]);
    // The rows to fix name the activity where the file to correct has a column for it.
    const [heading, fix] = parse((await machine.get(`/api/v1/uploads/${sent.json().id}/rows-to-fix`)).body, { bom: true }) as string[][];
    expect(fix[heading.indexOf('Activity ID')]).toBe('Journal Club');

    // Given for a sheet's rows, a title used again is told apart by the date given with it, or refused, saying why.
    const sheet = ['Name,DOB,State,License #,Hours', `${doctors.dee.first} ${doctors.dee.last},${doctors.dee.month}/${doctors.dee.day},CA,${doctors.dee.license},1`].join('\r\n');
    const withoutDate = await upload(machine, sheet, '?consent=written&activity=Weekly%20Grand%20Rounds');
    expect(withoutDate.statusCode).toBe(422);
    expect(withoutDate.json().detail).toBe(
      '2 of your activities have the title "Weekly Grand Rounds": write the activity\'s 9-digit hub activity ID, or your own ID for it (or give the completion date too, when only one of them ran that day).',
    );
    const withDate = await upload(machine, sheet, `?consent=written&activity=Weekly%20Grand%20Rounds&completionDate=${completed}`);
    expect(withDate.statusCode, withDate.body).toBe(202);
    expect(withDate.json().activityForRows).toBe(thisMonth);
    await finished(machine, withDate.json().id);
  });

  it('refuses a draft or closed activity given for the rows when the file is sent, saying what to do, as an unknown one is', async () => {
    const draft = await coordinator.post('/api/v1/activities', openActivity({ title: 'Not open yet', providerActivityId: 'ROWS-DRAFT', status: 'draft' }));
    expect(draft.statusCode, draft.body).toBe(201);
    const closed = await coordinator.post(
      '/api/v1/activities',
      openActivity({
        title: 'Over and closed',
        providerActivityId: 'ROWS-CLOSED',
        startDate: addDays(today, -50),
        endDate: addDays(today, -40),
        status: 'closed',
        ...closingFields,
      }),
    );
    expect(closed.statusCode, closed.body).toBe(201);
    const sheet = ['Name,DOB,State,License #,Hours', [`${doctors.ann.first} ${doctors.ann.last}`, `${doctors.ann.month}/${doctors.ann.day}`, 'CA', doctors.ann.license, '1'].join(',')].join('\r\n');

    const inDraft = await upload(machine, sheet, `?consent=written&activity=ROWS-DRAFT&completionDate=${completed}`);
    expect(inDraft.statusCode, inDraft.body).toBe(422);
    expect(inDraft.json()).toMatchObject({
      code: 'activity_not_active',
      detail:
        `Activity ROWS-DRAFT (hub ID ${draft.json().id}) is still a draft, so every row given it would be rejected. Make it active before reporting learners ` +
        '(on its page under Activities; ready to close instead, once its end date has passed), then send the file again.',
      problems: [{ code: 'activity_not_active', field: 'activity' }],
    });
    const inClosed = await upload(machine, sheet, `?consent=written&activity=Over%20and%20closed&completionDate=${addDays(today, -45)}`);
    expect(inClosed.statusCode, inClosed.body).toBe(422);
    expect(inClosed.json()).toMatchObject({
      code: 'activity_closed',
      detail: expect.stringMatching(
        new RegExp(`^Activity ROWS-CLOSED \\(hub ID ${closed.json().id}\\) is closed: learners can no longer be reported for it, so every row given it would be rejected\\. If its learners are still to be reported, reopen it first`),
      ),
      problems: [{ code: 'activity_closed', field: 'activity' }],
    });
    // Nothing was queued to reject every row.
    expect(await t.db.selectFrom('uploads').select('id').where('rows_activity_id', 'in', [draft.json().id, closed.json().id]).execute()).toEqual([]);
  });

  it('says of a completion date given with the file that is no day of the calendar why not', async () => {
    const sheet = ['Name,DOB,State,License #,Hours', 'Ann Lee,4/5,CA,A1,1'].join('\r\n');
    const february = await upload(machine, sheet, '?consent=written&activity=TB-1&completionDate=2026-02-30');
    expect(february.statusCode).toBe(400);
    expect(february.json().problems).toEqual([expect.objectContaining({ field: 'completionDate', message: 'The completion date 2026-02-30 is not a date: February 2026 has 28 days' })]);
    const thirteenth = await upload(machine, sheet, '?consent=written&activity=TB-1&completionDate=2026-13-01');
    expect(thirteenth.json().problems).toEqual([expect.objectContaining({ field: 'completionDate', message: 'The completion date 2026-13-01 is not a date: there is no month 13' })]);
  });

  it('takes a sign-in sheet for one session with the activity and date given for its rows, and the same sheet for another session as another upload', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Tumor Board', providerActivityId: 'TB-1' }));
    expect(created.statusCode, created.body).toBe(201);
    const tumorBoard = created.json().id as string;
    const nextSession = (await coordinator.post('/api/v1/activities', openActivity({ title: 'Tumor Board, next session', providerActivityId: 'TB-2' }))).json().id as string;
    const row = (name: string, doctor: Doctor) => [name, `${doctor.month}/${doctor.day}`, 'CA', doctor.license, '1'].join(',');
    const sheet = [
      'Name,DOB,State,License #,Hours',
      row(`${doctors.ann.first} ${doctors.ann.last}`, doctors.ann),
      row(`${doctors.ben.first} ${doctors.ben.last}`, doctors.ben),
      row(doctors.eva.last, doctors.eva),
      'Total,,,,3',
    ].join('\r\n');

    const neither = await upload(machine, sheet, '?consent=written');
    expect(neither.statusCode).toBe(422);
    expect(neither.json().problems).toEqual([
      expect.objectContaining({ field: 'activityId', message: expect.stringMatching(/, or give with the file the activity of every row that names none \(the "Activity of every row" choice on the Uploads page, activity= through the API, --activity on the command line\)\.$/) }),
      expect.objectContaining({ field: 'completionDate', message: expect.stringMatching(/, or give with the file the date of every row that gives none \(the "Completion date of every row" choice on the Uploads page, completionDate= through the API/) }),
    ]);
    const unknown = await upload(machine, sheet, `?consent=written&activity=Tumour%20board&completionDate=${completed}`);
    expect(unknown.statusCode).toBe(422);
    // Spelt otherwise, it is asked about, never taken for the activity.
    expect(unknown.json()).toMatchObject({ code: 'activity_not_found', problems: [{ field: 'activity', message: expect.stringContaining('no activity "Tumour board" to give the rows without one. Is it "Tumor Board" (your ID TB-1)?') }] });
    const badDate = await upload(machine, sheet, '?consent=written&activity=TB-1&completionDate=6/14/2026');
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('The completion date is written YYYY-MM-DD');
    const xml = await upload(machine, activityReportDocument(mocActivityId, [doctors.maria]), '?consent=written&activity=TB-1', 'application/xml');
    expect(xml.statusCode).toBe(400);
    expect(xml.json()).toMatchObject({ code: 'options_not_for_xml', detail: expect.stringContaining('send it without "activity".') });
    // Its dates are written YYYY-MM-DD by its schema: an order said for them is refused too, not dropped unseen.
    const xmlDayFirst = await upload(machine, activityReportDocument(mocActivityId, [doctors.maria]), '?consent=written&dates=day_first', 'application/xml');
    expect(xmlDayFirst.statusCode).toBe(400);
    expect(xmlDayFirst.json()).toMatchObject({ code: 'options_not_for_xml', problems: [{ field: 'dates' }] });

    // Named by its title, in any case.
    const sent = await upload(machine, sheet, `?consent=written&activity=tumor%20board&completionDate=${completed}`);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json()).toMatchObject({ activityForRows: tumorBoard, completionDateForRows: completed });
    const done = await finished(machine, sent.json().id);
    expect(done.rows).toMatchObject({ done: 4, accepted: 2, rejected: 2, toFix: 1 });
    const stored = await t.db.selectFrom('learner_reports').select(['activity_id', 'completion_date', 'status']).where('upload_id', '=', sent.json().id).orderBy('row_number').execute();
    expect(stored).toEqual([
      { activity_id: tumorBoard, completion_date: completed, status: 'accepted' },
      { activity_id: tumorBoard, completion_date: completed, status: 'accepted' },
      { activity_id: tumorBoard, completion_date: completed, status: 'rejected' },
    ]);
    // The row to correct carries the activity and date it was taken with, so that it goes in alone.
    const [heading, fix] = parse((await machine.get(`/api/v1/uploads/${sent.json().id}/rows-to-fix`)).body, { bom: true }) as string[][];
    expect([fix[heading.indexOf('Activity ID')], fix[heading.indexOf('Completion date')]]).toEqual([tumorBoard, completed]);

    const again = await upload(machine, sheet, `?consent=written&activity=TB-1&completionDate=${completed}`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: sent.json().id, alreadyUploaded: true });
    const otherSession = await upload(machine, sheet, `?consent=written&activity=TB-2&completionDate=${completed}`);
    expect(otherSession.statusCode, otherSession.body).toBe(202);
    expect((await finished(machine, otherSession.json().id)).rows).toMatchObject({ done: 4, accepted: 2, duplicates: 0 });
    const audit = await t.db.selectFrom('audit_log').select('details').where('entity_id', '=', otherSession.json().id).where('action', '=', 'upload.create').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ activityForRows: nextSession, completionDateForRows: completed });
  });

  it('offers the date and the activity a sign-in sheet\'s title block gives, to be confirmed by sending them', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Grand Rounds: Sepsis Update', providerActivityId: 'GR-SEPSIS' }));
    expect(created.statusCode, created.body).toBe(201);
    const sepsis = created.json().id as string;
    const [year, month, day] = completed.split('-').map(Number);
    const written = `${MONTH_NAMES[month - 1]} ${day}, ${year}`;
    const learner = (doctor: Doctor) => [`${doctor.first} ${doctor.last}`, `${doctor.month}/${doctor.day}`, 'CA', doctor.license];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sign-in');
    sheet.addRow(['Memorial Hospital, Department of Medicine']);
    sheet.addRow(['Grand Rounds: Sepsis Update']);
    // The day in a cell of its own, after its label, as a date Excel keeps; a line printed under it is dated too.
    sheet.addRow(['Date:', new Date(`${completed}T00:00:00Z`)]);
    sheet.addRow([`Printed ${addDays(completed, -7)}`]);
    sheet.addRow([]);
    sheet.addRow(['Name', 'DOB', 'State', 'License #', 'Signature']);
    sheet.addRow(learner(doctors.ann));
    sheet.addRow(learner(doctors.ben));
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

    const refused = await upload(machine, bytes, '?consent=written', xlsx);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().problems).toEqual([
      expect.objectContaining({
        field: 'activityId',
        message: expect.stringMatching(new RegExp(`Row 2 of sheet "Sign-in", above the header, says "Grand Rounds: Sepsis Update", which names your activity GR-SEPSIS \\(hub ID ${sepsis}\\): if every row is of it, give ${sepsis}\\.$`)),
        suggestion: { value: sepsis, said: 'Grand Rounds: Sepsis Update', row: 2, sheet: 'Sign-in' },
      }),
      expect.objectContaining({
        field: 'completionDate',
        message: expect.stringMatching(new RegExp(`Row 3 of sheet "Sign-in", above the header, says "Date: ${completed}": if every row is of that day, give ${completed}\\.$`)),
        suggestion: { value: completed, said: `Date: ${completed}`, row: 3, sheet: 'Sign-in' },
      }),
      expect.objectContaining({ code: 'unknown_columns', message: expect.stringContaining('"Signature"') }),
    ]);
    const suggested = Object.fromEntries(refused.json().problems.flatMap((problem: { field: string; suggestion?: { value: string } }) => (problem.suggestion ? [[problem.field, problem.suggestion.value]] : [])));
    const sent = await upload(machine, bytes, `?consent=written&activity=${suggested.activityId}&completionDate=${suggested.completionDate}`, xlsx);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(await finished(machine, sent.json().id)).toMatchObject({ status: 'finished', rows: { done: 2, accepted: 2 } });

    // Written in a line of its own, under a label, in a CSV file; the activity given, only the date is offered.
    // Its commas unquoted, the line is cells of a row, read together again.
    const weekday = new Date(`${completed}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    const csvSheet = ['Sign-in sheet', `Date: ${weekday}, ${written}, 12:00-1:00 PM`, 'Name,DOB,State,License #', learner(doctors.eva).join(',')].join('\r\n');
    const dateOnly = await upload(machine, csvSheet, '?consent=written&activity=GR-SEPSIS');
    expect(dateOnly.statusCode, dateOnly.body).toBe(422);
    expect(dateOnly.json().problems).toEqual([
      expect.objectContaining({ field: 'completionDate', suggestion: { value: completed, said: `Date: ${weekday}, ${written}, 12:00-1:00 PM`, row: 2 } }),
    ]);
    // A series' sheet titles its session and speaker after the series: the series is the activity its title names.
    const series = (await coordinator.post('/api/v1/activities', openActivity({ title: 'Medicine Grand Rounds', providerActivityId: 'MGR-26' }))).json().id as string;
    const seriesSheet = ['Medicine Grand Rounds: Sepsis in the ICU – Dr. Ana Ruiz', `Date: ${written}`, 'Name,DOB,State,License #', learner(doctors.eva).join(',')].join('\r\n');
    const ofSeries = await upload(machine, seriesSheet, '?consent=written');
    expect(ofSeries.statusCode, ofSeries.body).toBe(422);
    expect(ofSeries.json().problems).toEqual([
      expect.objectContaining({ field: 'activityId', message: expect.stringContaining('which names your activity MGR-26'), suggestion: { value: series, said: 'Medicine Grand Rounds: Sepsis in the ICU – Dr. Ana Ruiz', row: 1 } }),
      expect.objectContaining({ field: 'completionDate', suggestion: expect.objectContaining({ value: completed }) }),
    ]);
    // Two days above the header say neither plainly: none is offered.
    const twoDays = ['Sign-in sheet', `Date: ${written}`, `Date: ${addDays(completed, -1)}`, 'Name,DOB,State,License #', learner(doctors.eva).join(',')].join('\r\n');
    const neither = await upload(machine, twoDays, '?consent=written&activity=GR-SEPSIS');
    expect(neither.statusCode, neither.body).toBe(422);
    expect(neither.json().problems).toEqual([expect.not.objectContaining({ suggestion: expect.anything() })]);
    // A day typed without its year, under its label: the activity given with the file, or named above, tells the year.
    const withoutYear = `${MONTH_NAMES[month - 1].slice(0, 3)} ${day}`;
    const typedSheet = (title: string) => [title, `Date: ${withoutYear}`, 'Name,DOB,State,License #', learner(doctors.eva).join(',')].join('\r\n');
    const given = await upload(machine, typedSheet('Memorial Hospital, Department of Medicine'), '?consent=written&activity=GR-SEPSIS');
    expect(given.statusCode, given.body).toBe(422);
    expect(given.json().problems).toEqual([
      expect.objectContaining({
        field: 'completionDate',
        message: expect.stringMatching(new RegExp(`Row 2, above the header, says "Date: ${withoutYear}", which is ${completed}, the one such day its activity takes: if every row is of that day, give ${completed}\\.$`)),
        suggestion: { value: completed, said: `Date: ${withoutYear}`, row: 2 },
      }),
    ]);
    const named = await upload(machine, typedSheet('Grand Rounds: Sepsis Update'), '?consent=written');
    expect(named.json().problems).toEqual([
      expect.objectContaining({ field: 'activityId', suggestion: expect.objectContaining({ value: sepsis }) }),
      expect.objectContaining({ field: 'completionDate', suggestion: expect.objectContaining({ value: completed }) }),
    ]);
    // A title typed by hand with slips (its colon left out, a letter too) is offered as the activity it probably is,
    // which tells the year too.
    const misspelt = await upload(machine, typedSheet('Grand Rounds Sepsis Updte'), '?consent=written');
    expect(misspelt.json().problems).toEqual([
      expect.objectContaining({
        field: 'activityId',
        message: expect.stringMatching(
          new RegExp(`Row 1, above the header, says "Grand Rounds Sepsis Updte", which is probably your activity "Grand Rounds: Sepsis Update" \\(your ID GR-SEPSIS\\), misspelt: if every row is of it, give ${sepsis}\\.$`),
        ),
        suggestion: { value: sepsis, said: 'Grand Rounds Sepsis Updte', row: 1, probably: true },
      }),
      expect.objectContaining({ field: 'completionDate', suggestion: expect.objectContaining({ value: completed }) }),
    ]);
    // Without an activity to tell its year, the day is not offered.
    const untold = await upload(machine, typedSheet('Memorial Hospital, Department of Medicine'), '?consent=written');
    expect(untold.json().problems).toEqual(expect.not.arrayContaining([expect.objectContaining({ suggestion: expect.anything() })]));
  });

  it('finds the header of a CME sign-in sheet under a title block of a dozen rows and more, and offers what it says', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Stroke Update 2026', providerActivityId: 'STROKE-26' }));
    expect(created.statusCode, created.body).toBe(201);
    const titleBlock = [
      'Northside Hospital, Office of Continuing Medical Education',
      'Stroke Update 2026',
      `Date: ${completed}`,
      'Time: 12:00-1:00 PM',
      'Location: Auditorium B',
      'Speaker: Dr. Ana Ruiz, Neurology',
      'Learning objectives:',
      '1. Recognize large vessel occlusion in the emergency department',
      '2. Apply the thrombolysis criteria',
      '3. Coordinate transfer for thrombectomy',
      'Accreditation: Northside Hospital is accredited by the ACCME to provide continuing medical education for physicians.',
      'Northside Hospital designates this live activity for a maximum of 1 AMA PRA Category 1 Credit(s)™.',
      'Physicians should claim only the credit commensurate with the extent of their participation in the activity.',
      'Please print clearly. Your signature confirms your attendance.',
    ];
    const learner = (doctor: Doctor) => [`${doctor.first} ${doctor.last}`, `${doctor.month}/${doctor.day}`, 'CA', doctor.license, 'signed'].join(',');
    const sheet = [...titleBlock.map((line) => `"${line}",,,,`), ',,,,', 'Name,DOB,State,License #,Signature', learner(doctors.gus), learner(doctors.dee)].join('\r\n');
    const refused = await upload(machine, sheet, '?consent=written');
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'file_header_invalid', detail: expect.stringContaining('(row 16)') });
    expect(refused.json().problems).toEqual([
      expect.objectContaining({ field: 'activityId', suggestion: { value: created.json().id, said: 'Stroke Update 2026', row: 2 } }),
      expect.objectContaining({ field: 'completionDate', suggestion: { value: completed, said: `Date: ${completed}`, row: 3 } }),
      expect.objectContaining({ code: 'unknown_columns' }),
    ]);
    const sent = await upload(machine, sheet, `?consent=written&activity=${created.json().id}&completionDate=${completed}`);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(await finished(machine, sent.json().id)).toMatchObject({ status: 'finished', columnsRead: { row: 16 }, rows: { done: 2, accepted: 2 } });
  });

  it('gives each learner of a sheet without a credits column the Category 1 credits its activity designates, says so, and keeps the rows to fix without one', async () => {
    const journalClub = (await coordinator.post('/api/v1/activities', openActivity({ title: 'Journal Club', providerActivityId: 'JC-1' }))).json().id as string;
    const sheet = [
      'Name,DOB,State,License #',
      `${doctors.ann.first} ${doctors.ann.last},January 30,CA,${doctors.ann.license}`,
      `${doctors.ben.first} ${doctors.ben.last},${doctors.ben.month}/${doctors.ben.day},CA,${doctors.ben.license}`,
      `${doctors.eva.first} ${doctors.eva.last},sometime,CA,${doctors.eva.license}`,
      'Total: 3,,,',
    ].join('\r\n');
    const sent = await upload(machine, 'Sign-in,,,\r\n' + sheet + '\r\n', `?consent=written&activity=JC-1&completionDate=${completed}`);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().columnsRead).toEqual({
      row: 2,
      sheet: null,
      columns: [
        { heading: 'Name', readAs: 'First, middle and last name, in one column' },
        { heading: 'DOB', readAs: 'Birth month and day (a year is dropped)' },
        { heading: 'State', readAs: 'License state' },
        { heading: 'License #', readAs: 'License number' },
      ],
    });
    expect(sent.json().problems).toContainEqual(expect.objectContaining({ code: 'credits_from_activity', message: expect.stringContaining('each learner is given the AMA PRA Category 1 credits their activity designates') }));
    const done = await finished(machine, sent.json().id);
    expect(done.rows).toMatchObject({ done: 4, accepted: 2, rejected: 2, toFix: 1 });
    const receipt = await lines(machine, sent.json().id);
    // Eva's birthday is all there is to fix: nothing about credits; the total keeps nothing.
    expect(receipt.map((line) => [line.rowNumber, line.status, line.problems.map((problem) => problem.field)])).toEqual([
      [3, 'accepted', []],
      [4, 'accepted', []],
      [5, 'rejected', ['dateOfBirth']],
      [6, 'rejected', ['row']],
    ]);
    const creditsOf = async (reportId: string | null) => (await machine.get(`/api/v1/learner-reports/${reportId}`)).json().credits;
    expect(await creditsOf(receipt[0].reportId)).toEqual([expect.objectContaining({ type: 'AMA_PRA_CAT1', amount: 2 })]);
    // The rejected report keeps the credits it would have had, so that correcting it on its page starts from them.
    expect(await creditsOf(receipt[2].reportId)).toEqual([expect.objectContaining({ type: 'AMA_PRA_CAT1', amount: 2 })]);

    // The rows to fix have no credits column either: corrected and sent back, the row takes the activity's credits again.
    const [heading, fix] = parse((await machine.get(`/api/v1/uploads/${sent.json().id}/rows-to-fix`)).body, { bom: true }) as string[][];
    expect(heading.filter((column) => /credits|credit type/i.test(column))).toEqual([]);
    fix[heading.indexOf('Birth month')] = doctors.eva.month;
    fix[heading.indexOf('Birth day')] = doctors.eva.day;
    const corrected = await upload(machine, stringify([heading, fix]), '?consent=written');
    expect(corrected.statusCode, corrected.body).toBe(202);
    expect((await finished(machine, corrected.json().id)).rows).toMatchObject({ done: 1, accepted: 1 });
    const [taken] = await lines(machine, corrected.json().id);
    expect(await creditsOf(taken.reportId)).toEqual([expect.objectContaining({ type: 'AMA_PRA_CAT1', amount: 2 })]);
    const accepted = await t.db.selectFrom('learner_reports').select('status').where('activity_id', '=', journalClub).where('status', '=', 'accepted').execute();
    expect(accepted).toHaveLength(3);

  });

  it('refuses a sheet with neither first and last name nor a Name column, saying either will do', async () => {
    const sent = await upload(machine, ['Activity ID,Completion date,Attendee,DOB,NPI,Consent', `${activityId},${completed},Finn Gray,8/9,1234567893,Written`].join('\r\n'));
    expect(sent.statusCode).toBe(422);
    expect(sent.json().problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'firstName', message: 'The file has no "First name" column. Add it to the header row (the template shows every column), or a column "Name" in its place.' }),
    ]));
  });

  it('takes a MedBiquitous Activity Report document, with the consent given for the upload', async () => {
    const xml = activityReportDocument(mocActivityId, [doctors.maria, doctors.eva, doctors.eva]);
    const response = await upload(machine, xml, '?consent=written', 'application/xml');
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done).toMatchObject({ format: 'xml', rows: { done: 3, accepted: 2, duplicates: 1 } });
    const receipt = await lines(machine, response.json().id);
    expect(receipt.map((line) => [line.rowNumber, line.reference])).toEqual([
      [1, 'ccid:1234567:xml-0'],
      [2, 'ccid:1234567:xml-1'],
      [3, 'ccid:1234567:xml-2'],
    ]);
    expect(receipt.map((line) => [line.status, line.duplicate])).toEqual([
      ['accepted', false],
      ['accepted', false],
      ['accepted', true],
    ]);
  });

  it('reads a MedBiquitous document named .csv by its content, and says what it is when it is sent as CSV', async () => {
    const xml = activityReportDocument(mocActivityId, [doctors.eva]);
    const asCsv = await uploadForm(coordinator, 'learners.csv', xml, '?consent=written&format=csv');
    expect(asCsv.statusCode, asCsv.body).toBe(422);
    expect(asCsv.json()).toMatchObject({
      code: 'format_not_of_file',
      detail:
        'learners.csv is a MedBiquitous XML document, not a CSV file: send it with format=xml (--format xml on the command line), or leave the format out and the hub tells it by its content. ' +
        "On the Uploads page, which tells a file's format by its name, name it learners.xml.",
    });
    const byContent = await uploadForm(coordinator, 'learners.csv', xml, '?consent=written');
    expect(byContent.statusCode, byContent.body).toBe(202);
    expect(await finished(coordinator, byContent.json().id)).toMatchObject({ format: 'xml', status: 'finished', rows: { done: 1 } });
  });

  it('takes in the completions before a document breaks off, and says where it broke', async () => {
    const whole = activityReportDocument(mocActivityId, [doctors.maria, doctors.eva, doctors.maria]);
    const brokenOff = whole.slice(0, whole.lastIndexOf('<ActivityReport>') + 60);
    const response = await upload(machine, brokenOff, '?consent=written', 'application/xml');
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    // What stopped it is its error, not among its notes about the file.
    expect(done).toMatchObject({ status: 'failed', rows: { done: 2 }, problems: [], error: { code: expect.any(String) } });
    expect(done.error?.message).toMatch(/not well-formed XML.*The 2 rows before it, up to row 2, were taken in and are in the receipt: once the file is corrected, send it again/s);
    expect((await lines(machine, response.json().id)).map((line) => line.rowNumber)).toEqual([1, 2]);

    // A tag mistyped in the third of four completions, with the whole document in one piece of the file.
    const mistyped = activityReportDocument(mocActivityId, [doctors.eva, doctors.maria, doctors.eva, doctors.maria]);
    const third = mistyped.indexOf('</n:GivenName>', mistyped.indexOf('xml-1'));
    const broken = await upload(machine, `${mistyped.slice(0, third)}</n:Given>${mistyped.slice(third + '</n:GivenName>'.length)}`, '?consent=written', 'application/xml');
    expect(broken.statusCode, broken.body).toBe(202);
    const stopped = await finished(machine, broken.json().id);
    expect(stopped).toMatchObject({ status: 'failed', rows: { done: 2 } });
    expect(stopped.error?.message).toMatch(/^The file is not well-formed XML \(line \d+, column \d+: unexpected close tag\)\. The 2 rows before it, up to row 2, were taken in/);
    expect((await lines(machine, broken.json().id)).map((line) => line.rowNumber)).toEqual([1, 2]);
  });

  it('keeps deletions out of uploads, saying where to send them', async () => {
    const xml = `<?xml version="1.0"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/" xmlns:x="urn:example:x">
<DateTimeCreated>${today}T09:00:00</DateTimeCreated><ReportingStartDate>${today}</ReportingStartDate><ReportingEndDate>${today}</ReportingEndDate>
<ActivityReport><ReportingOrganization>Demo</ReportingOrganization><Member><m:UniqueID domain="idd:accme.org:CA">${doctors.gus.license}</m:UniqueID><m:Name><n:GivenName>Gus</n:GivenName><n:FamilyName>Hale</n:FamilyName></m:Name><m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-09-10</m:BirthDate></m:PersonalInfo></Member>
<Activity><ProviderOrganization>1234567</ProviderOrganization><ActivityName>Board review</ActivityName><Module><ModuleName moduleID="${mocActivityId}">Board review</ModuleName><Status>Completed</Status><CompletedDateTime>${completed}T00:00:00</CompletedDateTime></Module></Activity>
<XtensibleInfo><x:LearnerRecordAction>delete</x:LearnerRecordAction></XtensibleInfo></ActivityReport>
</ActivityReports>`;
    const response = await upload(machine, xml, '?consent=written', 'application/xml');
    expect(response.statusCode, response.body).toBe(202);
    const done = await finished(machine, response.json().id);
    expect(done.rows).toMatchObject({ done: 1, rejected: 1 });
    const [line] = await lines(machine, response.json().id);
    expect(line.problems[0]).toMatchObject({ code: 'delete_not_in_upload', message: expect.stringContaining('POST /api/v1/learner-reports') });
  });

  it('writes receipts as CSV and XLSX, each line naming its learner, activity and date, with formulas neutralised', async () => {
    const response = await upload(
      machine,
      csv([
        row(doctors.finn, { Reference: '=HYPERLINK("http://evil.example")', 'License number': 'Q1' }),
        // Rejected: its activity is named by the row as it wrote it, and its name as the row gave it.
        row(doctors.gus, { Reference: 'typo', 'Activity ID': 'GR-UPP', 'First name': '=Gus' }),
      ]),
    );
    const id = response.json().id;
    await finished(machine, id);
    const receiptCsv = await machine.get(`/api/v1/uploads/${id}/receipt?format=csv`);
    expect(receiptCsv.statusCode).toBe(200);
    expect(receiptCsv.headers['content-type']).toContain('text/csv');
    const [head, first, second] = receiptCsv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(head).toBe('Row,Reference,Learner,Activity,Completion date,Status,Duplicate,Late,Report ID,Problems,Problem codes');
    expect(first).toMatch(new RegExp(`^2,"'=HYPERLINK\\(""http://evil.example""\\)",Finn Gray,GR-UP,${completed},pending,`));
    expect(second).toMatch(new RegExp(`^3,typo,'=Gus Hale,GR-UPP,${completed},rejected,`));
    // The same on the receipt's page, and for a row repeating a report on file, that report's learner.
    const again = await upload(machine, csv([row(doctors.finn, { Reference: 'again', 'License number': 'Q1' })]));
    await finished(machine, again.json().id);
    expect((await lines(machine, again.json().id)).map(({ learner, activity, completionDate, duplicate }) => ({ learner, activity, completionDate, duplicate }))).toEqual([
      { learner: 'Finn Gray', activity: 'GR-UP', completionDate: completed, duplicate: true },
    ]);

    const receiptXlsx = await machine.request({ method: 'GET', url: `/api/v1/uploads/${id}/receipt?format=xlsx` });
    expect(receiptXlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(receiptXlsx.rawPayload as unknown as ArrayBuffer);
    // A workbook keeps the value as sent, in a text cell Excel does not run (quotePrefix, tested with the writer).
    expect(workbook.getWorksheet('Receipt')?.getCell('B2').value).toBe('=HYPERLINK("http://evil.example")');
    const summary = workbook.getWorksheet('Summary')!.getColumn(1).values.map(String);
    expect(workbook.getWorksheet('Receipt')?.getCell('C3').value).toBe('=Gus Hale');
    expect(summary).toContain('Rows: 2 (accepted 0, pending 1, rejected 1, duplicates 0)');
    expect(summary).toContainEqual(expect.stringMatching(/^Uploaded \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by /));
  });

  it('sends the receipt in the format the Accept header asks for when the address names none, and says when it can send neither', async () => {
    const response = await upload(machine, csv([row(doctors.finn, { Reference: 'accept', 'License number': 'Q2' })]));
    const id = response.json().id;
    await finished(machine, id);
    const receipt = (accept: string, query = '') => machine.request({ method: 'GET', url: `/api/v1/uploads/${id}/receipt${query}`, headers: { accept } });
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    for (const accept of [xlsxType, `text/csv;q=0.5, ${xlsxType}`, 'application/*, text/*;q=0.1']) {
      const asked = await receipt(accept);
      expect(asked.statusCode, accept).toBe(200);
      expect(asked.headers['content-type'], accept).toBe(xlsxType);
      expect(asked.headers['content-disposition'], accept).toMatch(/\.xlsx"$/);
    }
    // ?format= wins over Accept.
    const named = await receipt(xlsxType, '?format=csv');
    expect(named.headers['content-type']).toContain('text/csv');

    for (const accept of ['application/json', 'application/json, application/problem+json', `${xlsxType};q=0, text/csv;q=0, */*`]) {
      const neither = await receipt(accept);
      expect(neither.statusCode, accept).toBe(406);
      expect(neither.json(), accept).toMatchObject({ code: 'not_acceptable', title: 'Not acceptable', detail: expect.stringMatching(/CSV \(text\/csv\) or XLSX .*\?format=csv or \?format=xlsx/) });
    }
  });

  it('refuses an option misspelt in the address of an upload, its receipt, its rows to fix and its withdrawal preview, naming those taken', async () => {
    const response = await upload(machine, csv([row(doctors.finn, { Reference: 'misspelt', 'License number': 'Q3' })]));
    const id = response.json().id;
    await finished(machine, id);
    for (const [address, message] of [
      [`/api/v1/uploads/${id}/receipt?formt=xlsx`, 'The receipt takes no option "formt": its only option is format.'],
      [`/api/v1/uploads/${id}/rows-to-fix?formt=csv`, 'The rows to fix take no option "formt": its only option is format.'],
      [`/api/v1/uploads/${id}?foo=1`, 'One upload takes no options: leave out "foo".'],
      [`/api/v1/uploads/${id}/withdrawal-preview?x=1`, 'The withdrawal preview takes no options: leave out "x".'],
    ]) {
      const refused = await machine.get(address);
      expect(refused.statusCode, address).toBe(400);
      expect(refused.json().problems, address).toContainEqual(expect.objectContaining({ message }));
    }
  });

  it('rejects a row whose reference, names or number are longer than they are, or whose amount would be stored as 0, and takes in the rest of the file', async () => {
    // No one's registration number is this long: a note or a whole row pasted into the column. Random, so that it does not compress.
    let seed = 7;
    const pasted = Array.from({ length: 3000 }, () => String.fromCharCode(65 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const sent = await upload(machine, csv([
      row(doctors.finn, { Reference: pasted, 'Activity ID': 'NO-SUCH-COURSE', 'License number': 'Q7' }),
      row(doctors.finn, { Reference: 'short one', 'License number': 'Q8' }),
      row(doctors.finn, { Reference: 'long names', 'First name': pasted, 'Last name': pasted, 'License number': pasted }),
      // An emoji is one character; cut to fit, a reference keeps each whole: half an emoji is text PostgreSQL refuses to store.
      row(doctors.finn, { Reference: '😀'.repeat(250), 'License number': 'Q9' }),
      row(doctors.finn, { Reference: '😀'.repeat(200), 'License number': 'Q11' }),
      // Nor is an amount a sliver above 0, which would be stored as 0.
      row(doctors.finn, { Reference: 'sliver', 'CME credits': '0.0000000001', 'License number': 'Q10' }),
    ]));
    expect(sent.statusCode, sent.body).toBe(202);
    const done = await finished(machine, sent.json().id);
    expect(done).toMatchObject({ status: 'finished', rows: { done: 6, rejected: 4 } });
    const [long, short, longNames, emoji, emojiWithin, sliver] = await lines(machine, sent.json().id);
    expect(emoji.problems).toEqual([expect.objectContaining({ code: 'too_big', message: expect.stringContaining('(this one has 250)') })]);
    expect(emojiWithin).toMatchObject({ reference: '😀'.repeat(200), problems: [expect.objectContaining({ code: 'license_not_found' })] });
    expect(sliver.problems).toEqual([expect.objectContaining({ code: 'credit_amount_invalid' })]);
    expect(emoji.reference).toBe(`${'😀'.repeat(99)}…`);
    expect(long.problems).toContainEqual(expect.objectContaining({ code: 'too_big', field: 'reference', message: 'Reference is at most 200 characters (this one has 3,000): write your own short reference for the row, such as a registration number' }));
    expect(long.reference).toBe(`${pasted.slice(0, 199)}…`);
    expect(short.reference).toBe('short one');
    // Names and numbers as long are refused as such, and their report to fix is kept.
    expect(longNames.problems).toContainEqual(expect.objectContaining({ code: 'too_big', field: 'firstName', message: 'First name is at most 100 characters' }));

    // A MedBiquitous document's CreditID is its row's reference.
    // With a license number of no report on file, so that it is not a repeat of one.
    const document = activityReportDocument(activityId, [doctors.finn])
      .replace('ccid:1234567:xml-0', `ccid:1234567:${pasted}`)
      .replace(`>${doctors.finn.license}<`, '>Q12<');
    const xml = await upload(machine, document, '?consent=written', 'application/xml');
    expect(xml.statusCode, xml.body).toBe(202);
    expect(await finished(machine, xml.json().id)).toMatchObject({ status: 'finished', rows: { done: 1, rejected: 1 } });
    const [creditId] = await lines(machine, xml.json().id);
    expect(creditId.problems).toEqual([expect.objectContaining({ code: 'too_big', field: 'creditId', message: 'Line 16: CreditID: A credit ID is at most 300 characters' })]);
  });

  it('keeps the name of a form\'s file whatever it holds, and names its receipt after it in any language', async () => {
    // A NUL, which no database stores, in a name sent by a script's form: the file still goes in.
    const nul = await uploadForm(coordinator, 'year\u0000end.csv', csv([row(doctors.finn, { Reference: 'name-1', 'License number': 'Q13' })]));
    expect(nul.statusCode, nul.body).toBe(202);
    expect(nul.json().fileName).toBe('year end.csv');
    // A name given in the address, or as a field of the form, is kept so too: a line break would break a list's rows.
    const named = await upload(coordinator, csv([row(doctors.finn, { Reference: 'name-3', 'License number': 'Q15' })]), `?fileName=${encodeURIComponent('Übersicht März\n";.csv')}`);
    expect(named.statusCode, named.body).toBe(202);
    expect(named.json().fileName).toBe('Übersicht März ";.csv');
    const accents = await uploadForm(coordinator, 'Übersicht März.csv', csv([row(doctors.finn, { Reference: 'name-2', 'License number': 'Q14' })]));
    const id = accents.json().id as string;
    await finished(coordinator, id);
    const receipt = await coordinator.get(`/api/v1/uploads/${id}/receipt`);
    expect(receipt.headers['content-disposition']).toBe(
      `attachment; filename="receipt-Ubersicht_Marz-${id.slice(0, 8)}.csv"; filename*=UTF-8''receipt-%C3%9Cbersicht_M%C3%A4rz-${id.slice(0, 8)}.csv`,
    );
  });

  it('refuses a misspelt option of a stop, a withdrawal or a template, and a withdrawal\'s misspelt field, withdrawing nothing', async () => {
    const response = await upload(machine, csv([row(doctors.finn, { Reference: 'misspelt post', 'License number': 'Q3' })]));
    const id = response.json().id;
    await finished(machine, id);
    const refusals: [string, Awaited<ReturnType<typeof machine.post>>, string][] = [
      ['stop', await machine.post(`/api/v1/uploads/${id}/stop?force=1`), 'Stopping an upload takes no options: leave out "force".'],
      ['withdraw ?', await machine.post(`/api/v1/uploads/${id}/withdraw?dryRun=1`, { reason: 'sent by mistake' }), 'A withdrawal takes no options: leave out "dryRun".'],
      ['withdraw {}', await machine.post(`/api/v1/uploads/${id}/withdraw`, { reason: 'sent by mistake', dryRun: true }), 'A withdrawal takes no field "dryRun": its only field is reason.'],
      ['template', await machine.get('/api/v1/uploads/template.csv?activity=GR-UP'), 'The learner file template takes no options: leave out "activity".'],
    ];
    for (const [what, refused, message] of refusals) {
      expect(refused.statusCode, what).toBe(400);
      expect(refused.json().problems, what).toContainEqual(expect.objectContaining({ message }));
    }
    expect((await machine.get(`/api/v1/uploads/${id}`)).json()).toMatchObject({ status: 'finished', withdrawal: null });
  });

  it('says in plain words what a page\'s limit and a file\'s format are', async () => {
    const response = await upload(machine, csv([row(doctors.finn, { Reference: 'plain words', 'License number': 'Q4' })]));
    const id = response.json().id as string;
    await finished(machine, id);
    const limit = 'The limit is a whole number from 1 to 500 (given once)';
    for (const query of ['limit=abc', 'limit=1&limit=2', 'limit=1.5', 'limit=0', 'limit=501']) {
      for (const address of ['/api/v1/uploads', `/api/v1/uploads/${id}/rows`]) {
        const refused = await machine.get(`${address}?${query}`);
        expect(refused.statusCode, `${address}?${query}`).toBe(400);
        expect(refused.json().problems, `${address}?${query}`).toEqual([expect.objectContaining({ field: 'limit', message: limit })]);
      }
    }
    for (const address of [`/api/v1/uploads/${id}/receipt?format=json`, `/api/v1/uploads/${id}/rows-to-fix?format=pdf`]) {
      const refused = await machine.get(address);
      expect(refused.statusCode, address).toBe(400);
      expect(refused.json().problems, address).toEqual([expect.objectContaining({ field: 'format', message: 'The format is csv or xlsx' })]);
    }
  });

  it('offers the template, listing the provider\'s activities, which the hub reads back', async () => {
    const template = await coordinator.request({ method: 'GET', url: '/api/v1/uploads/template.xlsx' });
    expect(template.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Learners', 'Your activities', 'Instructions']);
    const listed = workbook.getWorksheet('Your activities')!.getSheetValues().slice(2).map((row) => (row as unknown[]).slice(1, 3));
    expect(listed).toContainEqual([activityId, 'GR-UP']);
    // Another provider's activities are not in its list; a template fetched without signing in lists none.
    const othersTemplate = new ExcelJS.Workbook();
    await othersTemplate.xlsx.load((await otherProvider.request({ method: 'GET', url: '/api/v1/uploads/template.xlsx' })).rawPayload as unknown as ArrayBuffer);
    expect(JSON.stringify(othersTemplate.getWorksheet('Your activities')?.getSheetValues() ?? [])).not.toContain('GR-UP');
    const anonymous = new ExcelJS.Workbook();
    await anonymous.xlsx.load((await t.app.inject({ method: 'GET', url: '/api/v1/uploads/template.xlsx' })).rawPayload as unknown as ArrayBuffer);
    expect(anonymous.worksheets.map((sheet) => sheet.name)).toEqual(['Learners', 'Instructions']);

    // Filled in with the provider's own ID for the activity, the list still beside it.
    const learners = workbook.getWorksheet('Learners')!;
    learners.getRow(2).values = ['T-1', 'GR-UP', addDays(today, -20), 'Gus', '', 'Hale', 9, 10, 'CA', 'A20007', '', '', '', 1];
    learners.getRow(2).commit();
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(coordinator, filled, '?consent=written', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.statusCode, response.body).toBe(202);
    expect((await finished(coordinator, response.json().id)).rows).toMatchObject({ done: 1, accepted: 1 });
    const csvTemplate = await coordinator.get('/api/v1/uploads/template.csv');
    expect(csvTemplate.body).toContain('Reference,Activity ID,Completion date,First name');
  });

  describe('rows to fix', () => {
    const reportOf = async (reportId: string | null) => (await coordinator.get(`/api/v1/learner-reports/${reportId}`)).json();
    const fixHeader = ['Reference', 'Activity ID', 'Completion date', 'First name', 'Last name', 'Date of birth', 'License state', 'License number', 'CME credits', 'Consent', 'Notes'];
    const sentOn = addDays(today, -5);
    const sent = [
      ['F-1', '', sentOn, 'Cyrus', 'Dunn', '04/05/1969', 'CA', 'A20003', '1', 'written', 'fine'],
      ['F-2', '', sentOn, 'Dee', 'Ekberg', '05/06/1970', 'CA', 'A20004', 'lots', 'written', ''],
      ['F-3', '', 'last week', 'Eva', 'Fox', '06/07/1969', 'CA', 'A20005', '1', 'written', ''],
    ];
    let uploadId: string;

    beforeAll(async () => {
      const rows = sent.map((cells) => cells.map((cell, index) => (fixHeader[index] === 'Activity ID' ? activityId : cell)));
      const response = await uploadForm(coordinator, 'march.csv', [fixHeader, ...rows].map((cells) => cells.join(',')).join('\r\n'));
      expect(response.statusCode, response.body).toBe(202);
      uploadId = response.json().id;
      expect((await finished(coordinator, uploadId)).rows).toMatchObject({ done: 3, accepted: 1, rejected: 2 });
    });

    it('writes them as a workbook with the template\'s drop-downs', async () => {
      const download = await coordinator.request({ method: 'GET', url: `/api/v1/uploads/${uploadId}/rows-to-fix?format=xlsx` });
      expect(download.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Rows to fix', 'Instructions']);
      const sheet = workbook.getWorksheet('Rows to fix')!;
      expect(sheet.rowCount).toBe(3);
      expect(sheet.getCell('C2').value).toBe('F-2');
      expect(String(sheet.getCell('A2').value)).toContain('AMA PRA Category 1 credits');
      const stateColumn = (sheet.getRow(1).values as string[]).indexOf('License state');
      expect(sheet.getRow(2).getCell(stateColumn).dataValidation).toMatchObject({ type: 'list' });
      expect(sheet.getCell('A2').alignment).toMatchObject({ wrapText: true });
    });

    it('are sent in the format the Accept header asks for when the address names none, the upload\'s own when it asks for neither in particular', async () => {
      const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const rowsToFix = (accept: string, query = '') => coordinator.request({ method: 'GET', url: `/api/v1/uploads/${uploadId}/rows-to-fix${query}`, headers: { accept } });
      const asked = await rowsToFix(xlsxType);
      expect(asked.statusCode).toBe(200);
      expect(asked.headers['content-type']).toBe(xlsxType);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(asked.rawPayload as unknown as ArrayBuffer);
      expect(workbook.getWorksheet('Rows to fix')?.getCell('C2').value).toBe('F-2');
      expect((await rowsToFix(xlsxType, '?format=csv')).headers['content-type']).toContain('text/csv');
      const refused = await rowsToFix('application/json');
      expect(refused.statusCode).toBe(406);
      expect(refused.json()).toMatchObject({ code: 'not_acceptable', detail: expect.stringContaining('?format=csv or ?format=xlsx') });
    });

    it('hands back the rejected rows with what to fix, which go in once corrected and replace the rejected reports', async () => {
      expect((await coordinator.get(`/api/v1/uploads/${uploadId}`)).json().rows).toMatchObject({ toFix: 2, stillToFix: 2 });
      const download = await coordinator.get(`/api/v1/uploads/${uploadId}/rows-to-fix`);
      expect(download.statusCode, download.body).toBe(200);
      // Named after the file sent, so that a folder of downloads tells them apart.
      expect(download.headers['content-disposition']).toBe(`attachment; filename="rows-to-fix-march-${uploadId.slice(0, 8)}.csv"`);
      expect((await coordinator.get(`/api/v1/uploads/${uploadId}/receipt?format=xlsx`)).headers['content-disposition']).toBe(`attachment; filename="receipt-march-${uploadId.slice(0, 8)}.xlsx"`);
      const [heading, ...rows] = parse(download.body, { bom: true }) as string[][];
      expect(heading.slice(0, 4)).toEqual(['What to fix', 'Row in the file sent', 'Reference', 'Activity ID']);
      expect(heading).not.toContain('Date of birth');
      const cell = (line: string[], name: string) => line[heading.indexOf(name)];
      expect(rows.map((line) => [cell(line, 'Row in the file sent'), cell(line, 'Reference'), cell(line, 'Birth month'), cell(line, 'Birth day')])).toEqual([
        ['3', 'F-2', '5', '6'],
        ['4', 'F-3', '6', '7'],
      ]);
      expect(cell(rows[0], 'What to fix')).toContain('AMA PRA Category 1 credits');
      expect(cell(rows[1], 'What to fix')).toContain('Completion date');
      // The birth year of "Date of birth" is never handed out.
      expect(download.body).not.toMatch(/1969|1970/);

      rows[0][heading.indexOf('AMA PRA Category 1 credits')] = '1.5';
      rows[1][heading.indexOf('Completion date')] = addDays(today, -6);
      const corrected = [heading, ...rows].map((cells) => cells.map((value) => `"${value.replaceAll('"', '""')}"`).join(',')).join('\r\n');
      const again = await uploadForm(coordinator, 'rows-to-fix.csv', corrected);
      expect(again.statusCode, again.body).toBe(202);
      const done = await finished(coordinator, again.json().id);
      // Nothing of it to fix: 0 still to fix, not unknown.
      expect(done.rows).toMatchObject({ done: 2, accepted: 2, rejected: 0, duplicates: 0, toFix: 0, stillToFix: 0 });
      // The columns of the hub's own are known: no notice about columns that are not used.
      expect(done.problems).toEqual([]);
      // The rejected reports the rows were kept as leave the reports to fix: the corrected rows replace them.
      const rejectedLines = (await lines(coordinator, uploadId)).filter((line) => line.status === 'rejected');
      expect(rows.map((line) => cell(line, 'Rejected report (leave as it is)'))).toEqual(rejectedLines.map((line) => line.reportId));
      for (const line of rejectedLines) {
        expect(await reportOf(line.reportId)).toMatchObject({ status: 'rejected', deletedAt: expect.any(String), deleteReason: `Corrected by rows-to-fix.csv (upload ${again.json().id})` });
      }
      const audit = await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'upload.rows_to_fix.read').execute();
      expect(audit.map((entry) => entry.entity_id)).toContain(uploadId);
      // Corrected, the rows are no longer to fix: the upload says so, and downloaded again, they would be sent twice.
      expect((await coordinator.get(`/api/v1/uploads/${uploadId}`)).json().rows).toMatchObject({ toFix: 2, stillToFix: 0 });
      const listed = (await coordinator.get('/api/v1/uploads?limit=100')).json().items.find((upload: { id: string }) => upload.id === uploadId);
      expect(listed.rows).toMatchObject({ toFix: 2, stillToFix: null });
      const afterwards = await coordinator.get(`/api/v1/uploads/${uploadId}/rows-to-fix`);
      expect(afterwards.statusCode).toBe(409);
      expect(afterwards.json()).toMatchObject({ code: 'rows_all_corrected', detail: expect.stringContaining('none is left to fix') });
      // Which became of each, its lines say.
      expect(afterwards.json().detail).toContain(`GET /api/v1/uploads/${uploadId}/rows?status=rejected`);
    });

    it('replaces only a rejected report of the provider, whatever the rejected report column holds', async () => {
      const accepted = (await lines(coordinator, uploadId)).find((line) => line.status === 'accepted')!;
      const [heading, line] = csv([row(doctors.gus, { Reference: 'not-a-fix' })]).split('\r\n');
      const sentFile = await uploadForm(coordinator, 'not-a-fix.csv', `${heading},Rejected report\r\n${line},${accepted.reportId}`);
      expect(sentFile.statusCode, sentFile.body).toBe(202);
      expect((await finished(coordinator, sentFile.json().id)).rows.done).toBe(1);
      expect(await reportOf(accepted.reportId)).toMatchObject({ status: 'accepted', deletedAt: null });

      // Another row's rejected report, beside a row it was not (a sheet sorted without its last column), stays to fix.
      const rejectedFile = await upload(coordinator, csv([row(doctors.ann, { Reference: 'kept-1', 'Birth month': '13' }), row(doctors.ben, { Reference: 'kept-2', 'Birth month': '14' })]));
      await finished(coordinator, rejectedFile.json().id);
      const [first, second] = await lines(coordinator, rejectedFile.json().id);
      const fixed = csv([row(doctors.ben, { Reference: 'kept-2' })]).split('\r\n');
      const sorted = await uploadForm(coordinator, 'sorted.csv', `${fixed[0]},Row in the file sent,Rejected report\r\n${fixed[1]},3,${first.reportId}`);
      await finished(coordinator, sorted.json().id);
      expect(await reportOf(first.reportId)).toMatchObject({ status: 'rejected', deletedAt: null });
      // Beside its own row, it is replaced.
      const fixedFirst = csv([row(doctors.ann, { Reference: 'kept-1' })]).split('\r\n');
      const own = await uploadForm(coordinator, 'own.csv', `${fixedFirst[0]},Row in the file sent,Rejected report\r\n${fixedFirst[1]},${first.rowNumber},${first.reportId}`);
      await finished(coordinator, own.json().id);
      expect(await reportOf(first.reportId)).toMatchObject({ deletedAt: expect.any(String) });
      expect(await reportOf(second.reportId)).toMatchObject({ status: 'rejected', deletedAt: null });
    });

    it('says why not while a file has none to give', async () => {
      const xml = await upload(machine, activityReportDocument(activityId, [doctors.gus]), '?consent=written', 'application/xml');
      await finished(machine, xml.json().id);
      const forXml = await machine.get(`/api/v1/uploads/${xml.json().id}/rows-to-fix`);
      expect(forXml.statusCode).toBe(409);
      expect(forXml.json()).toMatchObject({ code: 'rows_to_fix_not_for_xml', detail: expect.stringContaining('learning system') });

      // No row rejected, or only a learner's who did not consent: nothing to fix, and the answer says why.
      const clean = await upload(coordinator, csv([row(doctors.maria, { Reference: 'clean' })]));
      await finished(coordinator, clean.json().id);
      const none = await coordinator.get(`/api/v1/uploads/${clean.json().id}/rows-to-fix`);
      expect(none.statusCode).toBe(409);
      expect(none.json()).toMatchObject({ code: 'no_rows_to_fix', detail: 'No row of this upload was rejected: there is nothing to fix.' });
      const declined = await upload(coordinator, csv([row(doctors.ben, { Reference: 'declined', Consent: 'No' })]));
      await finished(coordinator, declined.json().id);
      const onlyDeclined = await coordinator.get(`/api/v1/uploads/${declined.json().id}/rows-to-fix`);
      expect(onlyDeclined.json()).toMatchObject({ code: 'no_rows_to_fix', detail: expect.stringContaining('did not consent') });

      // An upload taken in before the hub kept what its rejected rows were sent with.
      const old = await upload(coordinator, csv([row(doctors.ann, { Reference: 'before-kept', 'Birth month': '14' })]));
      await finished(coordinator, old.json().id);
      await t.db.updateTable('upload_rows').set({ sent_values: null }).where('upload_id', '=', old.json().id).execute();
      const before = await coordinator.get(`/api/v1/uploads/${old.json().id}/rows-to-fix`);
      expect(before.statusCode).toBe(410);
      expect(before.json()).toMatchObject({ code: 'rows_to_fix_gone', detail: expect.stringContaining('receipt still lists the rejected rows') });
    });

    it('are written from the receipt, without reading the file again', async () => {
      const response = await upload(coordinator, csv([row(doctors.ann, { Reference: 'no-file', 'Birth month': '13' })]));
      const done = await finished(coordinator, response.json().id);
      const stored = await t.db.selectFrom('uploads').select('storage_path').where('id', '=', done.id).executeTakeFirstOrThrow();
      fs.rmSync(path.join(t.hub.config.dataDir, 'uploads', stored.storage_path));
      const download = await coordinator.get(`/api/v1/uploads/${done.id}/rows-to-fix`);
      expect(download.statusCode, download.body).toBe(200);
      const [heading, line] = parse(download.body, { bom: true }) as string[][];
      expect(line[heading.indexOf('Reference')]).toBe('no-file');
      expect(line[heading.indexOf('Birth month')]).toBe('13');
      expect(line[heading.indexOf('What to fix')]).toContain('Birth month');
    });
  });

  it('deletes a file some days after its upload is done, and keeps the receipt', async () => {
    const response = await upload(coordinator, csv([row(doctors.ann, { Reference: 'kept', 'Birth month': '13' })]), '?fileName=old.csv');
    const done = await finished(coordinator, response.json().id);
    expect(done.rows).toMatchObject({ done: 1, rejected: 1 });
    const days = t.hub.config.uploadFileDays;
    expect(Date.parse(done.fileKeptUntil!) - Date.parse(done.finishedAt!)).toBe(days * 24 * 60 * 60 * 1000);
    const stored = await t.db.selectFrom('uploads').select('storage_path').where('id', '=', done.id).executeTakeFirstOrThrow();
    const file = path.join(t.hub.config.dataDir, 'uploads', stored.storage_path);

    expect(await removeExpiredUploadFiles(t.db, t.hub.config)).toBe(0);
    expect(fs.existsSync(file)).toBe(true);

    await t.db.updateTable('uploads').set({ finished_at: new Date(Date.now() - (days + 1) * 24 * 60 * 60 * 1000) }).where('id', '=', done.id).execute();
    // Two servers sweeping at once: the file goes, and its deletion is recorded once.
    const swept = await Promise.all([removeExpiredUploadFiles(t.db, t.hub.config), removeExpiredUploadFiles(t.db, t.hub.config)]);
    expect(Math.max(...swept)).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    const after: Upload = (await coordinator.get(`/api/v1/uploads/${done.id}`)).json();
    expect(after).toMatchObject({ fileKeptUntil: null, fileRemovedAt: expect.any(String) });
    const gone = await coordinator.get(`/api/v1/uploads/${done.id}/rows-to-fix`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().detail).toContain(`${days} days after the upload is done`);
    const kept = await t.db.selectFrom('upload_rows').select('sent_values').where('upload_id', '=', done.id).execute();
    expect(kept).toEqual([{ sent_values: null }]);
    // The receipt still names the row's learner, from its rejected report, which is kept.
    expect((await coordinator.get(`/api/v1/uploads/${done.id}/receipt`)).body).toContain(`kept,${doctors.ann.first} ${doctors.ann.last},GR-UP,${completed},rejected`);
    const audit = await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'upload.file.remove').execute();
    expect(audit.map((entry) => entry.entity_id)).toEqual([done.id]);
  });

  it('deletes the partial copy of a file whose sending a stopped server never finished, not one still being received', async () => {
    const incoming = path.join(t.hub.config.dataDir, 'uploads', 'incoming');
    fs.mkdirSync(incoming, { recursive: true });
    const abandoned = path.join(incoming, 'left-by-a-killed-server.part');
    const receiving = path.join(incoming, 'being-received.part');
    fs.writeFileSync(abandoned, 'Activity ID,First name\n');
    fs.writeFileSync(receiving, 'Activity ID,First name\n');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    fs.utimesSync(abandoned, twoDaysAgo, twoDaysAgo);
    expect(await removeAbandonedPartFiles(t.hub.config)).toBe(1);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(fs.existsSync(receiving)).toBe(true);
    fs.rmSync(receiving);
  });

  describe('what an upload request says', () => {
    const uploadCount = async () => (await machine.get('/api/v1/uploads?limit=500')).json().items.length as number;
    const incomingFiles = () => fs.readdirSync(path.join(t.hub.config.dataDir, 'uploads', 'incoming'));

    it('calls a file empty when it holds only a byte order mark and blank lines, as an empty sheet is saved', async () => {
      for (const empty of [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\ufeff\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x0d, 0x00, 0x0a, 0x00])]) {
        const response = await upload(coordinator, empty, '?consent=written&fileName=empty.csv');
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json()).toMatchObject({ code: 'empty_file', detail: expect.stringMatching(/^The file is empty\./) });
      }
      expect(incomingFiles()).toEqual([]);
    });

    it('takes the options as fields of the form, before the file or after it', async () => {
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent as a form', providerActivityId: 'FORM-UP' }));
      expect(created.statusCode, created.body).toBe(201);
      const formActivity: string = created.json().id;
      // As `curl -F file=@june.csv -F consent=written` sends it: the file first.
      const file = csv([row(doctors.dee, { 'Activity ID': formActivity, Consent: '' }), row(doctors.eva, { 'Activity ID': formActivity, Consent: '', Reference: 'R-2' })]);
      const after = await sendForm(machine, [{ name: 'file', fileName: 'june.csv', content: file }, { name: 'consent', content: 'written' }]);
      expect(after.statusCode, after.body).toBe(202);
      expect(after.json()).toMatchObject({ consent: 'written', fileName: 'june.csv' });
      expect((await finished(machine, after.json().id)).rows).toMatchObject({ done: 2, accepted: 2, rejected: 0 });

      const fields = [{ name: 'fileName', content: 'July export' }, { name: 'format', content: 'csv' }, { name: 'consent', content: 'implied' }];
      const before = await sendForm(machine, [...fields, { name: 'file', fileName: 'blob', content: csv([row(doctors.finn, { 'Activity ID': formActivity, Consent: '' })]) }]);
      expect(before.statusCode, before.body).toBe(202);
      expect(before.json()).toMatchObject({ consent: 'implied', fileName: 'July export', format: 'csv' });
      expect((await finished(machine, before.json().id)).rows).toMatchObject({ done: 1, accepted: 1 });
    });

    it('refuses a form with an option wrong, given twice or unknown, or with a second file, and keeps nothing of it', async () => {
      const uploads = await uploadCount();
      const file: FormPart = { name: 'file', fileName: 'refused.csv', content: csv([row(doctors.gus, { Reference: 'refused' })]) };
      const refusals: [FormPart[], string, string, string?][] = [
        [[file, { name: 'consent', content: 'yes' }], 'invalid_request', 'consent: The consent is written or implied'],
        [[file, { name: 'Consent', content: 'written' }], 'form_field_unknown', 'a field "Consent" that an upload does not take'],
        [[{ name: 'consent', content: 'written' }, file, { name: 'consent', content: 'written' }], 'form_field_repeated', 'gives "consent" more than once'],
        [[file, { name: 'consent', content: 'written' }], 'form_field_conflict', '"consent" is given twice, as "implied" in the address and "written" in the form', '?consent=implied'],
        [[file, { ...file, fileName: 'second.csv' }], 'form_several_files', 'send one file per upload'],
        [[{ name: 'file', content: 'Reference,Activity ID' }], 'file_required', 'holds text, not a file'],
      ];
      for (const [parts, code, says, query] of refusals) {
        const response = await sendForm(machine, parts, query);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json()).toMatchObject({ code });
        expect(response.json().detail).toContain(says);
      }
      expect(await uploadCount()).toBe(uploads);
      expect(incomingFiles()).toEqual([]);
    });

    it('refuses an option misspelt in the address, and a provider naming another provider, rather than dropping them', async () => {
      const uploads = await uploadCount();
      const providerOrgId = (await coordinator.get('/api/v1/me')).json().organization.id as string;
      const body = csv([row(doctors.gus, { Reference: 'misspelt' })]);
      const misspelt = await upload(machine, body, '?consent=written&filename=june.csv');
      expect(misspelt.statusCode, misspelt.body).toBe(400);
      expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: 'An upload takes no option "filename": its options are format, fileName, consent, dates, activity, completionDate and providerOrgId.' }));
      const other = (await t.db.selectFrom('organizations').select('id').where('kind', '=', 'provider').where('id', '<>', providerOrgId).executeTakeFirstOrThrow()).id;
      const elsewhere = await upload(machine, body, `?consent=written&providerOrgId=${other}`);
      expect(elsewhere.statusCode, elsewhere.body).toBe(403);
      expect(elsewhere.json()).toMatchObject({ code: 'not_your_provider', detail: expect.stringContaining('Your uploads are for your own organization') });
      // Named in the form's fields, after the file or before it, the same.
      for (const parts of [
        [{ name: 'file', fileName: 'elsewhere.csv', content: body }, { name: 'providerOrgId', content: other }],
        [{ name: 'providerOrgId', content: other }, { name: 'file', fileName: 'elsewhere.csv', content: body }],
      ] as FormPart[][]) {
        const inForm = await sendForm(machine, parts, '?consent=written');
        expect(inForm.statusCode, inForm.body).toBe(403);
      }
      expect(await uploadCount()).toBe(uploads);
      // Its own organization, named, is fine.
      expect((await upload(machine, body, `?consent=written&providerOrgId=${providerOrgId}`)).statusCode).toBe(202);
      // A board's key, sent by mistake, hears what it is, rather than "no such provider".
      const boardAdmin = await login(t.app, demoLogins.boardAdmin, demoPassword);
      const board = (await boardAdmin.get('/api/v1/me')).json().organization.id as string;
      const boardKey = (await boardAdmin.post(`/api/v1/organizations/${board}/api-keys`, { name: 'roster loads' })).json().key as string;
      const fromBoard = await upload(withApiKey(t.app, boardKey), csv([row(doctors.gus, { Reference: 'board' })]), '?consent=written');
      expect(fromBoard.statusCode, fromBoard.body).toBe(403);
      expect(fromBoard.json().detail).toContain("Uploads are a provider's, and this API key or login is not a provider's");
      expect(await uploadCount()).toBe(uploads + 1);
      const reportFromBoard = await withApiKey(t.app, boardKey).get('/api/v1/learner-reports');
      expect(reportFromBoard.statusCode, reportFromBoard.body).toBe(403);
      expect(reportFromBoard.json().detail).toContain("Learner reports are a provider's");
    });

    it('answers a form it cannot read with a 400 that says what is wrong with it', async () => {
      const send = (contentType: string, body: string) => machine.request({ method: 'POST', url: '/api/v1/uploads', payload: body, headers: { 'content-type': contentType } });
      const noBoundary = await send('multipart/form-data', 'garbage');
      expect(noBoundary.statusCode, noBoundary.body).toBe(400);
      expect(noBoundary.json()).toMatchObject({ code: 'form_boundary_missing', detail: expect.stringContaining('names no boundary') });
      const garbage = await send('multipart/form-data; boundary=xyz', 'garbage');
      expect(garbage.statusCode, garbage.body).toBe(400);
      expect(garbage.json()).toMatchObject({ code: 'form_incomplete', detail: expect.stringContaining('closing boundary is missing') });
      const longBoundary = await send(`multipart/form-data; boundary=${'x'.repeat(300)}`, 'garbage');
      expect(longBoundary.json()).toMatchObject({ status: 400, code: 'form_boundary_invalid' });
      const cutShort = `--xyz\r\nContent-Disposition: form-data; name="file"; filename="june.csv"\r\n\r\n${csv([row(doctors.gus, { Reference: 'cut short' })])}`;
      const broken = await send('multipart/form-data; boundary=xyz', cutShort);
      expect(broken.json()).toMatchObject({ status: 400, code: 'form_incomplete' });
      expect(incomingFiles()).toEqual([]);
    });

    it('says which content types it takes, and refuses a compressed body', async () => {
      const file = csv([row(doctors.gus, { Reference: 'content types' })]);
      const untyped = await machine.request({ method: 'POST', url: '/api/v1/uploads', payload: file });
      expect(untyped.statusCode, untyped.body).toBe(415);
      expect(untyped.json().detail).toMatch(/^The request has no Content-Type: send one of multipart\/form-data, text\/csv, .*application\/xml/);
      const json = await upload(machine, file, '', 'application/json');
      expect(json.statusCode, json.body).toBe(415);
      expect(json.json().detail).toMatch(/^The content type application\/json is not accepted here: send one of multipart\/form-data, text\/csv/);
      // A file of a kind the hub does not read, sent under its own type, is told what it is and what to send instead.
      const spreadsheet = await upload(machine, Buffer.from('PK\x03\x04'), '', 'application/vnd.oasis.opendocument.spreadsheet');
      expect(spreadsheet.statusCode).toBe(415);
      expect(spreadsheet.json().detail).toMatch(
        /^Sent as application\/vnd\.oasis\.opendocument\.spreadsheet: This is an OpenDocument file \(LibreOffice or OpenOffice: \.ods, \.odt\), which the hub does not read\. Save a spreadsheet as "Excel 2007-365 \(\.xlsx\)" or as CSV/,
      );
      // Only the type says so, its bytes unread: a script labelling every file so is told how to label a CSV file.
      const printout = await upload(machine, file, '', 'application/pdf');
      expect(printout.json().detail).toMatch(/^Sent as application\/pdf: The file is a PDF document.* If the file is a CSV file, a workbook or an XML file after all, send it with its own type: multipart\/form-data, text\/csv, .*application\/xml, .*\.$/);
      const gzipped = await machine.request({ method: 'POST', url: '/api/v1/uploads', payload: zlib.gzipSync(file), headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' } });
      expect(gzipped.statusCode, gzipped.body).toBe(415);
      expect(gzipped.json().detail).toContain('Send the file uncompressed');
      expect(gzipped.headers['accept-encoding']).toBe('identity');
    });

    it('lets the operator upload for a provider named by its 7-digit provider ID, and only for a provider', async () => {
      const operator = await login(t.app, demoLogins.operator, demoPassword);
      const demoProvider = (await coordinator.get('/api/v1/me')).json().organization.id;
      const board = (await operator.get('/api/v1/organizations?kind=licensing_board&limit=1')).json().items[0];
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent by the operator', providerActivityId: 'OPERATOR-UP' }));
      expect(created.statusCode, created.body).toBe(201);
      const file = csv([row(doctors.ben, { 'Activity ID': created.json().id })]);
      const forBoard = await upload(operator, file, `?providerOrgId=${board.id}`);
      expect(forBoard.statusCode, forBoard.body).toBe(400);
      expect(forBoard.json()).toMatchObject({ code: 'not_a_provider', problems: [{ field: 'providerOrgId' }] });
      expect((await upload(operator, file)).json().code).toBe('provider_required');

      const sent = await upload(operator, file, '?providerOrgId=1234567&consent=written');
      expect(sent.statusCode, sent.body).toBe(202);
      expect(sent.json().providerOrgId).toBe(demoProvider);
      // Named after the file in a form, the provider is known once the file is in.
      const again = await sendForm(operator, [{ name: 'file', fileName: 'again.csv', content: file }, { name: 'providerOrgId', content: '1234567' }]);
      expect(again.json()).toMatchObject({ id: sent.json().id, alreadyUploaded: true });
      const notAProvider = await sendForm(operator, [{ name: 'file', fileName: 'again.csv', content: file }, { name: 'providerOrgId', content: board.id }]);
      expect(notAProvider.json()).toMatchObject({ status: 400, code: 'not_a_provider' });
      expect(incomingFiles()).toEqual([]);
      await finished(operator, sent.json().id);
      // The list of one provider's uploads names the provider either way; a provider naming another is refused.
      for (const named of ['1234567', demoProvider]) {
        const listed = await operator.get(`/api/v1/uploads?providerOrgId=${named}&limit=100`);
        expect(listed.statusCode, listed.body).toBe(200);
        const providers = new Set((listed.json().items as { providerOrgId: string }[]).map((item) => item.providerOrgId));
        expect([...providers]).toEqual([demoProvider]);
      }
      expect((await coordinator.get('/api/v1/uploads?providerOrgId=1234567')).statusCode).toBe(200);
      expect((await coordinator.get(`/api/v1/uploads?providerOrgId=${board.id}`)).statusCode).toBe(403);
    });
  });

  describe('files that cannot be taken', () => {
    it('names the missing columns', async () => {
      const response = await upload(machine, 'First name,Shoe size\nMaria,7\n');
      expect(response.statusCode).toBe(422);
      const problem = response.json();
      expect(problem.code).toBe('file_header_invalid');
      expect(problem.problems.map((item: { message: string }) => item.message).join(' ')).toContain('"Activity ID"');
    });

    it('refuses empty files, headers without rows, old Excel files, workbooks with a password and DOCTYPEs', async () => {
      expect((await upload(machine, '')).statusCode).toBe(400);
      expect((await upload(machine, `${header.join(',')}\r\n`)).json().code).toBe('file_without_rows');
      const xls = compoundFile(['Workbook']);
      const oldExcel = await upload(machine, xls, '', 'application/vnd.ms-excel');
      expect(oldExcel.statusCode).toBe(415);
      expect(oldExcel.json().detail).toContain('.xls');
      // What Excel writes for a workbook saved with a password: a compound file holding the encrypted workbook.
      const locked = await uploadForm(machine, 'completions.xlsx', compoundFile(['EncryptionInfo', 'EncryptedPackage']));
      expect(locked.statusCode).toBe(415);
      expect(locked.json().detail).toContain('protected with a password');
      const doctype = await upload(machine, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ActivityReports/>', '', 'application/xml');
      expect(doctype.statusCode).toBe(422);
      expect(doctype.json().detail).toContain('DOCTYPE');
    });

    it('refuses a file past the byte limit with a clear message', async () => {
      const small = await createTestApp({ config: { maxUploadBytes: 1000 }, demo: true });
      try {
        const session = await login(small.app, demoLogins.providerAdmin, demoPassword);
        const response = await uploadForm(session, 'big.csv', csv(Array.from({ length: 40 }, () => row(doctors.maria))));
        expect(response.statusCode).toBe(413);
        expect(response.json().detail).toMatch(/larger than the limit of 1000 bytes/);
        const raw = await upload(session, csv(Array.from({ length: 40 }, () => row(doctors.maria))));
        expect(raw.statusCode).toBe(413);
      } finally {
        await small.close();
      }
    });

    it('stops at the row limit and says how far it got', async () => {
      const small = await createTestApp({ config: { maxUploadRows: 3 }, demo: true });
      const smallWorker = startUploadWorker({ db: small.db, config: small.hub.config, databaseKind: small.database.kind, chunkSize: 2, pollMs: 50 });
      try {
        const session = await login(small.app, demoLogins.providerAdmin, demoPassword);
        const far = await upload(session, csv(Array.from({ length: 10 }, () => row(doctors.maria))));
        expect(far.statusCode).toBe(413);
        // A hub of its own: its rows name an activity of its own.
        const local = await session.post('/api/v1/activities', openActivity({ title: 'Row limit', providerActivityId: 'ROW-LIMIT' }));
        expect(local.statusCode, local.body).toBe(201);
        const near = await upload(session, csv(Array.from({ length: 5 }, (_, index) => row(doctors.maria, { Reference: `N-${index}`, 'Activity ID': local.json().id }))));
        expect(near.statusCode, near.body).toBe(202);
        await smallWorker.idle();
        const done: Upload = (await session.get(`/api/v1/uploads/${near.json().id}`)).json();
        expect(done.status).toBe('failed');
        expect(done.error?.message).toMatch(/more than 3 rows.*The 3 rows before it, up to row 4, were taken in and are in the receipt: send the rows after row 4 in another file\./);
        expect(done.rows.done).toBe(3);
      } finally {
        await smallWorker.stop();
        await small.close();
      }
    });
  });

  it('withdraws a file sent by mistake: the reports it took in are deleted with the reason, not those on file before it', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent by mistake', providerActivityId: 'WD-UP' }));
    expect(created.statusCode, created.body).toBe(201);
    const wrongActivity = created.json().id as string;
    const earlier = await upload(machine, csv([row(doctors.maria, { 'Activity ID': wrongActivity, Reference: 'earlier' })]));
    expect((await finished(machine, earlier.json().id)).rows.accepted).toBe(1);
    const mistakeFile = csv([
      row(doctors.maria, { 'Activity ID': wrongActivity, Reference: 'on file' }),
      row(doctors.ben, { 'Activity ID': wrongActivity, Reference: 'new' }),
      row(doctors.jose, { 'Activity ID': wrongActivity, Reference: 'unreadable', 'Completion date': 'soon' }),
    ]);
    const mistake = await upload(machine, mistakeFile);
    const id = mistake.json().id as string;
    expect(await finished(machine, id)).toMatchObject({ rows: { done: 3, accepted: 1, rejected: 1, duplicates: 1 } });
    const [onFile, taken, rejected] = await lines(coordinator, id);
    const report = async (reportId: string | null) => (await coordinator.get(`/api/v1/learner-reports/${reportId}`)).json();

    // Said before it is asked for: the two reports the file took in, not the one on file its repeat pointed to.
    const preview = await coordinator.get(`/api/v1/uploads/${id}/withdrawal-preview`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({ reportsToDelete: 2, reportsKept: 0, rejectedToFixAgain: 0 });
    expect((await otherProvider.get(`/api/v1/uploads/${id}/withdrawal-preview`)).statusCode).toBe(404);
    const reason = 'Sent for the wrong activity';
    const asked = await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason });
    expect(asked.statusCode, asked.body).toBe(202);
    expect((asked.json() as Upload).withdrawal).toMatchObject({ status: 'withdrawing', at: null, by: demoLogins.providerAdmin, reason, reports: 0, reportsToDelete: 2 });
    const withdrawn = await finished(coordinator, id);
    expect(withdrawn.withdrawal).toMatchObject({ status: 'withdrawn', at: expect.any(String), by: demoLogins.providerAdmin, reason, reports: 2 });
    expect((await coordinator.get(`/api/v1/uploads/${id}/withdrawal-preview`)).json()).toMatchObject({ code: 'upload_withdrawn' });
    expect(await report(taken.reportId)).toMatchObject({ deletedAt: expect.any(String), deleteReason: reason });
    expect(await report(rejected.reportId)).toMatchObject({ deletedAt: expect.any(String), deleteReason: reason });
    // The repeated row pointed to the earlier upload's report, which stays.
    expect(await report(onFile.reportId)).toMatchObject({ deletedAt: null, uploadId: earlier.json().id });

    // Asked again (another tab), the withdrawal asked for stands, and the answer says nothing new began; a reason is required.
    const again = await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason: 'Another reason' });
    expect(again.statusCode).toBe(200);
    expect((again.json() as Upload).withdrawal).toEqual(withdrawn.withdrawal);
    expect((await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason: '' })).statusCode).toBe(400);
    expect((await otherProvider.post(`/api/v1/uploads/${id}/withdraw`, { reason })).statusCode).toBe(404);
    // The receipt, read later, says so.
    const receipt = await coordinator.get(`/api/v1/uploads/${id}/receipt?format=xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const withdrawnSummary = workbook.getWorksheet('Summary')!.getColumn(1).values.map(String);
    expect(withdrawnSummary).toContainEqual(
      expect.stringMatching(/^Withdrawn .* by coordinator@demo-provider\.org: the 2 reports this file took in were deleted\. Reason: Sent for the wrong activity$/),
    );
    // Nothing it took in stays: its rejected row is no row to fix, but what was wrong, to correct before sending it again whole.
    expect(withdrawnSummary).toContain('Its accepted and pending rows were deleted too: once corrected, the file may be sent again whole.');
    expect(withdrawnSummary).toContain('What was wrong, most common first:');
    expect(withdrawnSummary.filter((line) => line.startsWith('What to fix'))).toEqual([]);
    // Withdrawn by mistake after all: the same file goes in again, as a new upload.
    const resent = await upload(machine, mistakeFile);
    expect(resent.statusCode, resent.body).toBe(202);
    expect(resent.json()).toMatchObject({ alreadyUploaded: false });
    expect(resent.json().id).not.toBe(id);
    expect(await finished(machine, resent.json().id)).toMatchObject({ status: 'finished', rows: { done: 3, accepted: 1, rejected: 1, duplicates: 1 } });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_id', '=', id).execute();
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'upload.withdraw', actor_label: demoLogins.providerAdmin }),
      expect.objectContaining({ action: 'upload.withdrawn', actor_label: demoLogins.providerAdmin }),
    ]));
    // Each deletion is the coordinator's who asked, though the worker carried it out.
    const deletions = await t.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'learner_report.delete').where('entity_id', '=', taken.reportId!).execute();
    expect(deletions).toEqual([{ actor_label: demoLogins.providerAdmin }]);
  });

  it('leaves on file, as the later upload\'s, a report that a later upload sent again, when the first upload is withdrawn', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Sent twice', providerActivityId: 'WD-TWICE' }));
    expect(created.statusCode, created.body).toBe(201);
    const activity = created.json().id as string;
    const first = await upload(machine, csv([row(doctors.maria, { 'Activity ID': activity, Reference: 'first-maria' }), row(doctors.ben, { 'Activity ID': activity, Reference: 'first-ben' })]));
    expect((await finished(machine, first.json().id)).rows).toMatchObject({ done: 2, duplicates: 0 });
    const later = await upload(machine, csv([row(doctors.gus, { 'Activity ID': activity, Reference: 'later-gus' }), row(doctors.maria, { 'Activity ID': activity, Reference: 'later-maria' })]));
    const laterId = later.json().id as string;
    const laterBefore = (await finished(machine, laterId)).rows;
    expect(laterBefore).toMatchObject({ done: 2, duplicates: 1 });
    const [, repeat] = await lines(coordinator, laterId);
    expect(repeat).toMatchObject({ reference: 'later-maria', duplicate: true, problems: [expect.objectContaining({ code: 'already_on_file' })] });

    // Said before it is asked for: Ben's report goes; Maria's, sent again by the later upload, stays.
    expect((await coordinator.get(`/api/v1/uploads/${first.json().id}/withdrawal-preview`)).json()).toEqual({ reportsToDelete: 1, reportsKept: 1, rejectedToFixAgain: 0 });
    const asked = await coordinator.post(`/api/v1/uploads/${first.json().id}/withdraw`, { reason: 'Sent for the wrong month' });
    expect(asked.statusCode, asked.body).toBe(202);
    expect((await finished(coordinator, first.json().id)).withdrawal).toMatchObject({ status: 'withdrawn', reports: 1, kept: 1 });
    // Maria's completion stays on file, now as the later upload's row 3; Ben's, sent only by the first file, goes.
    const maria = (await coordinator.get(`/api/v1/learner-reports/${repeat.reportId}`)).json();
    expect(maria).toMatchObject({ deletedAt: null, uploadId: laterId });
    const laterNow = await finished(machine, laterId);
    expect(laterNow.rows).toEqual({ ...laterBefore, accepted: laterBefore.accepted + 1, duplicates: 0 });
    expect((await lines(coordinator, laterId))[1]).toMatchObject({ reference: 'later-maria', duplicate: false, status: 'accepted', problems: [] });
    const handedOver = await t.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'learner_report.handed_over').where('entity_id', '=', repeat.reportId!).execute();
    expect(handedOver).toEqual([{ actor_label: demoLogins.providerAdmin }]);

    // Withdrawn in turn, the later upload takes it with it.
    expect((await coordinator.post(`/api/v1/uploads/${laterId}/withdraw`, { reason: 'Also the wrong month' })).statusCode).toBe(202);
    expect((await finished(coordinator, laterId)).withdrawal).toMatchObject({ status: 'withdrawn', reports: 2 });
    expect((await coordinator.get(`/api/v1/learner-reports/${repeat.reportId}`)).json()).toMatchObject({ deletedAt: expect.any(String) });
  });

  it('shows another provider\'s upload as not found', async () => {
    const mine = (await coordinator.get('/api/v1/uploads')).json().items[0] as Upload;
    for (const url of [`/api/v1/uploads/${mine.id}`, `/api/v1/uploads/${mine.id}/rows`, `/api/v1/uploads/${mine.id}/receipt`, `/api/v1/uploads/${mine.id}/rows-to-fix`]) {
      expect((await otherProvider.get(url)).statusCode).toBe(404);
    }
    expect((await otherProvider.post(`/api/v1/uploads/${mine.id}/stop`)).statusCode).toBe(404);
    expect((await otherProvider.get('/api/v1/uploads')).json().items).toEqual([]);
  });

  it('names on a receipt line no activity of another provider\'s, though a row gives that activity\'s hub ID', async () => {
    const theirs = await otherProvider.post('/api/v1/activities', openActivity({ title: 'Northside only', providerActivityId: 'NS-OWN-ID' }));
    expect(theirs.statusCode, theirs.body).toBe(201);
    const hubId = theirs.json().id as string;
    const sent = await uploadForm(coordinator, 'their-id.csv', csv([row(doctors.ann, { Reference: 'MINE-1' }), row(doctors.ben, { Reference: 'THEIRS-1', 'Activity ID': hubId })]));
    expect(sent.statusCode, sent.body).toBe(202);
    await finished(coordinator, sent.json().id);
    const line = (await lines(coordinator, sent.json().id)).find((each) => each.reference === 'THEIRS-1') as Line & { activity: string | null };
    expect(line).toMatchObject({ status: 'rejected', problems: [expect.objectContaining({ code: 'activity_not_found' })] });
    // As the row gave it: the other provider's own ID for it is theirs alone.
    expect(line.activity).toBe(hubId);
  });
});
