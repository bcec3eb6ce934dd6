import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import type { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login, openActivity } from '../../../test/helpers.ts';
import { prepareCommandLineHub } from '../../../test/command-line-hub.ts';
import type { CommandLineHub } from '../../../test/command-line-hub.ts';
import { runCmehub, startServerProcess, stopProcess } from '../../../test/hub-process.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { openDatabase } from '../../db/database.ts';
import { systemContext } from '../../http/actor.ts';
import type { DB } from '../../db/schema.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import { startUploadThread, startUploadWorker, uploadWorker } from './upload-worker.ts';
import type { UploadWorkerOptions } from './upload-worker.ts';
import { claimWithdrawal, releaseWithdrawals } from './uploads.repository.ts';
import { runWithdrawal } from './use-cases/run-withdrawal.ts';
import { stopUpload } from './use-cases/stop-upload.ts';

const today = hubToday();
const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';

/**
 * A learner file of `rows` distinct learners (none on any roster, so each is kept as pending), with
 * every 100th row repeating the row before it: duplicates within the file.
 */
function learnerFile(activityId: string, rows: number): { text: string; duplicates: number } {
  const lines = [header];
  let duplicates = 0;
  for (let index = 0; index < rows; index++) {
    const learner = index % 100 === 99 ? index - 1 : index;
    if (learner !== index) duplicates += 1;
    lines.push(`R-${index},${activityId},${addDays(today, -3)},Pat${learner},Learner${learner},${(learner % 12) + 1},${(learner % 28) + 1},CA,Z${100000 + learner},1,written`);
  }
  return { text: `${lines.join('\n')}\n`, duplicates };
}

type UploadView = { id: string; status: string; rows: { done: number; accepted: number; pending: number; rejected: number; duplicates: number } };

function expectEveryRowOnce(upload: UploadView, rows: number, duplicates: number) {
  expect(upload.status).toBe('finished');
  expect(upload.rows.done).toBe(rows);
  expect(upload.rows.accepted + upload.rows.pending + upload.rows.rejected + upload.rows.duplicates).toBe(rows);
  expect(upload.rows.duplicates).toBe(duplicates);
}

/** Looks at the upload every 100 ms until it has finished or failed, or `withinMs` has passed; the last look. */
async function untilDone(look: () => Promise<UploadView>, withinMs: number): Promise<UploadView> {
  const deadline = Date.now() + withinMs;
  let upload = await look();
  while (upload.status !== 'finished' && upload.status !== 'failed' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    upload = await look();
  }
  return upload;
}

