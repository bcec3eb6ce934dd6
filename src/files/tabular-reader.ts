import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { SaxesParser } from 'saxes';
import type { Problem } from '../http/errors.ts';
import { HeaderFinder, indexHeadings, noHeader } from './columns.ts';
import type { ColumnSpec, HeaderColumn, TabularHeader } from './columns.ts';
import { ByteLimit, formatBytes, resolveLimits, tooManyBytes, tooManyRows } from './limits.ts';
import type { FileLimitError, FileLimits, ProgressListener } from './limits.ts';
import { csvRecordBatches, isPlainCsvFile, recordReadLimit } from './csv-records.ts';
import type { BrokenRecord, CsvDelimiter } from './csv-records.ts';
import { decodeText } from './text-decoding.ts';
import type { TextEncoding } from './text-decoding.ts';
import { checkZipDirectory, openZipEntry, sharedStringsPart } from './zip-inspection.ts';
import type { ZipEntry } from './zip-inspection.ts';
import { damagedWorkbook, notAWorkbookArchive, rowsOnSeveralSheets, sheetColumnsDiffer, UnreadableFileError } from './file-errors.ts';
import { openBytes } from './sources.ts';
import { mergedRanges, mergedCellsFiller } from './merged-cells.ts';
import type { MergedRange } from './merged-cells.ts';
import type { FileSource } from './sources.ts';
import { loadExcelJS } from './exceljs.ts';

export type { ColumnSpec, TabularHeader } from './columns.ts';
export type { FileSource } from './sources.ts';

export type TabularFormat = 'csv' | 'xlsx';
export type { CsvDelimiter } from './csv-records.ts';

export type TabularRow = {
  /** The row as a spreadsheet program numbers it (the header is usually row 1). */
  rowNumber: number;
  /** Trimmed text of every known column, keyed by its name; '' when empty or absent. */
  record: Record<string, string>;
  /** What is wrong with the row as a row (too many values, a broken quote); empty when nothing. */
  problems: Problem[];
  /** XLSX: the sheet hides the row (by hand, or a filter), though it is in the file and read like the others. */
  hidden?: true;
  /** XLSX read with `everySheet`, rows on several sheets: the row's sheet, by its place in `TabularFile.sheets`. */
  sheet?: number;
};

export type TabularFile = {
  format: TabularFormat;
  /** The header of the sheet read first, in a workbook. */
  header: TabularHeader;
  /** XLSX read with `everySheet`, rows on several sheets: the header of each, in the order their rows come. */
  sheets?: TabularHeader[];
  /** XLSX: the sheets whose rows were not read, and might have been meant to be (`SheetNotRead`). */
  sheetsNotRead?: SheetNotRead[];
  /** CSV only: what the file turned out to be. */
  encoding?: TextEncoding;
  delimiter?: CsvDelimiter;
  /** The data rows after the header; blank rows are skipped. Iterate once, these or `batches`. */
  rows: AsyncIterable<TabularRow>;
  /** The same rows, a chunk of the file at a time, for readers of many rows. */
  batches: AsyncIterable<TabularRow[]>;
  /** Releases the file when the rows are not read to the end. */
  close(): Promise<void>;
};

/**
 * A sheet of a workbook whose rows were not read: a hidden sheet with rows under the header row (`header`), or a
 * visible one without the header row, with the row that came closest to it (`header`, not `ok`, naming what it lacks).
 */
export type SheetNotRead = { name: string; hidden: boolean; header: TabularHeader };

export type ReadTabularOptions = {
  format: TabularFormat;
  columns: readonly ColumnSpec[];
  limits?: Partial<FileLimits>;
  /** Told how many bytes of the file have been read, as reading goes. */
  onProgress?: ProgressListener;
  /** Only the header and the first rows will be read (a check before a file is queued). */
  headerOnly?: boolean;
  /**
   * XLSX: the rows of every sheet that has them under the header row (a tab per month), one sheet after another,
   * the sheets having the same columns; otherwise rows on two sheets are refused.
   */
  everySheet?: boolean;
};

/**
 * Reads a CSV or XLSX file as a stream of records keyed by column name. Resolves once the header
 * row is found, so that header problems (missing required columns) can stop an upload before any
 * row is read. Memory use does not grow with the file.
 */
export async function readTabular(source: FileSource, options: ReadTabularOptions): Promise<TabularFile> {
  const limits = resolveLimits(options.limits);
  return options.format === 'csv'
    ? readCsv(source, options.columns, limits, options.onProgress)
    : readXlsx(source, options.columns, limits, { onProgress: options.onProgress, headerOnly: options.headerOnly, everySheet: options.everySheet });
}

type Cells = string[];
type RawRow = { rowNumber: number; cells: Cells; problems: Problem[]; hidden?: true };

type HeaderSearch =
  | { found: true; header: TabularHeader; batches: AsyncGenerator<TabularRow[]> }
  | { found: false; bestGuess: TabularHeader | null };

/**
 * Finds the header among the first rows, then maps the cells of the rows after it to column names.
 * When no row qualifies, says which came closest so that the problems can name what is missing.
 * Rows come and go in batches (a chunk of the file each): a file has up to millions of rows, and
 * handing each one through its own promise cost more than reading it.
 */
