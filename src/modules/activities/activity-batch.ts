import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { detectTabularFormat, peekFirstChunk, WORKBOOK_CONTENT_TYPES } from '../../files/file-format.ts';
import { fileNotices, noticesOfRowsRead, passedOverSheetNotices } from '../../files/file-notices.ts';
import { downloadName } from '../../files/file-names.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import { FileLimitError } from '../../files/limits.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { TabularFormat, TabularRow } from '../../files/tabular-reader.ts';
import { DateOrderOfFile, seeDatesOfRow, writtenDayFirstRefusal } from '../../files/written-dates.ts';
import type { DateOrder, DatePlace } from '../../files/written-dates.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, BadRequestError, ValidationError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import type { BatchReceipt, BatchRowResult } from './activities.schemas.ts';
import type { ActivitiesService, ActivityRequest, BuiltUpsert } from './activities.service.ts';
import { ACTIVITY_FILE_COLUMNS, activityDateColumns, columnForField, readActivityRow } from './activity-file.ts';

/** A year of activities fits many times over; a larger file is most likely the wrong file. */
const ACTIVITY_FILE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 10_000 };

export const FILE_CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  ...WORKBOOK_CONTENT_TYPES,
  'application/octet-stream',
];

/** `dateOrder`: how the file writes dates of numbers (30/06/2026 day first); unsaid, month first, unless its dates show otherwise. */
type FileDescription = { fileName: string | null; format?: TabularFormat; contentType: string | null; dateOrder?: DateOrder };

/**
 * A file whose dates show it written day first (a date that can only be read so, none only month first), sent without
 * saying so: refused before any row is saved, as its dates that read both ways would be saved on the wrong day.
 */
function refuseIfWrittenDayFirst(rows: readonly TabularRow[]): void {
  const dates = new DateOrderOfFile<DatePlace>();
  for (const row of rows) seeDatesOfRow(dates, { row: row.rowNumber }, row.record, activityDateColumns);
  const refusal = writtenDayFirstRefusal(dates, `the file's ${rows.length.toLocaleString('en-US')} rows`, 'saved', 'Day first on the Upload activities page');
  if (refusal) throw refusal;
}

/** Thrown inside a row's save so that the row's cell problems roll it back like any other. */
class RowProblems extends ValidationError {}

/**
 * Rows saved in one transaction, checked one by one and written together: a file's commits are its chunks', not its
 * rows'. Few enough that on the embedded database, which runs one transaction at a time on the server's thread,
 * another request waits for a chunk no more than a few hundredths of a second (the activities service the routes give
 * a file uses the database handle that lets requests in between two transactions).
 */
const rowsPerTransaction = 100;

/** Rows read between two turns of the event loop while the file is read whole. */
const rowsBetweenTurns = 250;

const columnsByName = new Map(ACTIVITY_FILE_COLUMNS.map((column) => [column.name, column]));

/** The columns a file has (`present`), and of those it lacks, each a heading of it nearly names (`missingAs`). */
type FileColumns = { present: ReadonlySet<string>; missingAs: Readonly<Record<string, string>> };

/**
 * A value a new activity requires, of a column the file lacks: said so, with the heading that nearly names it ("Titel"),
 * as every row creating an activity is rejected for it.
 */
function withAbsentColumn(problem: Problem, { present, missingAs }: FileColumns): Problem {
  const column = problem.code === 'required' && problem.field && !present.has(problem.field) ? columnsByName.get(problem.field) : undefined;
  if (!column) return problem;
  const misspelt = missingAs[column.name];
  const what = misspelt ? `: is it "${misspelt}"? Write its heading "${column.label}"` : ': add it (the template shows every column)';
  return { ...problem, message: `${problem.message} The file has no "${column.label}" column${what}.` };
}

/** A row whose values are to be saved, and the request its values made (named when the save refuses a field). */
type ToSave = { row: TabularRow; upsert: BuiltUpsert; request: () => ActivityRequest };

