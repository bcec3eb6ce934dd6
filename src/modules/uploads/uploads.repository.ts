import { sql } from 'kysely';
import type { Selectable, SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Problem } from '../../http/errors.ts';
import { correctedByLaterReportLike } from '../reports/reports.repository.ts';
import { rowsNotKeptCodes } from './learner-file.ts';
import { addRowProblems } from './row-problem-counts.ts';
import { stoppedBySender } from './upload-status.ts';
import type { RowProblemCount } from './row-problem-counts.ts';
import type { PacePoint } from './run-pace.ts';
import type { ActivityAndDateForRows } from './learner-file.ts';
import type { SheetRead } from '../../files/row-place.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { ColumnsRead } from './learner-rows.ts';
import type { ReceiptStatus, UploaderSnapshot, UploadFormat, UploadsTables, UploadWithdrawal } from './uploads.tables.ts';

export type UploadRow = Selectable<UploadsTables['uploads']>;
const receiptLineColumns = ['row_number', 'reference', 'status', 'duplicate', 'late', 'report_id', 'problems'] as const;
export type ReceiptLineRow = Pick<Selectable<UploadsTables['upload_rows']>, (typeof receiptLineColumns)[number]>;

export type NewUpload = {
  id: string;
  providerOrgId: string;
  format: UploadFormat;
  fileName: string | null;
  sha256: string;
  bytes: number;
  storagePath: string;
  consent: 'written' | 'implied' | null;
  dateOrder: DateOrder | null;
  forRows: ActivityAndDateForRows;
  problems: Problem[];
  columnsRead: ColumnsRead | null;
  sheets: SheetRead[] | null;
  createdBy: UploaderSnapshot;
};

/** The uploads that hold their file: not stopped or failed, and not withdrawn (a withdrawal being carried out still holds it). */
const holdsItsFile = sql<boolean>`status <> 'failed' and (withdrawal is null or withdrawal->>'at' is null)`;

/**
 * The round of the queue a provider's new upload goes in: the round after its provider's last file still
 * waiting or being taken in, and never before the round the queue is at (its earliest file still to finish).
 * The queue takes a round's files oldest first, so providers take turns: a provider that sends a dozen
 * year-end files holds up another's file by one of them, not by all twelve; and a file sent to a long queue
 * goes beside that queue's current round, not before files that have waited longer.
 */
function queueTurn(providerOrgId: string) {
  return sql<number>`(
    select greatest(
      coalesce(max(queue_turn) filter (where provider_org_id = ${providerOrgId}), 0) + 1,
      coalesce(min(queue_turn), 1))
    from uploads where status in ('queued', 'running'))`;
}

/**
 * Stores a new upload, queued; null when the provider already has this file (same SHA-256, held by an upload)
 * for the same activity and date of the rows without one.
 */
