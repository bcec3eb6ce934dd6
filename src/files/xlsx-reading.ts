import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { HeaderFinder, rowOfValuesMessage } from './columns.ts';
import type { ColumnSpec, RowOfValues, TabularHeader } from './columns.ts';
import { ByteLimit, tooManyBytes } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { checkZipDirectory, openZipEntry } from './zip-inspection.ts';
import type { ZipEntry } from './zip-inspection.ts';
import { damagedWorkbook, notAWorkbookArchive, rowsOnSeveralSheets } from './file-errors.ts';
import { mergedRanges } from './merged-cells.ts';
import type { MergedRange } from './merged-cells.ts';
import type { FileSource } from './sources.ts';
import type { SectionNotRead, SheetNotRead, TabularFile, TabularRow } from './tabular-reader.ts';
import { eachRow, notFound, nothing, showsNothing, withHeader } from './tabular-rows.ts';
import { SharedStringsCutShort, sheetRowBatches, UnreadableCell, workbookParts } from './workbook-parts.ts';
import { anyWorksheetPart } from './workbook-relationships.ts';
import type { WorkbookSheet } from './workbook-parts.ts';

// An XLSX workbook read as rows: which of its sheets hold learner rows (surveyed first), then those sheets' rows, one
// sheet after another.

type XlsxOptions = { onProgress?: ProgressListener; headerOnly?: boolean; everySheet?: boolean };

export async function readXlsx(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, options: XlsxOptions): Promise<TabularFile> {
  const { filePath, cleanup } = await fileOnDisk(source, limits);
  try {
    const entries = await workbookEntries(filePath, limits);
    // The first rows of every sheet before any row is handed on: rows on two sheets are refused, not half taken.
    const survey = await surveySheets(filePath, entries, columns, limits);
    const toRead = sheetsToRead(survey, options.everySheet ?? false);
    if (toRead.length === 0) {
      await cleanup();
      return { format: 'xlsx', header: notFound(columns, survey.bestGuess ?? survey.notRead.find((sheet) => sheet.why === 'example')?.header ?? null, noHeaderSheetMessage(survey)), rows: nothing(), batches: nothing(), close: cleanup };
    }
    const severalSheets = toRead.length > 1;
    const sheetLists = { ...(severalSheets ? { sheets: toRead.map((sheet) => sheet.header) } : {}), sheetsNotRead: survey.notRead };
    if (options.headerOnly) {
      const firstRows = toRead.map((sheet, place) =>
        namedCellProblems(listed(sheet.firstRows.length > 0 ? [sheet.firstRows] : []), sheet.header, columns, severalSheets ? place : undefined),
      );
      const batches = closeWhenDone(oneAfterAnother(firstRows), cleanup);
      return { format: 'xlsx', header: toRead[0].header, ...sheetLists, rows: eachRow(batches), batches, close: cleanup };
    }
    const { batches, close, sectionsNotRead } = await readSheets(filePath, entries, toRead, columns, limits, { onProgress: options.onProgress, cleanup });
    return { format: 'xlsx', header: toRead[0].header, ...sheetLists, rows: eachRow(batches), batches, close, sectionsNotRead };
  } catch (error) {
    await cleanup();
    throw xlsxError(error);
  }
}

/**
 * The parts of a workbook, from its zip directory, whose declared sizes are held to the limits (every part read is then
 * held to its declared size). A file that is none refused for what it is: an old .xls, a workbook with a password,
 * another program's zip (a Word document), one cut short.
 */
export async function workbookEntries(filePath: string, limits: FileLimits): Promise<ZipEntry[]> {
  try {
    const entries = await checkZipDirectory(filePath, limits);
    if (!entries.some((entry) => anyWorksheetPart.test(entry.name))) throw notAWorkbookArchive(entries.map((entry) => entry.name));
    return entries;
  } catch (error) {
    throw xlsxError(error);
  }
}

async function* oneAfterAnother<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/**
 * Shared strings read for the header and first rows, the fewer first. Excel writes them in the order cells first use
 * them, so the first rows' text comes first; and a piece of a sheet (256 KB unpacked) holds at most about 10,000
 * cells. The survey is read before an upload is queued, on the thread that answers requests: a year-end workbook's
 * whole table (a hundred thousand entries and more) read there holds them up. Text past what was read, as a sheet
 * after a long one uses, has the survey read again with more.
 */
