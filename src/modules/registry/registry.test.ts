import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { systemContext } from '../../http/actor.ts';
import { onRegistryChange, type RegistryChange } from './registry.events.ts';
import { findBoardScope, findCoveredPersons, insertLoad } from './registry.repository.ts';
import { createRegistryService } from './registry.service.ts';
import { cutOffAfterSeconds } from './roster-loads-cut-off.ts';
import { runningRosterLoads } from './running-loads.ts';
import { uploadsDirectory } from '../uploads/upload-storage.ts';
import { formBody, incomingFiles } from '../../../test/form-body.ts';
import type { FormPart } from '../../../test/form-body.ts';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';

const header = 'License number,License type,Status,First name,Middle name,Last name,Birth month,Birth day,NPI,Issue date,Expiry date';

function csv(...rows: string[]): string {
  return [header, ...rows].join('\r\n');
}

let t: TestApp;
let board: Session;
let boardId: string;

async function upload(body: string | Buffer, query = '') {
  return board.request({
    method: 'POST', url: `/api/v1/boards/${boardId}/roster${query}`, payload: body, headers: { 'content-type': 'text/csv' },
  });
}

type RosterLoad = { id: string; status: string; rowsRead: number; failure: string | null } & Record<string, unknown>;

/** The load once it has ended, followed as the roster page follows it. */
async function finishedLoad(loadId: string, session = board, organizationId = boardId): Promise<RosterLoad> {
  for (;;) {
    const load: RosterLoad = (await session.get(`/api/v1/boards/${organizationId}/roster/loads/${loadId}`)).json();
    if (load.status !== 'running') return load;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends a roster as a board's page does: `202` with the load begun, at its address; then its end. */
async function loaded(body: string | Buffer, query = ''): Promise<RosterLoad> {
  const response = await upload(body, query);
  expect(response.statusCode, response.body).toBe(202);
  expect(response.json()).toMatchObject({ status: 'running' });
  expect(response.headers.location).toBe(`/api/v1/boards/${boardId}/roster/loads/${response.json().id}`);
  return finishedLoad(response.json().id);
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  board = await login(t.app, demoLogins.boardAdmin, demoPassword);
  const me = await board.get('/api/v1/me');
  boardId = me.json().organization?.id ?? me.json().organizationId;
});
afterAll(async () => t?.close());

describe('licensee roster upload', () => {
  it('creates licenses and persons, and rejects bad rows with a reason per problem', async () => {
    const load = await loaded(csv(
      'T12345,MD,Active,Robert,James,Smith,3,14,1928374655,2010-06-01,2027-03-31',
      'T 022222,,active,Nadia,,Quist,11,2,,06/15/2015,',
      'T33333,DO,Active,Wrong,,Board,1,1,,,',
      'T44444,MD,Sleeping,Ann,,Lee,2,30,123,,',
    ));
    expect(load).toMatchObject({ kind: 'licenses', status: 'completed', rowsRead: 4, created: 2, rejected: 2 });

    const receipt = await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`);
    expect(receipt.statusCode).toBe(200);
    const lines = receipt.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Row,License number or ID,Outcome,Problems,Problem codes');
    expect(lines[1]).toMatch(/^2,T12345,created,,$/);
    expect(lines[3]).toContain('license_type_other_board');
    expect(lines[4]).toContain('status_invalid');
    expect(lines[4]).toContain('birth_date_invalid');
    expect(lines[4]).toContain('npi_format');

    // As a script asks for it: by the Accept header, or by ?format=, an option misspelt refused.
    const receiptAt = (query: string, accept?: string) =>
      board.request({ method: 'GET', url: `/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt${query}`, headers: accept ? { accept } : {} });
    const workbook = await receiptAt('', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(workbook.headers['content-type']).toContain('spreadsheetml');
    expect(workbook.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await receiptAt('', 'application/json')).statusCode).toBe(406);
    expect((await receiptAt('?format=xlsx', 'text/csv')).headers['content-type']).toContain('spreadsheetml');
    const misspelt = await receiptAt('?formt=xlsx');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems[0].message).toContain('"formt"');
  });

  it('updates on re-upload, keeps the former name, and a full roster makes absent licenses inactive', async () => {
    const othersActive = await t.db.selectFrom('licenses').select('id')
      .where('jurisdiction', '=', 'CA').where('status', '=', 'active').where('number_key', '!=', 'T12345').execute();
    const load = await loaded(csv('T12345,MD,Active,Robert,James,Walker,3,14,1928374655,2010-06-01,2027-03-31'), '?full=true');
    expect(load).toMatchObject({ updated: 1, created: 0, deactivated: othersActive.length });
    const licenses = await t.db.selectFrom('licenses').select(['number_key', 'status'])
      .where('number_key', 'like', 'T%').orderBy('number_key').execute();
    expect(licenses).toEqual([{ number_key: 'T12345', status: 'active' }, { number_key: 'T22222', status: 'inactive' }]);
    const formerNames = await t.db.selectFrom('person_names').select('last_name').execute();
    expect(formerNames.map((n) => n.last_name)).toContain('Smith');

    const again = await loaded(csv('T12345,MD,Active,Robert,James,Walker,3,14,1928374655,2010-06-01,2027-03-31'));
    expect(again).toMatchObject({ unchanged: 1, updated: 0, created: 0 });
  });

  it.each([1, 1000])('loads a license listed twice once, and says so on the repeated row (chunks of %i rows)', async (chunkSize) => {
    const registry = createRegistryService({ database: t.database, chunkSize });
    const number = `T7${chunkSize}`;
    const file = csv(`${number},MD,Active,Iris,,Vale,2,2,,,`, `${number.replace('T', 'T-0')},MD,Expired,Iris,,Vale,2,2,,,`);
    const load = await registry.loadRoster(systemContext(), boardId, { source: Readable.from([file]), format: 'csv', fileName: null }, { fullRoster: false });
    expect(load).toMatchObject({ created: 1, rejected: 1 });
    const rows = await t.db.selectFrom('roster_load_rows').select(['row_number', 'identifier', 'outcome', 'problems']).where('load_id', '=', load.id).orderBy('row_number').execute();
    expect(rows.map((row) => row.outcome)).toEqual(['created', 'rejected']);
    expect(JSON.stringify(rows[1].problems)).toContain('duplicate_row');
    // The receipt line names the license the repeated row gave, as it gave it, whichever chunk it fell in.
    expect(rows[1].identifier).toBe(number.replace('T', 'T-0'));
    const license = await t.db.selectFrom('licenses').select('status').where('number_key', '=', number).executeTakeFirstOrThrow();
    expect(license.status).toBe('active');
  });

  it('gives a row a license or NPI on file only when it is their physician, never renaming another by a mistyped number', async () => {
    // A board of its own, whose licensees no other test's full roster counts.
    const iowa = await t.db.insertInto('organizations')
      .values({ kind: 'licensing_board', name: 'Iowa Board of Medicine', jurisdiction: 'IA', board_type: 'combined' })
      .returning('id').executeTakeFirstOrThrow();
    const maria = await t.db.selectFrom('persons').select(['id', 'first_name', 'last_name', 'birth_month', 'birth_day']).where('npi', '=', '1234567893').executeTakeFirstOrThrow();
    const registry = createRegistryService({ database: t.database });
    const file = csv(
      // Another physician's row, its NPI mistyped as the demo physician's.
      'MD991001,MD,Active,Gil,,Gray,3,3,1234567893,,',
      // The demo physician's license in Iowa, under her married name.
      'MD991002,MD,Active,Maria,E,Lopez-Hart,3,14,1234567893,,',
    );
    const load = await registry.loadRoster(systemContext(), iowa.id, { source: Readable.from([file]), format: 'csv', fileName: null }, { fullRoster: false });
    expect(load).toMatchObject({ created: 2, rejected: 0 });
    const holders = await t.db.selectFrom('licenses').innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['licenses.license_number', 'persons.id', 'persons.npi']).where('licenses.jurisdiction', '=', 'IA').orderBy('licenses.license_number').execute();
    expect(holders[0]).toMatchObject({ license_number: 'MD991001', npi: null });
    expect(holders[0].id).not.toBe(maria.id);
    expect(holders[1]).toMatchObject({ license_number: 'MD991002', id: maria.id });
    const rows = await t.db.selectFrom('roster_load_rows').select('problems').where('load_id', '=', load.id).orderBy('row_number').execute();
    expect(JSON.stringify(rows[0].problems)).toContain('npi_other_person');
    // Her birthday stands; her name is the board's latest, the former one kept.
    expect(await t.db.selectFrom('persons').select(['last_name', 'birth_month', 'birth_day']).where('id', '=', maria.id).executeTakeFirstOrThrow()).toEqual({ last_name: 'Lopez-Hart', birth_month: 3, birth_day: 14 });

    // A license on file, given on a row of another birthday and no name in common with its holder: a number mistyped
    // as another's. Refused, rather than renaming her; a birthday corrected alone, or a name alone, goes in.
    const again = await registry.loadRoster(systemContext(), iowa.id, {
      source: Readable.from([csv('MD991002,MD,Active,Gil,,Gray,3,3,,,', 'MD991001,MD,Active,Gil,,Gray,4,4,,,')]), format: 'csv', fileName: null,
    }, { fullRoster: false });
    expect(again).toMatchObject({ rejected: 1, updated: 1 });
    const againRows = await t.db.selectFrom('roster_load_rows').select(['outcome', 'problems']).where('load_id', '=', again.id).orderBy('row_number').execute();
    expect(againRows[0].outcome).toBe('rejected');
    expect(JSON.stringify(againRows[0].problems)).toContain('This license is on file for another physician: another birthday, and no name in common');
    expect(await t.db.selectFrom('persons').select(['first_name', 'last_name', 'birth_month']).where('id', '=', maria.id).executeTakeFirstOrThrow()).toEqual({ first_name: 'Maria', last_name: 'Lopez-Hart', birth_month: 3 });
    expect(await t.db.selectFrom('persons').select('birth_month').where('id', '=', holders[0].id).executeTakeFirstOrThrow()).toEqual({ birth_month: 4 });

    // One NPI new to the registry on rows of two physicians: the first row's; on two rows of one physician, one person.
    const shared = await registry.loadRoster(systemContext(), iowa.id, {
      source: Readable.from([csv('MD991003,MD,Active,Ivy,,Ames,5,5,1991000005,,', 'MD991004,MD,Active,Jon,,Best,6,6,1991000005,,', 'MD991005,MD,Active,Kim,,Cole,7,7,1991000013,,', 'MD991006,MD,Active,Kim,,Cole,7,7,1991000013,,')]),
      format: 'csv', fileName: null,
    }, { fullRoster: false });
    expect(shared).toMatchObject({ created: 4, rejected: 0 });
    const sharedHolders = await t.db.selectFrom('licenses').innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['licenses.license_number', 'persons.id', 'persons.last_name', 'persons.npi']).where('licenses.license_number', 'in', ['MD991003', 'MD991004', 'MD991005', 'MD991006'])
      .orderBy('licenses.license_number').execute();
    expect(sharedHolders.map(({ license_number, last_name, npi }) => [license_number, last_name, npi])).toEqual([
      ['MD991003', 'Ames', '1991000005'], ['MD991004', 'Best', null], ['MD991005', 'Cole', '1991000013'], ['MD991006', 'Cole', '1991000013'],
    ]);
    expect(sharedHolders[2].id).toBe(sharedHolders[3].id);
    const sharedRows = await t.db.selectFrom('roster_load_rows').select('problems').where('load_id', '=', shared.id).orderBy('row_number').execute();
    expect(sharedRows.map((row) => JSON.stringify(row.problems ?? []).includes('npi_other_person'))).toEqual([false, true, false, false]);
  });

  it('has the planner count the licensees a roster adds from its first thousand rows, as PGlite has no autovacuum to', async () => {
    // A board of its own, whose licensees no other test's full roster counts.
    const nevada = await t.db.insertInto('organizations')
      .values({ kind: 'licensing_board', name: 'Nevada State Board of Medical Examiners', jurisdiction: 'NV', board_type: 'combined' })
      .returning('id').executeTakeFirstOrThrow();
    const registry = createRegistryService({ database: t.database, chunkSize: 500 });
    const rows = Array.from({ length: 3_000 }, (_, index) => `P${100_000 + index},MD,Active,Pat${index},,Counted,3,3,,,`);
    const load = await registry.loadRoster(systemContext(), nevada.id, { source: Readable.from([csv(...rows)]), format: 'csv', fileName: null }, { fullRoster: false });
    expect(load).toMatchObject({ created: 3_000, rejected: 0 });
    // Counted as last analyzed: with "a few licenses" on file, each chunk's look-up of those on file reads far more than it finds.
    const counted = await sql<{ relname: string; reltuples: number }>`select relname, reltuples::float8 as reltuples from pg_class
      where relname in ('licenses', 'persons', 'roster_load_rows') and relnamespace = to_regnamespace(current_schema()) order by relname`.execute(t.db);
    expect(counted.rows.map((table) => table.relname)).toEqual(['licenses', 'persons', 'roster_load_rows']);
    for (const table of counted.rows) expect(table.reltuples, table.relname).toBeGreaterThanOrEqual(1_000);
  });

  it('accepts a multipart form upload', async () => {
    const boundary = 'rosterboundary';
    const body = [
      `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="roster.csv"', 'Content-Type: text/csv', '',
      csv('T55555,MD,Active,Chen,,Wu,5,5,,,'), `--${boundary}--`, '',
    ].join('\r\n');
    const response = await board.request({
      method: 'POST', url: `/api/v1/boards/${boardId}/roster`, payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(await finishedLoad(response.json().id)).toMatchObject({ status: 'completed', created: 1, fileName: 'roster.csv' });
    // The file was kept on the server's disk while it was loaded, for a load cut off to begin again from; then deleted.
    const { kept_file: kept } = await t.db.selectFrom('roster_loads').select('kept_file').where('id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(kept).toMatch(new RegExp(`^${t.hub.config.dataDir}/`));
    await expect.poll(() => fs.existsSync(kept!)).toBe(false);
  });

  describe('sent in a multipart form', () => {
    const sendForm = (parts: FormPart[], query = '') => board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster${query}`, ...formBody(parts) });
    const loadsOf = (...fileNames: string[]) => t.db.selectFrom('roster_loads').select('id').where('file_name', 'in', fileNames).execute();
    const licensesLike = (prefix: string) => t.db.selectFrom('licenses').select('number_key').where('number_key', 'like', `${prefix}%`).execute();

    it('takes the form\'s file under whatever field name it has', async () => {
      const response = await sendForm([{ name: 'roster', fileName: 'licensees.csv', content: csv('TFORM1,MD,Active,Ada,,Field,4,4,,,') }]);
      expect(response.statusCode, response.body).toBe(202);
      expect(await finishedLoad(response.json().id)).toMatchObject({ status: 'completed', created: 1, fileName: 'licensees.csv' });
      expect(await licensesLike('TFORM1')).toEqual([{ number_key: 'TFORM1' }]);
    });

    it('refuses a form with two files, an option given twice, or a field that is no option, and loads nothing of it', async () => {
      const earlier = new Set(incomingFiles(t.hub.config.dataDir));
      const first: FormPart = { name: 'file', fileName: 'first.csv', content: csv('TTWO1,MD,Active,Una,,First,1,2,,,') };
      const second: FormPart = { name: 'file', fileName: 'second.csv', content: csv('TTWO2,MD,Active,Dos,,Second,2,3,,,') };
      const twoFiles = await sendForm([first, second]);
      expect(twoFiles.statusCode, twoFiles.body).toBe(400);
      expect(twoFiles.json()).toMatchObject({
        code: 'form_several_files',
        detail: 'The form has more than one file: send each roster file in a request of its own, in the "file" field.',
      });
      // Under two names, the same.
      expect((await sendForm([{ ...first, name: 'licenses' }, { ...second, name: 'certifications' }])).json()).toMatchObject({ status: 400, code: 'form_several_files' });
      // A field that is no option, before the file or after it, would be dropped unseen: it is refused, naming it.
      for (const parts of [[first, { name: 'fullRoster', content: 'true' }], [{ name: 'fullRoster', content: 'true' }, first]]) {
        const withField = await sendForm(parts);
        expect(withField.statusCode, withField.body).toBe(400);
        expect(withField.json()).toMatchObject({ code: 'form_field_unknown', problems: [expect.objectContaining({ field: 'fullRoster' })] });
        expect(withField.json().detail).toBe(
          'The form has a field "fullRoster" that a roster upload does not take. Its fields are "file" (the roster file), "full", "fileName" and "dates".',
        );
      }
      const twice = await sendForm([first, { name: 'full', content: 'true' }], '?full=false');
      expect(twice.json()).toMatchObject({ status: 400, code: 'form_field_conflict', detail: '"full" is given twice, as "false" in the address and "true" in the form: give it once.' });
      const wrong = await sendForm([{ name: 'dates', content: 'DD/MM' }, first]);
      expect(wrong.json()).toMatchObject({ status: 400, code: 'invalid_request', problems: [expect.objectContaining({ field: 'dates' })] });
      expect(await loadsOf('first.csv', 'second.csv')).toEqual([]);
      expect(await licensesLike('TTWO')).toEqual([]);
      expect(incomingFiles(t.hub.config.dataDir).filter((name) => !earlier.has(name))).toEqual([]);
    });

    it('takes the options in the form\'s fields as in the address, and the file\'s name from the fileName option over the form\'s, on one line', async () => {
      const dayFirst = csv('TOPT1,MD,Active,Ada,,Options,4,4,,01/02/2020,17/06/2027');
      const inForm = await sendForm([{ name: 'dates', content: 'day_first' }, { name: 'file', fileName: 'day-first.csv', content: dayFirst }]);
      expect(inForm.statusCode, inForm.body).toBe(202);
      expect(await finishedLoad(inForm.json().id)).toMatchObject({ status: 'completed', created: 1, rejected: 0, dates: 'day_first', fileName: 'day-first.csv' });
      const after = await sendForm([{ name: 'file', fileName: 'export.csv', content: dayFirst.replace('TOPT1', 'TOPT2') }, { name: 'dates', content: 'day_first' }], '?fileName=licensees-june.csv');
      expect(after.statusCode, after.body).toBe(202);
      expect(await finishedLoad(after.json().id)).toMatchObject({ status: 'completed', created: 1, dates: 'day_first', fileName: 'licensees-june.csv' });
      const named = await sendForm([{ name: 'fileName', content: 'licensees-july.csv' }, { name: 'file', fileName: 'export.csv', content: csv('TOPT3,MD,Active,Ada,,Options,4,4,,,') }]);
      expect(await finishedLoad(named.json().id)).toMatchObject({ status: 'completed', created: 1, fileName: 'licensees-july.csv' });
      const sameInBoth = await sendForm([{ name: 'dates', content: 'day_first' }, { name: 'file', fileName: 'both.csv', content: dayFirst.replace('TOPT1', 'TOPT4') }], '?dates=day_first');
      expect(await finishedLoad(sameInBoth.json().id)).toMatchObject({ status: 'completed', created: 1, dates: 'day_first' });
      // A name with a line break in it, in the address or the form, is kept as a form's file name is: on one line.
      const broken = await board.request({
        method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=${encodeURIComponent('licensees\r\naugust.csv')}`,
        payload: csv('TOPT5,MD,Active,Ada,,Options,4,4,,,'), headers: { 'content-type': 'text/csv' },
      });
      expect(broken.statusCode, broken.body).toBe(202);
      expect(await finishedLoad(broken.json().id)).toMatchObject({ status: 'completed', created: 1, fileName: 'licensees august.csv' });
      const brokenInForm = await sendForm([{ name: 'fileName', content: 'licensees\nseptember.csv' }, { name: 'file', fileName: 'export.csv', content: csv('TOPT6,MD,Active,Ada,,Options,4,4,,,') }]);
      expect(await finishedLoad(brokenInForm.json().id)).toMatchObject({ status: 'completed', created: 1, fileName: 'licensees september.csv' });
    });

    it('says so of a form with no file, and of a file cut short, as of a roster sent as the body', async () => {
      const noFile = await sendForm([{ name: 'file', content: 'License number,Status' }]);
      expect(noFile.json()).toMatchObject({ status: 400, code: 'file_required', detail: expect.stringContaining('holds text, not a file') });
      const empty = await board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster`, ...formBody([]) });
      expect(empty.json()).toMatchObject({ status: 400, code: 'file_required', detail: 'The form has no file: attach the CSV or XLSX file in the "file" field.' });
      const { payload, headers } = formBody([{ name: 'file', fileName: 'cut.csv', content: csv('TCUT1,MD,Active,Cut,,Short,1,1,,,') }]);
      const cut = await board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster`, payload: payload.subarray(0, payload.length - 30), headers });
      expect(cut.json()).toMatchObject({ status: 400, code: 'file_cut_off' });
      expect(await loadsOf('cut.csv')).toEqual([]);
    });
  });

  it('reads a board\'s own export that gives each licensee\'s name in one column, and rejects a name of one word', async () => {
    const load = await loaded(
      ['License #,Status,Licensee Name,Birth month,Birth day', 'T55501,Active,"OKAFOR, JAMES A",7,4', 'T55502,Active,Priya Raman MD,9,12', 'T55503,Active,MADONNA,8,16'].join('\r\n'),
    );
    expect(load).toMatchObject({ rowsRead: 3, created: 2, rejected: 1 });
    const stored = await t.db
      .selectFrom('licenses')
      .innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['licenses.number_key', 'persons.first_name', 'persons.middle_name', 'persons.last_name'])
      .where('licenses.number_key', 'in', ['T55501', 'T55502', 'T55503'])
      .orderBy('licenses.number_key')
      .execute();
    expect(stored).toEqual([
      { number_key: 'T55501', first_name: 'JAMES', middle_name: 'A', last_name: 'OKAFOR' },
      { number_key: 'T55502', first_name: 'Priya', middle_name: null, last_name: 'Raman' },
    ]);
    const receipt = await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`);
    expect(receipt.body).toContain('Name ""MADONNA"" is not a first and a last name: write both, such as ""Lopez, Maria"".');
    // The template keeps a column for each part of the name.
    expect((await board.get('/api/v1/boards/roster-template.csv')).body).not.toMatch(/(^|,)Name(,|\r?\n)/);
  });

  it('reads the month and day of a board\'s "Date of birth" column, dropping the year, and says what to write for one it cannot read', async () => {
    const load = await loaded(
      [
        'License #,Status,First name,Last name,Date of Birth',
        'T56601,Active,Ines,Moreau,03/14/1975',
        'T56602,Active,Jon,Berg,1968-11-02',
        'T56603,Active,Day,First,25/12/1970',
        'T56604,Active,No,Date,sometime in 1960',
      ].join('\r\n'),
    );
    expect(load).toMatchObject({ rowsRead: 4, created: 2, rejected: 2 });
    const stored = await t.db
      .selectFrom('licenses')
      .innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['licenses.number_key', 'persons.birth_month', 'persons.birth_day'])
      .where('licenses.number_key', 'in', ['T56601', 'T56602'])
      .orderBy('licenses.number_key')
      .execute();
    expect(stored).toEqual([
      { number_key: 'T56601', birth_month: 3, birth_day: 14 },
      { number_key: 'T56602', birth_month: 11, birth_day: 2 },
    ]);
    const receipt = (await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`)).body;
    expect(receipt).toContain('Date of birth: it looks like day/month (25/12), but dates of birth are read month first (MM/DD): write 12/25.');
    expect(receipt).toContain('Date of birth: write the date of birth as MM/DD, or give the birth month and day in their own columns.');
    // The year is kept nowhere, not even in what the receipt says of a row.
    expect(receipt).not.toMatch(/19(75|68|70|60)/);
    expect((await board.get('/api/v1/boards/roster-template.csv')).body).not.toContain('Date of birth');
  });

  it('rejects a row whose license number or names are longer than a registry keeps, and loads the rest', async () => {
    let seed = 11;
    const pasted = Array.from({ length: 3000 }, () => String.fromCharCode(65 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const load = await loaded(csv(`L${pasted},MD,Active,Ann,,Long,1,2,,,`, `T77701,MD,Active,${pasted},,Lang,1,2,,,`, 'T77702,MD,Active,Ann,,Short,1,2,,,'));
    expect(load).toMatchObject({ status: 'completed', created: 1, rejected: 2 });
    const receipt = (await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`)).body;
    expect(receipt).toContain('License number is at most 30 characters (this one has 3,001).');
    expect(receipt).toContain('First name is at most 100 characters (this one has 3,000).');
  });

  it('refuses a misspelt option or kind of the roster template, naming what it takes', async () => {
    const misspelt = await board.get('/api/v1/boards/roster-template.csv?knid=certifications');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: 'The roster template takes no option "knid": its only option is kind.' }));
    const kind = await board.get('/api/v1/boards/roster-template.csv?kind=diplomates');
    expect(kind.json().problems).toEqual([expect.objectContaining({ field: 'kind', message: 'The kind is licenses (a licensing board) or certifications (a certifying board)' })]);
  });

  it('says, beside its counts, what of the file was not read: a misspelt column of expiry dates, a column the hub has no use for, and the encoding Excel saved it in', async () => {
    const file = iconv.encode(
      ['License #,Status,First name,Last name,Birth month,Birth day,Expiraton date,Notes', 'T57701,Active,Renée,Dubois,3,14,2027-06-30,', 'T57702,Active,José,Nuñez,11,2,2027-06-30,moved'].join('\r\n'),
      'windows-1252',
    );
    const load = await loaded(file, '?fileName=excel-export.csv');
    expect(load).toMatchObject({ status: 'completed', created: 2, rejected: 0 });
    expect(load.notes).toEqual([
      {
        code: 'not_utf8',
        message: 'The file was not saved as CSV UTF-8: its text was read as Windows-1252, as Excel on Windows saves "CSV (Comma delimited)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
      },
      { code: 'unknown_columns', message: 'These columns are not used and their values are ignored: "Expiraton date" (is it "Expiry date"?), "Notes".' },
    ]);
    const stored = await t.db
      .selectFrom('licenses')
      .innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['persons.first_name', 'persons.last_name', 'licenses.expires_on'])
      .where('licenses.number_key', 'in', ['T57701', 'T57702'])
      .orderBy('licenses.number_key')
      .execute();
    expect(stored).toEqual([
      { first_name: 'Renée', last_name: 'Dubois', expires_on: null },
      { first_name: 'José', last_name: 'Nuñez', expires_on: null },
    ]);
    // The list of loads, which the roster page shows, says it too, and so does the receipt's summary, read away from the hub.
    const listed = (await board.get(`/api/v1/boards/${boardId}/roster/loads`)).json().items.find((item: RosterLoad) => item.id === load.id);
    expect(listed.notes).toEqual(load.notes);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt?format=xlsx`)).rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Summary')!.getColumn(1).values.filter(Boolean).map(String);
    expect(summary.slice(0, 3)).toEqual(['Receipt for excel-export.csv', 'Status: completed', 'Rows: 2 (created 2, updated 0, unchanged 0, rejected 0)']);
    expect(summary.slice(-2)).toEqual((load.notes as { message: string }[]).map((note) => note.message));

    // Accented names only past the first 64 KB, saved by Excel for Mac: told once the rows are read.
    const ascii = Array.from({ length: 2000 }, (_, index) => `T58${String(index).padStart(4, '0')},Inactive,Ann,Lee${index},1,1`);
    const late = await loaded(iconv.encode(['License #,Status,First name,Last name,Birth month,Birth day', ...ascii, 'T59999,Active,Renée,Dubois,3,14'].join('\r\n'), 'macintosh'));
    expect(late).toMatchObject({ status: 'completed', created: 2001, rejected: 0 });
    expect(late.notes).toEqual([
      {
        code: 'not_utf8',
        message: 'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
      },
    ]);
    const renee = await t.db.selectFrom('licenses').innerJoin('persons', 'persons.id', 'licenses.person_id').select('persons.first_name').where('licenses.number_key', '=', 'T59999').executeTakeFirst();
    expect(renee?.first_name).toBe('Renée');
  });

  it('reads a state licensing system\'s credential export: its headings and its names for the license type', async () => {
    const file = [
      'Credential Number,Credential Type,Credential Status,First,Last,DOB,Date Issued,Exp Date,NPI #',
      'CRD1001,Physician and Surgeon License,Active,Cara,Dent,04/09/1970,2001-07-01,2027-06-30,',
      'CRD1002,Osteopathic Physician Credential,Active,Drew,Dent,05/10/1971,2002-07-01,2027-06-30,',
    ].join('\r\n');
    const load = await loaded(file);
    expect(load).toMatchObject({ status: 'completed', rowsRead: 2 });
    const licenses = await t.db.selectFrom('licenses').select(['number_key', 'license_type', 'issued_on', 'expires_on']).where('number_key', 'like', 'CRD%').orderBy('number_key').execute();
    const scope = (await findBoardScope(t.db, boardId))!;
    const takes = scope.kind === 'licensing_board' ? scope.boardType : 'combined';
    // A DO credential on an MD board's roster is that row's own problem, as any DO license would be.
    expect(licenses.map((license) => license.license_type)).toEqual(takes === 'combined' ? ['MD', 'DO'] : [takes]);
    expect(licenses[0]).toMatchObject({ issued_on: '2001-07-01', expires_on: '2027-06-30' });
  });

  describe('a workbook with rows on several sheets', () => {
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const headings = header.split(',');
    async function workbook(build: (built: ExcelJS.Workbook) => void): Promise<Buffer> {
      const built = new ExcelJS.Workbook();
      build(built);
      return Buffer.from(await built.xlsx.writeBuffer());
    }
    const sheetOf = (built: ExcelJS.Workbook, name: string, rows: string[], columns = headings) => {
      const sheet = built.addWorksheet(name);
      sheet.addRow(columns);
      for (const row of rows) sheet.addRow(row.split(','));
      return sheet;
    };
    const send = (body: Buffer, query = '') =>
      board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=tabs.xlsx${query}`, payload: body, headers: { 'content-type': xlsxType } });

    it('loads every sheet under its own header, and names each row of the receipt by its sheet', async () => {
      const body = await workbook((built) => {
        sheetOf(built, 'Active', ['TAB1001,MD,Active,Tara,,Tabb,2,3,,,', 'TAB1002,MD,Active,Theo,,Tabb,4,5,,,']);
        sheetOf(built, 'Expired', ['TAB1003,MD,Expired,Tess,,Tabb,6,7,,,', 'TAB1004,MD,Sleeping,Tom,,Tabb,8,9,,,']);
      });
      const response = await send(body);
      expect(response.statusCode, response.body).toBe(202);
      const load = await finishedLoad(response.json().id);
      expect(load).toMatchObject({ status: 'completed', rowsRead: 4, created: 3, rejected: 1, sheets: ['Active', 'Expired'] });
      const receipt = await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`);
      const lines = receipt.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('Sheet,Row,License number or ID,Outcome,Problems,Problem codes');
      expect(lines.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
        'Active,2,TAB1001,created', 'Active,3,TAB1002,created', 'Expired,2,TAB1003,created', 'Expired,3,TAB1004,rejected',
      ]);
    });

    it('asks how its dates are written when a later sheet shows them day first, naming the row by its sheet', async () => {
      const body = await workbook((built) => {
        sheetOf(built, 'MD', ['TAB3001,MD,Active,Tia,,Tabb,2,3,,,01/06/2027']);
        sheetOf(built, 'Renewed', ['TAB3002,MD,Active,Tim,,Tabb,4,5,,,30/06/2027']);
      });
      const refused = await send(body);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().detail).toMatch(/^Row 2 of sheet "Renewed" has "30\/06\/2027" as its Expiry date, which can only be read day first/);
      const taken = await send(body, '&dates=day_first');
      expect(await finishedLoad(taken.json().id)).toMatchObject({ status: 'completed', created: 2, rejected: 0 });
      const expiries = await t.db.selectFrom('licenses').select(['number_key', 'expires_on']).where('number_key', 'in', ['TAB3001', 'TAB3002']).orderBy('number_key').execute();
      expect(expiries.map((row) => String(row.expires_on).slice(0, 10))).toEqual(['2027-06-01', '2027-06-30']);
    });

    it('refuses a roster with a sheet it would not read, whose rows would be missed and, in a full roster, its licenses made inactive', async () => {
      const hidden = await workbook((built) => {
        sheetOf(built, 'Active', ['TAB2001,MD,Active,Una,,Tabb,2,3,,,']);
        sheetOf(built, 'Old', ['TAB2002,MD,Active,Uma,,Tabb,4,5,,,']).state = 'hidden';
      });
      const refused = await send(hidden, '&full=true');
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'sheet_not_read', detail: expect.stringMatching(/^Sheet "Old" is hidden and has rows under a header row: a hidden sheet is never read, so its rows would not be loaded, and this full roster would make the licenses on it inactive\./) });

      const lacking = await workbook((built) => {
        sheetOf(built, 'Active', ['TAB2003,MD,Active,Ula,,Tabb,2,3,,,']);
        sheetOf(built, 'DO', ['TAB2004,MD,Active,Ugo,Tabb,4,5'], ['License number', 'License type', 'Status', 'First name', 'Last name', 'Birth month']);
      });
      const refusedToo = await send(lacking, '&full=true');
      expect(refusedToo.statusCode).toBe(422);
      expect(refusedToo.json()).toMatchObject({ code: 'sheet_not_read', detail: expect.stringMatching(/^Sheet "DO" looks like rows of the roster, but its header row \(row 1\) lacks columns every row needs/) });
      expect(await t.db.selectFrom('licenses').select('id').where('number_key', 'in', ['TAB2001', 'TAB2003']).execute()).toEqual([]);

      // The template's sheet of instructions, or a sheet of totals, is no sheet of the roster.
      const template = await board.get('/api/v1/boards/roster-template.xlsx');
      const filled = new ExcelJS.Workbook();
      await filled.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
      const roster = filled.getWorksheet('Roster')!;
      const values: Record<string, string> = { 'License number': 'TAB2005', 'License type': 'MD', Status: 'Active', 'First name': 'Ulla', 'Last name': 'Tabb', 'Birth month': '2', 'Birth day': '3' };
      roster.getRow(1).eachCell((cell, column) => {
        const value = values[String(cell.value)];
        if (value) roster.getRow(2).getCell(column).value = value;
      });
      sheetOf(filled, 'Totals', ['Active,1'], ['Status', 'Count']);
      const fromTemplate = await send(Buffer.from(await filled.xlsx.writeBuffer()), '&full=true');
      expect(fromTemplate.statusCode, fromTemplate.body).toBe(202);
      expect(await finishedLoad(fromTemplate.json().id)).toMatchObject({ status: 'completed', rowsRead: 1, created: 1 });
      // Saved with macros (.xlsm) and sent with that content type, it is the same workbook.
      const withMacros = await board.request({
        method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=roster.xlsm`, payload: Buffer.from(await filled.xlsx.writeBuffer()), headers: { 'content-type': 'application/vnd.ms-excel.sheet.macroEnabled.12' },
      });
      expect(withMacros.statusCode, withMacros.body).toBe(202);
      expect(await finishedLoad(withMacros.json().id)).toMatchObject({ status: 'completed', rowsRead: 1, unchanged: 1 });

      // Not a full roster, it is refused too: the visible sheet alone would be loaded, the hidden one's licensees missed without a word.
      const notFull = await send(hidden);
      expect(notFull.statusCode).toBe(422);
      expect(notFull.json()).toMatchObject({ code: 'sheet_not_read', detail: 'Sheet "Old" is hidden and has rows under a header row: a hidden sheet is never read, so its rows would not be loaded. Unhide the sheet in Excel (its rows are then loaded too), or delete it, then send the file again.' });
      expect((await send(lacking)).json()).toMatchObject({ code: 'sheet_not_read', detail: expect.stringMatching(/^Sheet "DO" looks like rows of the roster, but its header row \(row 1\) lacks columns every row needs: its rows would not be loaded\. /) });
    });
  });

  it('asks how a roster writes its dates when they show it day first, before its load begins, and reads them so once told', async () => {
    const send = (body: string, query = '') =>
      board.request({ method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=dmy.csv${query}`, payload: body, headers: { 'content-type': 'text/csv' } });
    // Sorted by expiry, the first rows' dates read both ways; a later row's cannot, but day first.
    const rows = Array.from({ length: 150 }, (_, i) => `DMY${1000 + i},MD,Active,Dee,,Dmy${i},4,5,,05/02/2020,${i < 140 ? '01/06/2027' : '17/06/2027'}`);
    const refused = await send(csv(...rows));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'date_order_required',
      detail: expect.stringMatching(/^Row 142 has "17\/06\/2027" as its Expiry date, which can only be read day first \(DD\/MM\/YYYY\), and none of the file's first 141 rows has a date that can only be read month first\. .* dates=day_first/),
    });
    expect(await t.db.selectFrom('licenses').select('id').where('number_key', 'like', 'DMY%').execute()).toEqual([]);
    // An option misspelt is refused by name, not dropped.
    const misspelt = await send(csv(...rows), '&date=day_first');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: 'A roster upload takes no option "date": its options are full, fileName and dates.' }));

    const dayFirst = await send(csv(...rows), '&dates=day_first');
    expect(dayFirst.statusCode, dayFirst.body).toBe(202);
    expect(await finishedLoad(dayFirst.json().id)).toMatchObject({ status: 'completed', rowsRead: 150, created: 150, rejected: 0, dates: 'day_first' });
    const dates = await t.db.selectFrom('licenses').select(['number_key', 'issued_on', 'expires_on']).where('number_key', 'in', ['DMY1000', 'DMY1149']).orderBy('number_key').execute();
    expect(dates.map((row) => [row.number_key, String(row.issued_on).slice(0, 10), String(row.expires_on).slice(0, 10)])).toEqual([
      ['DMY1000', '2020-02-05', '2027-06-01'],
      ['DMY1149', '2020-02-05', '2027-06-17'],
    ]);

    // Said month first, the dates that cannot be read so are their rows' problems, said as written.
    const monthFirst = await send(csv(...rows.map((row) => row.replace('DMY', 'MDY'))), '&dates=month_first');
    expect(await finishedLoad(monthFirst.json().id)).toMatchObject({ status: 'completed', created: 140, rejected: 10 });
    const receipt = await board.get(`/api/v1/boards/${boardId}/roster/loads/${monthFirst.json().id}/receipt?format=csv`);
    expect(receipt.body).toContain('Expiry date: ""17/06/2027"" looks like day/month/year, but this upload\'s dates are read month first (MM/DD/YYYY), as it was sent; write 2027-06-17 (YYYY-MM-DD).');
  });

  it('refuses a file without the required columns, naming them', async () => {
    const response = await board.request({
      method: 'POST', url: `/api/v1/boards/${boardId}/roster`, payload: 'License number,First name,Town\r\nA1,B,C', headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toBe("The file's header row (row 1) lacks columns every row needs. Add them, or start from the template.");
    // The row read as the header is named: that no header row was found is not said beside it.
    expect(response.json().problems.map((problem: { code: string }) => problem.code)).not.toContain('no_header_row');
    expect(JSON.stringify(response.json().problems)).toMatch(/Last name/);

    // No row looks like a header: the board is told what to start from, and the problem names the columns needed.
    const noHeader = await upload('Ann,Berg,CA\r\nBen,Cole,NY');
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().detail).toBe('The file does not have the columns of a roster. Start from the template, or rename the columns.');
    expect(noHeader.json().problems).toEqual([expect.objectContaining({ code: 'no_header_row', message: expect.stringMatching(/"License number".*"Last name"/) })]);
  });

  it('refuses a roster exported as a web page under an Excel name, saying how to save it as a workbook', async () => {
    const response = await board.request({
      method: 'POST', url: `/api/v1/boards/${boardId}/roster?fileName=Licensees.xls`,
      payload: '<!DOCTYPE html><html><body><table><tr><th>License number</th></tr></table></body></html>', headers: { 'content-type': 'application/vnd.ms-excel' },
    });
    expect(response.statusCode, response.body).toBe(415);
    expect(response.json().detail).toMatch(/^The file is a web page \(HTML\).*save it as an Excel Workbook \(\.xlsx\) or as CSV/);
  });

  it('hides a board from another organization', async () => {
    const provider = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const response = await provider.request({
      method: 'POST', url: `/api/v1/boards/${boardId}/roster`, payload: csv('A1,MD,Active,A,,B,1,1,,,'), headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(404);
    const certifying = await login(t.app, demoLogins.certifyingBoardAdmin, demoPassword);
    expect((await certifying.get(`/api/v1/boards/${boardId}/roster/loads`)).statusCode).toBe(404);
  });

  it('offers the template as CSV and XLSX', async () => {
    const csvTemplate = await board.get('/api/v1/boards/roster-template.csv');
    expect(csvTemplate.statusCode).toBe(200);
    expect(csvTemplate.body).toContain('License number,License type,Status,First name');
    const xlsxTemplate = await board.get('/api/v1/boards/roster-template.xlsx?kind=certifications');
    expect(xlsxTemplate.statusCode).toBe(200);
    expect(xlsxTemplate.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('reads a certifying board\'s export that heads its IDs with the board\'s name, and not another board\'s', async () => {
    const abim = await login(t.app, demoLogins.certifyingBoardAdmin, demoPassword);
    const abimId = (await abim.get('/api/v1/me')).json().organization.id;
    const send = (file: string) => abim.request({
      method: 'POST', url: `/api/v1/boards/${abimId}/roster`, payload: file, headers: { 'content-type': 'text/csv' },
    });
    const own = await send(['ABIM diplomate ID,Certification status,First name,Last name,Birth month,Birth day', '776655,Certified,Iona,Reyes,8,21'].join('\r\n'));
    expect(own.statusCode, own.body).toBe(202);
    expect(await finishedLoad(own.json().id, abim, abimId)).toMatchObject({ status: 'completed', created: 1 });
    const diplomate = await t.db.selectFrom('certifications').select(['board_code', 'board_id']).where('board_id', '=', '776655').executeTakeFirst();
    expect(diplomate).toEqual({ board_code: 'ABIM', board_id: '776655' });

    const another = await send(['ABP ID,Certification status,First name,Last name,Birth month,Birth day', '776656,Certified,Iona,Reyes,8,21'].join('\r\n'));
    expect(another.statusCode).toBe(422);
    expect(another.json().problems).toContainEqual(expect.objectContaining({ code: 'missing_column', field: 'boardId' }));

    // The same ID on a row of another birthday and no name in common: a number mistyped as hers, not loaded.
    const mistyped = await send(['ABIM diplomate ID,Certification status,First name,Last name,Birth month,Birth day', '776655,Certified,Olaf,Nygaard,2,2'].join('\r\n'));
    expect(await finishedLoad(mistyped.json().id, abim, abimId)).toMatchObject({ status: 'completed', rejected: 1 });
    const receipt = await abim.get(`/api/v1/boards/${abimId}/roster/loads/${mistyped.json().id}/receipt`);
    expect(receipt.body).toContain('This board ID is on file for another physician: another birthday, and no name in common');
    const holder = await t.db.selectFrom('certifications').innerJoin('persons', 'persons.id', 'certifications.person_id')
      .select(['persons.last_name', 'persons.birth_month']).where('certifications.board_id', '=', '776655').executeTakeFirstOrThrow();
    expect(holder).toEqual({ last_name: 'Reyes', birth_month: 8 });
  });

  it('rejects a row whose name lost a letter to a character set without it, leaving the name on file as it was', async () => {
    const first = await loaded(csv('T66601,MD,Active,Zoë,,Łukasik,8,21,,,'));
    expect(first).toMatchObject({ status: 'completed', created: 1 });
    const lossy = await loaded(csv('T66601,MD,Active,Zoë,,?ukasik,8,21,,,'));
    expect(lossy).toMatchObject({ status: 'completed', rejected: 1, updated: 0 });
    const receipt = (await board.get(`/api/v1/boards/${boardId}/roster/loads/${lossy.id}/receipt`)).body;
    expect(receipt).toContain('name_letter_lost');
    expect(receipt).toContain('Last name ""?ukasik"" has a ""?"" where a letter was lost');
    const person = await t.db.selectFrom('persons').innerJoin('licenses', 'licenses.person_id', 'persons.id').select('persons.last_name').where('licenses.number_key', '=', 'T66601').executeTakeFirstOrThrow();
    expect(person.last_name).toBe('Łukasik');
  });

  it('finds a person by id only for a board that licenses them', async () => {
    const scope = (await findBoardScope(t.db, boardId))!;
    const person = await t.db.selectFrom('persons').select('id').where('last_name', '=', 'Walker').executeTakeFirstOrThrow();
    expect(await findCoveredPersons(t.db, scope, { personId: person.id }, 1)).toMatchObject([{ personId: person.id }]);
    expect(await findCoveredPersons(t.db, { kind: 'licensing_board', jurisdiction: 'NY', boardType: 'combined' }, { personId: person.id }, 1)).toEqual([]);
  });
});

describe('a full roster that leaves out many of the board\'s licensees', () => {
  const row = (index: number) => `H${1000 + index},MD,Active,Hana,,Held${index},1,${1 + (index % 28)},,,`;
  const rows = (from: number, count: number) => Array.from({ length: count }, (_, index) => row(from + index));
  /** The board's practising licenses on its roster. */
  async function practising(): Promise<string[]> {
    const scope = (await findBoardScope(t.db, boardId))!;
    if (scope.kind !== 'licensing_board') throw new Error('the demo board licenses');
    const licenses = await t.db.selectFrom('licenses').select('number_key').where('jurisdiction', '=', scope.jurisdiction)
      .where('source', '=', 'roster').where('status', 'in', ['active', 'probation']).execute();
    return licenses.map((license) => license.number_key).sort();
  }

  it('leaves them as they were, saying how many, until the board confirms that the file lists every licensee', async () => {
    await loaded(csv(...rows(0, 40)));
    const before = await practising();
    const load = await loaded(csv(...rows(0, 10)), '?full=true');
    const listed = rows(0, 10).map((line) => line.split(',')[0]);
    const absent = before.filter((number) => !listed.includes(number));
    expect(absent.length).toBeGreaterThan(30);
    expect(load).toMatchObject({ status: 'completed', updated: 0, unchanged: 10, deactivated: 0, absentHeld: absent.length });
    expect(await practising()).toEqual(before);

    const confirmed = await board.post(`/api/v1/boards/${boardId}/roster/loads/${load.id}/absent-inactive`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: load.id, deactivated: absent.length, absentHeld: null });
    expect(await practising()).toEqual(listed.sort());
    const audited = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'registry.licenses.absent_inactive').where('entity_id', '=', load.id).execute();
    expect(audited.map((entry) => entry.details)).toEqual([{ held: absent.length, deactivated: absent.length }]);

    // Confirmed once: a second press (another tab) finds nothing held.
    const again = await board.post(`/api/v1/boards/${boardId}/roster/loads/${load.id}/absent-inactive`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'nothing_held', detail: `This load has no licenses left as they were to make inactive: ${absent.length} were made inactive when it ended.` });
  });

  it('makes them inactive only while the load is the board\'s latest, whose later loads listed licenses this file did not', async () => {
    await loaded(csv(...rows(0, 40)));
    const held = await loaded(csv(...rows(0, 10)), '?full=true');
    expect(held.absentHeld).toBeGreaterThan(25);
    await loaded(csv(row(50)));
    const before = await practising();
    const refused = await board.post(`/api/v1/boards/${boardId}/roster/loads/${held.id}/absent-inactive`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'later_load', detail: expect.stringMatching(/^A later roster load \(a file, started \d{4}-\d\d-\d\d \d\d:\d\d UTC\) has changed the registry since this one: licenses it listed are not in this file/) });
    expect(await practising()).toEqual(before);
  });

  it('makes a few left out inactive at once, as a board\'s roster changes from one month to the next', async () => {
    await loaded(csv(...rows(0, 40)));
    const before = await practising();
    const leftOut = ['H1000', 'H1001', 'H1002'];
    const load = await loaded(csv(...before.filter((number) => !leftOut.includes(number)).map((number) => `${number},MD,Active,Hana,,Kept,1,1,,,`)), '?full=true');
    expect(load).toMatchObject({ deactivated: 3, absentHeld: null });
    expect(await practising()).toEqual(before.filter((number) => !leftOut.includes(number)));
  });

  it('does not make inactive the license of a row it could not load: the file lists it all the same', async () => {
    await loaded(csv(...rows(0, 40)));
    const before = await practising();
    const [leftOut, misspelt] = ['H1003', 'H1004'];
    // The licensee's row has a status the hub does not know: it is rejected, to correct, and its license is kept.
    const lines = before.filter((number) => number !== leftOut).map((number) => `${number},MD,${number === misspelt ? 'Sleeping' : 'Active'},Hana,,Kept,1,1,,,`);
    const load = await loaded(csv(...lines), '?full=true');
    expect(load).toMatchObject({ status: 'completed', rejected: 1, deactivated: 1, absentHeld: null, keptForRejectedRows: 1 });
    expect(await practising()).toEqual(before.filter((number) => number !== leftOut));
    // Said beside the counts, so that the board knows a license awaits its corrected row.
    const receipt = new ExcelJS.Workbook();
    await receipt.xlsx.load((await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt?format=xlsx`)).rawPayload as unknown as ArrayBuffer);
    expect(receipt.getWorksheet('Summary')!.getColumn(1).values.map(String)).toContain(
      '1 license named by a row that was rejected was left as it was, not made inactive: correct that row and load the file again.',
    );
    const loadedAgain = await loaded(csv(...lines.map((line) => line.replace('Sleeping', 'Active'))), '?full=true');
    expect(loadedAgain).toMatchObject({ rejected: 0, keptForRejectedRows: 0 });
  });

  it('is not for another board\'s load, nor for a load that held nothing', async () => {
    const small = await loaded(csv(row(0)));
    const nothing = await board.post(`/api/v1/boards/${boardId}/roster/loads/${small.id}/absent-inactive`);
    expect(nothing.json()).toMatchObject({ code: 'nothing_held' });
    const provider = await login(t.app, demoLogins.providerAdmin, demoPassword);
    expect((await provider.post(`/api/v1/boards/${boardId}/roster/loads/${small.id}/absent-inactive`)).statusCode).toBe(404);
  });
});

describe('NPPES import', () => {
  const nppesHeader = '"NPI","Entity Type Code","Provider Last Name (Legal Name)","Provider First Name","Provider Middle Name","Provider Other Last Name","Provider License Number_1","Provider License Number State Code_1","Provider License Number_2","Provider License Number State Code_2"';

  it('links by license (never by name), adds licenses and NPIs, and skips organizations', async () => {
    const changes: RegistryChange[] = [];
    const stop = onRegistryChange((change) => { changes.push(change); });
    const registry = createRegistryService({ database: t.database });
    const file = [
      nppesHeader,
      // Wu holds CA T55555 without an NPI: the license links them.
      '"1245319599","1","WU","CHEN","","","T55555","CA","9001","NV"',
      // Same name as an existing person but no shared license or NPI: a new person.
      '"1679576722","1","QUIST","NADIA","","","","","",""',
      '"1982736450","2","","","","","","","",""',
      '"1234567890","1","BAD","NPI","","","","","",""',
    ].join('\n');
    const load = await registry.importNppes(systemContext(), { source: Readable.from([file]), format: 'csv', fileName: 'npidata.csv' });
    stop();
    expect(load).toMatchObject({ kind: 'nppes', created: 1, updated: 1, rejected: 1 });
    const wu = await t.db.selectFrom('persons').select(['id', 'npi']).where('last_name', '=', 'Wu').executeTakeFirstOrThrow();
    expect(wu.npi).toBe('1245319599');
    const wuLicenses = await t.db.selectFrom('licenses').select(['jurisdiction', 'source']).where('person_id', '=', wu.id).orderBy('jurisdiction').execute();
    expect(wuLicenses).toEqual([{ jurisdiction: 'CA', source: 'roster' }, { jurisdiction: 'NV', source: 'nppes' }]);
    expect(await t.db.selectFrom('persons').select('id').where('last_key', '=', 'quist').execute()).toHaveLength(2);
    expect(changes).toHaveLength(1);
    expect(changes[0].personIds).toContain(wu.id);
  });

  it('links by a license only a provider of a name its holder has, so that a mistyped license gives no one another NPI', async () => {
    expect(await loaded(csv('T66991,MD,Active,Lena,,Ott,2,2,,,'))).toMatchObject({ created: 1 });
    const registry = createRegistryService({ database: t.database });
    const file = [nppesHeader, '"1991000021","1","PRICE","SAM","","","T66991","CA","",""'].join('\n');
    expect(await registry.importNppes(systemContext(), { source: Readable.from([file]), format: 'csv', fileName: 'npidata.csv' })).toMatchObject({ created: 1, updated: 0 });
    expect(await t.db.selectFrom('persons').select('npi').where('last_name', '=', 'Ott').executeTakeFirstOrThrow()).toEqual({ npi: null });
    expect(await t.db.selectFrom('persons').select('npi').where('last_key', '=', 'price').executeTakeFirstOrThrow()).toEqual({ npi: '1991000021' });
  });

  it('gives the board a license known only from NPI data, passing it to the roster row\'s physician when they share no name', async () => {
    const registry = createRegistryService({ database: t.database });
    const file = [nppesHeader, '"1992000004","1","ROSS","TED","","","T66992","CA","",""', '"1992000012","1","LEE","ANN","","","T66993","CA","",""'].join('\n');
    expect(await registry.importNppes(systemContext(), { source: Readable.from([file]), format: 'csv', fileName: 'npidata.csv' })).toMatchObject({ created: 2 });
    const load = await loaded(csv('T66992,MD,Active,Ruth,,Ng,5,5,,,', 'T66993,MD,Active,Ann,,Lee-Park,6,6,,,'));
    expect(load).toMatchObject({ created: 1, updated: 1, rejected: 0 });
    const holders = await t.db.selectFrom('licenses').innerJoin('persons', 'persons.id', 'licenses.person_id')
      .select(['licenses.license_number', 'licenses.license_type', 'persons.first_name', 'persons.last_name', 'persons.npi'])
      .where('licenses.license_number', 'in', ['T66992', 'T66993']).orderBy('licenses.license_number').execute();
    expect(holders).toEqual([
      // Another physician than the NPI data's: the license is hers, the NPI stays with its provider.
      { license_number: 'T66992', license_type: 'MD', first_name: 'Ruth', last_name: 'Ng', npi: null },
      // The same physician, her name as the board writes it.
      { license_number: 'T66993', license_type: 'MD', first_name: 'Ann', last_name: 'Lee-Park', npi: '1992000012' },
    ]);
    expect(await t.db.selectFrom('persons').select(['first_name', 'last_name']).where('npi', '=', '1992000004').executeTakeFirstOrThrow()).toEqual({ first_name: 'TED', last_name: 'ROSS' });
  });
});

describe('a roster load cut off in the middle', () => {
  /** A roster whose first rows arrive, then nothing more, as when the server stops while reading it. */
  function stalledRoster(prefix: string, rows: number) {
    const source = new Readable({ read() {} });
    source.push(`${header}\r\n`);
    for (let i = 0; i < rows; i++) source.push(`${prefix}${10000 + i},MD,Active,Cut,,Off${i},4,${(i % 28) + 1},,,\r\n`);
    return source;
  }

  async function runningLoad(prefix: string, rows: number, seenEveryMs?: number) {
    const registry = createRegistryService({ database: t.database, chunkSize: 1000, ...(seenEveryMs ? { seenEveryMs } : {}) });
    const source = stalledRoster(prefix, rows);
    const loading = registry.loadRoster(systemContext(), boardId, { source, format: 'csv', fileName: `${prefix}.csv` }, { fullRoster: true });
    loading.catch(() => undefined);
    let load: { id: string; rows_read: number } | undefined;
    for (let attempt = 0; attempt < 500 && !(load && load.rows_read >= 2000); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      load = await t.db.selectFrom('roster_loads').select(['id', 'rows_read']).where('file_name', '=', `${prefix}.csv`).executeTakeFirst();
    }
    expect(load?.rows_read).toBeGreaterThanOrEqual(2000);
    return { registry, source, loading, loadId: load!.id };
  }

  const stagingTables = async (loadId: string) =>
    (await sql<{ tablename: string }>`select tablename from pg_catalog.pg_tables where tablename like ${`%${loadId.replaceAll('-', '')}`}`.execute(t.db)).rows.length;

  it('is ended as cut off, saying how far it got, with what it loaded kept and its staging tables dropped; a load still going is left alone', async () => {
    const { registry, source, loading, loadId } = await runningLoad('CUT', 2500);
    expect(await stagingTables(loadId)).toBe(2);

    // Another server looking for loads cut off leaves one that applied a chunk moments ago.
    expect(await registry.takeUpCutOffLoads(600)).toBe(0);
    expect((await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json().status).toBe('running');

    // The server that ran it stopped: when the hub starts again, the load is ended as cut off.
    expect(await registry.takeUpCutOffLoads(0)).toBe(1);
    const ended = (await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json();
    expect(ended).toMatchObject({
      status: 'failed',
      rowsRead: 2000,
      created: 2000,
      deactivated: 0,
      failure:
        'The load was cut off: the server stopped after 2,000 rows, which are loaded and kept; nothing after them was. The licenses the file leaves out were not made inactive: that is done once the whole file is loaded. Upload the file again: the rows already loaded come back unchanged.',
    });
    expect(ended.finishedAt).not.toBeNull();
    expect(await stagingTables(loadId)).toBe(0);
    const created = await t.db.selectFrom('licenses').select('number_key').where('number_key', 'like', 'CUT%').execute();
    expect(created).toHaveLength(2000);

    // The load itself, had it gone on, does not end it a second time.
    source.destroy(new Error('connection reset'));
    await expect(loading).rejects.toThrow();
    expect((await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json()).toMatchObject({ status: 'failed', rowsRead: 2000 });
    const audited = await t.db.selectFrom('audit_log').select('actor_label').where('entity_id', '=', loadId).execute();
    expect(audited).toEqual([{ actor_label: 'roster loads' }]);
    expect(await registry.takeUpCutOffLoads(0)).toBe(0);
  });

  it('is left alone while its server keeps saying it runs it, however long since its last chunk; one its server fell silent on is ended', async () => {
    const { registry, source, loading, loadId } = await runningLoad('SEEN', 2500, 100);
    // The file stalls after two chunks for three seconds, longer than the two the other server waits for word from a load's server.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await registry.takeUpCutOffLoads(2)).toBe(0);
    expect((await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json().status).toBe('running');
    source.destroy(new Error('connection reset'));
    await expect(loading).rejects.toThrow();

    // A load whose server was killed as it began says nothing more: after those two seconds, it is ended.
    const { id: silentId } = await insertLoad(t.db, { organizationId: boardId, kind: 'licenses', fullRoster: false, fileName: 'silent.csv', startedBy: 'board' });
    expect(await registry.takeUpCutOffLoads(2)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await registry.takeUpCutOffLoads(2)).toBe(1);
    expect((await board.get(`/api/v1/boards/${boardId}/roster/loads/${silentId}`)).json()).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^The load was cut off/) });
  });

  it('is resumed from the file its server kept, as the same load, which finishes it and deletes the file', async () => {
    const registry = createRegistryService({ database: t.database });
    const kept = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-kept-roster-')), 'received.part');
    fs.writeFileSync(kept, csv('KEPT1001,MD,Active,Kay,,Kept,6,6,,,', 'KEPT1002,MD,Active,Lee,,Kept,7,7,,,'));
    // The server received the file and began its load, then stopped before the load's end was recorded.
    const { id: loadId } = await insertLoad(t.db, { organizationId: boardId, kind: 'licenses', fullRoster: false, fileName: 'kept.csv', startedBy: 'board', kept: { path: kept, format: 'csv' } });

    expect(await registry.takeUpCutOffLoads(0)).toBe(1);
    const resumed = async () => (await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json() as RosterLoad;
    await expect.poll(async () => (await resumed()).status).toBe('completed');
    expect(await resumed()).toMatchObject({ rowsRead: 2, created: 2, failure: null, resumed: { at: expect.any(String), afterRows: 0 } });
    // Deleted once the load's end is recorded.
    await expect.poll(() => fs.existsSync(kept)).toBe(false);
    expect(await registry.takeUpCutOffLoads(0)).toBe(0);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_id', '=', loadId).orderBy('id').execute();
    expect(audited).toEqual([{ action: 'registry.licenses.load_resumed', actor_label: 'roster loads' }, { action: 'registry.licenses.load', actor_label: 'roster loads' }]);
  });

  /** A full roster of `count` licensees, its load running from the file its server keeps, once it has applied two chunks. */
  async function fullRosterPartLoaded(prefix: string, count: number) {
    const registry = createRegistryService({ database: t.database, chunkSize: 500 });
    const kept = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-resumed-roster-')), 'received.part');
    const rows = Array.from({ length: count }, (_, i) => `${prefix}${10000 + i},MD,Active,Stan,,Resumed${i},5,${(i % 28) + 1},,,`);
    fs.writeFileSync(kept, csv(...rows));
    const file = { source: kept, format: 'csv' as const, fileName: `${prefix}.csv`, kept };
    const { load, done } = await registry.startRosterLoad(systemContext(), boardId, file, { fullRoster: true });
    done.catch(() => undefined);
    const loadRow = () => t.db.selectFrom('roster_loads').select(['status', 'rows_read', 'server_stopped_at']).where('id', '=', load.id).executeTakeFirstOrThrow();
    await expect.poll(async () => (await loadRow()).rows_read, { timeout: 30_000 }).toBeGreaterThanOrEqual(1000);
    return { registry, kept, loadId: load.id, done, loadRow };
  }

  /** The load ended as one load of every row, none loaded twice, and its full roster made inactive none of its own licensees. */
  async function expectWholeLoad(loadId: string, prefix: string, count: number, afterRows: number) {
    const loaded = async () => (await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json() as RosterLoad;
    await expect.poll(async () => (await loaded()).status, { timeout: 60_000 }).toBe('completed');
    expect(await loaded()).toMatchObject({ rowsRead: count, created: count, unchanged: 0, rejected: 0, resumed: { afterRows } });
    const receipt = await t.db.selectFrom('roster_load_rows').select((eb) => eb.fn.countAll<string>().as('lines')).where('load_id', '=', loadId).executeTakeFirstOrThrow();
    expect(Number(receipt.lines)).toBe(count);
    const statuses = await t.db.selectFrom('licenses').select(['status', (eb) => eb.fn.countAll<string>().as('count')]).where('number_key', 'like', `${prefix}%`).groupBy('status').execute();
    expect(statuses.map((row) => [row.status, Number(row.count)])).toEqual([['active', count]]);
  }

  it('is stopped between two chunks when its server shuts down, and resumed at once by the next server to look, after the rows it applied', async () => {
    const { registry, kept, loadId, done, loadRow } = await fullRosterPartLoaded('STP', 20_000);

    // The server shuts down: the load stops after the chunk being applied, left running, its file kept.
    await runningRosterLoads.start(t.hub).stop();
    await expect(done).rejects.toMatchObject({ code: 'server_stopped' });
    const stopped = await loadRow();
    expect(stopped).toMatchObject({ status: 'running', server_stopped_at: expect.any(Date) });
    expect(stopped.rows_read).toBeLessThan(20_000);
    expect(fs.existsSync(kept)).toBe(true);

    // A server on PostgreSQL waits for word from a load's server; not for a load its server stopped.
    expect(await registry.takeUpCutOffLoads(600)).toBe(1);
    await expectWholeLoad(loadId, 'STP', 20_000, stopped.rows_read);
    await expect.poll(() => fs.existsSync(kept)).toBe(false);
  });

  it('is resumed, after the rows it applied, once its killed server has not been heard from for a minute and a half', async () => {
    const { registry, loadId, done, loadRow } = await fullRosterPartLoaded('KIL', 6000);
    // The server is killed between two chunks: nothing marks the load, and its server says nothing more.
    await runningRosterLoads.start(t.hub).stop();
    await expect(done).rejects.toMatchObject({ code: 'server_stopped' });
    await t.db.updateTable('roster_loads').set({ server_stopped_at: null, server_seen_at: sql`now() - interval '60 seconds'` }).where('id', '=', loadId).execute();
    const killed = await loadRow();

    expect(await registry.takeUpCutOffLoads(cutOffAfterSeconds)).toBe(0);
    await t.db.updateTable('roster_loads').set({ server_seen_at: sql`now() - interval '91 seconds'` }).where('id', '=', loadId).execute();
    expect(await registry.takeUpCutOffLoads(cutOffAfterSeconds)).toBe(1);
    // Looked for again, it is taken up already: its new server is heard from.
    expect(await registry.takeUpCutOffLoads(cutOffAfterSeconds)).toBe(0);
    await expectWholeLoad(loadId, 'KIL', 6000, killed.rows_read);
  });

  it('says how far a load that failed part way got, and announces what it loaded, for pending reports to be matched against it', async () => {
    const changes: RegistryChange[] = [];
    const stopListening = onRegistryChange((change) => {
      changes.push(change);
    });
    try {
      const { source, loading, loadId } = await runningLoad('PART', 2500);
      source.destroy(new Error('connection reset'));
      await expect(loading).rejects.toThrow();
      const failed = (await board.get(`/api/v1/boards/${boardId}/roster/loads/${loadId}`)).json();
      // The rows read before the failure are loaded, not only the chunks applied before it.
      expect(failed.status).toBe('failed');
      expect(failed.rowsRead).toBeGreaterThan(2000);
      expect(failed.created).toBe(failed.rowsRead);
      // A load of an earlier test, resumed in the background, may announce itself late: this load's are those of its id.
      expect(changes.filter((change) => change.loadId === loadId).map((change) => change.loadId)).toEqual([loadId]);
    } finally {
      stopListening();
    }
  });
});

describe('a roster whose sending stops before its end', () => {
  it('loads nothing of it, and keeps nothing of the part that arrived', async () => {
    const { key } = (await board.post(`/api/v1/organizations/${boardId}/api-keys`, { name: 'roster feed' })).json();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const incoming = path.join(uploadsDirectory(t.hub.config.dataDir), 'incoming');
    const files = () => (fs.existsSync(incoming) ? fs.readdirSync(incoming) : []);
    // What an earlier test's load may not have removed yet is not this file's.
    const earlier = new Set(files());
    const partsArrived = () => files().filter((name) => !earlier.has(name) && (fs.statSync(path.join(incoming, name), { throwIfNoEntry: false })?.size ?? 0) > 0);
    const sending = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/v1/boards/${boardId}/roster?fileName=cut-short.csv`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
    });
    sending.on('error', () => undefined);
    sending.write(`${header}\r\n`);
    for (let i = 0; i < 6_000; i++) sending.write(`CUTS${100000 + i},MD,Active,Cut,,Short${i},5,${(i % 28) + 1},,,\r\n`);
    for (let attempt = 0; attempt < 1500 && partsArrived().length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(partsArrived()).toHaveLength(1);
    // The connection is lost before the file's end.
    sending.destroy();
    for (let attempt = 0; attempt < 1500 && partsArrived().length > 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(partsArrived()).toEqual([]);
    expect(await t.db.selectFrom('roster_loads').select('id').where('file_name', '=', 'cut-short.csv').execute()).toEqual([]);
    expect(await t.db.selectFrom('licenses').select('id').where('number_key', 'like', 'CUTS%').execute()).toEqual([]);
  });
});


describe('a roster row holding a value the database refuses', () => {
  /** Real refusals of the database (a data exception), as for a value no check foresaw, of what `when` picks in `table`. */
  async function refusing(triggers: { table: string; when: string }[], work: () => Promise<void>) {
    await sql`create function refuse_roster_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    try {
      for (const { table, when } of triggers) {
        await sql.raw(`create trigger refuse_roster_test before insert or update on ${table} for each row when (${when}) execute function refuse_roster_test()`).execute(t.db);
      }
      await work();
    } finally {
      for (const { table } of triggers) await sql.raw(`drop trigger if exists refuse_roster_test on ${table}`).execute(t.db);
      await sql`drop function if exists refuse_roster_test()`.execute(t.db);
    }
  }
  const rows = (prefix: string) => [1, 2, 3, 4, 5].map((n) => `${prefix}${n},MD,Active,Refusal${n},,Roster,${n},${n + 1},,,`);
  const licensesLike = async (prefix: string) =>
    (await t.db.selectFrom('licenses').select('license_number').where('license_number', 'like', `${prefix}%`).orderBy('license_number').execute()).map((l) => l.license_number);

  it('rejects that row alone, saying why, and loads the rows beside it', async () => {
    await refusing([{ table: 'licenses', when: "new.license_number = 'TRV3'" }], async () => {
      const load = await loaded(csv(...rows('TRV')));
      expect(load).toMatchObject({ status: 'completed', rowsRead: 5, created: 4, rejected: 1, failure: null });
      const receipt = await board.get(`/api/v1/boards/${boardId}/roster/loads/${load.id}/receipt`);
      const lines = receipt.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(['2,TRV1,created', '3,TRV2,created', '4,TRV3,rejected', '5,TRV4,created', '6,TRV5,created']);
      expect(lines[3]).toContain(
        'A value in this row could not be stored (the value is out of range): look in the row for a cell holding what its column does not take, such as a note or a whole row pasted into it, and send the row again corrected.',
      );
      expect(lines[3]).toMatch(/value_not_stored$/);
      expect(await licensesLike('TRV')).toEqual(['TRV1', 'TRV2', 'TRV4', 'TRV5']);
    });
  });

  it('stops the load, rather than load each row alone, when the database refuses a value in row after row', async () => {
    await refusing([{ table: 'licenses', when: "new.license_number like 'TRX%'" }], async () => {
      const load = await loaded(csv(...Array.from({ length: 25 }, (_, n) => `TRX${n},MD,Active,Refusal${n},,Roster,1,1,,,`)));
      expect(load).toMatchObject({ status: 'failed' });
      expect(load.failure).toBe(
        'A value in row 22 could not be stored (the value is out of range), as were values in 20 rows before it, each rejected: a column probably holds what it does not take all the way down, such as notes pasted into it. The rows before it are loaded; correct it and upload the file again: the rows already loaded come back unchanged.',
      );
      expect(await licensesLike('TRX')).toEqual([]);
    });
  });

  it('stops the load at the row when even its rejection is refused, with the rows before it loaded', async () => {
    await refusing(
      [
        { table: 'licenses', when: "new.license_number = 'TRW3'" },
        { table: 'roster_load_rows', when: "new.outcome = 'rejected'" },
      ],
      async () => {
        const load = await loaded(csv(...rows('TRW')));
        expect(load).toMatchObject({ status: 'failed' });
        expect(load.failure).toBe(
          'A value in row 4 could not be stored (the value is out of range): look there for a cell holding what its column does not take, such as a note or a whole row pasted into it. The rows before it are loaded; correct it and upload the file again: the rows already loaded come back unchanged.',
        );
        expect(await licensesLike('TRW')).toEqual(['TRW1', 'TRW2']);
      },
    );
  });
});
