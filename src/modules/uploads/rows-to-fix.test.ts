import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, demoPassword, login, openActivity } from '../../../test/helpers.ts';
import type { Session } from '../../../test/helpers.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import { valuesToFix } from './rows-to-fix.ts';
import type { UploadWorker } from './upload-worker.ts';

describe('values kept for the rows to fix', () => {
  it('keeps the learner columns that were filled in, and nothing else', () => {
    const sent = { reference: 'R-7', firstName: 'Ann', middleName: '', licenseNumber: 'A1234', whatToFix: 'an old message', sentRow: '12' };
    expect(valuesToFix(sent)).toEqual({ reference: 'R-7', firstName: 'Ann', licenseNumber: 'A1234' });
  });

  it('gives birth month and day for a date of birth, never its year', () => {
    expect(valuesToFix({ dateOfBirth: '07/04/1961', birthMonth: '', birthDay: '' })).toEqual({ birthMonth: '7', birthDay: '4' });
    expect(JSON.stringify(valuesToFix({ dateOfBirth: '4th July 1961', birthMonth: '', birthDay: '' }))).not.toContain('1961');
    expect(valuesToFix({ dateOfBirth: '07/04/1961', birthMonth: '8', birthDay: '' })).toEqual({ birthMonth: '8' });
    // A whole date of birth typed into Birth month, as a spreadsheet shows it, read or not.
    expect(valuesToFix({ birthMonth: '1961-06-30', birthDay: '' })).toEqual({ birthMonth: '6', birthDay: '30' });
    expect(valuesToFix({ birthMonth: '1961-06-30', birthDay: '15' })).toEqual({ birthDay: '15' });
    expect(valuesToFix({ birthMonth: 'June 1961', birthDay: 'the 30th' })).toEqual({ birthDay: 'the 30th' });
  });

  it("writes the consent the upload gave a row that took it, so that the corrected rows, sent back without it, are taken", () => {
    expect(valuesToFix({ lastName: 'Lee', consent: 'Yes' }, { consent: 'written' })).toEqual({ lastName: 'Lee', consent: 'Written' });
    expect(valuesToFix({ lastName: 'Lee', consent: '' }, { consent: 'implied' })).toEqual({ lastName: 'Lee', consent: 'Implied' });
    expect(valuesToFix({ lastName: 'Lee', consent: 'Yes, I consent' }, { consent: 'written' })).toMatchObject({ consent: 'Written' });
    // A row's own kind, or a word the hub could not read, stays as written: what to fix says what was wrong.
    expect(valuesToFix({ lastName: 'Lee', consent: 'Implied' }, { consent: 'written' })).toMatchObject({ consent: 'Implied' });
    expect(valuesToFix({ lastName: 'Lee', consent: 'Perhaps' }, { consent: 'written' })).toMatchObject({ consent: 'Perhaps' });
    expect(valuesToFix({ lastName: 'Lee', consent: 'Yes' })).toMatchObject({ consent: 'Yes' });
  });
});