function rejectedRow(row: TabularRow, providerActivityId: string | null, problems: Problem[]): BatchRowResult {
  return { rowNumber: row.rowNumber, providerActivityId, outcome: 'rejected', activityId: null, problems: problems.map((problem) => ({ ...problem, row: row.rowNumber })) };
}

/** A row rejected before anything is saved, or what to save for it (`upsert`) and the request it made of its values. */
function checkRow(row: TabularRow, present: ReadonlySet<string>, seen: Map<string, number>, dateOrder: DateOrder | null): BatchRowResult | ToSave {
  const providerActivityId = row.record.provider_activity_id?.trim() || null;
  if (row.problems.length) return rejectedRow(row, providerActivityId, row.problems);
  if (!providerActivityId) {
    return rejectedRow(row, null, [{ code: 'required', field: 'provider_activity_id', message: 'Provider activity ID is required: it says which activity the row is.' }]);
  }
  const earlierRow = seen.get(providerActivityId);
  if (earlierRow !== undefined) {
    return rejectedRow(row, providerActivityId, [
      {
        code: 'duplicate_row',
        field: 'provider_activity_id',
        message: `Provider activity ID "${providerActivityId}" is also on row ${earlierRow}; give each activity one row.`,
      },
    ]);
  }
  seen.set(providerActivityId, row.rowNumber);
  let request: ActivityRequest = {};
  const build = (current: ActivityRequest | undefined) => {
    const reading = readActivityRow(row.record, present, current, dateOrder);
    request = reading.request;
    if (reading.problems.length) throw new RowProblems(reading.problems);
    return reading.request;
  };
  return { row, upsert: { providerActivityId, build }, request: () => request };
}