async function withHeader(
  rawBatches: AsyncIterator<RawRow[], undefined>,
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  /**
   * A CSV file's rows, unlike a sheet's, may have more or fewer values than the header has columns; and, when it
   * has quotes (not `plain`), values holding line breaks.
   */
  csv: { delimiter: CsvDelimiter; plain: boolean } | null,
  mergedCells?: Promise<MergedRange[]>,
  /** The rows counted against the limit, shared by the sheets of a workbook read one after another. */
  counted = { rows: 0 },
): Promise<HeaderSearch> {
  const finder = new HeaderFinder(columns, indexHeadings(columns));
  let header: TabularHeader | null = null;
  let batch: RawRow[] = [];
  let position = 0;
  while (!header && !finder.exhausted) {
    if (position === batch.length) {
      const next = await rawBatches.next();
      if (next.done) break;
      batch = next.value;
      position = 0;
      continue;
    }
    const row = batch[position];
    position += 1;
    if (isBlank(row.cells)) continue;
    header = finder.offer(row.cells, row.rowNumber);
  }
  if (!header) return { found: false, bestGuess: finder.bestGuess() };
  const fillMergedCells = mergedCells ? mergedCellsFiller(await mergedCells, header.rowNumber) : null;
  const mapped = header.columns.filter((column) => column.name !== null);
  const names = mapped.map((column) => column.name as string);
  const indexes = mapped.map((column) => column.index);
  const required = new Set(columns.filter((column) => column.required).map((column) => column.name));
  const shape: RowShape = {
    width: header.columns.length === 0 ? 0 : Math.max(...header.columns.map((column) => column.index)) + 1,
    columns: header.columns,
    requiredColumns: mapped.filter((column) => required.has(column.name as string)),
  };
  const quoted = csv !== null && !csv.plain;
  const requiredHeadings = shape.requiredColumns.map((column) => ({ index: column.index, heading: column.heading.toLowerCase() }));
  const empty: Record<string, string> = Object.fromEntries(columns.map((column) => [column.name, '']));
  // Past the row limit, the rows before it are still handed on, then the limit stops the reading.
  let pastLimit: FileLimitError | null = null;

  const toRecords = (raws: RawRow[], from: number): TabularRow[] => {
    const rows: TabularRow[] = [];
    for (let index = from; index < raws.length; index++) {
      const { rowNumber, cells, problems, hidden } = raws[index];
      if (problems.length === 0 && isBlank(cells)) continue;
      counted.rows += 1;
      if (counted.rows > limits.maxRows) {
        pastLimit = tooManyRows(limits.maxRows);
        break;
      }
      fillMergedCells?.(rowNumber, cells);
      const record = { ...empty };
      for (let column = 0; column < names.length; column++) {
        const value = cells[indexes[column]];
        if (value !== undefined) record[names[column]] = quoted ? csvQuotedText(value) : shownText(value);
      }
      if (csv && problems.length === 0) {
        const shapeProblem = raggedRowProblem(cells, shape, rowNumber) ?? (csv.plain ? null : rowsInValueProblem(cells, shape, csv.delimiter, rowNumber));
        if (shapeProblem) problems.push(shapeProblem);
      }
      if (problems.length === 0 && repeatsHeader(cells, requiredHeadings)) problems.push(headerRepeated(rowNumber));
      rows.push(hidden ? { rowNumber, record, problems, hidden } : { rowNumber, record, problems });
    }
    return rows;
  };

  async function* batches(): AsyncGenerator<TabularRow[]> {
    try {
      const rest = toRecords(batch, position);
      if (rest.length > 0) yield rest;
      if (pastLimit) throw pastLimit;
      for (let next = await rawBatches.next(); !next.done; next = await rawBatches.next()) {
        const rows = toRecords(next.value, 0);
        if (rows.length > 0) yield rows;
        if (pastLimit) throw pastLimit;
      }
    } finally {
      await rawBatches.return?.(undefined);
    }
  }
  return { found: true, header, batches: batches() };
}

/** A row with nothing in it but spaces, or characters that show nothing: a spreadsheet shows it as empty, and so it is skipped. */
function isBlank(cells: Cells): boolean {
  for (const cell of cells) if (cell !== '' && !showsNothing.test(cell)) return false;
  return true;
}

const showsNothing = /^[\s\u200B-\u200D\u2060\uFEFF]*$/;

/**
 * A cell's text as a spreadsheet shows it: without the spaces around it, nor the zero-width characters that text
 * pasted from a web page or a chat may carry, with which "100000058" would be another activity ID. The joiners
 * (U+200C, U+200D) stay: some names need them.
 */
function shownText(cell: string): string {
  const text = cell.trim();
  return zeroWidth.test(text) ? text.replaceAll(zeroWidthEverywhere, '').trim() : text;
}

/**
 * A CSV value as a spreadsheet shows it, where the file has quotes: `="00123"`, which some programs write so that
 * Excel keeps a number's leading zeros, shows as 00123.
 */
function csvQuotedText(cell: string): string {
  const text = shownText(cell);
  return text.startsWith('="') ? (textFormula.exec(text)?.[1] ?? text) : text;
}

const textFormula = /^="([^"]*)"$/;
const zeroWidth = /[\u200B\u2060\uFEFF]/;
const zeroWidthEverywhere = /[\u200B\u2060\uFEFF]/g;

async function* eachRow<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** The columns of the header row: how many, and those every row must fill in. */
type RowShape = { width: number; columns: readonly HeaderColumn[]; requiredColumns: readonly HeaderColumn[] };

function raggedRowProblem(cells: Cells, { width, requiredColumns }: RowShape, rowNumber: number): Problem | null {
  if (cells.length > width && cells.slice(width).some((cell) => cell.trim() !== '')) {
    return {
      code: 'too_many_values',
      row: rowNumber,
      message: `The row has ${cells.length} values but the header has ${width} columns; check for a separator inside a value that should be in quotes.`,
    };
  }
  // A row that stops short of its last columns leaves them empty, as some programs write empty values at the
  // end of a row; but not a column every row must fill in: its value is missing, or shifted.
  const cutOff = requiredColumns.filter((column) => column.index >= cells.length);
  if (cutOff.length > 0) {
    const headings = cutOff.map((column) => `"${column.heading}"`).join(', ');
    return {
      code: 'too_few_values',
      row: rowNumber,
      message: `The row has ${cells.length} values but the header has ${width} columns: it ends before ${headings}, which must be filled in. Check for a missing separator, or values shifted into the wrong columns.`,
    };
  }
  return null;
}