describe('rows to fix sent back as they were downloaded', () => {
  const completed = addDays(hubToday(), -3);
  const future = addDays(hubToday(), 30);
  /** As a spreadsheet reads a CSV file: any line break outside quotes ends a row. */
  const asSpreadsheetReads = (csv: string) => parse(csv, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }) as string[][];
  let scene: UploadScene;
  let workbookDownloaded: ArrayBuffer;
  let coordinator: Session;
  let worker: UploadWorker;
  let uploadId: string;
  let firstSent: string;

  async function send(body: string | Buffer, fileName: string, contentType: string) {
    const response = await coordinator.request({ method: 'POST', url: `/api/v1/uploads?fileName=${fileName}&consent=written`, payload: body, headers: { 'content-type': contentType } });
    expect(response.statusCode, response.body).toBe(202);
    await worker.idle();
    return (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
  }

  async function references(id: string): Promise<(string | null)[]> {
    return (await coordinator.get(`/api/v1/uploads/${id}/rows?limit=50`)).json().items.map((line: { reference: string | null }) => line.reference);
  }

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Tumor board', providerActivityId: 'FIX-1' });
    ({ worker, coordinator } = scene);
    const id = scene.activityId;
    // Two problems on each of the first two rows, a reference of two lines, and one a spreadsheet would run.
    const sent = [
      'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,AMA PRA Category 1 credits',
      `"Ref\nTwo",${id},${completed},Lena,Fisk,13,40,CA,QLF1,1`,
      `=cr,${id},${future},Omar,Reyes,14,41,CA,QLF2,1`,
      `R-4,${id},${completed},Pia,Lund,6,7,CA,QLF3,1`,
    ].join('\r\n');
    firstSent = sent;
    const done = await send(sent, 'march.csv', 'text/csv');
    expect(done.rows).toMatchObject({ done: 3, pending: 1, rejected: 2 });
    uploadId = done.id;
    const workbook = await coordinator.request({ method: 'GET', url: `/api/v1/uploads/${uploadId}/rows-to-fix?format=xlsx` });
    expect(workbook.statusCode).toBe(200);
    workbookDownloaded = workbook.rawPayload as unknown as ArrayBuffer;
  });

  afterAll(() => scene.close());

  it('keeps each row of the receipt on its line', async () => {
    const receipt = await coordinator.get(`/api/v1/uploads/${uploadId}/receipt?format=csv`);
    const [heading, ...lines] = asSpreadsheetReads(receipt.body);
    expect(lines.map((line) => line[heading.indexOf('Reference')])).toEqual(['Ref\nTwo', "'=cr", 'R-4']);
  });

  it('go in from the CSV file once corrected, whatever their values hold', async () => {
    const download = await coordinator.get(`/api/v1/uploads/${uploadId}/rows-to-fix?format=csv`);
    expect(download.statusCode, download.body).toBe(200);
    const [heading, ...rows] = asSpreadsheetReads(download.body);
    expect(rows.map((row) => row[heading.indexOf('What to fix')].split('\n').length > 1)).toEqual([true, true]);
    // Corrected as in a text editor: only the wrong values change, the file is otherwise the hub's own.
    const corrected = download.body.replace(',13,40,', ',3,4,').replace(',14,41,', ',4,5,').replaceAll(future, completed);
    const again = await send(corrected, 'rows-to-fix.csv', 'text/csv');
    expect(again.rows).toMatchObject({ done: 2, rejected: 0 });
    expect(again.problems).toEqual([]);
    // A CSV file keeps "=cr" from being run by an apostrophe, the hub's own, which it leaves out when the file comes back.
    expect(await references(again.id)).toEqual(['Ref\nTwo', '=cr']);
  });

  it('go in from the workbook once corrected, with their references as they were sent', async () => {
    // Downloaded before the CSV file above corrected the rows: now there are none left to fix.
    expect((await coordinator.get(`/api/v1/uploads/${uploadId}/rows-to-fix?format=xlsx`)).statusCode).toBe(409);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(workbookDownloaded);
    const sheet = workbook.getWorksheet('Rows to fix')!;
    const column = (name: string) => (sheet.getRow(1).values as string[]).indexOf(name);
    sheet.getRow(2).getCell(column('Birth month')).value = 3;
    sheet.getRow(2).getCell(column('Birth day')).value = 4;
    sheet.getRow(3).getCell(column('Birth month')).value = 4;
    sheet.getRow(3).getCell(column('Birth day')).value = 5;
    sheet.getRow(3).getCell(column('Completion date')).value = completed;
    const corrected = Buffer.from(await workbook.xlsx.writeBuffer());
    // The same rows as the CSV file: a changed file, whose rows come back as duplicates.
    const again = await send(corrected, 'rows-to-fix.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(again.rows).toMatchObject({ done: 2, rejected: 0 });
    expect(await references(again.id)).toEqual(['Ref\nTwo', '=cr']);
  });

  it('counts a corrected row sent again as it first was (the file sent again with a row more) as a repeat, not as a row to fix', async () => {
    const grown = `${firstSent}\r\nR-5,${scene.activityId},${completed},Ria,Sund,8,9,CA,QLF5,1`;
    const again = await send(grown, 'march-and-april.csv', 'text/csv');
    expect(again.rows).toMatchObject({ done: 4, pending: 1, rejected: 0, duplicates: 3, toFix: 0 });
    const corrector = (await coordinator.get('/api/v1/uploads')).json().items.find((upload: { fileName: string }) => upload.fileName === 'rows-to-fix.csv');
    type Line = { reference: string; status: string; duplicate: boolean; problems: { code: string; message: string }[]; earlierUpload: { id: string; correctedBy: unknown } | null };
    const lines = (await coordinator.get(`/api/v1/uploads/${again.id}/rows?limit=10`)).json().items as Line[];
    for (const line of lines.slice(0, 2)) {
      expect(line, line.reference).toMatchObject({ status: 'rejected', duplicate: true, earlierUpload: { id: uploadId, correctedBy: { id: corrector.id, fileName: 'rows-to-fix.csv' } } });
      expect(line.problems[0].message).toMatch(
        new RegExp(`^This row was sent before, by row \\d of march\\.csv \\(upload ${uploadId}, .*\\), and rejected, then corrected by rows-to-fix\\.csv \\(upload ${corrector.id}\\): it is not counted again\\. Correct it in your own file too`),
      );
    }
    expect((await coordinator.get(`/api/v1/uploads/${again.id}/rows-to-fix?format=csv`)).json()).toMatchObject({ code: 'no_rows_to_fix' });
  });
});

