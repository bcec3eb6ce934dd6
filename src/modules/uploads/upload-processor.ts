import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { isRefusedValue, refusalReason, refusedAtRowMessage, refusedRowMessage, refusedRowsBeforeStop, valueNotStored } from '../../db/database-errors.ts';
import type { Executor } from '../../db/database.ts';
import { statisticsOfGrowingTables } from '../../db/planner-statistics.ts';
import type { DB } from '../../db/schema.ts';
import { FileLimitError } from '../../files/limits.ts';
import { rowWords, sheetRowAt } from '../../files/row-place.ts';
import type { SheetRead } from '../../files/row-place.ts';
import type { FileLimits } from '../../files/limits.ts';
import type { AuthenticatedActor } from '../../http/actor.ts';
import { AppError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { deleteCorrectedReports } from '../reports/use-cases/delete-learner-reports.ts';
import { prepareLearnerReports, storeLearnerReports } from '../reports/use-cases/ingest-learner-reports.ts';
import type { PreparedReports, ReportReceipt } from '../reports/use-cases/ingest-learner-reports.ts';
import { rowNotStored } from './learner-file.ts';
import { openLearnerRows } from './learner-rows.ts';
import type { LearnerRow } from './learner-rows.ts';
import { addRowProblems } from './row-problem-counts.ts';
import { rowsReadProgress } from './rows-read-progress.ts';
import { advancePace } from './run-pace.ts';
import type { RunPace } from './run-pace.ts';
import { storedFilePath } from './upload-storage.ts';
import * as repository from './uploads.repository.ts';
import type { ChunkProgress, NewReceiptLine, UploadRow } from './uploads.repository.ts';
import type { UploaderSnapshot } from './uploads.tables.ts';
import { minuteUtc } from './upload-lines.ts';

export type ProcessorOptions = {
  db: Kysely<DB>;
  uploadsDir: string;
  limits: Partial<FileLimits>;
  /**
   * Rows per transaction: a crash re-does at most one chunk. Chunks start at `chunkSize.initial` rows and
   * grow or shrink so that each takes about `chunkSize.targetMs`: on PGlite, whose one connection other
   * requests wait for, that keeps the wait short.
   */
  chunkSize: ChunkSizing;
  /**
   * Whether the next chunk is read, checked and matched while the last one is stored. It pays on
   * PostgreSQL, which stores in its own processes; on PGlite, which runs on the hub's thread, it gains
   * nothing and stretches every chunk's transaction, which other requests wait for.
   */
  readAhead: boolean;
  leaseMs: number;
  /** Asked between chunks; true stops the job where it is, to be resumed later. */
  shouldStop?: () => boolean;
  /** Told after each committed chunk. */
  onChunk?: (progress: UploadProgress) => void;
  /** Runs inside each chunk's transaction, just before it commits; tests use it to die mid-file. */
  beforeCommit?: (chunkNumber: number) => Promise<void>;
  /** Runs after each chunk commits, before the job reads on or ends; tests use it to stop the job at that moment. */
  afterCommit?: (chunkNumber: number) => Promise<void>;
};

const rowsBetweenTurns = 250;

export type ChunkSizing = { initial: number; min: number; max: number; targetMs: number };

/** The next chunk's size, from how long the last one took; never more than doubling or halving at once. */
export function nextChunkSize(sizing: ChunkSizing, rows: number, elapsedMs: number): number {
  const factor = Math.min(2, Math.max(0.5, sizing.targetMs / Math.max(1, elapsedMs)));
  return Math.min(sizing.max, Math.max(sizing.min, Math.round(rows * factor)));
}

export type UploadProgress = { rowsDone: number; bytesDone: number; fileBytes: number; accepted: number; pending: number; rejected: number; duplicates: number };

/** `stopped`: by this process, to be resumed; `lost`: the upload is no longer this run's (stopped by its sender, or taken over). */
export type ProcessOutcome = 'finished' | 'failed' | 'stopped' | 'lost';

/** Another worker took the upload over (this one's lease ran out): its chunk must not commit. */
class LeaseLostError extends Error {}

/**
 * Runs one leased upload to its end: reads the stored file, skips the rows already committed, and
 * takes the rest in chunks. Each chunk is one transaction holding the learner reports, the chunk's
 * receipt lines and the upload's new counts, so that a crash loses at most the chunk in flight, and
 * resuming counts every row once.
 */
export async function processUpload(options: ProcessorOptions, upload: UploadRow): Promise<ProcessOutcome> {
  const { db } = options;
  const actor = actorOf(upload.created_by);
  const counts: UploadProgress = {
    rowsDone: upload.rows_done,
    bytesDone: Number(upload.bytes_done),
    fileBytes: Number(upload.file_bytes),
    accepted: upload.accepted,
    pending: upload.pending,
    rejected: upload.rejected,
    duplicates: upload.duplicates,
  };
  // What the last committed chunk left: where the file was taken in up to, and the problems counted so far.
  let committed: Pick<ChunkProgress, 'lastRowNumber' | 'rowProblemCounts'> = { lastRowNumber: upload.last_row_number, rowProblemCounts: upload.row_problem_counts };
  const rowsRead = rowsReadProgress(counts.fileBytes);
  let chunkNumber = 0;
  // What the rows read so far told of the file (an encoding further down), for the upload however it ends.
  let noticesOfRowsRead = (): Problem[] => [];
  const statistics = statisticsOfGrowingTables(db, repository.tablesUploadsGrow);
  try {
    const file = await openLearnerRows(storedFilePath(options.uploadsDir, upload.storage_path), {
      format: upload.format,
      consent: upload.consent,
      dateOrder: upload.date_order,
      forRows: { activityId: upload.rows_activity_id, completionDate: upload.rows_completion_date },
      limits: options.limits,
      onProgress: (bytes) => rowsRead.read(bytes),
    });
    noticesOfRowsRead = () => file.noticesOfRowsRead();
    try {
      const rows = file.rows[Symbol.asyncIterator]();
      let size = options.chunkSize.initial;
      // One row is read past each chunk, so that the chunk holding the file's last row knows it does.
      let held: LearnerRow | undefined;
      /**
       * The rows of the next chunk, skipping those committed before a restart. When reading stops (a
       * limit, a document that breaks off), the rows read before it still go in, then the error counts.
       */
      const readChunk = async (wanted: number): Promise<{ chunk: LearnerRow[]; bytesThrough: number; endsFile?: boolean; stopped?: unknown }> => {
        const chunk: LearnerRow[] = held ? [held] : [];
        held = undefined;
        try {
          for (;;) {
            const next = await rows.next();
            if (next.done) return { chunk, bytesThrough: rowsRead.bytesThrough(0), endsFile: true };
            rowsRead.rowTaken();
            if (next.value.rowNumber > upload.last_row_number) {
              if (chunk.length >= wanted) {
                held = next.value;
                return { chunk, bytesThrough: rowsRead.bytesThrough(1) };
              }
              chunk.push(next.value);
            }
            // Rows already parsed come back without ever leaving the microtask queue: let I/O in now and then.
            if (chunk.length % rowsBetweenTurns === 0) await nextTurn();
          }
        } catch (error) {
          return { chunk, bytesThrough: rowsRead.bytesThrough(0), stopped: error };
        }
      };
      const prepareRows = (rows: LearnerRow[]) => prepareLearnerReports(db, ingestParams(upload, actor, rows));
      /**
       * Reads the next chunk and checks and matches it (reading only, outside the transaction that stores). A value
       * the database refuses while matching leaves the chunk unprepared: `storeRows` looks for its row.
       */
      const readAndPrepare = async (wanted: number): Promise<PreparedChunk> => {
        const { chunk, bytesThrough, endsFile, stopped } = await readChunk(wanted);
        const prepared =
          chunk.length > 0
            ? await prepareRows(chunk).catch((error: unknown) => {
                if (isRefusedValue(error)) return null;
                throw error;
              })
            : null;
        return { chunk, prepared, bytesThrough, endsFile, stopped };
      };
      let refusedRows = 0;
      const tookIn = (progress: ChunkProgress) => {
        committed = progress;
        addProgress(counts, progress);
      };
      /**
       * Stores rows as one transaction. When the database refuses a value in them (one no check foresaw), they are
       * stored again by halves, down to the row holding it, which is receipted as rejected with the database's
       * reason: the rows beside it go in as any others, and the file is not stopped by one cell.
       */
      const storeRows = async (rows: LearnerRow[], prepared: PreparedReports | null, before: Omit<ChunkStart, 'rowProblemCounts'>): Promise<void> => {
        const commit = async (stored: LearnerRow[], ready: PreparedReports | null) => {
          const start = { ...before, rowProblemCounts: committed.rowProblemCounts };
          tookIn(await commitChunk(options, upload, stored, ready ?? (await prepareRows(stored)), start, chunkNumber));
        };
        try {
          await commit(rows, prepared);
        } catch (error) {
          if (!isRefusedValue(error)) throw error;
          if (rows.length === 1) {
            const [row] = rows;
            if (refusedRows >= refusedRowsBeforeStop) throw refusedRowsError(error, committed.lastRowNumber, upload.sheets, row.rowNumber, refusedRows);
            refusedRows += 1;
            let refusal = error;
            for (const standIn of refusedRowStandIns(row, error)) {
              try {
                return await commit([standIn], null);
              } catch (again) {
                if (!isRefusedValue(again)) throw again;
                refusal = again;
              }
            }
            throw refusedRowsError(refusal, committed.lastRowNumber, upload.sheets, row.rowNumber);
          }
          const half = Math.ceil(rows.length / 2);
          // Only the half holding the file's last row has read every byte.
          await storeRows(rows.slice(0, half), null, { ...before, bytesDone: Math.min(before.bytesDone, counts.fileBytes - 1) });
          await storeRows(rows.slice(half), null, before);
        }
      };
      // Before the first chunk is matched against what is on file.
      await statistics.refresh();
      let preparing = readAndPrepare(size);
      let rowsThisRun = 0;
      let pace: RunPace | null = null;
      try {
        for (;;) {
          const { chunk, prepared, bytesThrough, endsFile, stopped } = await preparing;
          if (chunk.length === 0) {
            if (stopped) throw stopped;
            break;
          }
          const readNext = () => (stopped || endsFile ? Promise.resolve({ chunk: [], prepared: null, bytesThrough, stopped }) : readAndPrepare(size));
          if (options.readAhead) preparing = readNext();
          chunkNumber += 1;
          const started = performance.now();
          // Every byte is done only with the file's last row, so that a stop coming before the job ends knows it.
          const bytesDone = endsFile ? counts.fileBytes : Math.min(bytesThrough, counts.fileBytes - 1);
          pace = advancePace(pace, { at: Date.now(), bytes: bytesDone });
          await storeRows(chunk, prepared, { bytesDone, paceFrom: pace.from });
          await options.afterCommit?.(chunkNumber);
          size = nextChunkSize(options.chunkSize, chunk.length, performance.now() - started);
          options.onChunk?.({ ...counts });
          rowsThisRun += chunk.length;
          await statistics.rowsAdded(rowsThisRun);
          if (options.shouldStop?.()) {
            await repository.requeueUpload(db, upload.id);
            return 'stopped';
          }
          if (!options.readAhead) preparing = readNext();
        }
      } finally {
        // A chunk being prepared when the job stops is simply not stored; it is read again on resume.
        preparing.catch(() => undefined);
      }
    } finally {
      await file.close();
    }
    await statistics.refresh();
    if (!(await repository.endUploadRun(db, upload, { finishedBytes: counts.fileBytes, notices: noticesOfRowsRead() }))) return 'lost';
    options.onChunk?.({ ...counts, bytesDone: counts.fileBytes });
    return 'finished';
  } catch (caught) {
    if (caught instanceof LeaseLostError) {
      // Stopped by its sender, the upload still says what its rows told of the file; taken over by another server, nothing.
      await repository.addNoticesToStoppedRun(db, upload, noticesOfRowsRead());
      return 'lost';
    }
    const error = isRefusedValue(caught) ? refusedRowsError(caught, committed.lastRowNumber, upload.sheets) : caught;
    if (error instanceof AppError) {
      const failure = failureOf(error, counts.rowsDone, rowWords(committed.lastRowNumber, upload.sheets));
      const failed = await repository.endUploadRun(db, upload, { failure, notices: noticesOfRowsRead() });
      return failed ? 'failed' : 'lost';
    }
    throw error;
  }
}

/**
 * A value the database would not store, even as a rejected row's receipt line, fails the upload at once, with the
 * database's reason: taking the file in again would stop at the same rows, and the sender is the one who can
 * correct them. Refused as a row was stored, the row is named (`refusedRow`), where the value is to be looked for;
 * refused after `refusedBefore` rows were, each rejected, the column they share is what to look at.
 */
function refusedRowsError(error: unknown, lastRowNumber: number, sheets: readonly SheetRead[] | null, refusedRow?: number, refusedBefore = 0): AppError {
  const found =
    refusedRow !== undefined
      ? refusedAtRowMessage(error, rowWords(refusedRow, sheets), refusedBefore)
      : `A value in ${lastRowNumber > 0 ? `the rows after ${rowWords(lastRowNumber, sheets)}` : "the file's first rows"} could not be stored (${refusalReason(error)}).`;
  // With rows taken in before, `failureOf` says how to send the file again.
  const resend = lastRowNumber > 0 ? '' : ' Correct it and send the file again.';
  return new AppError(422, valueNotStored, `${found}${resend}`);
}

/**
 * What a row holding a value the database refuses is taken in as, in turn: a rejected report keeping none of its
 * values (the database refuses them) but the database's reason, corrected as any rejected row, in the rows to fix,
 * which keep its values as sent, or in the web app; and, its values refused in its receipt line too, nothing but its
 * row number (`rowNotStored`).
 */
function refusedRowStandIns(row: LearnerRow, refusal: unknown): LearnerRow[] {
  const problem = (code: string, words?: Parameters<typeof refusedRowMessage>[1]): Problem => ({ code, field: 'row', message: refusedRowMessage(refusal, words) });
  const { rowNumber, rowWords: named, sentAs, reference } = row.ingest;
  const notKept = { kept: ', nor its values kept for the rows to fix', lookIn: 'in the row, in your own file,' };
  return [
    { rowNumber: row.rowNumber, toFix: row.toFix, ingest: { rowNumber, rowWords: named, input: null, parseProblems: [problem(valueNotStored)], sentAs, reference } },
    { rowNumber: row.rowNumber, ingest: { rowNumber, rowWords: named, input: null, keepNothing: true, parseProblems: [problem(rowNotStored, notKept)] } },
  ];
}

function addProgress(counts: UploadProgress, chunk: ChunkProgress): void {
  counts.rowsDone += chunk.rows;
  counts.bytesDone = chunk.bytesDone;
  counts.accepted += chunk.accepted;
  counts.pending += chunk.pending;
  counts.rejected += chunk.rejected;
  counts.duplicates += chunk.duplicates;
}

/** A chunk read and matched; `bytesThrough`, about where in the file its last row ends. */
type PreparedChunk = { chunk: LearnerRow[]; prepared: PreparedReports | null; bytesThrough: number; endsFile?: boolean; stopped?: unknown };

function ingestParams(upload: UploadRow, actor: AuthenticatedActor, rows: LearnerRow[]) {
  return {
    actor,
    requestId: `upload:${upload.id}`,
    providerOrgId: upload.provider_org_id,
    uploadId: upload.id,
    sentIn: sentIn(upload),
    // A MedBiquitous document names its activity by ID; a sheet may name it by its title.
    activitiesByTitle: upload.format !== 'xml',
    rows: rows.map((row) => row.ingest),
  };
}

/** Where the upload stood before a chunk: what its progress carries on from. */
type ChunkStart = Pick<ChunkProgress, 'bytesDone' | 'rowProblemCounts' | 'paceFrom'>;

async function commitChunk(options: ProcessorOptions, upload: UploadRow, rows: LearnerRow[], prepared: PreparedReports, before: ChunkStart, chunkNumber: number): Promise<ChunkProgress> {
  return options.db.transaction().execute(async (trx) => {
    const receipts = await storeLearnerReports(trx, prepared);
    const origins = await duplicateOrigins(trx, upload, receipts);
    const lines = rows.map((row, index) => receiptLine(row, receipts[index], upload, origins));
    await repository.insertReceiptLines(trx, upload.id, upload.provider_org_id, lines);
    await replaceRejectedReports(trx, upload, rows, receipts);
    const progress: ChunkProgress = {
      rows: lines.length,
      lastRowNumber: rows[rows.length - 1].rowNumber,
      accepted: 0,
      pending: 0,
      rejected: 0,
      duplicates: 0,
      bytesDone: before.bytesDone,
      paceFrom: before.paceFrom,
      rowProblemCounts: addRowProblems(before.rowProblemCounts, lines),
    };
    for (const line of lines) {
      if (line.duplicate) progress.duplicates += 1;
      else progress[line.status] += 1;
    }
    if (!(await repository.recordChunk(trx, upload.id, upload.attempts, progress, options.leaseMs))) throw new LeaseLostError();
    await options.beforeCommit?.(chunkNumber);
    return progress;
  });
}

/**
 * Deletes the rejected reports that the rows of a file of rows to fix correct: each corrected row is now a
 * report of its own (or, rejected again, one with its own problems), so the report it replaces leaves the
 * reports to fix. Only the provider's rejected reports are replaced, whatever the column holds, and only
 * where the row the rows to fix say it was is that report's row.
 */
async function replaceRejectedReports(trx: Executor, upload: UploadRow, rows: LearnerRow[], receipts: ReportReceipt[]): Promise<void> {
  const named = rows.flatMap((row, index) => (row.replaces && row.replaces.reportId !== receipts[index].id ? [row.replaces] : []));
  if (named.length === 0) return;
  // A report named beside another row than its own (a sheet sorted without its last column) is not replaced.
  const replaced = await repository.rejectedReportsOfRows(trx, upload.provider_org_id, named);
  if (replaced.length === 0) return;
  const context = { actor: actorOf(upload.created_by), requestId: `upload:${upload.id}` };
  await deleteCorrectedReports(trx, context, replaced, sentIn(upload), upload.id);
}

/** An upload as the reports it corrects name it. */
const sentIn = (upload: UploadRow) => `${upload.file_name ?? 'a later upload'} (upload ${upload.id})`;

/** `correctedBy`: the upload that corrected the rejected report on file, which the row repeats as it was sent before. */
type Origin = { uploadId: string | null; rowNumber: number | null; sheets: SheetRead[] | null; fileName: string | null; reportedAt: Date; correctedBy: CorrectingUpload | null };

type CorrectingUpload = { uploadId: string; fileName: string | null };

/** For duplicates: the upload and row the report on file came from. */
async function duplicateOrigins(trx: Parameters<typeof repository.reportOrigins>[0], upload: UploadRow, receipts: ReportReceipt[]): Promise<Map<string, Origin>> {
  const ids = [...new Set(receipts.filter((receipt) => receipt.duplicate && receipt.id).map((receipt) => receipt.id as string))];
  const rows = await repository.reportOrigins(trx, upload.provider_org_id, ids);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        uploadId: row.upload_id,
        rowNumber: row.row_number,
        sheets: row.sheets,
        fileName: row.file_name,
        reportedAt: row.reported_at,
        correctedBy: row.corrected_by_upload_id ? { uploadId: row.corrected_by_upload_id, fileName: row.corrector_file_name } : null,
      },
    ]),
  );
}