/**
 * A value in quotes may hold line breaks; one whose lines have about as many separators as a row has is most
 * likely rows, taken into the value by a quote opened before them and closed only after (a value begun `"Jim`, its
 * closing quote forgotten): they are not rows of the receipt, and the values of this one are out of place.
 */
function rowsInValueProblem(cells: Cells, { width, columns }: RowShape, delimiter: CsvDelimiter, rowNumber: number): Problem | null {
  const separatorsOfARow = Math.max(3, Math.floor((width - 1) / 2));
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    const lines = cell.split(lineBreak);
    if (!lines.slice(1).some((line) => line.split(delimiter).length - 1 >= separatorsOfARow)) continue;
    const heading = columns.find((column) => column.index === index)?.heading;
    return {
      code: 'rows_in_value',
      row: rowNumber,
      message: `${heading ? `The "${heading}" value` : 'A value'} of this row runs over ${lines.length} lines of the file, which look like rows: a quote (") opened in it closes only lines later, so those rows were read as part of this value, and are not in the receipt. Close the quote where the value ends, or double a quote that is part of a value (""), and send the file again.`,
    };
  }
  return null;
}

const lineBreak = /\r\n|\r|\n/;

/**
 * A row whose required columns hold their own headings: the header again, as where two files were put together
 * or rows were pasted with their header. Its values would each be a problem of their column.
 */
function repeatsHeader(cells: Cells, requiredHeadings: readonly { index: number; heading: string }[]): boolean {
  return requiredHeadings.length > 0 && requiredHeadings.every(({ index, heading }) => shownText(cells[index] ?? '').toLowerCase() === heading);
}

/** The problem code of a row that repeats the header row. */
export const headerRepeatedCode = 'header_repeated';

function headerRepeated(rowNumber: number): Problem {
  return {
    code: headerRepeatedCode,
    row: rowNumber,
    message: 'The row repeats the header row (two files put together, or rows pasted with their header): delete it.',
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

async function readCsv(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, onProgress?: ProgressListener): Promise<TabularFile> {
  const bytes = await openBytes(source, limits.maxBytes);
  let text: Awaited<ReturnType<typeof decodeText>>;
  let plain: boolean;
  try {
    text = await decodeText(bytes);
    const eightBit = text.encoding !== 'utf16le' && text.encoding !== 'utf16be';
    plain = typeof source === 'string' && eightBit && (await isPlainCsvFile(source, limits.maxRecordBytes));
  } catch (error) {
    bytes.destroy();
    throw error;
  }
  const declared = excelSeparatorLine(text.sample);
  const delimiter = declared ?? sniffDelimiter(text.sample);
  // The records of each chunk of bytes, numbered as a spreadsheet program numbers the rows.
  async function* rawBatches(): AsyncGenerator<RawRow[], undefined> {
    let rowNumber = declared ? 1 : 0;
    try {
      const records = csvRecordBatches(text.chunks, { delimiter, skipFirstLine: declared !== null, maxRecordBytes: limits.maxRecordBytes, plain });
      for await (const batch of records) {
        const rows: RawRow[] = new Array(batch.length);
        for (let index = 0; index < batch.length; index++) {
          const record = batch[index];
          rowNumber += 1;
          if (Array.isArray(record)) {
            rows[index] = { rowNumber, cells: record, problems: [] };
          } else if (record.broken !== 'past_read_limit' && !record.spansLines) {
            // A record that could not be read becomes a row with the problem, so that the row numbers stay right.
            rows[index] = { rowNumber, cells: [], problems: [brokenRowProblem(record, rowNumber, limits)] };
          } else {
            // It may hold the rows after it, or nothing after it was read: the rows before it go on, and the reading stops there.
            if (index > 0) yield rows.slice(0, index);
            throw brokenRowsError(record, rowNumber, limits);
          }
        }
        yield rows;
        // The file is read up to the bytes of the rows taken, not as far as the stream has buffered ahead.
        onProgress?.(text.bytesTaken);
      }
    } finally {
      bytes.destroy();
    }
    return undefined;
  }
  const iterator = rawBatches();
  const search = await withHeader(iterator, columns, limits, { delimiter, plain });
  const close = async () => {
    await iterator.return(undefined);
  };
  if (!search.found) {
    await close();
    const message = `No header row was found in the first ${HeaderFinder.rowsToSearch} rows of the file (empty rows aside). The header row names the columns, as in the template; a title above it is fine, within those rows.`;
    return { format: 'csv', encoding: text.encoding, delimiter, header: notFound(columns, search.bestGuess, message), rows: nothing(), batches: nothing(), close };
  }
  const { batches } = search;
  return {
    format: 'csv',
    encoding: text.encoding,
    delimiter,
    header: search.header,
    rows: eachRow(batches),
    batches,
    close: async () => {
      await batches.return(undefined);
      await close();
    },
  };
}

/** Excel honours a first line "sep=;" naming the separator; so does the hub. */
function excelSeparatorLine(sample: string): CsvDelimiter | null {
  const match = /^sep=([,;\t])\r?\n/i.exec(sample);
  return match ? (match[1] as CsvDelimiter) : null;
}

/**
 * Picks the separator that splits the first lines most consistently: the header line must contain it,
 * and lines that contain it should agree on how many times. Quoted text is ignored.
 */
export function sniffDelimiter(sample: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = [',', ';', '\t'];
  const lines = splitLinesOutsideQuotes(sample).filter((line) => line.trim() !== '').slice(0, 10);
  if (lines.length === 0) return ',';
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const candidate of candidates) {
    const counts = lines.map((line) => countOutsideQuotes(line, candidate));
    if (counts[0] === 0) continue;
    const agreeing = counts.filter((count) => count === counts[0]).length;
    const score = agreeing * 1000 + counts[0];
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function splitLinesOutsideQuotes(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) {
      lines.push(text.slice(start, i));
      start = i + 1;
    }
  }
  // The last line of a sample may be cut short; it is only used when it is the only one.
  if (lines.length === 0) lines.push(text.slice(start));
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count += 1;
  }
  return count;
}