const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,AMA PRA Category 1 credits';

/** Sends a CSV file as the scene's coordinator, with written consent: the upload once it is taken in. */
async function sendTakenIn({ coordinator, worker }: UploadScene, csv: string, fileName: string) {
  const response = await coordinator.request({ method: 'POST', url: `/api/v1/uploads?fileName=${fileName}&consent=written`, payload: csv, headers: { 'content-type': 'text/csv' } });
  expect(response.statusCode, response.body).toBe(202);
  await worker.idle();
  return (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
}

describe('a whole file corrected and sent again', () => {
  it('takes the rows it corrects off the reports to fix of the first file, and leaves the rest', async () => {
    const scene = await startUploadScene({ title: 'Grand rounds', providerActivityId: 'FIX-2' });
    try {
      const { coordinator, worker, activityId } = scene;
      const completed = addDays(hubToday(), -4);
      const send = (csv: string, fileName: string) => sendTakenIn(scene, csv, fileName);
      const file = (kaiBirthMonth: number, ivoBirthDay: number) =>
        [
          header,
          `K-1,${activityId},${completed},Kai,Moss,${kaiBirthMonth},4,CA,QKM1,1`,
          `I-2,${activityId},${completed},Ida,Holm,5,6,CA,QIH2,1`,
          `V-3,${activityId},${completed},Ivo,Tamm,7,${ivoBirthDay},CA,QIT3,1`,
        ].join('\n');
      const first = await send(file(13, 40), 'june.csv');
      expect(first.rows).toMatchObject({ done: 3, pending: 1, rejected: 2 });
      // Kai's row corrected; Ivo's still wrong, now in another way.
      const second = await send(file(3, 41), 'june-corrected.csv');
      expect(second.rows).toMatchObject({ done: 3, pending: 1, rejected: 1, duplicates: 1 });

      const lines = (await coordinator.get(`/api/v1/uploads/${first.id}/rows?limit=10`)).json().items as { reference: string; reportId: string }[];
      const report = async (reference: string) => (await coordinator.get(`/api/v1/learner-reports/${lines.find((line) => line.reference === reference)?.reportId}`)).json();
      expect(await report('K-1')).toMatchObject({ status: 'rejected', deleteReason: `Corrected by june-corrected.csv (upload ${second.id})`, correctedByUploadId: second.id });
      expect(await report('V-3')).toMatchObject({ status: 'rejected', deletedAt: null });
      const toFix = await coordinator.get(`/api/v1/uploads/${first.id}/rows-to-fix?format=csv`);
      expect(toFix.statusCode, toFix.body).toBe(200);
      expect(toFix.body).toContain('V-3');
      expect(toFix.body).not.toContain('K-1');
      // The first file's receipt lines say which rejected row was corrected since, and by which upload, and which is still to fix.
      type Outcome = { reference: string; stillToFix: boolean | null; noLongerToFix: unknown };
      const outcomes = async () =>
        Object.fromEntries(
          ((await coordinator.get(`/api/v1/uploads/${first.id}/rows?limit=10`)).json().items as Outcome[]).map((line) => [line.reference, [line.stillToFix, line.noLongerToFix]]),
        );
      expect(await outcomes()).toEqual({
        'K-1': [false, { because: 'corrected', correctedBy: { id: second.id, fileName: 'june-corrected.csv' } }],
        'I-2': [null, null],
        'V-3': [true, null],
      });

      // The correcting file withdrawn, its correction goes with it: Kai's rejected row is to fix again, in the
      // first file's rows to fix, as said before and once it is done.
      const preview = (await coordinator.get(`/api/v1/uploads/${second.id}/withdrawal-preview`)).json();
      expect(preview).toMatchObject({ rejectedToFixAgain: 1 });
      expect((await coordinator.post(`/api/v1/uploads/${second.id}/withdraw`, { reason: 'Sent for the wrong session' })).statusCode).toBe(202);
      await worker.idle();
      expect((await coordinator.get(`/api/v1/uploads/${second.id}`)).json().withdrawal).toMatchObject({ status: 'withdrawn', toFixAgain: 1 });
      const kai = await report('K-1');
      expect(kai).toMatchObject({ status: 'rejected', deletedAt: null, correctedByUploadId: null });
      expect(kai.history.at(-1)).toMatchObject({
        action: 'restored',
        reason: `Its correction, june-corrected.csv (upload ${second.id}), was withdrawn: Sent for the wrong session`,
      });
      expect((await coordinator.get(`/api/v1/uploads/${first.id}`)).json().rows).toMatchObject({ toFix: 2, stillToFix: 2 });
      expect((await outcomes())['K-1']).toEqual([true, null]);
      const again = await coordinator.get(`/api/v1/uploads/${first.id}/rows-to-fix?format=csv`);
      expect(again.body).toContain('K-1');
      expect(again.body).toContain('V-3');
      const audit = await scene.t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'learner_report.restore').execute();
      expect(audit).toEqual([{ action: 'learner_report.restore', entity_id: kai.id }]);
    } finally {
      await scene.close();
    }
  });
});