function receiptLine(row: LearnerRow, receipt: ReportReceipt, upload: UploadRow, origins: Map<string, Origin>): NewReceiptLine {
  // A problem names its row as the sender sees it: on its sheet, when the workbook's rows were read from several.
  const { sheet, rowNumber } = sheetRowAt(row.rowNumber, upload.sheets);
  const where = sheet === null ? { row: rowNumber } : { row: rowNumber, sheet };
  const problems: Problem[] = receipt.problems.map((problem) => ({ ...problem, ...where }));
  if (receipt.duplicate) problems.unshift({ ...duplicateProblem(receipt, upload, origins, row.rowNumber), ...where });
  if (row.hidden && receipt.id && !receipt.duplicate) problems.push({ ...hiddenRowNote(rowWords(row.rowNumber, upload.sheets), receipt.status), ...where });
  return {
    rowNumber: row.rowNumber,
    reference: row.ingest.reference ?? null,
    status: receipt.status,
    duplicate: receipt.duplicate,
    late: receipt.late,
    reportId: receipt.id,
    problems,
    sentValues: receipt.status === 'rejected' && row.toFix && !row.ingest.keepNothing ? row.toFix() : null,
  };
}

/** The problem code of a row repeating a report sent before, by another file or the API. */
export const alreadyOnFile = 'already_on_file';