function brokenRowProblem(record: BrokenRecord, rowNumber: number, limits: FileLimits): Problem {
  if (record.broken === 'too_long') {
    return {
      code: 'row_too_long',
      row: rowNumber,
      message: `The row is longer than ${limits.maxRecordBytes.toLocaleString('en-US')} characters, the most a row may have; shorten the values that are too long.`,
    };
  }
  return {
    code: 'unreadable_row',
    row: rowNumber,
    message: 'A value opens a quote (") that is never closed; close it where the value ends, or double a quote that is part of the value ("").',
  };
}

/**
 * A record that runs over several lines and could not be read may hold the rows after it, and nothing after a
 * record past the read limit is read: the reading stops there, rather than go on without them.
 */
function brokenRowsError(record: BrokenRecord, rowNumber: number, limits: FileLimits): UnreadableFileError {
  const row = rowNumber.toLocaleString('en-US');
  const rowLimit = `${limits.maxRecordBytes.toLocaleString('en-US')} characters`;
  const readLimit = formatBytes(recordReadLimit(limits.maxRecordBytes));
  const closeTheQuote = 'Close the quote where the value ends, or double a quote that is part of a value ("").';
  const [what, fix] =
    record.broken === 'too_long'
      ? [`Row ${row} is longer than ${rowLimit}, the most a row may have, and runs over several lines of the file: a quote is probably opened in it and closed only lines later.`, closeTheQuote]
      : record.broken === 'quote_not_closed'
        ? [`Row ${row} opens a quote (") that is never closed, so the rest of the file was read as one value.`, closeTheQuote]
        : record.spansLines
          ? [`Row ${row} runs over several lines of the file and goes on for more than ${readLimit}: a quote is probably opened in it and never closed, so the rest of the file would be read as one value.`, closeTheQuote]
          : [`Row ${row} goes on for more than ${readLimit} without ending, far past the ${rowLimit} a row may have.`, 'Shorten the values that are too long.'];
  return new UnreadableFileError(`${what} Neither row ${row} nor any row after it was taken in. ${fix}`);
}

async function* nothing<T>(): AsyncGenerator<T> {}

