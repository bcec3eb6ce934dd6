import { parse } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { systemContext } from '../../http/actor.ts';
import { createRegistryService } from '../registry/registry.service.ts';
import { formBody, incomingFiles } from '../../../test/form-body.ts';
import type { FormPart } from '../../../test/form-body.ts';

let t: TestApp;
let provider: Session;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const california = await t.db.selectFrom('organizations').select('id').where('jurisdiction', '=', 'CA').where('board_type', '=', 'MD').executeTakeFirstOrThrow();
  const roster = [
    'License number,License type,Status,First name,Last name,Birth month,Birth day,NPI',
    'T12345,MD,Active,Robert,Smith,3,14,1928374655',
    'T54321,MD,Active,Maria,Lopez,11,2,',
  ].join('\n');
  await createRegistryService({ database: t.database }).loadRoster(
    systemContext(), california.id, { source: Readable.from([roster]), format: 'csv', fileName: null }, { fullRoster: false },
  );
  provider = await login(t.app, demoLogins.providerAdmin, demoPassword);
});
afterAll(async () => t?.close());

describe('POST /api/v1/learners/validate', () => {
  it('answers each learner in order and says why', async () => {
    const response = await provider.post('/api/v1/learners/validate', {
      learners: [
        { firstName: 'Bob', lastName: 'Smith', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'T 012345' },
        { firstName: 'Maria', lastName: 'Lopez', birthMonth: 1, birthDay: 1, state: 'CA', licenseNumber: 'T54321' },
        { firstName: 'Robert', lastName: 'Smith', birthMonth: 3, birthDay: 14, npi: '1234567890' },
        { firstName: 'Jane', lastName: 'Doe', birthMonth: '5', birthDay: '6', npi: '1245319599' },
        { lastName: 'Nobody' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const results = response.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['matched', 'not_found', 'invalid', 'not_found', 'invalid']);
    expect(results[0]).toEqual({ status: 'matched', rule: 'state_license', tolerances: ['first_name_nickname'], problems: [] });
    expect(results[1].problems).toEqual([expect.objectContaining({ code: 'birth_date_mismatch', field: 'birthMonth' })]);
    expect(results[2].problems[0].code).toBe('npi_check_digit');
    expect(results[3].problems[0].code).toBe('npi_not_found');
    expect(results[4].problems.map((p: { code: string }) => p.code)).toEqual(
      expect.arrayContaining(['first_name_required', 'birth_month_invalid', 'identifier_required']),
    );
  });

  it('never reveals registry data the provider did not send', async () => {
    const response = await provider.post('/api/v1/learners/validate', {
      learners: [{ firstName: 'Mario', lastName: 'Lopes', birthMonth: 1, birthDay: 1, state: 'CA', licenseNumber: 'T54321' }],
    });
    const body = response.body;
    expect(body).not.toMatch(/Maria|Lopez|\b11\b|personId|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(response.json().results[0].problems[0].code).toBe('name_mismatch');
  });

  it('takes at most 1,000 learners per request', async () => {
    const learners = Array.from({ length: 1001 }, () => ({ firstName: 'A', lastName: 'B', birthMonth: 1, birthDay: 1, npi: '1928374655' }));
    const response = await provider.post('/api/v1/learners/validate', { learners });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('at most 1000');
  });

  it('is for providers only', async () => {
    const board = await login(t.app, demoLogins.boardAdmin, demoPassword);
    const response = await board.post('/api/v1/learners/validate', { learners: [{ firstName: 'A', lastName: 'B', birthMonth: 1, birthDay: 1 }] });
    expect(response.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST', url: '/api/v1/learners/validate', payload: { learners: [{ firstName: 'A', lastName: 'B', birthMonth: 1, birthDay: 1 }] },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('writes an audit entry without personal data', async () => {
    const entries = await t.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'learner.validate').execute();
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toMatch(/Smith|Lopez|T54321/);
  });
});

describe('POST /api/v1/learners/validate/file', () => {
  const file = [
    'First name,Last name,Birth month,Birth day,State,License number,NPI',
    'Robert,Smith,3,14,CA,T12345,',
    'Maria,Lopez,11,2,CA,,',
    'Maria,Lopez,11,2,CA,T99999,',
  ].join('\r\n');

  it('answers a CSV with one answer per row', async () => {
    const response = await provider.request({
      method: 'POST', url: '/api/v1/learners/validate/file', payload: file, headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('Status,Answer,Problem codes');
    expect(lines[1]).toContain(',matched,');
    expect(lines[2]).toContain(',matched,');
    expect(lines[3]).toContain('license_not_found');
  });

  it('answers as XLSX when asked', async () => {
    const response = await provider.request({
      method: 'POST', url: '/api/v1/learners/validate/file?format=xlsx', payload: file, headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Answers')!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(4).values).toContain('not_found');
  });

  it('reads a file as an upload reads it: a whole name, a date of birth, a state by its name', async () => {
    const byHand = ['Attendee Name,DOB,State,License #', '"Smith, Robert",3/14/1971,California,T12345', 'Maria Lopez,11/02,CA,T99999'].join('\r\n');
    const response = await provider.request({
      method: 'POST', url: '/api/v1/learners/validate/file', payload: byHand, headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [heading, smith, lopez] = parse(response.body, { bom: true }) as string[][];
    const cell = (line: string[], name: string) => line[heading.indexOf(name)];
    expect([cell(smith, 'First name'), cell(smith, 'Last name'), cell(smith, 'Birth month'), cell(smith, 'License state'), cell(smith, 'Status')]).toEqual(['Robert', 'Smith', '3', 'CA', 'matched']);
    expect(cell(lopez, 'Problem codes')).toContain('license_not_found');
    // The year of a date of birth is not repeated in the answer.
    expect(response.body).not.toContain('1971');
  });

  it('takes a column headed by a certifying board, "ABIM ID", as the identifier it is: that board\'s ID', async () => {
    const byBoard = ['First name,Last name,DOB,ABIM ID', 'Robert,Smith,3/14,998877'].join('\r\n');
    const response = await provider.request({ method: 'POST', url: '/api/v1/learners/validate/file', payload: byBoard, headers: { 'content-type': 'text/csv' } });
    expect(response.statusCode, response.body).toBe(200);
    const [heading, smith] = parse(response.body, { bom: true }) as string[][];
    const cell = (name: string) => smith[heading.indexOf(name)];
    expect([cell('Certifying board'), cell('Board ID')]).toEqual(['ABIM', '998877']);
    expect(heading.some((name) => name.startsWith('ABIM'))).toBe(false);
  });

  it('takes a license column headed by its state, "California License #", as that state\'s license numbers', async () => {
    const byState = ['Name,DOB,California License #', '"Smith, Robert",3/14,T12345'].join('\r\n');
    const response = await provider.request({ method: 'POST', url: '/api/v1/learners/validate/file', payload: byState, headers: { 'content-type': 'text/csv' } });
    expect(response.statusCode, response.body).toBe(200);
    const [heading, smith] = parse(response.body, { bom: true }) as string[][];
    const cell = (name: string) => smith[heading.indexOf(name)];
    expect([cell('License state'), cell('License number'), cell('Status')]).toEqual(['CA', 'T12345', 'matched']);
    expect(heading).not.toContain('California License #');
  });

  it('reads dates of birth day first when told the file writes them so', async () => {
    const dayFirst = ['Name,DOB,State,License #', '"Smith, Robert",14/03/1971,CA,T12345'].join('\r\n');
    const answer = async (query: string) => {
      const response = await provider.request({ method: 'POST', url: `/api/v1/learners/validate/file${query}`, payload: dayFirst, headers: { 'content-type': 'text/csv' } });
      expect(response.statusCode, response.body).toBe(200);
      const [heading, smith] = parse(response.body, { bom: true }) as string[][];
      const cell = (name: string) => smith[heading.indexOf(name)];
      return { status: cell('Status'), birthMonth: cell('Birth month'), answer: cell('Answer'), codes: cell('Problem codes'), body: response.body };
    };
    // Read month first, 14/03 is no date: the row says why.
    expect(await answer('')).toMatchObject({
      status: 'invalid',
      answer: 'Invalid: fix the row. Date of birth: it looks like day/month (14/03), but dates of birth are read month first (MM/DD): write 03/14.',
      codes: 'birth_date_invalid',
    });
    const told = await answer('?dates=day_first');
    expect(told).toMatchObject({ status: 'matched', birthMonth: '3' });
    expect(told.body).not.toContain('1971');
  });

  it('refuses a file without birth month and day before answering anything', async () => {
    const response = await provider.request({
      method: 'POST', url: '/api/v1/learners/validate/file', payload: 'First name,Last name,NPI\r\nAnn,Lee,1234567893', headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/no "Birth month" and "Birth day" columns/);
  });

  describe('sent in a multipart form', () => {
    const sendForm = (parts: FormPart[], query = '') => provider.request({ method: 'POST', url: `/api/v1/learners/validate/file${query}`, ...formBody(parts) });
    const filesChecked = async () => (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'learner.validate.file').execute()).length;
    const leftBehind = (earlier: Set<string>) => incomingFiles(t.hub.config.dataDir).filter((name) => !earlier.has(name));

    it('answers the form\'s file under whatever field name it has, CSV or XLSX, in the format its fields ask, and keeps nothing of it', async () => {
      const earlier = new Set(incomingFiles(t.hub.config.dataDir));
      const csvAnswer = await sendForm([{ name: 'learners', fileName: 'learners.csv', content: file }]);
      expect(csvAnswer.statusCode, csvAnswer.body).toBe(200);
      const lines = csvAnswer.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(',matched,');
      expect(lines[3]).toContain('license_not_found');

      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Learners');
      for (const line of file.split('\r\n')) sheet.addRow(line.split(','));
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      const xlsxAnswer = await sendForm([{ name: 'upload', fileName: 'learners.xlsx', content: xlsx }], '?format=csv');
      expect(xlsxAnswer.statusCode, xlsxAnswer.body).toBe(200);
      expect(xlsxAnswer.body.replace(/^\uFEFF/, '').trim().split('\r\n')[3]).toContain('license_not_found');
      // The answer's format asked in a field of the form, as in the address.
      const asWorkbook = await sendForm([{ name: 'learners', fileName: 'learners.csv', content: file }, { name: 'format', content: 'xlsx' }]);
      expect(asWorkbook.statusCode, asWorkbook.body).toBe(200);
      expect(asWorkbook.headers['content-type']).toContain('spreadsheetml');
      expect(asWorkbook.rawPayload.subarray(0, 2).toString()).toBe('PK');
      // A file refused for its columns goes as well.
      const refused = await sendForm([{ name: 'learners', fileName: 'colours.csv', content: 'First name,Colour\r\nA,blue' }]);
      expect(refused.statusCode, refused.body).toBe(422);
      await expect.poll(() => leftBehind(earlier)).toEqual([]);
    });

    it('refuses a form with two files, an option given twice, or a field that is no option, and answers nothing', async () => {
      const earlier = new Set(incomingFiles(t.hub.config.dataDir));
      const checked = await filesChecked();
      const first: FormPart = { name: 'file', fileName: 'june.csv', content: file };
      const twoFiles = await sendForm([first, { name: 'file', fileName: 'july.csv', content: file }]);
      expect(twoFiles.statusCode, twoFiles.body).toBe(400);
      expect(twoFiles.json()).toMatchObject({
        code: 'form_several_files',
        detail: 'The form has more than one file: send each learner file in a request of its own, in the "file" field.',
      });
      const withField = await sendForm([first, { name: 'dateOrder', content: 'day_first' }]);
      expect(withField.statusCode, withField.body).toBe(400);
      expect(withField.json()).toMatchObject({
        code: 'form_field_unknown',
        detail: 'The form has a field "dateOrder" that a check of a learner file does not take. Its fields are "file" (the learner file), "format", "fileName" and "dates".',
      });
      const twice = await sendForm([{ name: 'format', content: 'xlsx' }, first], '?format=csv');
      expect(twice.json()).toMatchObject({ status: 400, code: 'form_field_conflict', detail: '"format" is given twice, as "csv" in the address and "xlsx" in the form: give it once.' });
      expect(await filesChecked()).toBe(checked);
      expect(leftBehind(earlier)).toEqual([]);
    });
  });

  it('refuses a file without the learner columns before answering anything', async () => {
    const response = await provider.request({
      method: 'POST', url: '/api/v1/learners/validate/file', payload: 'First name,Colour\r\nA,blue', headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/Last name/);
  });
});