const sharedStringsForFirstRows = [1 << 14, 1 << 17];

/** A visible sheet with the header row, and the first rows under it (none when it has only the header). */
type SheetWithHeader = { part: string; header: TabularHeader; firstRows: TabularRow[] };

type SheetSurvey = {
  withHeader: SheetWithHeader[];
  /** Names of the sheets, for the message when none has the header row. */
  visible: string[];
  hidden: string[];
  bestGuess: TabularHeader | null;
  notRead: SheetNotRead[];
  /** The first visible sheet whose first row holds values, where no sheet has a header row. */
  valuesFirst: { sheet: string; at: RowOfValues } | null;
};

/** The header and first rows of every sheet; the rows of hidden sheets are never read, but said to be there. */
async function surveySheets(filePath: string, entries: readonly ZipEntry[], columns: readonly ColumnSpec[], limits: FileLimits): Promise<SheetSurvey> {
  for (const upTo of sharedStringsForFirstRows) {
    try {
      return await surveySheetsUpTo(filePath, entries, columns, limits, upTo);
    } catch (error) {
      if (!(error instanceof SharedStringsCutShort)) throw error;
    }
  }
  // The first rows use text past what was read of the shared strings (not as Excel writes them): read it all.
  return await surveySheetsUpTo(filePath, entries, columns, limits, Number.POSITIVE_INFINITY);
}

async function surveySheetsUpTo(
  filePath: string,
  entries: readonly ZipEntry[],
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  sharedStringsUpTo: number,
): Promise<SheetSurvey> {
  const parts = await workbookParts(filePath, entries, undefined, sharedStringsUpTo);
  const survey: SheetSurvey = { withHeader: [], visible: [], hidden: [], bestGuess: null, notRead: [], valuesFirst: null };
  try {
    for await (const sheet of parts.worksheets) {
      if (sheet.hidden) {
        survey.hidden.push(sheet.name);
        // Its rows are never read: that it has some is worth saying, but nothing in it stops the workbook.
        const seen = await firstRowsOf(sheet, columns, limits).catch(() => null);
        if (seen?.found && seen.firstRows.length > 0) survey.notRead.push({ name: sheet.name, why: 'hidden', header: seen.header });
        continue;
      }
      survey.visible.push(sheet.name);
      const seen = await firstRowsOf(sheet, columns, limits);
      if (seen.found && seen.firstRows.length > 0 && namedAsExample(sheet.name)) {
        survey.notRead.push({ name: sheet.name, why: 'example', header: seen.header });
        continue;
      }
      if (seen.found) {
        survey.withHeader.push({ part: sheet.part, header: seen.header, firstRows: seen.firstRows });
        continue;
      }
      const { bestGuess } = seen;
      if (seen.rowOfValues) survey.valuesFirst ??= { sheet: sheet.name, at: seen.rowOfValues };
      if (!bestGuess) continue;
      survey.notRead.push({ name: sheet.name, why: 'header_incomplete', header: bestGuess });
      if (!survey.bestGuess || bestGuess.columns.length > survey.bestGuess.columns.length) survey.bestGuess = bestGuess;
    }
  } finally {
    parts.close();
  }
  return survey;
}

/**
 * A sheet whose name says it shows how to fill the workbook in ("Example", "Examples", "Sample rows", "Instructions",
 * "How to fill in", "Read me"): the rows under its header row are a model to copy, and a sample learner taken in
 * would be a credit no one earned.
 */
function namedAsExample(sheetName: string): boolean {
  return /\b(examples?|samples?|instructions?|how to|read ?me|demo)\b/i.test(sheetName);
}

