import { api, sendFile, type UploadProgress } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { DateOrder } from '../../components/ChoiceField.tsx';

export type UploadFormat = 'csv' | 'xlsx' | 'xml';
export type UploadStatus = 'queued' | 'running' | 'finished' | 'failed';
export type Consent = 'written' | 'implied';
/** The order a file writes its dates of numbers in, as the upload says it. */
export type { DateOrder };

export type Problem = { code: string; field?: string; message: string; row?: number; sheet?: string };

/** How many rows have one kind of problem, with the first of them (and its sheet, in a workbook read from several) as an example. */
/** `rejectedRows`: of its rows, those rejected (the others were taken in); null for an upload counted before it was. */
/** `noCompletion`: the rows are no completions (a registrant who did not attend, a total): nothing of them is kept or to send again. */
export type RowProblem = {
  code: string;
  field?: string;
  rows: number;
  rejectedRows: number | null;
  noCompletion: boolean;
  firstRow: number;
  firstRowSheet: string | null;
  message: string;
  /** The first of its rows rejected: the example of what to fix where the first of them was taken in. */
  firstRejected: { row: number; sheet: string | null; message: string } | null;
};

export type Upload = {
  id: string;
  providerOrgId: string;
  fileName: string | null;
  format: UploadFormat;
  fileBytes: number;
  status: UploadStatus;
  /** The order the file's dates were read in, as the upload said; null when it said nothing (month first). */
  dates: DateOrder | null;
  /** The hub activity ID and completion date given with the file for the rows that give none. */
  activityForRows: string | null;
  completionDateForRows: string | null;
  progress: number;
  /**
   * `toFix`: the rejected rows with something to correct (not those of which nothing is kept); `stillToFix`: of
   * them, those not corrected or deleted since (for one upload once taken in; null in lists).
   */
  rows: { done: number; accepted: number; pending: number; rejected: number; duplicates: number; toFix: number; stillToFix: number | null };
  estimatedRows: number | null;
  /** While running: about how many seconds are left, once the pace is known. */
  secondsLeft: number | null;
  problems: Problem[];
  /** How a CSV or XLSX file's headings were read; null for XML. */
  columnsRead: ColumnsRead | null;
  /**
   * A workbook whose rows were read from several sheets: those sheets, in order; each receipt line names its sheet.
   * `columns`: a sheet's own headings, when they are not the first sheet's.
   */
  sheets: { name: string; headerRow: number; columns?: HeadingRead[] }[] | null;
  rowProblems: RowProblem[];
  error: { code: string; message: string } | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  fileKeptUntil: string | null;
  fileRemovedAt: string | null;
  withdrawal: { status: 'withdrawing' | 'withdrawn'; requestedAt: string; at: string | null; by: string; reason: string; reports: number; reportsToDelete: number | null; kept: number; toFixAgain: number; heldUp: boolean } | null;
  /** While it waits: how many files go before it (one upload's page only). */
  filesAhead: number | null;
};

/** The row read as a file's header, and the column each heading was read as (null: not used). */
export type HeadingRead = { heading: string; readAs: string | null };
export type ColumnsRead = { row: number; sheet: string | null; columns: HeadingRead[] };

/** What withdrawing an upload would do now. */
export type WithdrawalPreview = { reportsToDelete: number; reportsKept: number; rejectedToFixAgain: number };

/**
 * What is said of the file with it: the consent, the order of its dates (unsaid: ''), and the activity and
 * completion date of the rows that give none.
 */
export type UploadOptions = { consent: Consent | ''; dates: DateOrder | ''; activity: string; completionDate: string };

export type CreatedUpload = Upload & { alreadyUploaded: boolean; message: string };

/** The upload that took in the report a receipt line repeats, and the row of its file the report came from. */
export type EarlierUpload = {
  id: string;
  fileName: string | null;
  createdAt: string;
  rowNumber: number | null;
  sheet: string | null;
  /** For a rejected row sent again as it was: the later upload that corrected its rejected report. */
  correctedBy: { id: string; fileName: string | null } | null;
};

/**
 * What became of a rejected report no longer to fix: corrected (by a later upload's row, `correctedBy`; or in place, or by
 * a report of the same completion sent since, `correctedBy` null), or deleted.
 */
export type NoLongerToFix = { because: 'corrected' | 'deleted'; correctedBy: { id: string; fileName: string | null } | null };