describe('a sign-in sheet corrected and sent again, its rows without references', () => {
  it('takes off the first sheet\'s rows to fix those the License state column it lacked would have let in, and no other learner\'s', async () => {
    const scene = await startUploadScene({ title: 'Tumor board', providerActivityId: 'FIX-SIGN-IN' });
    try {
      const { coordinator, activityId } = scene;
      const completed = addDays(hubToday(), -4);
      const send = (csv: string, fileName: string) => sendTakenIn(scene, csv, fileName);
      const first = await send(
        ['Activity ID,Completion date,Name,DOB,License #,NPI', `${activityId},${completed},Kai Moss,3/4,QKM1,`, `${activityId},${completed},Ida Holm,5/6,QIH2,`].join('\n'),
        'tumor-board.csv',
      );
      expect(first.rows).toMatchObject({ done: 2, rejected: 2, toFix: 2 });
      // The sheet again with the column it lacked; Ida's license was mistyped the first time, so hers is another completion's row.
      const second = await send(
        ['Activity ID,Completion date,Name,DOB,State,License #', `${activityId},${completed},Kai Moss,3/4,CA,QKM1`, `${activityId},${completed},Ida Holm,5/6,CA,QIH9`].join('\n'),
        'tumor-board-with-state.csv',
      );
      expect(second.rows).toMatchObject({ done: 2, pending: 2 });
      const outcomes = Object.fromEntries(
        ((await coordinator.get(`/api/v1/uploads/${first.id}/rows?limit=10`)).json().items as { learner: string; stillToFix: boolean; noLongerToFix: unknown }[]).map((line) => [line.learner, [line.stillToFix, line.noLongerToFix]]),
      );
      expect(outcomes).toEqual({
        'Kai Moss': [false, { because: 'corrected', correctedBy: { id: second.id, fileName: 'tumor-board-with-state.csv' } }],
        'Ida Holm': [true, null],
      });
      expect((await coordinator.get(`/api/v1/uploads/${first.id}`)).json().rows).toMatchObject({ toFix: 2, stillToFix: 1 });
    } finally {
      await scene.close();
    }
  });
});