function duplicateProblem(receipt: ReportReceipt, upload: UploadRow, origins: Map<string, Origin>, rowNumber: number): Problem {
  const origin = receipt.id ? origins.get(receipt.id) : undefined;
  const rejected = receipt.status === 'rejected';
  if (origin?.uploadId === upload.id && origin.rowNumber !== null && origin.rowNumber !== rowNumber) {
    const originRow = rowWords(origin.rowNumber, upload.sheets);
    return {
      code: 'duplicate_row',
      field: 'row',
      message: rejected ? `The same row as ${originRow} of this file, rejected too; counted once.` : `Same learner and activity as ${originRow} of this file: one report, counted once.`,
    };
  }
  const correctedBy = rejected ? origin?.correctedBy : null;
  // Another date or other credits than the report on file are said beside it (`already_reported`): the row is not the same completion.
  const otherwise = receipt.problems.some((problem) => problem.code === 'already_reported');
  return {
    code: alreadyOnFile,
    field: 'row',
    message: correctedBy
      ? `This row was sent before${sentBefore(origin)}, and rejected, then corrected by ${correctedBy.fileName ?? 'a later file'} (upload ${correctedBy.uploadId}): it is not counted again. Correct it in your own file too, so that it is not sent again as it was.`
      : rejected
      ? `This row was sent before${sentBefore(origin)}, and rejected: its rejected report is still to fix, and is not counted again.`
      : otherwise
      ? `This learner's completion of the activity was already reported${sentBefore(origin)}: this row is not counted again, and does not change that report.`
      : `This completion was already reported${sentBefore(origin)}; it is not counted again.`,
  };
}