/** A sheet's header and the first rows under it; or, without the header row, the row that came closest (`bestGuess`). */
async function firstRowsOf(
  sheet: WorkbookSheet,
  columns: readonly ColumnSpec[],
  limits: FileLimits,
): Promise<{ found: true; header: TabularHeader; firstRows: TabularRow[] } | { found: false; bestGuess: TabularHeader | null; rowOfValues: RowOfValues | null }> {
  const rawBatches = sheetRowBatches(sheet, limits);
  const search = await withHeader(rawBatches, columns, limits);
  if (!search.found) {
    await rawBatches.return(undefined);
    return { found: false, bestGuess: search.bestGuess && { ...search.bestGuess, sheetName: sheet.name }, rowOfValues: search.rowOfValues };
  }
  const first = await search.batches.next();
  await search.batches.return(undefined);
  return { found: true, header: { ...search.header, sheetName: sheet.name }, firstRows: first.done ? [] : first.value };
}

/**
 * The sheets whose rows are read: those with rows under the header row (sheets without the header, such as
 * instructions, do not count), else the first with the header. Rows on two sheets are refused unless every
 * sheet is read: reading one would leave the other's rows out of the receipt. Read one after another, each
 * sheet's rows are read under its own header; whether the sheets' columns may differ is the caller's to say.
 */
function sheetsToRead(survey: SheetSurvey, everySheet: boolean): SheetWithHeader[] {
  const withRows = survey.withHeader.filter((sheet) => sheet.firstRows.length > 0);
  if (withRows.length > 1) {
    if (!everySheet) throw rowsOnSeveralSheets(withRows.map((sheet) => sheet.header.sheetName ?? sheet.part));
    return withRows;
  }
  const one = withRows[0] ?? survey.withHeader[0];
  return one ? [one] : [];
}

function noHeaderSheetMessage({ visible, hidden, valuesFirst, notRead }: SheetSurvey): string {
  if (valuesFirst) return rowOfValuesMessage(valuesFirst.at, `Sheet "${valuesFirst.sheet}"`);
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
  const examples = notRead.filter((sheet) => sheet.why === 'example').map((sheet) => sheet.name);
  if (examples.length > 0) {
    return `The header row and rows under it are only on ${examples.length === 1 ? 'sheet' : 'sheets'} ${quoted(examples)}, whose name says they are examples: they were not read. Put the rows to send on a sheet of their own, or, if these rows are to be sent, give the sheet another name.`;
  }
  const hiddenNote = hidden.length > 0 ? `; hidden sheets, which are not read: ${quoted(hidden)}` : '';
  if (visible.length === 0) {
    return hidden.length > 0
      ? `The workbook has no visible sheet (hidden sheets, which are not read: ${quoted(hidden)}). Unhide the sheet of rows in Excel and save the file.`
      : 'The workbook has no sheets.';
  }
  return `No sheet has the header row of the template in its first ${HeaderFinder.rowsToSearch} rows, empty rows aside (sheets: ${quoted(visible)}${hiddenNote}); a title above it is fine, within those rows.`;
}

/**
 * The rows of the sheets `sheetsToRead` chose, one sheet after another, as they are read; the first sheet's
 * header is found again before this resolves, so that a workbook damaged there is refused at once.
 */
async function readSheets(
  filePath: string,
  entries: readonly ZipEntry[],
  toRead: readonly SheetWithHeader[],
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  options: { onProgress?: ProgressListener; cleanup: () => Promise<void> },
): Promise<Pick<TabularFile, 'batches' | 'close' | 'sectionsNotRead'>> {
  const parts = await workbookParts(filePath, entries, options.onProgress);
  const sectionsNotRead: SectionNotRead[] = [];
  const worksheets = parts.worksheets[Symbol.asyncIterator]();
  const counted = { rows: 0 };
  const severalSheets = toRead.length > 1;
  let sheetXml: Readable | null = null;
  const release = async () => {
    await worksheets.return(undefined);
    sheetXml?.destroy();
    parts.close();
  };
  /** The rows of the next sheet to read, its header found again. */
  const openNextSheet = async (place: number): Promise<AsyncIterable<TabularRow[]>> => {
    const { part } = toRead[place];
    for (let sheet = await worksheets.next(); !sheet.done; sheet = await worksheets.next()) {
      if (sheet.value.part !== part) continue;
      sheetXml?.destroy();
      // Read to the sheet's end while the shared strings are read; needed from the first row under the header on.
      // A sheet damaged further on has its rows read up to the damage, which the reading of rows names.
      sheetXml = openZipEntry(filePath, entries.find((entry) => entry.name === part) as ZipEntry);
      const merges = mergedRanges(sheetXml).catch((): MergedRange[] => []);
      const sheetName = sheet.value.name;
      const search = await withHeader(sheetRowBatches(sheet.value, limits), columns, limits, {
        mergedCells: merges,
        counted,
        onSectionNotRead: (section) => sectionsNotRead.push({ ...section, sheet: sheetName }),
      });
      // The survey found the header in these same rows; a sheet that reads otherwise the second time is damaged.
      if (!search.found) break;
      return namedCellProblems(search.batches, { ...search.header, sheetName }, columns, severalSheets ? place : undefined);
    }
    throw damagedWorkbook();
  };
  let first: AsyncIterable<TabularRow[]>;
  try {
    first = await openNextSheet(0);
  } catch (error) {
    await release();
    throw error;
  }
  async function* sheetAfterSheet(): AsyncGenerator<TabularRow[]> {
    yield* first;
    for (let place = 1; place < toRead.length; place++) yield* await openNextSheet(place);
  }
  const close = async () => {
    await release();
    await options.cleanup();
  };
  return { batches: closeWhenDone(sheetAfterSheet(), close), close, sectionsNotRead };
}