describe('what became of the rejected rows no longer to fix', () => {
  it('says of each whether its rejected report was corrected, by a later upload (which), in place or by a report sent since, or deleted', async () => {
    const scene = await startUploadScene({ title: 'Morbidity rounds', providerActivityId: 'FIX-4' });
    try {
      const { coordinator, activityId } = scene;
      const completed = addDays(hubToday(), -4);
      const send = (csv: string, fileName: string) => sendTakenIn(scene, csv, fileName);
      const laterRow = (birthMonth: number) => `U-1,${activityId},${completed},Una,Berg,${birthMonth},4,CA,QUB1,1`;
      const first = await send(
        [
          header,
          laterRow(13),
          `P-2,${activityId},last week,Per,Dahl,5,6,CA,QPD2,1`,
          `A-3,${activityId},${completed},Ada,Falk,13,8,CA,QAF3,1`,
          `D-4,${activityId},${completed},Dag,Holm,9,40,CA,QDH4,1`,
          `S-5,${activityId},${completed},Sol,Vik,14,2,CA,QSV5,1`,
          `T-6,${activityId},${completed},Tor,Ek,3,2,CA,QTE6,1`,
        ].join('\n'),
        'rounds.csv',
      );
      expect(first.rows).toMatchObject({ done: 6, pending: 1, rejected: 5, toFix: 5, stillToFix: 5 });
      type Line = { reference: string; reportId: string; stillToFix: boolean | null; noLongerToFix: unknown };
      const receipt = async () => (await coordinator.get(`/api/v1/uploads/${first.id}/rows?limit=10`)).json().items as Line[];
      const reportOf = async (reference: string) => (await receipt()).find((line) => line.reference === reference)!.reportId;
      expect((await receipt()).map((line) => line.noLongerToFix)).toEqual([null, null, null, null, null, null]);

      // Una's row corrected by a later upload; Per's report corrected on its own; Ada reported again through the API; Dag's report deleted.
      const later = await send([header, laterRow(3)].join('\n'), 'rounds-corrected.csv');
      expect(later.rows).toMatchObject({ done: 1, pending: 1 });
      const inPlace = await coordinator.patch(`/api/v1/learner-reports/${await reportOf('P-2')}`, { completionDate: completed, reason: 'the date was written in words' });
      expect(inPlace.statusCode, inPlace.body).toBe(200);
      expect(inPlace.json()).toMatchObject({ status: 'pending' });
      const reportedAgain = await coordinator.post('/api/v1/learner-reports', {
        activityId,
        completionDate: completed,
        learner: { firstName: 'Ada', lastName: 'Falk', birthMonth: 3, birthDay: 8, state: 'CA', licenseNumber: 'QAF3' },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        consent: 'written',
      });
      expect(reportedAgain.statusCode, reportedAgain.body).toBeLessThan(300);
      // Deleted by hand, though its reason begins as the hub's own for a correction.
      const deleted = await coordinator.request({ method: 'DELETE', url: `/api/v1/learner-reports/${await reportOf('D-4')}?reason=${encodeURIComponent('Corrected by phone: not one of ours')}` });
      expect(deleted.statusCode, deleted.body).toBe(200);

      const outcomes = Object.fromEntries((await receipt()).map((line) => [line.reference, [line.stillToFix, line.noLongerToFix]]));
      expect(outcomes).toEqual({
        'U-1': [false, { because: 'corrected', correctedBy: { id: later.id, fileName: 'rounds-corrected.csv' } }],
        'P-2': [false, { because: 'corrected', correctedBy: null }],
        'A-3': [false, { because: 'corrected', correctedBy: null }],
        'D-4': [false, { because: 'deleted', correctedBy: null }],
        'S-5': [true, null],
        'T-6': [null, null],
      });
      expect((await coordinator.get(`/api/v1/uploads/${first.id}`)).json().rows).toMatchObject({ toFix: 5, stillToFix: 1 });
      // The rows to fix hold the row still to fix alone, as they did when the reports were looked up apart from the lines.
      const toFix = await coordinator.get(`/api/v1/uploads/${first.id}/rows-to-fix?format=csv`);
      expect(toFix.statusCode, toFix.body).toBe(200);
      expect(toFix.body.match(/,[A-Z]-\d,/g)).toEqual([',S-5,']);
    } finally {
      await scene.close();
    }
  });
});