export async function insertUpload(executor: Executor, upload: NewUpload): Promise<UploadRow | null> {
  const row = await executor
    .insertInto('uploads')
    .values({
      id: upload.id,
      provider_org_id: upload.providerOrgId,
      format: upload.format,
      file_name: upload.fileName,
      file_sha256: upload.sha256,
      file_bytes: upload.bytes,
      storage_path: upload.storagePath,
      consent: upload.consent,
      date_order: upload.dateOrder,
      rows_activity_id: upload.forRows.activityId,
      rows_completion_date: upload.forRows.completionDate,
      problems: JSON.stringify(upload.problems),
      columns_read: upload.columnsRead ? JSON.stringify(upload.columnsRead) : null,
      sheets: upload.sheets ? JSON.stringify(upload.sheets) : null,
      created_by: JSON.stringify(upload.createdBy),
      queue_turn: queueTurn(upload.providerOrgId),
    })
    .onConflict((conflict) =>
      conflict.columns(['provider_org_id', 'file_sha256', 'rows_activity_id', 'rows_completion_date']).where(holdsItsFile).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** The upload that holds the same file, sent for the same activity and date of the rows without one. */
export function findSameFile(executor: Executor, providerOrgId: string, sha256: string, forRows: ActivityAndDateForRows) {
  return executor
    .selectFrom('uploads')
    .selectAll()
    .where('provider_org_id', '=', providerOrgId)
    .where('file_sha256', '=', sha256)
    .where(sql<boolean>`rows_activity_id is not distinct from ${forRows.activityId}::bpchar`)
    .where(sql<boolean>`rows_completion_date is not distinct from ${forRows.completionDate}::date`)
    .where(holdsItsFile)
    .executeTakeFirst();
}

/** One upload; `providerOrgId` null only for the operator, who may see any. */
export function findUpload(executor: Executor, id: string, providerOrgId: string | null) {
  let query = executor.selectFrom('uploads').selectAll().where('id', '=', id);
  if (providerOrgId !== null) query = query.where('provider_org_id', '=', providerOrgId);
  return query.executeTakeFirst();
}

/** The upload, locked until the transaction ends: a chunk of it being stored commits first. */
export function lockUpload(executor: Executor, id: string) {
  return executor.selectFrom('uploads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listUploads(
  executor: Executor,
  filter: { providerOrgId: string | null; before?: { createdAt: string; id: string }; limit: number },
) {
  let query = executor
    .selectFrom('uploads')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.providerOrgId !== null) query = query.where('provider_org_id', '=', filter.providerOrgId);
  if (filter.before) {
    const { createdAt, id } = filter.before;
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', new Date(createdAt)), eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '<', id)])]),
    );
  }
  return query.execute();
}

/** Uploads waiting to run: queued, or left running by a server whose lease ran out. */
const waitsToRun = sql<boolean>`(status = 'queued' or (status = 'running' and lease_expires_at < now()))`;

/**
 * Files up to this size (about 70,000 CSV rows, a few seconds to a minute of work) have a lane of their own:
 * a hospital's spreadsheet of forty rows starts at once, even while a year-end file of a million takes minutes.
 */
export const smallFileMaxBytes = 5 * 1024 * 1024;

/** Files no larger than `maxFileBytes`, or any file without it. */
const noLargerThan = (maxFileBytes: number | undefined) => (maxFileBytes === undefined ? sql<boolean>`true` : sql<boolean>`file_bytes <= ${maxFileBytes}`);

/** What taking an upload in sets: running, leased to the caller, its pace to be measured afresh. */
const startedRun = (leaseMs: number) => sql`
  status = 'running',
  lease_expires_at = now() + ${leaseMs} * interval '1 millisecond',
  started_at = coalesce(started_at, now()),
  pace_from_at = null,
  attempts = attempts + 1,
  updated_at = now()`;

/**
 * Takes the next upload waiting to run, or one whose worker's lease ran out (the server stopped mid-file),
 * and leases it to the caller; with `maxFileBytes`, the next of the files no larger. Next means of the
 * earliest round (`queueTurn`), and of those the oldest. SKIP LOCKED lets several servers, and a server's
 * several lanes, share the queue.
 */
export async function claimNextUpload(executor: Executor, leaseMs: number, maxFileBytes?: number): Promise<UploadRow | null> {
  const result = await sql<UploadRow>`
    update uploads set ${startedRun(leaseMs)}
    where id = (
      select id from uploads
      where ${waitsToRun} and ${noLargerThan(maxFileBytes)}
      order by queue_turn, created_at
      limit 1
      for update skip locked)
    returning *`.execute(executor);
  return result.rows[0] ?? null;
}

/**
 * How many files go before a waiting upload, as the queue stands: those being taken in now, and those
 * waiting of an earlier round, or of its round and sent before it (of any provider); for a small file, only
 * the small ones, as large ones do not hold up its lane. A file another provider sends later may still go
 * first, in an earlier round.
 */
export async function countUploadsAhead(executor: Executor, upload: Pick<UploadRow, 'id' | 'created_at' | 'file_bytes' | 'queue_turn'>): Promise<number> {
  const sameLane = noLargerThan(Number(upload.file_bytes) <= smallFileMaxBytes ? smallFileMaxBytes : undefined);
  const result = await sql<{ ahead: number }>`
    select count(*)::int as ahead from uploads
    where id <> ${upload.id} and ${sameLane}
      and ((status = 'running' and lease_expires_at >= now())
        or (${waitsToRun} and (queue_turn, created_at) < (${upload.queue_turn}, ${upload.created_at})))`.execute(executor);
  return result.rows[0].ahead;
}

/** Whether an upload waits to be taken in: a withdrawal gives it the worker's turn. */
export async function uploadWaits(executor: Executor): Promise<boolean> {
  const waiting = await executor.selectFrom('uploads').select('id').where(waitsToRun).limit(1).executeTakeFirst();
  return waiting !== undefined;
}

/** Leases one given upload, if it is waiting or its lease ran out (the command line runs its own upload). */
export async function claimUpload(executor: Executor, id: string, leaseMs: number): Promise<UploadRow | null> {
  const result = await sql<UploadRow>`
    update uploads set ${startedRun(leaseMs)}
    where id = ${id} and ${waitsToRun}
    returning *`.execute(executor);
  return result.rows[0] ?? null;
}

export type ChunkProgress = {
  rows: number;
  lastRowNumber: number;
  accepted: number;
  pending: number;
  rejected: number;
  duplicates: number;
  bytesDone: number;
  /** Where the run's pace is measured from (`run-pace.ts`). */
  paceFrom: PacePoint;
  /** The upload's counts of row problems with this chunk's added. */
  rowProblemCounts: RowProblemCount[];
};

/**
 * Adds a committed chunk to the upload's counts and renews the lease. False when the upload is no
 * longer this worker's to run (its lease ran out and another worker took it): the chunk must then
 * be rolled back.
 */
export async function recordChunk(executor: Executor, id: string, attempt: number, chunk: ChunkProgress, leaseMs: number): Promise<boolean> {
  const result = await executor
    .updateTable('uploads')
    .set((eb) => ({
      rows_done: eb('rows_done', '+', chunk.rows),
      last_row_number: chunk.lastRowNumber,
      accepted: eb('accepted', '+', chunk.accepted),
      pending: eb('pending', '+', chunk.pending),
      rejected: eb('rejected', '+', chunk.rejected),
      duplicates: eb('duplicates', '+', chunk.duplicates),
      bytes_done: chunk.bytesDone,
      pace_from_at: new Date(chunk.paceFrom.at),
      pace_from_bytes: chunk.paceFrom.bytes,
      row_problem_counts: JSON.stringify(chunk.rowProblemCounts),
      lease_expires_at: sql<Date>`now() + ${leaseMs} * interval '1 millisecond'`,
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The upload's notices about its file, with `notices` added after them. */
function problemsWith(notices: Problem[]) {
  return sql<string>`problems || ${JSON.stringify(notices)}::jsonb`;
}

/**
 * Ends the job's run of an upload as finished or failed, the notices about the file that only its rows told added
 * to those said when it was sent; false when the upload is no longer this run's (its sender stopped it, or
 * another server took it over), which then keeps what that recorded.
 */
export async function endUploadRun(
  executor: Executor,
  upload: Pick<UploadRow, 'id' | 'attempts'>,
  end: ({ finishedBytes: number } | { failure: UploadFailure }) & { notices: Problem[] },
): Promise<boolean> {
  const set =
    'failure' in end
      ? failedColumns(end.failure, end.notices)
      : {
          status: 'finished' as const,
          finished_at: sql<Date>`now()`,
          updated_at: sql<Date>`now()`,
          lease_expires_at: null,
          bytes_done: end.finishedBytes,
          ...(end.notices.length > 0 ? { problems: problemsWith(end.notices) } : {}),
        };
  const result = await executor
    .updateTable('uploads')
    .set(set)
    .where('id', '=', upload.id)
    .where('status', '=', 'running')
    .where('attempts', '=', upload.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Adds the notices about the file that only its rows told to an upload its sender stopped during this run (`attempts`),
 * as an upload that ended by itself has them.
 */
export async function addNoticesToStoppedRun(executor: Executor, upload: Pick<UploadRow, 'id' | 'attempts'>, notices: Problem[]): Promise<void> {
  if (notices.length === 0) return;
  await executor
    .updateTable('uploads')
    .set({ problems: problemsWith(notices) })
    .where('id', '=', upload.id)
    .where('error_code', '=', stoppedBySender)
    .where('attempts', '=', upload.attempts)
    .execute();
}

type UploadFailure = { code: string; message: string; problems: Problem[] };

/**
 * What stopped the upload goes before what was said of its file, which stays: a column not read or the encoding of
 * its text says as much of the rows taken in before the stop as it would of a finished upload's.
 */
function failedColumns(failure: UploadFailure, notices: Problem[] = []) {
  return {
    status: 'failed' as const,
    error_code: failure.code,
    error_message: failure.message,
    problems: sql<string>`${JSON.stringify(failure.problems)}::jsonb || ${problemsWith(notices)}`,
    finished_at: sql<Date>`now()`,
    updated_at: sql<Date>`now()`,
    lease_expires_at: null,
  };
}

/** Ends an upload as failed (or stopped by its sender), keeping what was said of its file; the upload as it then is. */
export function failUpload(executor: Executor, id: string, failure: UploadFailure) {
  return executor.updateTable('uploads').set(failedColumns(failure)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Uploads done before `before` whose stored file is still kept, oldest first. */
export function uploadsWithFilesDoneBefore(executor: Executor, before: Date) {
  return executor
    .selectFrom('uploads')
    .select(['id', 'provider_org_id', 'storage_path'])
    .where('status', 'in', ['finished', 'failed'])
    .where('file_removed_at', 'is', null)
    .where('finished_at', '<', before)
    .orderBy('finished_at')
    .execute();
}

/** Records that the upload's file went; false when another server recorded it first. */
export async function markFileRemoved(executor: Executor, id: string): Promise<boolean> {
  const result = await executor
    .updateTable('uploads')
    .set({ file_removed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('file_removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a running upload back in the queue, as when the server stops between two chunks. */
export function requeueUpload(executor: Executor, id: string) {
  return executor
    .updateTable('uploads')
    .set({ status: 'queued', lease_expires_at: null, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/**
 * The tables an upload grows, row by row, whose planner statistics it keeps fresh: with statistics that still say
 * "a few rows", PostgreSQL plans the look-up of a chunk's reports already on file as a hash of all the provider's
 * reports, chunk after chunk (a 30,000-row file took 74 s on PGlite, 13 s with fresh statistics).
 */
export const tablesUploadsGrow = ['learner_reports', 'learner_report_credits', 'upload_rows'];

/** Every running upload back to the queue: for a database only this process uses, at start. */
export function requeueRunningUploads(executor: Executor) {
  return executor
    .updateTable('uploads')
    .set({ status: 'queued', lease_expires_at: null, updated_at: sql<Date>`now()` })
    .where('status', '=', 'running')
    .execute();
}

export type NewReceiptLine = {
  rowNumber: number;
  reference: string | null;
  status: ReceiptStatus;
  duplicate: boolean;
  late: boolean;
  reportId: string | null;
  problems: Problem[];
  /** Only for rejected rows of a CSV or XLSX file. */
  sentValues: Record<string, string> | null;
};

export async function insertReceiptLines(executor: Executor, uploadId: string, providerOrgId: string, lines: NewReceiptLine[]) {
  if (lines.length === 0) return;
  // One JSON document, as for the reports: one parameter whatever the chunk size, and quick to read.
  const document = JSON.stringify(lines.map((line) => ({ ...line, problems: line.problems.length > 0 ? line.problems : null })));
  await sql`
    insert into upload_rows (upload_id, row_number, provider_org_id, reference, status, duplicate, late, report_id, problems, sent_values)
    select ${uploadId}::uuid, line."rowNumber", ${providerOrgId}::uuid, line.reference, line.status, line.duplicate,
      line.late, line."reportId", line.problems, line."sentValues"
    from json_to_recordset(${document}::json)
      as line("rowNumber" integer, reference text, status text, duplicate boolean, late boolean, "reportId" uuid, problems jsonb, "sentValues" jsonb)`.execute(executor);
}

/** A page of an upload's receipt lines: those after `afterRow`, in row order. */
function receiptLinePage(executor: Executor, uploadId: string, providerOrgId: string, page: { afterRow: number; limit: number }) {
  return executor
    .selectFrom('upload_rows')
    .where('upload_id', '=', uploadId)
    .where('provider_org_id', '=', providerOrgId)
    .where('row_number', '>', page.afterRow)
    .orderBy('row_number')
    .limit(page.limit);
}

type LinePage = SelectQueryBuilder<DB, 'upload_rows', object>;

/** The upload a repeat's report came from: the receipt names it beside the line (not for a repeat of this upload's own row). */
export type EarlierUploadRow = {
  id: string;
  file_name: string | null;
  created_at: Date;
  row_number: number | null;
  sheets: SheetRead[] | null;
  corrected_by_upload_id: string | null;
  corrector_file_name: string | null;
};

/**
 * A page of the lines `narrow` keeps, each with its report as it is now, in one statement; `withNames` adds what a
 * receipt line names (its activity by your ID, the upload that corrected its report, the one a repeat's report came from).
 * The page is read first (materialized, by the lines' key), then each line's report by its id and what that names by
 * theirs, each in a lateral subquery that `limit 1` keeps from being merged into a plain join: PostgreSQL would answer
 * that by reading every report (or activity) to hash them, for each page.
 */
function linesWithTheirReports(
  executor: Executor,
  uploadId: string,
  providerOrgId: string,
  page: { afterRow: number; limit: number },
  narrow: (lines: LinePage) => LinePage,
  { withNames }: { withNames: boolean },
) {
  return executor
    .with(
      (cte) => cte('page').materialized(),
      () => narrow(receiptLinePage(executor, uploadId, providerOrgId, page)).select([...receiptLineColumns, 'sent_values']),
    )
    .selectFrom('page')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('learner_reports')
          .select([
            'first_name',
            'last_name',
            'completion_date',
            'activity_id',
            'status as report_status',
            sql<boolean>`deleted_at is not null`.as('report_deleted'),
            // Deleted as corrected by a report sent through the API or the form; a later upload's row names its upload.
            sql<boolean>`delete_reason like ${correctedByLaterReportLike}`.as('deleted_as_corrected'),
            'corrected_by_upload_id',
            'upload_id as report_upload_id',
            'row_number as report_row_number',
          ])
          .whereRef('id', '=', 'page.report_id')
          .where('provider_org_id', '=', providerOrgId)
          .limit(1)
          .as('report'),
      (join) => join.onTrue(),
    )
    .selectAll(['page', 'report'])
    .$if(withNames, (lines) =>
      lines
        .leftJoinLateral(
          // By the activities' own key (a report keeps its activity ID as text), and the provider's own only: a rejected
          // report keeps an ID as sent, which may be another provider's activity.
          (eb) =>
            eb
              .selectFrom('activities')
              .select('provider_activity_id')
              .where(sql`id`, '=', sql`report.activity_id::bpchar`)
              .where('provider_org_id', '=', providerOrgId)
              .limit(1)
              .as('activity'),
          (join) => join.onTrue(),
        )
        .leftJoinLateral(
          (eb) => eb.selectFrom('uploads').select('file_name as corrector_file_name').whereRef('id', '=', 'report.corrected_by_upload_id').limit(1).as('corrector'),
          (join) => join.onTrue(),
        )
        .leftJoinLateral(
          // Only for a repeat of a report another upload took in: the line names that upload.
          (eb) =>
            eb
              .selectFrom('uploads')
              .select(['id as sender_id', 'file_name as sender_file_name', 'created_at as sender_created_at', 'sheets as sender_sheets'])
              .whereRef('id', '=', 'report.report_upload_id')
              .where('id', '<>', uploadId)
              .where(sql<boolean>`page.duplicate`)
              .limit(1)
              .as('sender'),
          (join) => join.onTrue(),
        )
        .selectAll(['activity', 'corrector', 'sender']),
    )
    .orderBy('page.row_number')
    .execute();
}

type LineWithItsReport = Awaited<ReturnType<typeof linesWithTheirReports>>[number];

/** A line's report is still to fix: rejected, and not corrected (which deletes it, or makes it accepted or pending) nor deleted since. */
const reportStillToFix = (line: LineWithItsReport) => line.report_status === 'rejected' && !line.report_deleted;

/**
 * What became of a rejected report no longer to fix: corrected, by a later upload's row (which upload: `correctedBy`), in
 * place (it is no longer rejected), or by a report of the same completion sent through the API or the form; or else deleted.
 */
export type NoLongerToFix = { because: 'corrected' | 'deleted'; correctedBy: { id: string; fileName: string | null } | null };

/** Whether a rejected line's report is still to fix, and if not what became of it. Null for a line with no report on file. */
function sinceRejected(line: LineWithItsReport): { stillToFix: boolean; noLongerToFix: NoLongerToFix | null } | null {
  if (line.report_status === null) return null;
  if (reportStillToFix(line)) return { stillToFix: true, noLongerToFix: null };
  if (line.corrected_by_upload_id) {
    return { stillToFix: false, noLongerToFix: { because: 'corrected', correctedBy: { id: line.corrected_by_upload_id, fileName: line.corrector_file_name ?? null } } };
  }
  // A report corrected in place, then deleted, is deleted.
  const corrected = line.report_deleted ? Boolean(line.deleted_as_corrected) : line.report_status !== 'rejected';
  return { stillToFix: false, noLongerToFix: { because: corrected ? 'corrected' : 'deleted', correctedBy: null } };
}

/**
 * Whom, for which activity and on which date a receipt line is, as its row gave them: what tells the lines apart to
 * the sender. `still_to_fix`, of a rejected line: whether its rejected report is still to fix (not corrected since, by
 * a later upload or in place, nor deleted), and `no_longer_to_fix` what became of it if not; null on the other lines.
 * `earlier_upload`, of a repeat of a report another upload took in: that upload.
 */
export type LineLearner = {
  learner: string | null;
  activity: string | null;
  completion_date: string | null;
  still_to_fix: boolean | null;
  no_longer_to_fix: NoLongerToFix | null;
  earlier_upload: EarlierUploadRow | null;
};

/**
 * The receipt lines after `afterRow`, in row order; `status` narrows to one outcome, `problem` to one kind of problem.
 * Each has its learner, activity and completion date: its report's (for a repeat, the report on file), or, for a
 * rejected row, what it was sent with.
 */
export async function receiptLines(
  executor: Executor,
  uploadId: string,
  providerOrgId: string,
  filter: { afterRow: number; limit: number; status?: ReceiptStatus; duplicate?: boolean; problem?: { code: string; field?: string } },
): Promise<(ReceiptLineRow & LineLearner)[]> {
  const narrow = (page: LinePage) => {
    let narrowed = page;
    if (filter.status) narrowed = narrowed.where('status', '=', filter.status);
    if (filter.duplicate !== undefined) narrowed = narrowed.where('duplicate', '=', filter.duplicate);
    if (filter.problem) narrowed = narrowed.where(hasProblemOfKind(filter.problem));
    return narrowed;
  };
  const lines = await linesWithTheirReports(executor, uploadId, providerOrgId, filter, narrow, { withNames: true });
  return lines.map((line) => {
    const sent = line.sent_values;
    const names = [line.first_name ?? sent?.firstName, line.last_name ?? sent?.lastName].filter(Boolean);
    // A repeat's report is another row's to fix; a row of which nothing was kept has none.
    const since = line.status === 'rejected' && !line.duplicate ? sinceRejected(line) : null;
    return {
      row_number: line.row_number,
      reference: line.reference,
      status: line.status,
      duplicate: line.duplicate,
      late: line.late,
      report_id: line.report_id,
      problems: line.problems,
      learner: names.length > 0 ? names.join(' ') : null,
      activity: line.provider_activity_id ?? sent?.activityId ?? null,
      completion_date: line.completion_date ?? sent?.completionDate ?? null,
      still_to_fix: since?.stillToFix ?? null,
      no_longer_to_fix: since?.noLongerToFix ?? null,
      earlier_upload:
        line.sender_id && line.sender_created_at
          ? {
              id: line.sender_id,
              file_name: line.sender_file_name ?? null,
              created_at: new Date(line.sender_created_at),
              row_number: line.report_row_number,
              sheets: line.sender_sheets ?? null,
              corrected_by_upload_id: line.corrected_by_upload_id,
              corrector_file_name: line.corrector_file_name ?? null,
            }
          : null,
    };
  });
}

/**
 * Lines with a problem of one kind, as `addRowProblems` counts them: of any credit line, and not on rows
 * repeating a report on file, whose problems are that report's, but for the first, which says what it repeats.
 */
function hasProblemOfKind({ code, field }: { code: string; field?: string }) {
  const sameField = field === undefined ? sql`true` : sql`regexp_replace(problem->>'field', '\.[0-9]+\.', '.', 'g') = ${field}`;
  return sql<boolean>`problems @> ${JSON.stringify([{ code }])}::jsonb and (not duplicate or problems->0->>'code' = ${code})
    and exists (select from jsonb_array_elements(problems) as problem where problem->>'code' = ${code} and ${sameField})`;
}

/**
 * The rejected lines after `afterRow`, in row order, with the values their rows were sent with (not those of
 * rows of which nothing is kept: nothing of them is to correct, `rowsNotKeptCodes`; nor rows repeating a rejected
 * report on file); `stillToFix` is false for a line whose rejected report was corrected since (by a corrected row,
 * or in place) or deleted.
 */
export async function rejectedLinesWithValues(executor: Executor, uploadId: string, providerOrgId: string, page: { afterRow: number; limit: number }) {
  const lines = await linesWithTheirReports(executor, uploadId, providerOrgId, page, (lines) =>
    lines
      .where('status', '=', 'rejected')
      // A row repeating a rejected report sent before is fixed through the rows to fix of the upload that sent it.
      .where('duplicate', '=', false)
      .where(sql<boolean>`coalesce(problems->0->>'code', '') not in (${sql.join(rowsNotKeptCodes)})`),
    { withNames: false },
  );
  return lines.map((line) => ({
    row_number: line.row_number,
    report_id: line.report_id,
    problems: line.problems,
    sent_values: line.sent_values,
    stillToFix: line.report_id === null || reportStillToFix(line),
  }));
}

/** How many of the upload's rejected reports are still to fix: not corrected (corrected in place, or replaced by a corrected row) nor deleted. */
export async function countRejectedReportsStillToFix(executor: Executor, uploadId: string, providerOrgId: string): Promise<number> {
  const { count } = await executor
    .selectFrom('learner_reports')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('upload_id', '=', uploadId)
    .where('provider_org_id', '=', providerOrgId)
    .where('status', '=', 'rejected')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The reports an upload took in, after `afterRow`, in row order: not those on file that its repeated rows pointed to. */
export function reportsTakenIn(executor: Executor, uploadId: string, providerOrgId: string, page: { afterRow: number; limit: number }) {
  return receiptLinePage(executor, uploadId, providerOrgId, page)
    .select(['row_number', 'report_id'])
    .where('duplicate', '=', false)
    .where('report_id', 'is not', null)
    .$narrowType<{ report_id: string }>()
    .execute();
}

/**
 * What withdrawing the upload would do now: `reports`, those it took in that are still on file (not deleted
 * one by one since, nor replaced by a corrected row), and of them `kept`, those a later upload also sent,
 * which would stay on file as that upload's (`laterSenders`).
 */
export async function withdrawalReach(executor: Executor, uploadId: string, providerOrgId: string): Promise<{ reports: number; kept: number }> {
  const result = await sql<{ reports: number; kept: number }>`
    select count(*)::int as reports,
      (count(*) filter (where exists (
        select from upload_rows later join uploads sender on sender.id = later.upload_id
        where later.report_id = line.report_id and later.duplicate and later.upload_id <> ${uploadId}
          and later.provider_org_id = ${providerOrgId} and sender.withdrawal is null)))::int as kept
    from upload_rows line join learner_reports report on report.id = line.report_id
    where line.upload_id = ${uploadId} and line.provider_org_id = ${providerOrgId} and not line.duplicate
      and report.upload_id = ${uploadId} and report.deleted_at is null`.execute(executor);
  return result.rows[0];
}

/**
 * Of the rejected reports named by rows of a file of rows to fix, those of the provider still to fix whose row
 * is the one named beside them (`sentRow`; any, where the file no longer says): the row of the file that took
 * the report in, or of a later file that sent it again.
 */
export async function rejectedReportsOfRows(executor: Executor, providerOrgId: string, named: readonly { reportId: string; sentRow: number | null }[]): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select report.id from learner_reports report
      join json_to_recordset(${JSON.stringify(named)}::json) as named("reportId" uuid, "sentRow" integer) on report.id = named."reportId"
    where report.provider_org_id = ${providerOrgId} and report.status = 'rejected' and report.deleted_at is null
      and (named."sentRow" is null or report.row_number = named."sentRow" or exists (
        select from upload_rows line where line.report_id = report.id and line.duplicate and line.row_number = named."sentRow"))`.execute(executor);
  return result.rows.map((row) => row.id);
}

/** A report a withdrawn upload took in, which a later upload's row also sent (its receipt line a repeat). */
export type LaterSender = { reportId: string; uploadId: string; rowNumber: number; status: ReceiptStatus; problems: Problem[] };

/**
 * Of the reports `uploadId` took in, those that a later upload of the provider (not withdrawn) also sent:
 * for each, the earliest such row.
 */
export async function laterSenders(executor: Executor, uploadId: string, providerOrgId: string, reportIds: string[]): Promise<LaterSender[]> {
  const result = await sql<LaterSender>`
    select distinct on (line.report_id) line.report_id as "reportId", line.upload_id as "uploadId", line.row_number as "rowNumber",
      line.status, coalesce(line.problems, '[]'::jsonb) as problems
    from upload_rows line join uploads sender on sender.id = line.upload_id
      join learner_reports report on report.id = line.report_id and report.deleted_at is null
    where line.report_id = any(${reportIds}::uuid[]) and line.duplicate and line.upload_id <> ${uploadId}
      and line.provider_org_id = ${providerOrgId} and sender.withdrawal is null
    order by line.report_id, sender.created_at, line.row_number`.execute(executor);
  return result.rows;
}

/**
 * Makes each report the later sender's: it names that upload and row, and that row's receipt line is no longer
 * a repeat (without the problem that said so), its upload's counts following.
 */
export async function handOverReports(executor: Executor, handovers: readonly (LaterSender & { problemsLeft: Problem[] })[]) {
  if (handovers.length === 0) return;
  const document = JSON.stringify(handovers);
  const rows = sql`json_to_recordset(${document}::json) as handover("reportId" uuid, "uploadId" uuid, "rowNumber" integer, status text, "problemsLeft" jsonb)`;
  await sql`
    update learner_reports report set upload_id = handover."uploadId", row_number = handover."rowNumber"
    from ${rows} where report.id = handover."reportId"`.execute(executor);
  await sql`
    update upload_rows line set duplicate = false, problems = nullif(handover."problemsLeft", '[]'::jsonb)
    from ${rows} where line.upload_id = handover."uploadId" and line.row_number = handover."rowNumber"`.execute(executor);
  await sql`
    update uploads set duplicates = uploads.duplicates - taken.rows, accepted = uploads.accepted + taken.accepted,
      pending = uploads.pending + taken.pending, rejected = uploads.rejected + taken.rejected
    from (
      select handover."uploadId" as upload_id, count(*)::int as rows,
        (count(*) filter (where status = 'accepted'))::int as accepted,
        (count(*) filter (where status = 'pending'))::int as pending,
        (count(*) filter (where status = 'rejected'))::int as rejected
      from ${rows} group by handover."uploadId") taken
    where uploads.id = taken.upload_id`.execute(executor);
  // A job still running keeps its own count of the problems, and would write over this one.
  const done = await executor
    .selectFrom('uploads')
    .select(['id', 'row_problem_counts'])
    .where('id', 'in', [...new Set(handovers.map((handover) => handover.uploadId))])
    .where('status', 'not in', ['queued', 'running'])
    .forUpdate()
    .execute();
  for (const upload of done) {
    const lines = handovers.filter((handover) => handover.uploadId === upload.id).map((handover) => ({ rowNumber: handover.rowNumber, status: handover.status, problems: handover.problemsLeft }));
    await executor.updateTable('uploads').set({ row_problem_counts: JSON.stringify(addRowProblems(upload.row_problem_counts, lines)) }).where('id', '=', upload.id).execute();
  }
}

/** Records that a withdrawal was asked for; the upload as it then is. */
export function requestWithdrawal(executor: Executor, id: string, withdrawal: UploadWithdrawal) {
  return executor
    .updateTable('uploads')
    .set({ withdrawal: JSON.stringify(withdrawal), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Leases the oldest withdrawal not yet done (or the given upload's) whose worker's lease ran out or that
 * no worker holds, to the run `run`. SKIP LOCKED lets several servers share the work.
 */
export async function claimWithdrawal(executor: Executor, run: string, leaseMs: number, uploadId?: string): Promise<UploadRow | null> {
  const result = await sql<UploadRow>`
    update uploads set withdrawal = withdrawal || jsonb_build_object('run', ${run}::text, 'leaseUntil', now() + ${leaseMs} * interval '1 millisecond')
    where id = (
      select id from uploads
      where withdrawal is not null and withdrawal->>'at' is null
        and (withdrawal->>'leaseUntil' is null or (withdrawal->>'leaseUntil')::timestamptz < now())
        ${uploadId ? sql`and id = ${uploadId}` : sql``}
      order by withdrawal->>'requestedAt'
      limit 1
      for update skip locked)
    returning *`.execute(executor);
  return result.rows[0] ?? null;
}

/** Adds a page of deleted reports to the withdrawal and renews the run's lease; false when the run lost it. */
export async function recordWithdrawalPage(executor: Executor, id: string, run: string, page: { deleted: number; kept: number; afterRow: number }, leaseMs: number): Promise<boolean> {
  const result = await sql`
    update uploads set withdrawal = withdrawal - 'failures' || jsonb_build_object(
      'reports', (withdrawal->>'reports')::int + ${page.deleted}::int,
      'kept', coalesce((withdrawal->>'kept')::int, 0) + ${page.kept}::int,
      'afterRow', ${page.afterRow}::int,
      'leaseUntil', now() + ${leaseMs} * interval '1 millisecond')
    where id = ${id} and withdrawal->>'run' = ${run}`.execute(executor);
  return Number(result.numAffectedRows) === 1;
}

/** Marks the run's withdrawal done; the upload as it then is, or nothing when the run lost its lease. */
export async function finishWithdrawal(executor: Executor, id: string, run: string, toFixAgain: number): Promise<UploadRow | null> {
  const result = await sql<UploadRow>`
    update uploads set withdrawal = withdrawal - 'run' - 'leaseUntil' || jsonb_build_object('at', now(), 'toFixAgain', ${toFixAgain}::int), updated_at = now()
    where id = ${id} and withdrawal->>'run' = ${run}
    returning *`.execute(executor);
  return result.rows[0] ?? null;
}

/**
 * A run of the withdrawal failed: no worker tries it again for 1 s, then 2, 4… up to 5 minutes as failures
 * follow one another (a page that commits clears the count), so that a fault that persists is neither
 * hammered nor logged every second, and the withdrawal goes on by itself once it is mended.
 */
export function postponeWithdrawal(executor: Executor, run: string) {
  return sql`
    update uploads set withdrawal = withdrawal - 'run' || jsonb_build_object(
      'failures', coalesce((withdrawal->>'failures')::int, 0) + 1,
      'leaseUntil', now() + least(300, power(2, coalesce((withdrawal->>'failures')::int, 0))) * interval '1 second')
    where withdrawal is not null and withdrawal->>'at' is null and withdrawal->>'run' = ${run}`.execute(executor);
}

/** Lets another worker go on with withdrawals: the run's (when the server stops) or all (at start, on a database only this process uses). */
export function releaseWithdrawals(executor: Executor, run?: string) {
  return sql`
    update uploads set withdrawal = withdrawal - 'run' - 'leaseUntil'
    where withdrawal is not null and withdrawal->>'at' is null and withdrawal ? 'run'
      ${run ? sql`and withdrawal->>'run' = ${run}` : sql``}`.execute(executor);
}

/** Forgets what the rejected rows of an upload were sent with, when its file goes. */
export function clearSentValues(executor: Executor, uploadId: string) {
  return executor.updateTable('upload_rows').set({ sent_values: null }).where('upload_id', '=', uploadId).where('sent_values', 'is not', null).execute();
}

/**
 * The file of an upload and the sheets its rows were read from; with `rowNumber`, the values that row was sent with
 * (`sent_values`), which a rejected row keeps for its rows to fix until the file goes.
 */
export function findUploadFile(executor: Executor, id: string, rowNumber: number | null = null) {
  return executor
    .selectFrom('uploads')
    .leftJoin('upload_rows as line', (join) => join.onRef('line.upload_id', '=', 'uploads.id').on('line.row_number', '=', rowNumber ?? -1))
    .select(['uploads.file_name', 'uploads.sheets', 'line.sent_values'])
    .where('uploads.id', '=', id)
    .executeTakeFirst();
}

/** Where reports came from, which upload and row: for telling a repeated row from a report already on file. */
export function reportOrigins(executor: Executor, providerOrgId: string, reportIds: string[]) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('learner_reports as report')
    .leftJoin('uploads as sender', 'sender.id', 'report.upload_id')
    .leftJoin('uploads as corrector', 'corrector.id', 'report.corrected_by_upload_id')
    .select([
      'report.id',
      'report.upload_id',
      'report.row_number',
      'report.reported_at',
      'sender.file_name',
      'sender.sheets',
      'report.corrected_by_upload_id',
      'corrector.file_name as corrector_file_name',
    ])
    .where('report.provider_org_id', '=', providerOrgId)
    .where('report.id', 'in', reportIds)
    .execute();
}

