import type { ColumnType, Generated } from 'kysely';
import type { SheetRead } from '../../files/row-place.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { Problem } from '../../http/errors.ts';
import type { ColumnsRead } from './learner-rows.ts';
import type { RowProblemCount } from './row-problem-counts.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type UploadFormat = 'csv' | 'xlsx' | 'xml';
export type UploadStatus = 'queued' | 'running' | 'finished' | 'failed';
export type ReceiptStatus = 'accepted' | 'pending' | 'rejected';

/** Who sent a file, kept so that the job acts for them when it runs. */
export type UploaderSnapshot = {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  label: string;
  role: string;
  organizationId: string | null;
  organizationKind: string | null;
};

/**
 * A withdrawal of the reports an upload took in: asked for at `requestedAt` by `requestedBy` (whom the job
 * acts for), carried out by the upload worker a page of receipt lines at a time (`afterRow`: the row it has
 * deleted up to; `reports`: how many reports it deleted so far), done at `at`. `run` and `leaseUntil`
 * belong to the worker carrying it out, so that one worker at a time does; after a failed run,
 * `leaseUntil` says when the next may start.
 */
export type UploadWithdrawal = {
  requestedAt: string;
  requestedBy: UploaderSnapshot;
  by: string;
  reason: string;
  reports: number;
  /** The reports it was to delete when it was asked for (absent in withdrawals asked for before it was counted). */
  toDelete?: number;
  /** Reports it took in that a later upload also sent: left on file, as that upload's. */
  kept?: number;
  afterRow: number;
  at: string | null;
  run?: string | null;
  leaseUntil?: string | null;
  /** Runs that failed in a row, each postponing the next (`postponeWithdrawal`). */
  failures?: number;
  /** Once done: the rejected reports its rows had corrected, made to fix again. */
  toFixAgain?: number;
};

export type UploadsTables = {
  uploads: {
    id: Generated<string>;
    provider_org_id: string;
    format: UploadFormat;
    file_name: string | null;
    file_sha256: string;
    file_bytes: ColumnType<number, number, number>;
    storage_path: string;
    consent: 'written' | 'implied' | null;
    /** The order the sender said the file's dates of numbers are written in; null when unsaid. */
    date_order: DateOrder | null;
    /** The activity and completion date of the rows that give none (a sign-in sheet for one session). */
    rows_activity_id: string | null;
    rows_completion_date: string | null;
    status: Generated<UploadStatus>;
    rows_done: Generated<number>;
    last_row_number: Generated<number>;
    accepted: Generated<number>;
    pending: Generated<number>;
    rejected: Generated<number>;
    duplicates: Generated<number>;
    /** How far the file has been read; all of it only once its last row is taken in. */
    bytes_done: ColumnType<number, number | undefined, number>;
    problems: ColumnType<Problem[], string | undefined, string>;
    /** How a CSV or XLSX file's headings were read; null for XML, and for uploads sent before it was kept. */
    columns_read: ColumnType<ColumnsRead | null, string | null | undefined, string | null>;
    /** A workbook whose rows were read from several sheets: those sheets, in order; null otherwise. */
    sheets: ColumnType<SheetRead[] | null, string | null | undefined, string | null>;
    /** How many rows have each kind of problem, most common first. */
    row_problem_counts: ColumnType<RowProblemCount[], string | undefined, string>;
    error_code: string | null;
    error_message: string | null;
    created_by: Json<UploaderSnapshot>;
    created_at: Timestamp;
    started_at: Date | null;
    /** The point of the job's current run its pace is measured from (`run-pace.ts`). */
    pace_from_at: Date | null;
    pace_from_bytes: ColumnType<number, number | undefined, number>;
    finished_at: Date | null;
    /** When the stored file was deleted, some days after the upload was done. */
    file_removed_at: Date | null;
    /** Set once the reports the upload took in were deleted, the file having been sent by mistake. */
    withdrawal: ColumnType<UploadWithdrawal | null, string | null | undefined, string | null>;
    updated_at: Timestamp;
    lease_expires_at: Date | null;
    attempts: Generated<number>;
    /** The round of the queue the upload was sent in: its provider's files take one round each (`uploads.repository.ts`). */
    queue_turn: Generated<number>;
  };
  upload_rows: {
    upload_id: string;
    /** The row's place in the file: its row number, past the first sheet's on the next sheets (`files/row-place.ts`). */
    row_number: number;
    provider_org_id: string;
    reference: string | null;
    status: ReceiptStatus;
    duplicate: boolean;
    late: boolean;
    report_id: string | null;
    problems: ColumnType<Problem[] | null, string | null, string | null>;
    /** A rejected row of a CSV or XLSX file: the values of the columns the hub reads, for its rows to fix. */
    sent_values: ColumnType<Record<string, string> | null, string | null, string | null>;
  };
};