describe('a whole file corrected and sent again, its rows known by their references', () => {
  let scene: UploadScene;
  const completed = addDays(hubToday(), -4);
  type Line = { rowNumber: number; reference: string | null; status: string; duplicate: boolean; reportId: string | null };

  async function send(session: Session, csv: string, fileName: string, options = '') {
    const response = await session.request({ method: 'POST', url: `/api/v1/uploads?fileName=${fileName}&consent=written${options}`, payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(response.statusCode, response.body).toBe(202);
    await scene.worker.idle();
    return (await session.get(`/api/v1/uploads/${response.json().id}`)).json();
  }

  async function receipt(session: Session, uploadId: string): Promise<Line[]> {
    return (await session.get(`/api/v1/uploads/${uploadId}/rows?limit=50`)).json().items;
  }

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Ethics grand rounds', providerActivityId: 'FIX-3' });
  });

  afterAll(() => scene.close());

  it('takes off the reports to fix those whose activity, date or one name was the mistake, and no other learner\'s', async () => {
    const { coordinator, activityId } = scene;
    const future = addDays(hubToday(), 30);
    const operator = await login(scene.t.app, demoLogins.operator, demoPassword);
    const northside = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    const northsideLogin = { email: 'coordinator@northside.example.org', password: 'a long enough password' };
    await operator.post(`/api/v1/organizations/${northside.id}/users`, { ...northsideLogin, role: 'provider_admin' });
    const northsideCoordinator = await login(scene.t.app, northsideLogin.email, northsideLogin.password);
    expect((await northsideCoordinator.post('/api/v1/activities', openActivity({ title: 'Northside rounds', providerActivityId: 'NS-FIX' }))).statusCode).toBe(201);
    // Another provider's rejected report with a reference of the same name: not this provider's to correct.
    const elsewhere = await send(operator, [header, `N-8,NS-FIX,last week,Pia,Lund,9,9,CA,QPL8,1`].join('\n'), 'northside.csv', '&providerOrgId=2345678');
    expect(elsewhere.rows).toMatchObject({ done: 1, rejected: 1 });
    const elsewhereReport = (await receipt(operator, elsewhere.id))[0].reportId;

    const first = await send(
      coordinator,
      [
        header,
        `N-1,12345,${completed},Kai,Moss,3,4,CA,QKM1,1`,
        `N-2,${activityId},${future},Ida,Holm,5,6,CA,QIH2,1`,
        `N-3,${activityId},${completed},Ivo,Tam,7,8,CA,QIT3,3`,
        `N-4,${activityId},last week,Ola,Berg,9,10,CA,QOB4,1`,
        `N-5,12345,${completed},Ann,Lee,1,2,CA,QAL5,1`,
        `N-6,12345,${completed},Eva,Roos,3,3,CA,QER6,1`,
        `N-7,${activityId},${completed},Mja,Falk,2,2,CA,QMF7,3`,
        `,12345,${completed},Una,Vik,4,4,CA,QUV7,1`,
        `N-9,${activityId},${completed},Rut,Sand,6,6,CA,QRS9,1`,
      ].join('\n'),
      'june.csv',
    );
    expect(first.rows).toMatchObject({ done: 9, pending: 1, rejected: 8, duplicates: 0 });

    // Corrected in the file itself: the activity, the date, the last name (and the credits), the date that could
    // not be read, the first name (and the credits). Sent by the operator for the provider, as `cmehub import
    // --provider` does: the operator may delete any provider's reports, yet only this provider's are corrected.
    const corrected = await send(
      operator,
      [
        header,
        `N-1,${activityId},${completed},Kai,Moss,3,4,CA,QKM1,1`,
        `N-2,${activityId},${completed},Ida,Holm,5,6,CA,QIH2,1`,
        `N-3,${activityId},${completed},Ivo,Tamm,7,8,CA,QIT3,1`,
        `N-4,${activityId},${completed},Ola,Berg,9,10,CA,QOB4,1`,
        // The same references, other learners: another first name as well as the activity, another license.
        `N-5,${activityId},${completed},Bo,Lee,1,2,CA,QAL5,1`,
        `N-6,${activityId},${completed},Eva,Roos,3,3,CA,QXX6,1`,
        `N-7,${activityId},${completed},Mia,Falk,2,2,CA,QMF7,1`,
        `,${activityId},${completed},Una,Vik,4,4,CA,QUV7,1`,
        `N-8,${activityId},${completed},Pia,Lund,9,9,CA,QPL8,1`,
        `N-9,${activityId},${completed},Rut,Sand,6,6,CA,QRS9,1`,
      ].join('\n'),
      'june-corrected.csv',
      '&providerOrgId=1234567',
    );
    // Each row counted once: the row taken in the first time is a repeat of its report.
    expect(corrected.rows).toMatchObject({ done: 10, pending: 9, rejected: 0, duplicates: 1 });

    const lines = await receipt(coordinator, first.id);
    const report = async (reportId: string | null) => (await coordinator.get(`/api/v1/learner-reports/${reportId}`)).json();
    const reportOf = (reference: string) => report(lines.find((line) => line.reference === reference)!.reportId);
    const reason = `Corrected by june-corrected.csv (upload ${corrected.id})`;
    for (const reference of ['N-1', 'N-2', 'N-3', 'N-4', 'N-7']) {
      const rejected = await reportOf(reference);
      expect(rejected, reference).toMatchObject({ status: 'rejected', deletedAt: expect.any(String), deleteReason: reason });
      expect(rejected.history.at(-1), reference).toMatchObject({ action: 'deleted', reason });
      const audited = await scene.t.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'learner_report.delete').where('entity_id', '=', rejected.id).execute();
      expect(audited, reference).toHaveLength(1);
    }
    for (const reference of ['N-5', 'N-6']) expect(await reportOf(reference), reference).toMatchObject({ status: 'rejected', deletedAt: null });
    expect(await report(lines.find((line) => line.reference === null)!.reportId)).toMatchObject({ status: 'rejected', deletedAt: null });
    expect((await operator.get(`/api/v1/learner-reports/${elsewhereReport}`)).json()).toMatchObject({ status: 'rejected', deletedAt: null });

    const toFix = await coordinator.get(`/api/v1/uploads/${first.id}/rows-to-fix?format=csv`);
    expect(toFix.statusCode, toFix.body).toBe(200);
    const [heading, ...rows] = parse(toFix.body, { bom: true }) as string[][];
    expect(rows.map((row) => row[heading.indexOf('Reference')])).toEqual(['N-5', 'N-6', '']);
  });
});