async function createActivity(session: Session): Promise<string> {
  const response = await session.post('/api/v1/activities', openActivity({ title: 'Resume test', providerActivityId: `RES-${randomBytes(3).toString('hex')}` }));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

describe('an upload interrupted in the middle', () => {
  let t: TestApp;
  let coordinator: Session;
  let activityId: string;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    activityId = await createActivity(coordinator);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A worker of this test's hub. */
  const testWorker = (options: Omit<UploadWorkerOptions, 'db' | 'config' | 'databaseKind'>) =>
    startUploadWorker({ db: t.db, config: t.hub.config, databaseKind: t.database.kind, ...options });

  /** A CSV learner file sent by the coordinator, as the API takes it. */
  const sendCsv = (text: string) => coordinator.request({ method: 'POST', url: '/api/v1/uploads', payload: text, headers: { 'content-type': 'text/csv' } });

  /** The upload's counts of row problems are what its receipt lines say: each row counted once. */
  async function expectProblemsCountedOnce(id: string, rows: number) {
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json() as { rowProblems: { code: string; field?: string; rows: number }[] };
    const lines = [];
    for (let cursor = ''; ; ) {
      const page = (await coordinator.get(`/api/v1/uploads/${id}/rows?limit=500${cursor}`)).json();
      lines.push(...(page.items as { duplicate: boolean; problems: { code: string; field?: string }[] }[]));
      if (!page.nextCursor) break;
      cursor = `&cursor=${page.nextCursor}`;
    }
    expect(lines).toHaveLength(rows);
    const fromLines = new Map<string, number>();
    // Repeats of a report on file are counted as duplicates, not as rows to fix.
    for (const line of lines.filter((each) => !each.duplicate)) {
      for (const kind of new Set(line.problems.map((problem) => `${problem.code}:${problem.field ?? ''}`))) fromLines.set(kind, (fromLines.get(kind) ?? 0) + 1);
    }
    expect(fromLines.size).toBeGreaterThan(0);
    expect(new Map(upload.rowProblems.map((kind) => [`${kind.code}:${kind.field ?? ''}`, kind.rows]))).toEqual(fromLines);
  }

  let northsideCoordinator: Session | undefined;
  /** A coordinator of another provider (Northside), added the first time one is needed. */
  async function anotherProvider(): Promise<Session> {
    if (!northsideCoordinator) {
      const operator = await login(t.app, demoLogins.operator, demoPassword);
      const northside = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
      const credentials = { email: 'turns@northside.example.org', password: 'a long enough password' };
      const added = await operator.post(`/api/v1/organizations/${northside.id}/users`, { ...credentials, role: 'provider_admin' });
      expect(added.statusCode, added.body).toBe(201);
      northsideCoordinator = await login(t.app, credentials.email, credentials.password);
    }
    return northsideCoordinator;
  }

  const aMoment = () => new Promise<void>((resolve) => setTimeout(resolve, 100));

  /**
   * Returns once the stop waits for the transaction storing a chunk: on PostgreSQL, for the upload's row lock
   * (told by its statement: another session may wait on a lock meanwhile, autovacuum after the demo's rows).
   * On PGlite a transaction asked for is queued for the single session at once.
   */
  async function untilStopWaitsForTheChunk() {
    if (t.database.kind !== 'postgres') return;
    for (;;) {
      const { rows } = await sql<{ waiting: number }>`
        select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%from "uploads"%for update'`.execute(t.db);
      if (rows[0].waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * A worker of chunks of 20 rows that, while chunk `chunk` is being stored, asks `stop` (which waits for that
   * chunk to commit) and holds the chunk until `hold` returns; `stopped` gives what the stop answered. With
   * `stopLandsFirst`, the job goes on from that chunk only once the stop is answered: a lock released at the
   * commit goes to whichever asks first, and the job's next statement may come before the stop's.
   */
  function workerStoppedDuring<T>(chunk: number, stop: () => Promise<T>, { hold = aMoment, stopLandsFirst = false }: { hold?: () => Promise<void>; stopLandsFirst?: boolean } = {}) {
    let stopping: Promise<T> | null = null;
    const worker = testWorker({
      chunkSize: 20,
      pollMs: 50,
      beforeCommit: async (number) => {
        if (number === chunk && !stopping) {
          stopping = stop();
          await hold();
        }
      },
      afterCommit: async (number) => {
        if (stopLandsFirst && number === chunk) await stopping?.catch(() => undefined);
      },
    });
    const stopped = async (): Promise<T> => {
      while (!stopping) await new Promise((resolve) => setTimeout(resolve, 10));
      return stopping;
    };
    return { worker, stopped };
  }

  async function receiptRowNumbers(id: string): Promise<number[]> {
    const response = await coordinator.get(`/api/v1/uploads/${id}/receipt?format=csv`);
    return response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]));
  }

  /** A worker of chunks of 10 rows whose third chunk fails once, as the power going out would fail it. */
  function workerFailingOnce() {
    let failed = false;
    const worker = testWorker({
      chunkSize: 10,
      pollMs: 50,
      beforeCommit: async (chunk) => {
        if (chunk === 3 && !failed) {
          failed = true;
          throw new Error('the power went out');
        }
      },
    });
    return { worker, failed: () => failed };
  }

  it('loses only the chunk in flight when the database work fails, and counts every row once after', async () => {
    const { text, duplicates } = learnerFile(activityId, 95);
    const { worker, failed } = workerFailingOnce();
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      expect(failed()).toBe(true);
      const upload: UploadView = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      expectEveryRowOnce(upload, 95, duplicates);
      expect(await receiptRowNumbers(upload.id)).toEqual(Array.from({ length: 95 }, (_, index) => index + 2));
      await expectProblemsCountedOnce(upload.id, 95);
      const reports = await t.db.selectFrom('learner_reports').select((eb) => eb.fn.countAll<number>().as('count')).where('upload_id', '=', upload.id).executeTakeFirstOrThrow();
      expect(Number(reports.count)).toBe(95 - duplicates);
    } finally {
      await worker.stop();
    }
  });

  it('resumes a workbook whose rows are on several sheets at the row it stopped at, on its sheet, and counts every row once', async () => {
    const months = ['October', 'November', 'December'];
    const built = new ExcelJS.Workbook();
    months.forEach((month, sheet) => {
      const worksheet = built.addWorksheet(month);
      worksheet.addRow(header.split(','));
      for (let index = 0; index < 15; index++) {
        const learner = sheet * 100 + index;
        worksheet.addRow([`${month}-${index}`, activityId, addDays(today, -3), `Pat${learner}`, `Sheets${learner}`, (learner % 12) + 1, (learner % 28) + 1, 'CA', `S${100000 + learner}`, 1, 'written']);
      }
    });
    const file = Buffer.from(await built.xlsx.writeBuffer());
    // By its third chunk the job is past October: it takes the file in again from a row of another sheet than the first.
    const { worker, failed } = workerFailingOnce();
    try {
      const response = await coordinator.request({ method: 'POST', url: '/api/v1/uploads?format=xlsx', payload: file, headers: { 'content-type': 'application/octet-stream' } });
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      expect(failed()).toBe(true);
      const upload: UploadView = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      expectEveryRowOnce(upload, 45, 0);
      const receipt = (await coordinator.get(`/api/v1/uploads/${upload.id}/receipt?format=csv`)).body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
      expect(receipt.map((line) => line.split(',').slice(0, 3).join(','))).toEqual(
        months.flatMap((month) => Array.from({ length: 15 }, (_, index) => `${month},${index + 2},${month}-${index}`)),
      );
    } finally {
      await worker.stop();
    }
  });

  it('rejects only the row holding a value the database refuses, saying why, and takes in the rows beside it', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 60);
    // Real refusals of the database (a data exception, as for a value past a column's range) of two rows no check
    // stops: of the second, even its receipt line's reference and values.
    await sql`create function refuse_value_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    await sql`create trigger refuse_value_test before insert on learner_reports for each row when (new.first_name in ('Pat25', 'Pat47')) execute function refuse_value_test()`.execute(t.db);
    await sql`create trigger refuse_value_test before insert on upload_rows for each row when (new.reference = 'R-47') execute function refuse_value_test()`.execute(t.db);
    const worker = testWorker({ chunkSize: 10, pollMs: 50 });
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      const id = response.json().id as string;
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      expectEveryRowOnce(upload, 60, 0);
      // Of the two, only the first has its values kept to correct in the rows to fix.
      expect(upload.rows).toMatchObject({ pending: 58, rejected: 2, toFix: 1, stillToFix: 1 });
      expect(await receiptRowNumbers(id)).toEqual(Array.from({ length: 60 }, (_, index) => index + 2));
      const lines = (await coordinator.get(`/api/v1/uploads/${id}/rows?limit=500`)).json().items as { rowNumber: number; reference: string | null; status: string; reportId: string | null; problems: { code: string; message: string }[] }[];
      const rejected = lines.filter((line) => line.status === 'rejected');
      expect(rejected).toMatchObject([
        {
          rowNumber: 27,
          reference: 'R-25',
          reportId: expect.any(String),
          problems: [
            {
              code: 'value_not_stored',
              message:
                'A value in this row could not be stored (the value is out of range): look in the row for a cell holding what its column does not take, such as a note or a whole row pasted into it, and send the row again corrected.',
            },
          ],
        },
        { rowNumber: 49, reference: null, reportId: null, problems: [{ code: 'row_not_stored', message: expect.stringMatching(/^A value in this row could not be stored \(the value is out of range\), nor its values kept for the rows to fix: look in the row, in your own file, for a cell/) }] },
      ]);
      // Its rejected report keeps none of the values the database refused, to be corrected as any rejected row.
      const report = (await coordinator.get(`/api/v1/learner-reports/${rejected[0].reportId}`)).json();
      expect(report).toMatchObject({ status: 'rejected', activityId: null, completionDate: null, problems: [{ code: 'value_not_stored' }] });
      // Its page shows the row as the file gave it, to correct from.
      expect(report.sentIn.valuesAsSent).toEqual(expect.arrayContaining([{ field: 'reference', column: 'Reference', value: 'R-25' }, { field: 'firstName', column: 'First name', value: 'Pat25' }]));
      const pending = lines.find((line) => line.status === 'pending')!;
      expect((await coordinator.get(`/api/v1/learner-reports/${pending.reportId}`)).json().sentIn).toMatchObject({ rowNumber: pending.rowNumber, valuesAsSent: null });
      const toFix = await coordinator.get(`/api/v1/uploads/${id}/rows-to-fix?format=csv`);
      expect(toFix.statusCode, toFix.body).toBe(200);
      expect(toFix.body).toContain('R-25');
      expect(toFix.body).toContain(rejected[0].reportId as string);
      expect(toFix.body).not.toContain('R-47');
      await expectProblemsCountedOnce(id, 60);

      // Sent again (a blank line at its end, so not the same file), the row is known as the rejected report still to fix, not one more.
      const again = await sendCsv(`${text}\n`);
      expect(again.statusCode, again.body).toBe(202);
      await worker.idle();
      const lines2 = (await coordinator.get(`/api/v1/uploads/${again.json().id}/rows?limit=500`)).json().items as { rowNumber: number; status: string; duplicate: boolean; reportId: string | null; problems: { code: string }[] }[];
      expect(lines2.find((line) => line.rowNumber === 27)).toMatchObject({ status: 'rejected', duplicate: true, reportId: rejected[0].reportId, problems: [{ code: 'already_on_file' }, { code: 'value_not_stored' }] });
    } finally {
      await worker.stop();
      await sql`drop trigger if exists refuse_value_test on learner_reports`.execute(t.db);
      await sql`drop trigger if exists refuse_value_test on upload_rows`.execute(t.db);
      await sql`drop function if exists refuse_value_test()`.execute(t.db);
    }
  });

  it('tells a row repeating another of its chunk as such, when a refused value split the chunk between them', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 10);
    // Row 9 repeats the learner of row 3; row 5's value is refused, so the chunk (rows 2 to 11) is taken in by halves,
    // rows 3 and 9 in different ones.
    const lines = text.split('\n');
    lines[8] = lines[2].replace('R-1,', 'R-7,');
    await sql`create function refuse_value_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    await sql`create trigger refuse_value_test before insert on learner_reports for each row when (new.first_name = 'Pat3') execute function refuse_value_test()`.execute(t.db);
    const worker = testWorker({ chunkSize: 10, pollMs: 50 });
    try {
      const response = await sendCsv(lines.join('\n'));
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      const id = response.json().id as string;
      expectEveryRowOnce((await coordinator.get(`/api/v1/uploads/${id}`)).json(), 10, 1);
      const rows = (await coordinator.get(`/api/v1/uploads/${id}/rows?limit=500`)).json().items as { rowNumber: number; status: string; duplicate: boolean; problems: { code: string; message: string }[] }[];
      expect(rows.find((line) => line.rowNumber === 5)).toMatchObject({ status: 'rejected', problems: [{ code: 'value_not_stored' }] });
      expect(rows.find((line) => line.rowNumber === 9)).toMatchObject({
        duplicate: true,
        problems: expect.arrayContaining([expect.objectContaining({ code: 'duplicate_row', message: 'Same learner and activity as row 3 of this file: one report, counted once.' })]),
      });
    } finally {
      await worker.stop();
      await sql`drop trigger if exists refuse_value_test on learner_reports`.execute(t.db);
      await sql`drop function if exists refuse_value_test()`.execute(t.db);
    }
  });

  it('stops, rather than take each row in alone, when the database refuses a value in row after row', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 60);
    // Every learner refused, as a column the database does not take all the way down would be.
    await sql`create function refuse_value_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    await sql`create trigger refuse_value_test before insert on learner_reports for each row when (new.first_name like 'Pat%') execute function refuse_value_test()`.execute(t.db);
    const worker = testWorker({ chunkSize: 10, pollMs: 50 });
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      const upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      expect(upload).toMatchObject({ status: 'failed', rows: { done: 20, rejected: 20 }, error: { code: 'value_not_stored' } });
      expect(upload.error.message).toMatch(
        /^A value in row 22 could not be stored \(the value is out of range\), as were values in 20 rows before it, each rejected: a column probably holds what it does not take all the way down, such as notes pasted into it\. The 20 rows before it, up to row 21, were taken in/,
      );
      expect(await receiptRowNumbers(upload.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 2));
    } finally {
      await worker.stop();
      await sql`drop trigger if exists refuse_value_test on learner_reports`.execute(t.db);
      await sql`drop function if exists refuse_value_test()`.execute(t.db);
    }
  });

  it('fails at the row, saying where, when the database refuses even its receipt line, rather than trying the same rows again', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 60);
    // A real refusal of the database (division by zero, a data exception like an unstorable character).
    const refusal = await sql`select 1 / 0`.execute(t.db).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).not.toBeNull();
    const worker = testWorker({
      chunkSize: 10,
      pollMs: 50,
      beforeCommit: async (chunk) => {
        if (chunk === 3) throw refusal;
      },
    });
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      const upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      expect(upload).toMatchObject({ status: 'failed', rows: { done: 20 }, error: { code: 'value_not_stored' } });
      // The row refused is named, where the value is to be looked for.
      expect(upload.error.message).toMatch(
        /^A value in row 22 could not be stored \(division by zero\): look there for a cell holding what its column does not take, such as a note or a whole row pasted into it\. The 20 rows before it, up to row 21, were taken in/,
      );
      expect(await receiptRowNumbers(upload.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 2));
    } finally {
      await worker.stop();
    }
  });

  it('stops at the sender\'s word: what was taken in stays, nothing more goes in, and the file sent again takes in the rest once', async () => {
    const { text, duplicates } = learnerFile(await createActivity(coordinator), 200);
    const send = () => sendCsv(text);
    const response = await send();
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    // Asked while the third chunk is being stored: that chunk is kept, and the job stops after it.
    const { worker, stopped: stopAsked } = workerStoppedDuring(3, () => coordinator.post(`/api/v1/uploads/${id}/stop`));
    try {
      const stopped = await stopAsked();
      expect(stopped.statusCode, stopped.body).toBe(200);
      await worker.idle();
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      // Its rows are those it took in: no guess of the whole file's is left beside them.
      expect(upload).toMatchObject({ status: 'failed', error: { code: 'stopped' }, estimatedRows: null });
      expect(upload.rows.done).toBeGreaterThanOrEqual(60);
      expect(upload.rows.done).toBeLessThan(200);
      expect(upload.error.message).toBe(
        `Stopped by ${demoLogins.providerAdmin}. The first ${upload.rows.done} rows, up to row ${upload.rows.done + 1}, were taken in and are in the receipt; ` +
          'to take in the rest, send the file again: the rows already taken in are recognised and not counted twice.',
      );
      expect(await receiptRowNumbers(id)).toEqual(Array.from({ length: upload.rows.done }, (_, index) => index + 2));
      const stopAgain = await coordinator.post(`/api/v1/uploads/${id}/stop`);
      expect(stopAgain.statusCode).toBe(409);
      expect(stopAgain.json().code).toBe('upload_done');

      const again = await send();
      expect(again.statusCode, again.body).toBe(202);
      await worker.idle();
      const rest: UploadView = (await coordinator.get(`/api/v1/uploads/${again.json().id}`)).json();
      // Every row of the file counted once more: those the first upload took in, as already on file.
      expectEveryRowOnce(rest, 200, duplicates + (upload.rows.done - upload.rows.duplicates));
      const reports = await t.db
        .selectFrom('learner_reports')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('upload_id', 'in', [id, rest.id])
        .executeTakeFirstOrThrow();
      expect(Number(reports.count)).toBe(200 - duplicates);
    } finally {
      await worker.stop();
    }
  });

  it('keeps on an upload its sender stopped what the rows read by then told of the file', async () => {
    // Past its first 64 KB of plain ASCII, the file's learners are written in Mac Roman.
    const { text } = learnerFile(await createActivity(coordinator), 1200);
    const lines = text.split('\n').map((line, index) => (index > 1000 ? line.replace(',Pat', ',Renée') : line));
    const response = await coordinator.request({ method: 'POST', url: '/api/v1/uploads', payload: iconv.encode(lines.join('\n'), 'macintosh'), headers: { 'content-type': 'text/csv' } });
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    // Asked while rows 1,081 to 1,100 are stored, well after the first Mac Roman row was read.
    const { worker, stopped } = workerStoppedDuring(55, () => coordinator.post(`/api/v1/uploads/${id}/stop`));
    try {
      expect((await stopped()).statusCode).toBe(200);
      await worker.idle();
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      expect(upload).toMatchObject({ status: 'failed', error: { code: 'stopped' } });
      expect(upload.rows.done).toBeLessThan(1200);
      expect(upload.problems).toEqual([
        {
          code: 'not_utf8',
          message:
            'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented name read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
        },
      ]);
    } finally {
      await worker.stop();
    }
  });

  it('stays stopped when the stop comes while the last chunk is stored, and says the whole file was taken in: the job ending after it does not overwrite it', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 40);
    const response = await sendCsv(text);
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    const queued = await t.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // The stop waits for the last chunk's transaction, as one asked from the page at that moment does.
    const { worker, stopped } = workerStoppedDuring(2, () => stopUpload(t.db, systemContext('the operator'), queued), {
      hold: untilStopWaitsForTheChunk,
      stopLandsFirst: true,
    });
    try {
      await stopped();
      await worker.idle();
    } finally {
      await worker.stop();
    }
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload).toMatchObject({ status: 'failed', rows: { done: 40 }, error: { code: 'stopped' } });
    expect(upload.error.message).toBe(
      'Stopped by the operator after the whole file was taken in: all 40 rows were taken in and are in the receipt, and nothing is left to send. To take the file back, withdraw the upload.',
    );
    expect(await receiptRowNumbers(id)).toHaveLength(40);

    // Withdrawn then, the advice given at the stop is followed by what holds now.
    const withdrawn = await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason: 'Sent by mistake' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(202);
    expect(withdrawn.json().error.message).toMatch(/withdraw the upload\. Then it was withdrawn: the rows it took in are being deleted, so to take the file in, send it again whole\.$/);
  });

  it('says of a file sent again while its first upload waits that it is still being taken in, and its receipt only once it is done', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 10);
    const first = await sendCsv(text);
    expect(first.statusCode, first.body).toBe(202);
    const whileWaiting = await sendCsv(text);
    expect(whileWaiting.json()).toMatchObject({ id: first.json().id, alreadyUploaded: true, status: 'queued' });
    expect(whileWaiting.json().message).toMatch(/Nothing was added; this is the earlier upload, which is still being taken in: follow it here\.$/);
    const worker = testWorker({ chunkSize: 5, pollMs: 50 });
    try {
      await worker.idle();
    } finally {
      await worker.stop();
    }
    const once = await sendCsv(text);
    expect(once.json().message).toMatch(/Nothing was added; this is the earlier upload and its receipt\.$/);
  });

  it('withdraws a large upload in the background, picks the withdrawal up where a stopped server left it, and deletes every report once', async () => {
    const { text, duplicates } = learnerFile(await createActivity(coordinator), 300);
    const response = await sendCsv(text);
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    const worker = testWorker({ chunkSize: 100, pollMs: 50, withdrawalPageRows: 40 });
    await worker.idle();
    await worker.stop();
    const taken = 300 - duplicates;
    const asked = await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason: 'Last year\'s file' });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json().withdrawal).toMatchObject({ status: 'withdrawing', reports: 0 });

    // A server carries out two pages of it, then stops.
    const first = 'run-that-stops';
    const claimed = await claimWithdrawal(t.db, first, 60_000);
    expect(claimed?.id).toBe(id);
    let pages = 0;
    const outcome = await runWithdrawal({ db: t.db, run: first, leaseMs: 60_000, pageRows: 40, onPage: () => (pages += 1), shouldStop: () => pages === 2 }, claimed!);
    expect(outcome).toBe('stopped');
    const halfway = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(halfway.withdrawal).toMatchObject({ status: 'withdrawing', reports: 80, at: null });
    // Its file cannot be sent again yet: its rows would be taken as repeats of reports being deleted.
    const resent = await sendCsv(text);
    expect(resent.statusCode).toBe(409);
    expect(resent.json()).toMatchObject({ code: 'upload_being_withdrawn', detail: expect.stringContaining('80 of its reports deleted so far') });
    // Its rows to fix say it is being withdrawn, not that everything is gone already.
    const toFix = await coordinator.get(`/api/v1/uploads/${id}/rows-to-fix`);
    expect(toFix.statusCode).toBe(409);
    expect(toFix.json()).toMatchObject({ code: 'upload_withdrawn', detail: expect.stringMatching(/^This upload is being withdrawn: what it took in is being deleted/) });

    // Another run whose lease ran out finds its pages not stored.
    const stale = await claimWithdrawal(t.db, 'run-whose-lease-runs-out', 1);
    expect(stale?.id).toBe(id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = await claimWithdrawal(t.db, 'run-that-takes-over', 60_000);
    expect(next?.id).toBe(id);
    expect(await runWithdrawal({ db: t.db, run: 'run-whose-lease-runs-out', leaseMs: 1, pageRows: 40 }, stale!)).toBe('lost');
    await releaseWithdrawals(t.db, 'run-that-takes-over');

    const second = testWorker({ pollMs: 50, withdrawalPageRows: 40 });
    try {
      await second.idle();
    } finally {
      await second.stop();
    }
    const withdrawn = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(withdrawn.withdrawal).toMatchObject({ status: 'withdrawn', reports: taken, at: expect.any(String) });
    const reports = await t.db
      .selectFrom('learner_reports')
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('deleted_at').as('deleted')])
      .where('upload_id', '=', id)
      .executeTakeFirstOrThrow();
    expect({ all: Number(reports.all), deleted: Number(reports.deleted) }).toEqual({ all: taken, deleted: taken });
    const deletions = await sql<{ count: number }>`
      select count(*)::int as count from audit_log join learner_reports on learner_reports.id::text = audit_log.entity_id
      where audit_log.action = 'learner_report.delete' and learner_reports.upload_id = ${id}`.execute(t.db);
    const [deletionCount] = deletions.rows;
    expect(deletionCount.count).toBe(taken);
  });

  it('tries a withdrawal that keeps failing again later and later, not every second, and finishes it once the fault is mended', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 30);
    const sent = await sendCsv(text);
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json().id as string;
    const logged: string[] = [];
    const worker = testWorker({
      chunkSize: 20,
      pollMs: 50,
      withdrawalPageRows: 10,
      log: { error: (_details, message) => logged.push(message) },
    });
    const withdrawalNow = async () => {
      const row = await sql<{ withdrawal: { failures?: number; at: string | null; reports: number }; wait_ms: number }>`
        select withdrawal, extract(epoch from ((withdrawal->>'leaseUntil')::timestamptz - now())) * 1000 as wait_ms from uploads where id = ${id}`.execute(t.db);
      return { ...row.rows[0].withdrawal, waitMs: Number(row.rows[0].wait_ms) };
    };
    try {
      await worker.idle();
      // A fault the hub cannot mend by itself: every deletion of this upload's reports fails.
      await sql`create function refuse_withdrawal_test() returns trigger language plpgsql as $$ begin raise exception 'the disk is full'; end $$`.execute(t.db);
      await sql.raw(`create trigger refuse_withdrawal_test before update on learner_reports for each row when (new.upload_id = '${id}') execute function refuse_withdrawal_test()`).execute(t.db);
      expect((await coordinator.post(`/api/v1/uploads/${id}/withdraw`, { reason: 'The wrong activity' })).statusCode).toBe(202);
      let withdrawal = await withdrawalNow();
      for (const deadline = Date.now() + 10_000; (withdrawal.failures ?? 0) < 2 && Date.now() < deadline; withdrawal = await withdrawalNow()) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(withdrawal).toMatchObject({ failures: 2, reports: 0, at: null });
      // The second failure puts the next try 2 s off: until just before then, nothing more is tried.
      expect(withdrawal.waitMs).toBeGreaterThan(1000);
      await new Promise((resolve) => setTimeout(resolve, withdrawal.waitMs - 300));
      expect((await withdrawalNow()).failures).toBe(2);
      expect(logged.filter((message) => message.startsWith('withdrawal stopped'))).toHaveLength(2);
      expect((await coordinator.get(`/api/v1/uploads/${id}`)).json().withdrawal).toMatchObject({ status: 'withdrawing', heldUp: true, reports: 0 });

      await sql`drop trigger refuse_withdrawal_test on learner_reports`.execute(t.db);
      for (const deadline = Date.now() + 10_000; !withdrawal.at && Date.now() < deadline; withdrawal = await withdrawalNow()) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(withdrawal).toMatchObject({ reports: 30 });
      expect(withdrawal.at).not.toBeNull();
      expect(withdrawal.failures).toBeUndefined();
      expect((await coordinator.get(`/api/v1/uploads/${id}`)).json().withdrawal).toMatchObject({ status: 'withdrawn', heldUp: false });
    } finally {
      await sql`drop trigger if exists refuse_withdrawal_test on learner_reports`.execute(t.db);
      await sql`drop function if exists refuse_withdrawal_test()`.execute(t.db);
      await worker.stop();
    }
  });

  it('gives the worker to a file sent while a withdrawal runs, then finishes the withdrawal', async () => {
    const { text: wrong, duplicates } = learnerFile(await createActivity(coordinator), 1000);
    const sent = await sendCsv(wrong);
    expect(sent.statusCode, sent.body).toBe(202);
    const wrongId = sent.json().id as string;
    const worker = testWorker({ chunkSize: 200, pollMs: 50, withdrawalPageRows: 10, withdrawalTurnMs: 0 });
    try {
      await worker.idle();
      expect((await coordinator.post(`/api/v1/uploads/${wrongId}/withdraw`, { reason: 'The wrong activity' })).statusCode).toBe(202);
      // Sent while the withdrawal deletes its first pages.
      const { text: right } = learnerFile(await createActivity(coordinator), 3);
      const rightSent = await sendCsv(right);
      expect(rightSent.statusCode, rightSent.body).toBe(202);
      await worker.idle();
      const rightUpload = (await coordinator.get(`/api/v1/uploads/${rightSent.json().id}`)).json();
      const withdrawn = (await coordinator.get(`/api/v1/uploads/${wrongId}`)).json();
      expect(rightUpload.status).toBe('finished');
      expect(withdrawn.withdrawal).toMatchObject({ status: 'withdrawn', reports: 1000 - duplicates });
      expect(Date.parse(rightUpload.finishedAt)).toBeLessThan(Date.parse(withdrawn.withdrawal.at));
    } finally {
      await worker.stop();
    }
  });

  it('takes in a small file sent while a large one is taken in at once, without waiting for the large one; each counts every row once', async () => {
    const { text: large, duplicates } = learnerFile(await createActivity(coordinator), 1000);
    const { text: small } = learnerFile(await createActivity(coordinator), 3);
    // Sent while the large file's second chunk is stored.
    let sendSmall!: () => void;
    const smallSent = new Promise<Awaited<ReturnType<typeof sendCsv>>>((resolve) => (sendSmall = () => resolve(sendCsv(small))));
    const worker = testWorker({
      chunkSize: 20,
      pollMs: 50,
      smallFileMaxBytes: 10_000,
      beforeCommit: async (chunk) => {
        if (chunk === 2) sendSmall();
        // Each of the large file's 50 chunks takes a while, as a year-end file's do.
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    try {
      const largeSent = await sendCsv(large);
      expect(largeSent.statusCode, largeSent.body).toBe(202);
      const sent = await smallSent;
      expect(sent.statusCode, sent.body).toBe(202);
      const smallDone = await untilDone(async () => (await coordinator.get(`/api/v1/uploads/${sent.json().id}`)).json(), 20_000);
      const largeMeanwhile: UploadView = (await coordinator.get(`/api/v1/uploads/${largeSent.json().id}`)).json();
      expectEveryRowOnce(smallDone, 3, 0);
      expect(largeMeanwhile.status).toBe('running');
      await worker.idle();
      expectEveryRowOnce((await coordinator.get(`/api/v1/uploads/${largeSent.json().id}`)).json(), 1000, duplicates);
    } finally {
      await worker.stop();
    }
  });

  it('stops an upload before its job starts: nothing is taken in, and no worker takes it up later', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 10);
    const response = await sendCsv(text);
    expect(response.statusCode, response.body).toBe(202);
    const notDone = await coordinator.post(`/api/v1/uploads/${response.json().id}/withdraw`, { reason: 'Sent by mistake' });
    expect(notDone.statusCode).toBe(409);
    expect(notDone.json().code).toBe('upload_not_done');
    const stopped = await coordinator.post(`/api/v1/uploads/${response.json().id}/stop`);
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json()).toMatchObject({
      status: 'failed',
      rows: { done: 0 },
      error: { code: 'stopped', message: `Stopped by ${demoLogins.providerAdmin} before any row was taken in.` },
    });
    // Stopped again from another tab: it says it is stopped, and by whom, not that every row was taken in.
    const twice = await coordinator.post(`/api/v1/uploads/${response.json().id}/stop`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'upload_done', detail: `This upload is already stopped: Stopped by ${demoLogins.providerAdmin} before any row was taken in.` });
    const worker = testWorker({ chunkSize: 20, pollMs: 50 });
    try {
      await worker.idle();
    } finally {
      await worker.stop();
    }
    expect((await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json()).toMatchObject({ status: 'failed', rows: { done: 0 } });
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', response.json().id).execute();
    expect(audit.map((entry) => entry.action)).toContain('upload.stop');
  });

  /**
   * Sends a 300-row file whose worker stops after its fourth chunk of 20 rows, then lets another worker take it
   * up: the upload once done, every row counted once, each in the receipt.
   */
  async function takenInAfterAStop(file: string, duplicates: number): Promise<UploadView> {
    const { worker: first, stopped } = workerStoppedDuring(4, (): Promise<void> => first.stop());
    const response = await sendCsv(file);
    expect(response.statusCode, response.body).toBe(202);
    await stopped();
    const halfway: UploadView = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
    expect(halfway.status).toBe('queued');
    expect(halfway.rows.done).toBe(80);

    const second = testWorker({ chunkSize: 20, pollMs: 50 });
    try {
      await second.idle();
      const upload: UploadView = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      expectEveryRowOnce(upload, 300, duplicates);
      expect(await receiptRowNumbers(upload.id)).toEqual(Array.from({ length: 300 }, (_, index) => index + 2));
      return upload;
    } finally {
      await second.stop();
    }
  }

  it('picks up where it stopped when the server stops between chunks and starts again', async () => {
    // Another activity, so that these learners are new reports.
    const { text: file, duplicates } = learnerFile(await createActivity(coordinator), 300);
    const upload = await takenInAfterAStop(file, duplicates);
    await expectProblemsCountedOnce(upload.id, 300);
  });

  it('picks up where it stopped in a CSV file whose stray quotes each reject their row alone, and counts every row once', async () => {
    const { text, duplicates } = learnerFile(await createActivity(coordinator), 300);
    // Quotes typed by mistake: one before the stop, one after it, and one a quoted name three rows later closes.
    const lines = text.split('\n');
    for (const index of [30, 150, 200]) lines[index + 1] = lines[index + 1].replace(',Pat', ',"Pat');
    lines[204] = lines[204].replace(/,Learner(\d+),/, ',"Learner, $1",');
    const upload = await takenInAfterAStop(lines.join('\n'), duplicates);
    const rejected = (await coordinator.get(`/api/v1/uploads/${upload.id}/rows?status=rejected&limit=10`)).json().items;
    expect(rejected.map((line: { rowNumber: number; reference: string; problems: { code: string }[] }) => [line.rowNumber, line.reference, line.problems.map((problem) => problem.code)])).toEqual([
      [32, 'R-30', ['unreadable_row']],
      [152, 'R-150', ['unreadable_row']],
      [202, 'R-200', ['unreadable_row']],
    ]);
  });

  it('tells the sender of a waiting file how many files go before it, until its turn comes', async () => {
    const activity = await createActivity(coordinator);
    const files = [1, 2, 3].map((seed) => learnerFile(activity, 3 + seed).text);
    const first = await sendCsv(files[0]);
    const second = await sendCsv(files[1]);
    const ahead = async (id: string) => (await coordinator.get(`/api/v1/uploads/${id}`)).json().filesAhead as number | null;
    // Files other tests left waiting go first too: count from the first of these.
    const beforeFirst = (await ahead(first.json().id))!;
    expect(await ahead(second.json().id)).toBe(beforeFirst + 1);
    const third = await sendCsv(files[2]);
    expect(third.statusCode, third.body).toBe(202);
    expect(third.json()).toMatchObject({ filesAhead: beforeFirst + 2, message: `The file is queued behind ${beforeFirst + 2} other files; its rows are taken in once they are.` });
    // Counted only for one upload asked for by its address; a list has no count.
    const listed = (await coordinator.get('/api/v1/uploads?limit=10')).json().items as { id: string; filesAhead: number | null }[];
    expect(listed.slice(0, 3).map((upload) => [upload.id, upload.filesAhead])).toEqual([third, second, first].map((sent) => [sent.json().id, null]));
    // A waiting file has no receipt yet, not an empty one.
    const receipt = await coordinator.get(`/api/v1/uploads/${third.json().id}/receipt?format=csv`);
    expect(receipt.statusCode).toBe(409);
    expect(receipt.headers['retry-after']).toBe('5');
    expect(receipt.json()).toMatchObject({ code: 'upload_not_done', detail: expect.stringContaining('its receipt can be downloaded once it is done') });

    const worker = testWorker({ pollMs: 50 });
    try {
      await worker.idle();
    } finally {
      await worker.stop();
    }
    const done = (await coordinator.get(`/api/v1/uploads/${third.json().id}`)).json();
    expect(done).toMatchObject({ status: 'finished', filesAhead: null });
  });

  it('lets providers take turns: a file sent after another provider’s three waits behind one of them, not all three', async () => {
    const otherProvider = await anotherProvider();
    const othersActivity = await createActivity(otherProvider);

    const activity = await createActivity(coordinator);
    const mine = [];
    for (const seed of [1, 2, 3]) mine.push((await sendCsv(learnerFile(activity, 3 + seed).text)).json().id as string);
    const ahead = async (id: string) => (await coordinator.get(`/api/v1/uploads/${id}`)).json().filesAhead as number;
    // Files other tests left waiting go first too: count from the first of these.
    const beforeFirst = await ahead(mine[0]);
    expect(await ahead(mine[1])).toBe(beforeFirst + 1);
    const sent = await otherProvider.request({ method: 'POST', url: '/api/v1/uploads', payload: learnerFile(othersActivity, 4).text, headers: { 'content-type': 'text/csv' } });
    expect(sent.statusCode, sent.body).toBe(202);
    const theirs: string = sent.json().id;
    expect(sent.json().filesAhead).toBeLessThanOrEqual(beforeFirst + 1);
    expect(await ahead(mine[1])).toBe(beforeFirst + 2);
    expect(await ahead(mine[2])).toBe(beforeFirst + 3);

    // One lane, so that the files are taken one at a time, in the queue's order.
    const worker = testWorker({ pollMs: 50, smallFileMaxBytes: 0 });
    try {
      await worker.idle();
    } finally {
      await worker.stop();
    }
    const startedAt = async (session: Session, id: string) => {
      const upload = (await session.get(`/api/v1/uploads/${id}`)).json();
      expect(upload.status).toBe('finished');
      return upload.startedAt as string;
    };
    const [first, second, third] = await Promise.all(mine.map((id) => startedAt(coordinator, id)));
    const others = await startedAt(otherProvider, theirs);
    expect(first < others && others < second && second < third).toBe(true);
  });

  it('puts a file sent to a long queue beside the round the queue is at, not before files that waited longer', async () => {
    const drain = testWorker({ pollMs: 50 });
    await drain.idle();
    await drain.stop();
    const otherProvider = await anotherProvider();
    const othersActivity = await createActivity(otherProvider);
    const activity = await createActivity(coordinator);
    const mine = [];
    for (const seed of [1, 2, 3]) mine.push((await sendCsv(learnerFile(activity, 3 + seed).text)).json().id as string);
    // The first is done with (stopped by its sender): the queue is at the second's round.
    expect((await coordinator.post(`/api/v1/uploads/${mine[0]}/stop`)).statusCode).toBe(200);
    const theirs = [];
    for (const seed of [1, 2]) {
      const sent = await otherProvider.request({ method: 'POST', url: '/api/v1/uploads', payload: learnerFile(othersActivity, 3 + seed).text, headers: { 'content-type': 'text/csv' } });
      expect(sent.statusCode, sent.body).toBe(202);
      theirs.push(sent.json());
    }
    const ahead = async (id: string) => (await coordinator.get(`/api/v1/uploads/${id}`)).json().filesAhead as number;
    expect(theirs.map((upload) => upload.filesAhead)).toEqual([1, 3]);
    expect(await ahead(mine[1])).toBe(0);
    expect(await ahead(mine[2])).toBe(2);
  });

  /**
   * Follows an upload of `rows` rows as its page does, every 200 ms, taken in by chunks of `chunkSize` rows committed
   * on a beat of `beatMs`: a steady pace, however busy the machine (a chunk that misses its beat is made up by the next
   * ones, which wait less). What it said of the time left and of the rows in all is held to what then came.
   */
  async function expectTimeAndRowsFollowed(send: () => Promise<Awaited<ReturnType<Session['request']>>>, rows: number, chunkSize: number, beatMs: number) {
    let firstBeat: number | null = null;
    let beats = 0;
    const onTheBeat = () => {
      firstBeat ??= Date.now();
      beats += 1;
      return new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, firstBeat! + beats * beatMs - Date.now())));
    };
    const worker = testWorker({ chunkSize, pollMs: 50, beforeCommit: onTheBeat });
    try {
      const response = await send();
      expect(response.statusCode, response.body).toBe(202);
      const readings: { at: number; secondsLeft: number | null; estimatedRows: number | null; status: string }[] = [];
      let upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      // The time left is the rows' to take in: what follows them (the table statistics brought up to date) is not paced.
      let takenInAt: number | null = null;
      while (upload.status === 'queued' || upload.status === 'running') {
        readings.push({ at: Date.now(), secondsLeft: upload.secondsLeft, estimatedRows: upload.estimatedRows, status: upload.status });
        await new Promise((resolve) => setTimeout(resolve, 200));
        upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
        if (upload.rows.done === rows) takenInAt ??= Date.now();
      }
      expect(upload).toMatchObject({ status: 'finished', secondsLeft: null });
      const endedAt = takenInAt ?? Date.now();
      const estimates = readings.filter((reading) => reading.secondsLeft !== null && reading.at < endedAt);
      // Not at the start, when the pace is not yet known; then each within 2 s, or a third, of what was left (it is
      // said in whole seconds, rounded up).
      expect(readings[0].secondsLeft).toBeNull();
      expect(estimates.length).toBeGreaterThan(3);
      for (const { at, secondsLeft } of estimates) {
        const left = (endedAt - at) / 1000;
        expect(Math.abs(secondsLeft! - left)).toBeLessThan(Math.max(2, left / 3));
      }
      // The rows the whole file probably has, as the page says them while it runs: near what it has from the first.
      const rowEstimates = readings.flatMap((reading) => (reading.estimatedRows === null ? [] : [reading.estimatedRows]));
      expect(rowEstimates.length).toBeGreaterThan(2);
      for (const estimate of rowEstimates) expect(Math.abs(estimate - rows), `about ${estimate} rows in all`).toBeLessThan(rows / 10);
    } finally {
      await worker.stop();
    }
  }

  // A machine busy with other work (a browser test beside this one) can hold a chunk up past its beat near the end,
  // which no estimate foresees: such a run is tried again. An estimate wrong by design is wrong every time.
  const timedRetries = { retry: 2 };

  it('says about how long a running upload has left, near the time it then takes, and about how many rows it has', timedRetries, async () => {
    // 360 KB, so that the file is read in several pieces, as the pace follows the bytes read.
    const { text } = learnerFile(await createActivity(coordinator), 4000);
    await expectTimeAndRowsFollowed(() => sendCsv(text), 4000, 100, 200);
  });

  it('says so of a workbook too, whose shared text, read before its rows, is not taken for their pace', timedRetries, async () => {
    const [heading, ...lines] = learnerFile(await createActivity(coordinator), 8_000).text.trim().split('\n');
    const built = new ExcelJS.Workbook();
    const sheet = built.addWorksheet('Learners');
    sheet.addRow(heading.split(','));
    for (const line of lines) sheet.addRow(line.split(',').map((value, column) => (column === 5 || column === 6 || column === 9 ? Number(value) : value)));
    const file = Buffer.from(await built.xlsx.writeBuffer());
    const send = () => coordinator.request({ method: 'POST', url: '/api/v1/uploads?format=xlsx', payload: file, headers: { 'content-type': 'application/octet-stream' } });
    // Chunks of 250 rows take 60-200 ms on a machine busy with other work (400 ms now and then), well within their beat.
    await expectTimeAndRowsFollowed(send, 8_000, 250, 350);
  });

  it('starts an upload sent while it was looking for work, not at its next look a minute later', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 5);
    let holdNextLook = false;
    let looking!: () => void;
    const lookingNow = new Promise<void>((resolve) => (looking = resolve));
    let endLook!: () => void;
    const lookEnded = new Promise<void>((resolve) => (endLook = resolve));
    const worker = startUploadWorker({
      db: holdingAfterQuery(t.db, async () => {
        if (!holdNextLook) return;
        holdNextLook = false;
        looking();
        await lookEnded;
      }),
      config: t.hub.config,
      databaseKind: t.database.kind,
      pollMs: 60_000,
    });
    try {
      await worker.idle();
      // The worker looks, finds nothing, and is held there while the upload comes in and is announced.
      holdNextLook = true;
      worker.wake();
      await lookingNow;
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      endLook();
      await expect
        .poll(async () => (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json().status, { timeout: 10_000, interval: 100 })
        .toBe('finished');
    } finally {
      await worker.stop();
    }
  });

  // On PostgreSQL a request has its own connection; on PGlite it waits for the session the import holds.
  it.runIf(!process.env.TEST_DATABASE_URL)('on PGlite, answers a request that came while a chunk was matched before that chunk is stored', async () => {
    const { text } = learnerFile(await createActivity(coordinator), 30);
    const order: string[] = [];
    let requestSent = false;
    const worker = startUploadWorker({
      db: holdingAfterQuery(t.database.backgroundDb, async (query) => {
        if (requestSent || !query.sql.includes('with search as')) return;
        requestSent = true;
        // A request reaching the server as the first chunk's learners are matched.
        setImmediate(() => {
          void t.db
            .selectFrom('uploads')
            .select('id')
            .limit(20)
            .execute()
            .then(() => order.push('request answered'));
        });
      }),
      config: t.hub.config,
      databaseKind: t.database.kind,
      chunkSize: 10,
      pollMs: 50,
      beforeCommit: async (chunk) => {
        order.push(`chunk ${chunk} stored`);
      },
    });
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      await worker.idle();
      expect(order.slice(0, 2)).toEqual(['request answered', 'chunk 1 stored']);
    } finally {
      await worker.stop();
    }
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('on PostgreSQL, goes on with the file while the server\'s own thread is busy', async () => {
    const { text, duplicates } = learnerFile(await createActivity(coordinator), 60);
    const worker = uploadWorker.start(t.hub);
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      // The server's thread does nothing for up to 30 s, but for one look at the upload every 10 s: an
      // import running beside the requests would have had a few statements in all, far from the file's end.
      let upload: UploadView | null = null;
      for (let look = 0; look < 3 && upload?.status !== 'finished'; look++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
        upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
      }
      expectEveryRowOnce(upload!, 60, duplicates);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('on PostgreSQL, starts the upload thread again when it dies, and the file still goes in', async () => {
    const { text, duplicates } = learnerFile(await createActivity(coordinator), 40);
    const errors: string[] = [];
    const thread = startUploadThread(t.hub.config, t.database.url!, { error: (_details, message) => errors.push(message) }, new URL('./testdata/dying-upload-thread.ts', import.meta.url));
    try {
      const response = await sendCsv(text);
      expect(response.statusCode, response.body).toBe(202);
      const upload = await untilDone(async () => (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json(), 30_000);
      expect(errors).toEqual(['upload thread stopped by an unexpected error']);
      expectEveryRowOnce(upload, 40, duplicates);
    } finally {
      await thread.stop();
    }
  }, 60_000);
});

/**
 * The same database, with `afterQuery` awaited after each statement has run and given its connection back
 * (so that, on PGlite's one session too, other requests go on meanwhile).
 */
function holdingAfterQuery(db: Kysely<DB>, afterQuery: (query: CompiledQuery) => Promise<void>): Kysely<DB> {
  const executor = db.getExecutor();
  const holdingExecutor = new Proxy(executor, {
    get(target, property) {
      if (property === 'executeQuery') {
        return async (...args: Parameters<typeof executor.executeQuery>) => {
          const result = await target.executeQuery(...args);
          await afterQuery(args[0]);
          return result;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(db, {
    get(target, property) {
      if (property === 'getExecutor') return () => holdingExecutor;
      if (property === 'executeQuery') return holdingExecutor.executeQuery;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The real thing: a server process killed (SIGKILL) in the middle of a file, then started again.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('a server killed in the middle of a file', () => {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  let hubData: CommandLineHub;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | null = null;

  beforeAll(async () => {
    hubData = await prepareCommandLineHub('killed');
    dataDir = hubData.dataDir;
    env = { ...hubData.env, LOG_LEVEL: 'warn', PORT: String(await freePort()), HOST: '127.0.0.1' };
    const demo = runCmehub(env, 'demo');
    expect(demo.status, demo.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (server) await stopProcess(server, 'SIGKILL');
    await hubData.remove();
  });

  it('resumes after the restart and counts every row once: none lost, none doubled', async () => {
    server = await startServerProcess(env);
    const base = `http://127.0.0.1:${env.PORT}`;
    const signIn = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoLogins.providerAdmin, password: demoPassword }),
    });
    const cookies = signIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
    const csrf = cookies.find((cookie) => cookie.startsWith('cmehub_csrf='))?.split('=')[1] ?? '';
    const me = await (await fetch(`${base}/api/v1/me`, { headers: { cookie: cookies.join('; ') } })).json();
    const keyResponse = await fetch(`${base}/api/v1/organizations/${me.organization.id}/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'resume test' }),
    });
    const key = (await keyResponse.json()).key as string;
    const call = (url: string, init: RequestInit = {}) =>
      fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
    const activity = await call('/api/v1/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(openActivity({ title: 'Killed server', providerActivityId: 'KILL-1' })),
    });
    expect(activity.status).toBe(201);
    const rows = postgresUrl ? 40_000 : 12_000;
    const { text, duplicates } = learnerFile((await activity.json()).id, rows);
    const created = await call('/api/v1/uploads', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text });
    expect(created.status).toBe(202);
    const uploadId = (await created.json()).id as string;

    // Kill the server once some chunks are in and many rows are not.
    let halfway: UploadView | null = null;
    for (let attempt = 0; attempt < 2000 && !halfway; attempt++) {
      const upload: UploadView = await (await call(`/api/v1/uploads/${uploadId}`)).json();
      if (upload.rows.done > 0 && upload.rows.done < rows / 2) halfway = upload;
      else if (upload.rows.done >= rows / 2) throw new Error('The file went in before the server could be killed; make it larger.');
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(halfway).not.toBeNull();
    await stopProcess(server, 'SIGKILL');

    server = await startServerProcess(env);
    const upload = await untilDone(async () => (await call(`/api/v1/uploads/${uploadId}`)).json(), 120_000);
    expectEveryRowOnce(upload, rows, duplicates);
    const receipt = (await (await call(`/api/v1/uploads/${uploadId}/receipt?format=csv`)).text()).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    const numbers = receipt.map((line) => Number(line.split(',')[0]));
    expect(numbers.length).toBe(rows);
    expect(new Set(numbers).size).toBe(rows);
    expect(Math.min(...numbers)).toBe(2);
    expect(Math.max(...numbers)).toBe(rows + 1);

    await stopProcess(server, 'SIGTERM');
    server = null;
    const database = postgresUrl
      ? await openDatabase({ kind: 'postgres', url: env.DATABASE_URL as string })
      : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const stored = await database.db.selectFrom('learner_reports').select((eb) => eb.fn.countAll<number>().as('count')).where('upload_id', '=', uploadId).executeTakeFirstOrThrow();
      expect(Number(stored.count)).toBe(rows - duplicates);
    } finally {
      await database.close();
    }
  }, 240_000);
});