export type ReceiptLine = {
  rowNumber: number;
  /** The row's sheet, in a workbook whose rows were read from several. */
  sheet: string | null;
  reference: string | null;
  /** The learner's name, your ID of the activity and the completion date, as the row gave them. */
  learner: string | null;
  activity: string | null;
  completionDate: string | null;
  /** A rejected row: whether its rejected report is still to fix (false once corrected since, or deleted). */
  stillToFix: boolean | null;
  /** A rejected row no longer to fix: what became of its rejected report. */
  noLongerToFix: NoLongerToFix | null;
  status: 'accepted' | 'pending' | 'rejected';
  duplicate: boolean;
  late: boolean;
  reportId: string | null;
  problems: Problem[];
  /** For a line repeating a report another upload took in (`already_on_file`): that upload. */
  earlierUpload: EarlierUpload | null;
};

/** The rows of one outcome, or those with one kind of problem. */
export type ReceiptFilter = 'all' | 'accepted' | 'pending' | 'rejected' | 'duplicates' | RowProblem;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format from the file name; the hub also looks at the bytes when the name says nothing. */
export function formatOf(fileName: string): UploadFormat | undefined {
  const extension = fileName.toLowerCase().split('.').pop();
  return extension === 'xlsx' ? 'xlsx' : extension === 'xml' ? 'xml' : extension === 'csv' || extension === 'txt' ? 'csv' : undefined;
}

const contentTypes: Record<UploadFormat, string> = { csv: 'text/csv', xlsx: XLSX_TYPE, xml: 'application/xml' };

/** An outcome's rows leave out the duplicates, as the upload's counts do, so that the two agree. */
function filterQuery(filter: ReceiptFilter): Record<string, string | undefined> {
  if (typeof filter === 'object') return { problem: filter.code, problemField: filter.field };
  if (filter === 'duplicates') return { duplicate: 'true' };
  if (filter === 'all') return {};
  return { status: filter, duplicate: 'false' };
}

/** How many of the receipt's lines a filter shows, from the upload's counts (so far, while it runs). */
export function receiptLinesInAll(upload: Upload, filter: ReceiptFilter): number {
  if (typeof filter === 'object') {
    return upload.rowProblems.find((kind) => kind.code === filter.code && kind.field === filter.field)?.rows ?? filter.rows;
  }
  return filter === 'all' ? upload.rows.done : upload.rows[filter];
}

export const uploadsApi = {
  templateUrl: (format: 'csv' | 'xlsx') => `/api/v1/uploads/template.${format}`,
  receiptUrl: (id: string, format: 'csv' | 'xlsx') => `/api/v1/uploads/${id}/receipt?format=${format}`,
  rowsToFixUrl: (id: string, format: 'csv' | 'xlsx') => `/api/v1/uploads/${id}/rows-to-fix?format=${format}`,
  list: (cursor: string | undefined, signal?: AbortSignal) => api.get<Page<Upload>>('/api/v1/uploads', { limit: 20, cursor }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Upload>(`/api/v1/uploads/${id}`, undefined, signal),
  stop: (id: string) => api.post<Upload>(`/api/v1/uploads/${id}/stop`),
  withdrawalPreview: (id: string, signal?: AbortSignal) => api.get<WithdrawalPreview>(`/api/v1/uploads/${id}/withdrawal-preview`, undefined, signal),
  withdraw: (id: string, reason: string) => api.post<Upload>(`/api/v1/uploads/${id}/withdraw`, { reason }),
  lines: (id: string, filter: ReceiptFilter, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<Page<ReceiptLine>>(`/api/v1/uploads/${id}/rows`, { limit: 100, cursor, ...filterQuery(filter) }, signal),
  upload(file: File, options: UploadOptions, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal) {
    const format = formatOf(file.name);
    const query = new URLSearchParams({ fileName: file.name });
    if (format) query.set('format', format);
    if (options.consent) query.set('consent', options.consent);
    if (options.dates) query.set('dates', options.dates);
    if (options.activity.trim()) query.set('activity', options.activity.trim());
    if (options.completionDate) query.set('completionDate', options.completionDate);
    return sendFile<CreatedUpload>(`/api/v1/uploads?${query}`, file, {
      contentType: format ? contentTypes[format] : undefined,
      onProgress,
      signal,
    });
  },
};