describe('rows to fix of a sheet with its own columns in place of the template\'s', () => {
  let scene: UploadScene;
  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Sign-in sheet rounds', providerActivityId: 'FIX-4' });
  });
  afterAll(() => scene.close());

  it('says where, among the template\'s columns they have, to correct a date of birth or a whole name', async () => {
    const { coordinator, worker, activityId } = scene;
    const completed = addDays(hubToday(), -2);
    const sheet = ['Activity ID,Completion date,Name,DOB,State,License #,Credits', `${activityId},${completed},Tor Lie,,CA,QTL1,1`, `${activityId},${completed},,04/05,CA,QTL2,1`].join('\r\n');
    const response = await coordinator.request({ method: 'POST', url: '/api/v1/uploads?fileName=sign-in.csv&consent=written', payload: sheet, headers: { 'content-type': 'text/csv' } });
    expect(response.statusCode, response.body).toBe(202);
    await worker.idle();
    const toFix = await coordinator.get(`/api/v1/uploads/${response.json().id}/rows-to-fix?format=csv`);
    expect(toFix.statusCode, toFix.body).toBe(200);
    const [heading, ...rows] = parse(toFix.body, { bom: true }) as string[][];
    expect(heading).not.toContain('DOB');
    expect(rows.map((row) => row[heading.indexOf('What to fix')])).toEqual([
      'Date of birth is empty: write the learner\'s birth month and day, as MM/DD (a year is not needed, and is not kept) (here, in the Birth month and Birth day columns)',
      'Name is empty: write the learner\'s first and last name, such as Maria Lopez or Lopez, Maria (here, in the First name and Last name columns)',
    ]);
  });
});