/**
 * A row the sheet hides (by hand, or a filter that left it out of view) is in the file all the same, and read:
 * said on its line, and counted with the problems, so that one not meant to be sent is found and taken back.
 */
function hiddenRowNote(row: string, status: ReportReceipt['status']): Problem {
  const takeBack = status === 'rejected' ? 'leave it out of the rows to fix' : 'delete its report (Open, then Delete)';
  return {
    code: 'hidden_row',
    field: 'row',
    message: `${row.charAt(0).toUpperCase()}${row.slice(1)} is hidden in the sheet (by hand, or by a filter) and was read like the others: if it was not meant to be sent, ${takeBack}.`,
  };
}

/** Where the report on file came from: ", by row 12 of june.csv (upload …, 2026-06-30 14:05 UTC)", or when. */
function sentBefore(origin: Origin | undefined): string {
  if (!origin) return '';
  const when = minuteUtc(new Date(origin.reportedAt).toISOString());
  if (origin.uploadId === null) return ` (${when}, through the API or the web form)`;
  const row = origin.rowNumber === null ? '' : `${rowWords(origin.rowNumber, origin.sheets)} of `;
  return `, by ${row}${origin.fileName ?? 'a file'} (upload ${origin.uploadId}, ${when})`;
}

/** What a sender who sends a file again, after it stopped part-way, is told of the rows already taken in. */
export const rowsTakenInNotCountedTwice = 'the rows already taken in are recognised and not counted twice.';