function notFound(columns: readonly ColumnSpec[], bestGuess: TabularHeader | null, message: string): TabularHeader {
  if (!bestGuess) return noHeader(columns, message);
  return { ...bestGuess, ok: false, problems: [{ code: 'no_header_row', message }, ...bestGuess.problems] };
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** What the workbook reader hands over for each worksheet: the sheet's XML, and what its cells refer to. */
type WorksheetSource = {
  name?: string;
  /** "hidden" or "veryHidden" for a sheet Excel does not show. */
  state?: string;
  iterator: AsyncIterable<Buffer | string>;
  workbook: {
    sharedStrings?: SharedStrings;
    styles: { getStyleModel(id: number): { numFmt?: string } | null };
    properties?: { model?: { date1904?: boolean } };
  };
};

/** A worksheet as `workbookParts` gives it: with the zip part that holds it, and whether Excel shows it. */
type WorkbookSheet = Omit<WorksheetSource, 'state'> & { part: string; name: string; hidden: boolean };

type XlsxOptions = { onProgress?: ProgressListener; headerOnly?: boolean; everySheet?: boolean };

async function readXlsx(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, options: XlsxOptions): Promise<TabularFile> {
  const { filePath, cleanup } = await fileOnDisk(source, limits);
  try {
    // The directory's declared sizes are held to the limits, and every part read is held to its declared size.
    const entries = await checkZipDirectory(filePath, limits);
    if (!entries.some((entry) => worksheetPart.test(entry.name))) throw notAWorkbookArchive(entries.map((entry) => entry.name));
    // The first rows of every sheet before any row is handed on: rows on two sheets are refused, not half taken.
    const survey = await surveySheets(filePath, entries, columns, limits);
    const toRead = sheetsToRead(survey, columns, options.everySheet ?? false);
    if (toRead.length === 0) {
      await cleanup();
      return { format: 'xlsx', header: notFound(columns, survey.bestGuess, noHeaderSheetMessage(survey)), rows: nothing(), batches: nothing(), close: cleanup };
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
    const { batches, close } = await readSheets(filePath, entries, toRead, columns, limits, { onProgress: options.onProgress, cleanup });
    return { format: 'xlsx', header: toRead[0].header, ...sheetLists, rows: eachRow(batches), batches, close };
  } catch (error) {
    await cleanup();
    throw xlsxError(error);
  }
}

async function* oneAfterAnother<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/**
 * Shared strings read for the header and first rows. Excel writes them in the order cells first use them,
 * so the first rows' text comes first; and a piece of a sheet (256 KB unpacked) holds at most about
 * 10,000 cells.
 */
const sharedStringsForFirstRows = 1 << 17;

/** A visible sheet with the header row, and the first rows under it (none when it has only the header). */
type SheetWithHeader = { part: string; header: TabularHeader; firstRows: TabularRow[] };

type SheetSurvey = {
  withHeader: SheetWithHeader[];
  /** Names of the sheets, for the message when none has the header row. */
  visible: string[];
  hidden: string[];
  bestGuess: TabularHeader | null;
  notRead: SheetNotRead[];
};

/** The header and first rows of every sheet; the rows of hidden sheets are never read, but said to be there. */
async function surveySheets(filePath: string, entries: readonly ZipEntry[], columns: readonly ColumnSpec[], limits: FileLimits): Promise<SheetSurvey> {
  try {
    return await surveySheetsUpTo(filePath, entries, columns, limits, sharedStringsForFirstRows);
  } catch (error) {
    // The first rows use text past what was read of the shared strings (not as Excel writes them): read it all.
    if (!(error instanceof SharedStringsCutShort)) throw error;
    return await surveySheetsUpTo(filePath, entries, columns, limits, Number.POSITIVE_INFINITY);
  }
}

async function surveySheetsUpTo(
  filePath: string,
  entries: readonly ZipEntry[],
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  sharedStringsUpTo: number,
): Promise<SheetSurvey> {
  const parts = await workbookParts(filePath, entries, undefined, sharedStringsUpTo);
  const survey: SheetSurvey = { withHeader: [], visible: [], hidden: [], bestGuess: null, notRead: [] };
  try {
    for await (const sheet of parts.worksheets) {
      if (sheet.hidden) {
        survey.hidden.push(sheet.name);
        // Its rows are never read: that it has some is worth saying, but nothing in it stops the workbook.
        const seen = await firstRowsOf(sheet, columns, limits).catch(() => null);
        if (seen?.found && seen.firstRows.length > 0) survey.notRead.push({ name: sheet.name, hidden: true, header: seen.header });
        continue;
      }
      survey.visible.push(sheet.name);
      const seen = await firstRowsOf(sheet, columns, limits);
      if (seen.found) {
        survey.withHeader.push({ part: sheet.part, header: seen.header, firstRows: seen.firstRows });
        continue;
      }
      const { bestGuess } = seen;
      if (!bestGuess) continue;
      survey.notRead.push({ name: sheet.name, hidden: false, header: bestGuess });
      if (!survey.bestGuess || bestGuess.columns.length > survey.bestGuess.columns.length) survey.bestGuess = bestGuess;
    }
  } finally {
    parts.close();
  }
  return survey;
}

/** A sheet's header and the first rows under it; or, without the header row, the row that came closest (`bestGuess`). */
async function firstRowsOf(
  sheet: WorkbookSheet,
  columns: readonly ColumnSpec[],
  limits: FileLimits,
): Promise<{ found: true; header: TabularHeader; firstRows: TabularRow[] } | { found: false; bestGuess: TabularHeader | null }> {
  const rawBatches = sheetRowBatches(sheet, limits);
  const search = await withHeader(rawBatches, columns, limits, null);
  if (!search.found) {
    await rawBatches.return(undefined);
    return { found: false, bestGuess: search.bestGuess && { ...search.bestGuess, sheetName: sheet.name } };
  }
  const first = await search.batches.next();
  await search.batches.return(undefined);
  return { found: true, header: { ...search.header, sheetName: sheet.name }, firstRows: first.done ? [] : first.value };
}

/**
 * The sheets whose rows are read: those with rows under the header row (sheets without the header, such as
 * instructions, do not count), else the first with the header. Rows on two sheets are refused unless every
 * sheet is read: reading one would leave the other's rows out of the receipt. Read one after another, the
 * sheets must have the same columns, in any order, so that every row is read alike.
 */
function sheetsToRead(survey: SheetSurvey, columns: readonly ColumnSpec[], everySheet: boolean): SheetWithHeader[] {
  const withRows = survey.withHeader.filter((sheet) => sheet.firstRows.length > 0);
  if (withRows.length > 1) {
    if (!everySheet) throw rowsOnSeveralSheets(withRows.map((sheet) => sheet.header.sheetName ?? sheet.part));
    const [first, ...others] = withRows;
    for (const other of others) {
      const difference = columnsDiffering(first.header, other.header, columns);
      if (difference) throw sheetColumnsDiffer(first.header.sheetName ?? first.part, other.header.sheetName ?? other.part, difference);
    }
    return withRows;
  }
  const one = withRows[0] ?? survey.withHeader[0];
  return one ? [one] : [];
}

/** The columns one sheet's header has and the other's has not, by their labels; null when they have the same. */
function columnsDiffering(first: TabularHeader, other: TabularHeader, columns: readonly ColumnSpec[]): { onlyFirst: string[]; onlyOther: string[] } | null {
  const namesOf = (header: TabularHeader) => new Set(header.columns.flatMap((column) => (column.name ? [column.name] : [])));
  const [inFirst, inOther] = [namesOf(first), namesOf(other)];
  const labelled = (names: string[]) => names.map((name) => columns.find((column) => column.name === name)?.label ?? name);
  const onlyFirst = labelled([...inFirst].filter((name) => !inOther.has(name)));
  const onlyOther = labelled([...inOther].filter((name) => !inFirst.has(name)));
  return onlyFirst.length > 0 || onlyOther.length > 0 ? { onlyFirst, onlyOther } : null;
}

function noHeaderSheetMessage({ visible, hidden }: SheetSurvey): string {
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
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
): Promise<Pick<TabularFile, 'batches' | 'close'>> {
  const parts = await workbookParts(filePath, entries, options.onProgress);
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
      const search = await withHeader(sheetRowBatches(sheet.value, limits), columns, limits, null, merges, counted);
      // The survey found the header in these same rows; a sheet that reads otherwise the second time is damaged.
      if (!search.found) break;
      return namedCellProblems(search.batches, { ...search.header, sheetName: sheet.value.name }, columns, severalSheets ? place : undefined);
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
  return { batches: closeWhenDone(sheetAfterSheet(), close), close };
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

/** The parts of exceljs's streaming workbook reader that read the workbook's own parts, and what they keep. */
type ExcelWorkbookReader = WorksheetSource['workbook'] & {
  workbookRels?: { Id: string; Target: string }[];
  model: { sheets?: { rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): Iterable<{ eventType: string; value: WorksheetSource }>;
};

const worksheetPart = /xl\/worksheets\/sheet(\d+)[.]xml/;

/**
 * The worksheets of a workbook, in the order of its tabs, with what exceljs's streaming reader knows of
 * them once it has read the workbook's own parts (shared strings, styles, the date system, each sheet's name
 * and whether it is hidden), its own code reading those parts. The parts are read straight from the zip entries that
 * `checkZipDirectory` checked: exceljs, reading the zip as one stream, copies each sheet that comes before
 * the shared strings (as in every file Excel writes) to a temporary file and reads it back; here the sheet
 * is read where it lies, and only when its rows are read: a sheet passed over is never unpacked.
 */
async function workbookParts(filePath: string, entries: readonly ZipEntry[], onProgress?: ProgressListener, sharedStringsUpTo = Number.POSITIVE_INFINITY) {
  const { stream } = await loadExcelJS();
  const workbook = new stream.xlsx.WorkbookReader(filePath, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ExcelWorkbookReader;
  const open = new Set<Readable>();
  // The file's bytes up to each part, for the progress: a sheet passed over counts as read.
  let bytesBefore = 0;
  const startOf = (entry: ZipEntry): number => {
    const before = bytesBefore;
    bytesBefore += entry.compressedSize;
    return before;
  };
  const openEntry = (entry: ZipEntry, before = startOf(entry)): Readable => {
    const stream = openZipEntry(filePath, entry, onProgress && ((bytes) => onProgress(before + bytes)));
    open.add(stream);
    stream.once('close', () => open.delete(stream));
    return stream;
  };

  const sheetOf = (entry: ZipEntry, sheetNo: string): WorkbookSheet => {
    const before = startOf(entry);
    const chunks: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => openEntry(entry, before)[Symbol.asyncIterator]() };
    const [{ value: reader }] = workbook._parseWorksheet(chunks, sheetNo);
    return {
      iterator: reader.iterator,
      workbook: reader.workbook,
      part: entry.name,
      name: reader.name ?? `Sheet${sheetNo}`,
      hidden: reader.state === 'hidden' || reader.state === 'veryHidden',
    };
  };

  /** A sheet's place among the tabs, as the workbook lists them; a sheet it does not list comes after those it does. */
  const tabOf = (sheetNo: string): number => {
    const relation = workbook.workbookRels?.find((candidate) => candidate.Target === `worksheets/sheet${sheetNo}.xml`);
    const tab = relation ? (workbook.model.sheets ?? []).findIndex((sheet) => sheet.rId === relation.Id) : -1;
    return tab === -1 ? Number.MAX_SAFE_INTEGER : tab;
  };

  async function* worksheets(): AsyncGenerator<WorkbookSheet> {
    const sheets: { entry: ZipEntry; sheetNo: string }[] = [];
    for (const entry of entries) {
      switch (entry.name) {
        case 'xl/_rels/workbook.xml.rels':
          await workbook._parseRels(openEntry(entry));
          break;
        case 'xl/workbook.xml':
          await workbook._parseWorkbook(openEntry(entry));
          if (await countsDatesFrom1904(openZipEntry(filePath, entry))) workbook.properties = { model: { ...workbook.properties?.model, date1904: true } };
          break;
        case sharedStringsPart:
          workbook.sharedStrings = await readSharedStrings(openEntry(entry), sharedStringsUpTo);
          break;
        case 'xl/styles.xml':
          await workbook._parseStyles(openEntry(entry));
          break;
        default: {
          const sheetNo = worksheetPart.exec(entry.name)?.[1];
          if (sheetNo !== undefined) sheets.push({ entry, sheetNo });
        }
      }
    }
    // Tabs moved in a spreadsheet program may keep their parts' order (sheet1.xml, sheet2.xml...) in the file.
    const byTab = sheets.map((sheet) => ({ ...sheet, tab: tabOf(sheet.sheetNo) })).sort((one, other) => one.tab - other.tab);
    for (const { entry, sheetNo } of byTab) yield sheetOf(entry, sheetNo);
  }

  return {
    worksheets: worksheets(),
    close() {
      for (const stream of open) stream.destroy();
    },
  };
}

/**
 * Whether the workbook counts its dates from 1904, as Excel for Mac once did and LibreOffice still may:
 * `date1904` is an XML boolean, and LibreOffice writes "true" where exceljs looks for "1" alone; read as
 * counted from 1900, every date would be four years and a day early, birth days a day off.
 */
async function countsDatesFrom1904(workbookPart: Readable): Promise<boolean> {
  const parser = new SaxesParser({ xmlns: false });
  let date1904: boolean | undefined;
  parser.on('opentag', (tag) => {
    if (tag.name === 'workbookPr' || tag.name.endsWith(':workbookPr')) date1904 = ['1', 'true'].includes(String(tag.attributes.date1904 ?? '').trim());
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of workbookPart) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      if (date1904 !== undefined) return date1904;
    }
    return false;
  } finally {
    workbookPart.destroy();
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

const require = createRequire(import.meta.url);
const excelUtils = require('exceljs/lib/utils/utils.js') as { xmlDecode(text: string): string; isDateFmt(format: string | undefined): boolean; excelToDate(value: number, date1904: boolean): Date };
const excelColumns = require('exceljs/lib/utils/col-cache.js') as { decodeAddress(address: string): { col: number | undefined } };

/** The cell being read; one object for all of them, as only one is open at a time. */
type CellDraft = { open: boolean; ref: string | undefined; s: number; t: string | undefined; f: string | null; v: string | null };

/** A cell uses shared text past the entries read. */
class SharedStringsCutShort extends Error {}

/**
 * The shared strings of a workbook, which Excel writes for every text cell: in a file of a million rows,
 * millions of distinct strings (references, names, license numbers). Kept as exceljs's reader would
 * read them, but packed: the texts of each block of entries joined into one string, with where each one
 * starts, instead of millions of string objects.
 */
class SharedStrings {
  static readonly blockEntries = 1 << 14;
  private readonly blocks: string[] = [];
  private readonly starts: Uint32Array[] = [];
  /** Entries that are not plain text: none (null) and rich text, as exceljs gives them. */
  private readonly others = new Map<number, unknown>();
  private pending: string[] = [];
  private pendingStarts = new Uint32Array(SharedStrings.blockEntries + 1);
  private pendingLength = 0;
  size = 0;
  /** False when only the first entries were read: asking for a later one throws `SharedStringsCutShort`. */
  complete = true;

  add(entry: unknown): void {
    if (typeof entry === 'string') {
      this.pending.push(entry);
      this.pendingLength += entry.length;
    } else {
      this.others.set(this.size, entry);
    }
    this.size += 1;
    this.pendingStarts[this.size % SharedStrings.blockEntries || SharedStrings.blockEntries] = this.pendingLength;
    if (this.size % SharedStrings.blockEntries === 0) this.seal();
  }

  /** Ends the block being filled; the last one is ended once every entry is in. */
  seal(): void {
    if (this.blocks.length * SharedStrings.blockEntries >= this.size) return;
    this.blocks.push(this.pending.join(''));
    this.starts.push(this.pendingStarts);
    this.pending = [];
    this.pendingStarts = new Uint32Array(SharedStrings.blockEntries + 1);
    this.pendingLength = 0;
  }

  get(index: number): unknown {
    if (!(index >= 0 && index < this.size)) {
      if (!this.complete && index >= this.size) throw new SharedStringsCutShort();
      // A text cell whose text is not in the workbook: the file is damaged, and the cell's value unknown.
      throw damagedWorkbook();
    }
    const other = this.others.get(index);
    if (other !== undefined || this.others.has(index)) return other;
    const block = Math.floor(index / SharedStrings.blockEntries);
    const position = index % SharedStrings.blockEntries;
    const starts = this.starts[block];
    return this.blocks[block].slice(starts[position], starts[position + 1]);
  }
}

/**
 * Reads xl/sharedStrings.xml as exceljs's streaming reader does (the same events and the same rules:
 * text collected from everything inside an entry, a <t> starting it afresh, rich text by runs), into a
 * packed table.
 */
async function readSharedStrings(entry: AsyncIterable<Buffer>, upTo = Number.POSITIVE_INFINITY): Promise<SharedStrings> {
  const table = new SharedStrings();
  const parser = new SaxesParser();
  let failure: Error | null = null;
  let text: string | null = null;
  let runs: { text: string | null }[] = [];
  parser.on('error', (error) => {
    failure = error;
  });
  parser.on('opentag', (node) => {
    if (node.name === 'si') {
      runs = [];
      text = null;
    } else if (node.name === 't') {
      text = null;
    }
  });
  parser.on('text', (value) => {
    text = text ? text + value : value;
  });
  parser.on('closetag', (node) => {
    if (node.name === 'r') {
      runs.push({ text });
      text = null;
    } else if (node.name === 'si') {
      table.add(runs.length > 0 ? { richText: runs } : text);
      runs = [];
      text = null;
    }
  });
  const decoder = new TextDecoder();
  const write = (chunk: string) => {
    parser.write(chunk);
    if (failure) throw failure;
  };
  for await (const chunk of entry) {
    write(decoder.decode(chunk, { stream: true }));
    if (table.size >= upTo) {
      table.complete = false;
      break;
    }
  }
  if (table.complete) write(decoder.decode());
  table.seal();
  return table;
}

/** exceljs's xmlDecode, which its worksheet reader applies to text values (once more after the XML parser). */
function xmlDecode(text: string): string {
  return text.includes('&') ? excelUtils.xmlDecode(text) : text;
}

/** The column of a cell reference such as "B12", as exceljs decodes it; exceljs's own decoding for unusual ones. */
function columnOf(ref: string): number | undefined {
  let column = 0;
  let index = 0;
  for (; index < ref.length; index++) {
    const code = ref.charCodeAt(index);
    if (code < 65 || code > 90) break;
    column = column * 26 + code - 64;
  }
  if (index === 0 || index === ref.length) return excelColumns.decodeAddress(ref).col;
  for (let digit = index; digit < ref.length; digit++) {
    const code = ref.charCodeAt(digit);
    if (code < 48 || code > 57) return excelColumns.decodeAddress(ref).col;
  }
  if (column > 16384) return excelColumns.decodeAddress(ref).col;
  return column;
}

/**
 * The rows of one worksheet, each cell's value read as exceljs's streaming worksheet reader reads it
 * (the same XML events, the same rules for shared strings and dates), but without the Row and Cell
 * objects it builds for every cell: those took most of the time of reading a large workbook. A formula is
 * read as the result Excel saved with it, as a value of the cell's type; an error, or a formula without
 * a result, is a problem of its row. Yields the rows of each chunk of the sheet's XML together.
 */
async function* sheetRowBatches(sheet: WorksheetSource, limits: FileLimits): AsyncGenerator<RawRow[], undefined> {
  const { sharedStrings, styles, properties } = sheet.workbook;
  const date1904 = Boolean(properties?.model?.date1904);
  const dateFormats = new Map<string | undefined, boolean>();
  const isDateFormat = (format: string | undefined) => {
    let isDate = dateFormats.get(format);
    if (isDate === undefined) dateFormats.set(format, (isDate = excelUtils.isDateFmt(format)));
    return isDate;
  };
  const parser = new SaxesParser();
  // Where exceljs would fail: XML that is not well-formed and a cell it cannot address stop the chunk
  // before its rows are handed on; a row past the limit stops after the rows before it.
  let failure: unknown = null;
  let failureAfterRows: unknown = null;
  let batch: RawRow[] = [];
  let count = 0;
  let inRows = false;
  let row: { number: number; style: { numFmt?: string } | null; values: unknown[]; addressable: boolean; hidden: boolean } | null = null;
  const cell: CellDraft = { open: false, ref: undefined, s: Number.NaN, t: undefined, f: null, v: null };
  // As in exceljs: text goes to the last value element opened (of this cell or one before), until another opens.
  let current: 'f' | 'v' | null = null;

  const cellValue = (draft: CellDraft, rowStyle: { numFmt?: string } | null): unknown => {
    if (draft.v === null) {
      return draft.f === null
        ? undefined
        : new UnreadableCell('formula_without_result', draft.ref as string, 'holds a formula with no saved result. Open the file in Excel and save it, or type the value');
    }
    const text = draft.v;
    switch (draft.t) {
      case 's':
        // A text cell in a workbook without shared text is damaged.
        if (!sharedStrings) throw damagedWorkbook();
        return sharedStrings.get(Number.parseInt(text, 10));
      case 'inlineStr':
      case 'str':
        return xmlDecode(text);
      case 'e':
        return new UnreadableCell('cell_error', draft.ref as string, `shows the error ${text} instead of a value. Correct it in Excel, or type the value`);
      case 'b':
        return Number.parseInt(text, 10) !== 0;
      default: {
        const own = draft.s ? styles.getStyleModel(draft.s) : null;
        const format = own ? own.numFmt : rowStyle?.numFmt;
        return isDateFormat(format) ? excelUtils.excelToDate(Number.parseFloat(text), date1904) : Number.parseFloat(text);
      }
    }
  };

  parser.on('error', (error) => {
    failure = error;
  });
  parser.on('opentag', (node) => {
    if (failure || failureAfterRows) return;
    const attributes = node.attributes as Record<string, string>;
    switch (node.name) {
      case 'sheetData':
        inRows = true;
        break;
      case 'row':
        if (inRows) {
          const number = Number.parseInt(attributes.r, 10);
          row = {
            number,
            style: attributes.s ? styles.getStyleModel(Number.parseInt(attributes.s, 10)) : null,
            values: [],
            addressable: /^\d+$/.test(String(number)),
            hidden: attributes.hidden === '1' || attributes.hidden === 'true',
          };
        }
        break;
      case 'c':
        if (row) {
          cell.open = true;
          cell.ref = attributes.r;
          cell.s = attributes.s === undefined ? Number.NaN : Number.parseInt(attributes.s, 10);
          cell.t = attributes.t;
          cell.f = null;
          cell.v = null;
          // exceljs would add what comes before this cell's own values to the cell before, where it changes nothing.
          current = null;
        }
        break;
      case 'f':
        if (cell.open) {
          cell.f = '';
          current = 'f';
        }
        break;
      case 'v':
      case 'is':
      case 't':
        if (cell.open) {
          cell.v = '';
          current = 'v';
        }
        break;
    }
  });
  parser.on('text', (text) => {
    if (current === 'f') cell.f += text;
    else if (current === 'v') cell.v += text;
  });
  parser.on('closetag', (node) => {
    if (failure || failureAfterRows) return;
    switch (node.name) {
      case 'sheetData':
        inRows = false;
        break;
      case 'row': {
        if (!row) {
          failureAfterRows = new Error('A row closes that never opened');
          break;
        }
        count += 1;
        // Header rows and blank rows count too: a sheet past the limit is refused, whatever it holds.
        if (count > limits.maxRows + HeaderFinder.rowsToSearch) {
          failureAfterRows = tooManyRows(limits.maxRows);
          break;
        }
        // As exceljs's row values: up to the last column that holds a value.
        const { values } = row;
        let width = values.length;
        while (width > 1 && values[width - 1] === undefined) width -= 1;
        const cells: Cells = new Array<string>(Math.max(0, width - 1));
        const problems: Problem[] = [];
        for (let column = 1; column < width; column++) {
          const value = values[column];
          if (value instanceof UnreadableCell) {
            problems.push(value.at(row.number, column - 1));
            cells[column - 1] = '';
          } else {
            cells[column - 1] = cellText(value);
          }
        }
        batch.push(row.hidden ? { rowNumber: row.number, cells, problems, hidden: true } : { rowNumber: row.number, cells, problems });
        row = null;
        break;
      }
      case 'c':
        if (row && cell.open) {
          const column = columnOf(cell.ref as string);
          // exceljs refuses an address it cannot write back as a cell reference.
          if (!row.addressable || column === undefined || column < 1 || column > 16384) {
            failure = new Error(`Invalid Address: ${cell.ref}`);
            break;
          }
          const value = cellValue(cell, row.style);
          row.values[column] = value === null ? undefined : value;
          cell.open = false;
        }
        break;
    }
  });

  const decoder = new TextDecoder();
  const write = function* (text: string): Generator<RawRow[]> {
    parser.write(text);
    if (failure) throw failure;
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (failureAfterRows) throw failureAfterRows;
  };
  for await (const chunk of sheet.iterator) {
    if (typeof chunk === 'string') {
      yield* write(chunk);
      continue;
    }
    // In pieces of the size exceljs read a sheet in: the rows of each piece are handed on together.
    for (let at = 0; at < chunk.length; at += sheetPieceBytes) yield* write(decoder.decode(chunk.subarray(at, at + sheetPieceBytes), { stream: true }));
  }
  yield* write(decoder.decode());
  return undefined;
}

/** exceljs read a sheet copied to a temporary file (as every sheet of a file Excel wrote) in pieces of 64 KB. */
const sheetPieceBytes = 64 * 1024;

/**
 * Cell values as text the way a person reads them: dates as YYYY-MM-DD, numbers without float noise,
 * TRUE and FALSE as the Yes and No that columns of choices take.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return dateText(value);
  const { richText } = value as { richText?: { text: string | null }[] };
  if (richText) return richText.map((part) => part.text ?? '').join('');
  return String(value);
}

/**
 * A cell with no value to take: an error Excel shows instead of one (#REF!, #N/A...), or a formula saved
 * without its result. A problem of its row, named by its column once the header is known (`namedCellProblems`).
 */
class UnreadableCell implements Problem {
  readonly code: string;
  readonly message: string;
  row = 0;
  /** The cell's place in its row, from 0, as the header's columns count. */
  column = 0;
  private readonly ref: string;
  private readonly reason: string;

  constructor(code: string, ref: string, reason: string) {
    this.code = code;
    this.ref = ref;
    this.reason = reason;
    this.message = `Cell ${ref} ${reason}.`;
  }

  at(row: number, column: number): this {
    this.row = row;
    this.column = column;
    return this;
  }

  named(spec: ColumnSpec): Problem {
    return { code: this.code, field: spec.name, row: this.row, message: `${spec.label}: the cell ${this.ref} ${this.reason}.` };
  }
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
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