export function createActivityBatch({
  activities,
  limits = ACTIVITY_FILE_LIMITS,
}: {
  activities: ActivitiesService;
  limits?: { maxBytes: number; maxRows: number };
}) {
  /**
   * Saves every row of a CSV or XLSX file, each on its own: a rejected row changes nothing and the
   * rows after it go on. The receipt lists every row with what happened and why.
   */
  async function importFile(context: RequestContext, body: NodeJS.ReadableStream, file: FileDescription): Promise<BatchReceipt> {
    activities.authorizeWrite(context);
    const { first, stream } = await peekFirstChunk(Readable.from(body as AsyncIterable<Buffer>));
    if (!first) throw new BadRequestError('empty_file', 'The file is empty. Send a CSV or XLSX file with a header row and one row per activity.');
    const format = detectTabularFormat({ declared: file.format, fileName: file.fileName, contentType: file.contentType, head: first });
    const table = await readTabular(stream, { format, columns: ACTIVITY_FILE_COLUMNS, limits });
    if (!table.header.ok) {
      await table.close();
      throw new ValidationError(table.header.problems, 'The file does not have the columns of the activity template. Start from the template, or rename the columns.');
    }
    const columns: FileColumns = {
      present: new Set(table.header.columns.flatMap((column) => (column.name ? [column.name] : []))),
      missingAs: table.header.missingAs ?? {},
    };
    const fileProblems = [
      ...fileNotices(table, { accented: 'title' }),
      ...passedOverSheetNotices(table.sheetsNotRead ?? [], (action) => `If they are activities to save, ${action} and send the file again: the activities saved now come back unchanged.`),
    ];
    // Read whole before any row is saved (a file holds at most 10,000 rows): its dates may show how it writes them.
    const read: TabularRow[] = [];
    try {
      for await (const row of table.rows) {
        read.push(row);
        // A body already received is parsed without ever leaving the microtask queue: let other requests in now and then.
        if (read.length % rowsBetweenTurns === 0) await nextTurn();
      }
    } catch (error) {
      // Past a limit halfway through: the rows before it are saved, so the receipt must say so.
      if (!(error instanceof FileLimitError) || read.length === 0) throw error;
      fileProblems.push({
        code: error.code,
        message: `${error.message} The first ${read.length.toLocaleString('en-US')} rows were read and are listed here; nothing after them was.`,
      });
    }
    fileProblems.push(...noticesOfRowsRead(table, { accented: 'title' }));
    if (!file.dateOrder) refuseIfWrittenDayFirst(read);
    const rows: BatchRowResult[] = [];
    const seen = new Map<string, number>();
    for (let start = 0; start < read.length; start += rowsPerTransaction) {
      rows.push(...(await importRows(context, read.slice(start, start + rowsPerTransaction), columns, seen, file.dateOrder ?? null)));
    }
    const count = (outcome: BatchRowResult['outcome']) => rows.filter((row) => row.outcome === outcome).length;
    return {
      fileName: file.fileName,
      format,
      counts: { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') },
      fileProblems,
      columnsNotRead: Object.entries(columns.missingAs).map(([name, heading]) => ({ heading, column: columnsByName.get(name)?.label ?? name })),
      rows,
    };
  }

  /** Saves a chunk of the file's rows, each on its own (`upsertEachBuilt`), in one transaction. */
  async function importRows(
    context: RequestContext,
    chunk: readonly TabularRow[],
    columns: FileColumns,
    seen: Map<string, number>,
    dateOrder: DateOrder | null,
  ): Promise<BatchRowResult[]> {
    const results: (BatchRowResult | ToSave)[] = chunk.map((row) => checkRow(row, columns.present, seen, dateOrder));
    const toSave = results.filter((result): result is ToSave => 'upsert' in result);
    const saved = toSave.length > 0 ? await activities.upsertEachBuilt(context, toSave.map(({ upsert }) => upsert)) : [];
    let next = 0;
    return results.map((result) => {
      if (!('upsert' in result)) return result;
      const outcome = saved[next++];
      if (outcome instanceof AppError) {
        const problems = outcome.problems?.length ? outcome.problems : [{ code: outcome.code, message: outcome.message }];
        // A cell's problem names its column already; the activity's rules name a field, told by its column here.
        const inColumns = outcome instanceof RowProblems ? problems : problems.map((problem) => withAbsentColumn({ ...problem, field: columnForField(problem.field, result.request()) }, columns));
        return rejectedRow(result.row, result.upsert.providerActivityId, inColumns);
      }
      return { rowNumber: result.row.rowNumber, providerActivityId: result.upsert.providerActivityId, outcome: outcome.outcome, activityId: outcome.activity.id, problems: [] };
    });
  }

  return { importFile };
}

type ReceiptLine = { row: BatchRowResult; problem: Problem | null };

const receiptColumns: OutputColumn<ReceiptLine>[] = [
  { header: 'Row', value: (line) => line.row.rowNumber, width: 8 },
  { header: 'Provider activity ID', value: (line) => line.row.providerActivityId, width: 24, text: true },
  { header: 'Outcome', value: (line) => line.row.outcome, width: 12 },
  { header: 'Hub activity ID', value: (line) => line.row.activityId, width: 16, text: true },
  // The column as the file heads it ("AMA PRA Category 1 credits"), not as the API names it.
  { header: 'Column', value: (line) => (line.problem?.field ? (columnsByName.get(line.problem.field)?.label ?? line.problem.field) : ''), width: 24 },
  { header: 'Problem', value: (line) => line.problem?.message ?? '', width: 90 },
];

/** The receipt as a file to keep: one line per problem, one line for each row without any. */
export function receiptFile(receipt: BatchReceipt, format: 'csv' | 'xlsx'): FileDownload {
  const lines = receipt.rows.flatMap((row): ReceiptLine[] =>
    row.problems.length ? row.problems.map((problem) => ({ row, problem })) : [{ row, problem: null }],
  );
  return tableDownload(format, downloadName('receipt', receipt.fileName ?? 'activities'), { name: 'Receipt', columns: receiptColumns, rows: lines });
}