/** Why the upload stopped, and, when rows went in before, how to send the rest without sending any twice. */
function failureOf(error: AppError, rowsDone: number, lastRow: string): { code: string; message: string; problems: Problem[] } {
  if (rowsDone === 0) return { code: error.code, message: error.message, problems: error.problems ?? [] };
  const taken =
    rowsDone === 1
      ? `The row before it, ${lastRow}, was taken in and is in the receipt`
      : `The ${rowsDone.toLocaleString('en-US')} rows before it, up to ${lastRow}, were taken in and are in the receipt`;
  const rest =
    error instanceof FileLimitError && error.limit === 'rows'
      ? `send the rows after ${lastRow} in another file.`
      : `once the file is corrected, send it again: ${rowsTakenInNotCountedTwice}`;
  return { code: error.code, message: `${error.message} ${taken}: ${rest}`, problems: error.problems ?? [] };
}

/** The sender of the file, as the actor the job works for. */
export function actorOf(snapshot: UploaderSnapshot): AuthenticatedActor {
  if (snapshot.type === 'system') {
    return { type: 'system', id: null, label: snapshot.label, role: 'operator', organizationId: null, organizationKind: null, personId: null };
  }
  const base = {
    id: snapshot.id as string,
    label: snapshot.label,
    role: snapshot.role as AuthenticatedActor['role'],
    personId: null,
  };
  if (snapshot.type === 'api_key') {
    return {
      ...base,
      type: 'api_key',
      organizationId: snapshot.organizationId as string,
      organizationKind: snapshot.organizationKind as Exclude<AuthenticatedActor['organizationKind'], null>,
    };
  }
  return {
    ...base,
    type: 'user',
    organizationId: snapshot.organizationId,
    organizationKind: snapshot.organizationKind as AuthenticatedActor['organizationKind'],
  } as AuthenticatedActor;
}

export function snapshotOf(actor: AuthenticatedActor): UploaderSnapshot {
  return {
    type: actor.type,
    id: actor.id,
    label: actor.label,
    role: actor.role,
    organizationId: actor.organizationId,
    organizationKind: actor.organizationKind,
  };
}