async function* listed<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/**
 * Names the column of each cell that could not be read. Such a cell in a column the hub does not read is
 * no problem, and a row left with nothing in it is skipped as blank. `sheet`: the rows' sheet, when the
 * workbook's rows are read from several.
 */
async function* namedCellProblems(
  batches: AsyncIterable<TabularRow[]>,
  header: TabularHeader,
  columns: readonly ColumnSpec[],
  sheet?: number,
): AsyncGenerator<TabularRow[]> {
  const specs = new Map(columns.map((spec) => [spec.name, spec]));
  const specAt = new Map<number, ColumnSpec>();
  for (const column of header.columns) {
    const spec = column.name === null ? undefined : specs.get(column.name);
    if (spec) specAt.set(column.index, spec);
  }
  for await (const batch of batches) {
    const rows: TabularRow[] = [];
    for (const row of batch) {
      if (sheet !== undefined) row.sheet = sheet;
      if (!row.problems.some((problem) => problem instanceof UnreadableCell)) {
        rows.push(row);
        continue;
      }
      const problems = row.problems.flatMap((problem) => {
        if (!(problem instanceof UnreadableCell)) return [problem];
        const spec = specAt.get(problem.column);
        return spec ? [problem.named(spec)] : [];
      });
      if (problems.length > 0 || Object.values(row.record).some((value) => !showsNothing.test(value))) rows.push({ ...row, problems });
    }
    if (rows.length > 0) yield rows;
  }
}

async function* closeWhenDone<T>(batches: AsyncIterable<T>, close: () => Promise<void>): AsyncGenerator<T> {
  try {
    yield* batches;
  } catch (error) {
    throw xlsxError(error);
  } finally {
    await close();
  }
}

/**
 * The workbook reader's own errors (bad XML inside, data that does not unpack) say nothing useful to a
 * coordinator: the workbook is damaged.
 */
function xlsxError(error: unknown): unknown {
  if (error instanceof Error && !('status' in error) && (!('errno' in error) || isZlibError(error))) return damagedWorkbook();
  return error;
}

function isZlibError(error: Error): boolean {
  const { code } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** The workbook reader wants a file it can seek in; a stream is copied to a temporary file first. */
async function fileOnDisk(source: FileSource, limits: FileLimits): Promise<{ filePath: string; cleanup: () => Promise<void> }> {
  if (typeof source === 'string') {
    const { size } = await stat(source);
    if (size > limits.maxBytes) throw tooManyBytes(limits.maxBytes);
    return { filePath: source, cleanup: async () => undefined };
  }
  const directory = await mkdtemp(path.join(tmpdir(), 'cmehub-xlsx-'));
  const filePath = path.join(directory, 'upload.xlsx');
  const cleanup = () => rm(directory, { recursive: true, force: true });
  try {
    await pipelineAsync(source, new ByteLimit(limits.maxBytes), createWriteStream(filePath));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { filePath, cleanup };
}

