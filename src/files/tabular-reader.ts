import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Problem } from '../http/errors.ts';
import { HeaderFinder, indexHeadings, noHeader } from './columns.ts';
import type { ColumnSpec, TabularHeader } from './columns.ts';
import { ByteLimit, resolveLimits, tooManyBytes, tooManyRows } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { decodeText } from './text-decoding.ts';
import type { TextEncoding } from './text-decoding.ts';
import { inspectZip } from './zip-inspection.ts';
import { notAnXlsxWorkbook } from './file-errors.ts';
import { openBytes } from './sources.ts';
import type { FileSource } from './sources.ts';

export type { ColumnSpec, TabularHeader } from './columns.ts';
export type { FileSource } from './sources.ts';

export type TabularFormat = 'csv' | 'xlsx';
export type CsvDelimiter = ',' | ';' | '\t';

export type TabularRow = {
  /** The row as a spreadsheet program numbers it (the header is usually row 1). */
  rowNumber: number;
  /** Trimmed text of every known column, keyed by its name; '' when empty or absent. */
  record: Record<string, string>;
  /** What is wrong with the row as a row (too many values, a broken quote); empty when nothing. */
  problems: Problem[];
};

export type TabularFile = {
  format: TabularFormat;
  header: TabularHeader;
  /** CSV only: what the file turned out to be. */
  encoding?: TextEncoding;
  delimiter?: CsvDelimiter;
  /** XLSX only: the rows of all its sheets, counted before reading; what progress is measured against. */
  sheetRows?: number;
  /** The data rows after the header; blank rows are skipped. Iterate once. */
  rows: AsyncIterable<TabularRow>;
  /** Releases the file when the rows are not read to the end. */
  close(): Promise<void>;
};

export type ReadTabularOptions = {
  format: TabularFormat;
  columns: readonly ColumnSpec[];
  limits?: Partial<FileLimits>;
  /** Told how many bytes of the file have been read, as reading goes. */
  onProgress?: ProgressListener;
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
    : readXlsx(source, options.columns, limits, options.onProgress);
}

type Cells = string[];
type RawRow = { rowNumber: number; cells: Cells; problems: Problem[] };

type HeaderSearch =
  | { found: true; header: TabularHeader; rows: AsyncIterable<TabularRow> }
  | { found: false; bestGuess: TabularHeader | null };

/**
 * Finds the header among the first rows, then maps the cells of the rows after it to column names.
 * When no row qualifies, says which came closest so that the problems can name what is missing.
 */
async function withHeader(
  rawRows: AsyncIterator<RawRow, undefined>,
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  checkWidth: boolean,
): Promise<HeaderSearch> {
  const finder = new HeaderFinder(columns, indexHeadings(columns));
  let header: TabularHeader | null = null;
  while (!header && !finder.exhausted) {
    const next = await rawRows.next();
    if (next.done) break;
    if (next.value.cells.every((cell) => cell === '')) continue;
    header = finder.offer(next.value.cells, next.value.rowNumber);
  }
  if (!header) return { found: false, bestGuess: finder.bestGuess() };
  const mapped = header.columns.filter((column) => column.name !== null);
  const width = header.columns.length === 0 ? 0 : Math.max(...header.columns.map((column) => column.index)) + 1;
  const empty: Record<string, string> = Object.fromEntries(columns.map((column) => [column.name, '']));

  async function* rows(): AsyncGenerator<TabularRow> {
    let count = 0;
    for (let next = await rawRows.next(); !next.done; next = await rawRows.next()) {
      const { rowNumber, cells, problems } = next.value;
      if (problems.length === 0 && cells.every((cell) => cell === '')) continue;
      count += 1;
      if (count > limits.maxRows) throw tooManyRows(limits.maxRows);
      const record = { ...empty };
      for (const column of mapped) {
        const value = cells[column.index];
        if (value !== undefined) record[column.name as string] = value.trim();
      }
      if (checkWidth && problems.length === 0) {
        const widthProblem = raggedRowProblem(cells, width, rowNumber);
        if (widthProblem) problems.push(widthProblem);
      }
      yield { rowNumber, record, problems };
    }
  }
  return { found: true, header, rows: rows() };
}

function raggedRowProblem(cells: Cells, width: number, rowNumber: number): Problem | null {
  if (cells.length > width && cells.slice(width).some((cell) => cell.trim() !== '')) {
    return {
      code: 'too_many_values',
      row: rowNumber,
      message: `The row has ${cells.length} values but the header has ${width} columns; check for a separator inside a value that should be in quotes.`,
    };
  }
  if (cells.length < width) {
    return {
      code: 'too_few_values',
      row: rowNumber,
      message: `The row has ${cells.length} values but the header has ${width} columns; values may have shifted into the wrong columns.`,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// CSV

async function readCsv(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, onProgress?: ProgressListener): Promise<TabularFile> {
  const bytes = await openBytes(source, limits.maxBytes, onProgress);
  const text = await decodeText(bytes);
  const declared = excelSeparatorLine(text.sample);
  const delimiter = declared ?? sniffDelimiter(text.sample);
  const parser = parseCsv({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    max_record_size: limits.maxRecordBytes,
    from_line: declared ? 2 : 1,
  });
  // A broken record is skipped by the parser; a marker pushed in its place keeps the row numbers right.
  parser.on('skip', (error: CsvError) => parser.push({ broken: error }));
  // pipeline, not pipe: an error in the bytes (a limit, a read failure) must end the parsing too.
  const records = pipeline(Readable.from(text.chunks), parser, () => undefined);

  async function* rawRows(): AsyncGenerator<RawRow, undefined> {
    let rowNumber = declared ? 1 : 0;
    try {
      for await (const item of records as AsyncIterable<string[] | { broken: CsvError }>) {
        rowNumber += 1;
        if (Array.isArray(item)) {
          yield { rowNumber, cells: item, problems: [] };
        } else {
          yield { rowNumber, cells: [], problems: [csvProblem(item.broken, rowNumber, limits)] };
        }
      }
    } finally {
      records.destroy();
      bytes.destroy();
    }
    return undefined;
  }
  const iterator = rawRows();
  const search = await withHeader(iterator, columns, limits, true);
  const close = async () => {
    await iterator.return(undefined);
  };
  if (!search.found) {
    await close();
    const message = 'No header row was found in the first rows of the file. The first row must name the columns, as in the template.';
    return { format: 'csv', encoding: text.encoding, delimiter, header: notFound(columns, search.bestGuess, message), rows: emptyRows(), close };
  }
  return { format: 'csv', encoding: text.encoding, delimiter, header: search.header, rows: search.rows, close };
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

function csvProblem(error: CsvError, rowNumber: number, limits: FileLimits): Problem {
  const messages: Record<string, string> = {
    CSV_MAX_RECORD_SIZE: `The row is longer than ${limits.maxRecordBytes.toLocaleString('en-US')} characters; a quote is probably opened and never closed.`,
    CSV_QUOTE_NOT_CLOSED: 'A value opens a quote that is never closed, so the rest of the file could not be read as rows.',
    CSV_INVALID_CLOSING_QUOTE: 'A quoted value is followed by more text; put the whole value in quotes and double any quote inside it ("").',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'A quoted value is followed by more text; put the whole value in quotes and double any quote inside it ("").',
  };
  return {
    code: 'unreadable_row',
    row: rowNumber,
    message: messages[error.code] ?? 'The row could not be read as CSV; check its quotes and separators.',
  };
}

async function* emptyRows(): AsyncGenerator<TabularRow> {}

function notFound(columns: readonly ColumnSpec[], bestGuess: TabularHeader | null, message: string): TabularHeader {
  if (!bestGuess) return noHeader(columns, message);
  return { ...bestGuess, ok: false, problems: [{ code: 'no_header_row', message }, ...bestGuess.problems] };
}

// ---------------------------------------------------------------------------------------------
// XLSX

type WorksheetLike = AsyncIterable<ExcelJS.Row> & { name?: string };

async function readXlsx(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, onProgress?: ProgressListener): Promise<TabularFile> {
  const { filePath, cleanup } = await fileOnDisk(source, limits);
  let rowsInSheets: number;
  try {
    rowsInSheets = (await inspectZip(filePath, limits)).worksheetRows;
  } catch (error) {
    await cleanup();
    throw error;
  }
  const input = onProgress ? await openBytes(filePath, limits.maxBytes, onProgress) : filePath;
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets = (workbook as unknown as AsyncIterable<WorksheetLike>)[Symbol.asyncIterator]();
  const close = async () => {
    await sheets.return?.(undefined);
    (workbook as unknown as { stream?: Readable }).stream?.destroy();
    await cleanup();
  };
  const sheetNames: string[] = [];
  let bestGuess: TabularHeader | null = null;
  try {
    for (let sheet = await sheets.next(); !sheet.done; sheet = await sheets.next()) {
      const name = sheet.value.name ?? `Sheet${sheetNames.length + 1}`;
      sheetNames.push(name);
      const rawRows = sheetRows(sheet.value, limits);
      const search = await withHeader(rawRows, columns, limits, false);
      if (search.found) {
        return { format: 'xlsx', header: { ...search.header, sheetName: name }, sheetRows: rowsInSheets, rows: closeWhenDone(search.rows, close), close };
      }
      if (search.bestGuess && (!bestGuess || search.bestGuess.columns.length > bestGuess.columns.length)) {
        bestGuess = { ...search.bestGuess, sheetName: name };
      }
      await rawRows.return(undefined);
    }
  } catch (error) {
    await close();
    throw xlsxError(error);
  }
  await close();
  const message =
    sheetNames.length === 0
      ? 'The workbook has no sheets.'
      : `No sheet has the header row of the template (sheets: ${sheetNames.map((name) => `"${name}"`).join(', ')}).`;
  return { format: 'xlsx', header: notFound(columns, bestGuess, message), rows: emptyRows(), close };
}

async function* closeWhenDone(rows: AsyncIterable<TabularRow>, close: () => Promise<void>): AsyncGenerator<TabularRow> {
  try {
    yield* rows;
  } catch (error) {
    throw xlsxError(error);
  } finally {
    await close();
  }
}

/** The workbook reader's own errors (bad zip, bad XML inside) say nothing useful to a coordinator. */
function xlsxError(error: unknown): unknown {
  if (error instanceof Error && !('status' in error) && !('errno' in error)) return notAnXlsxWorkbook('its contents cannot be read');
  return error;
}

async function* sheetRows(sheet: WorksheetLike, limits: FileLimits): AsyncGenerator<RawRow, undefined> {
  let count = 0;
  for await (const row of sheet) {
    count += 1;
    // Header rows and blank rows count too: a sheet past the limit is refused, whatever it holds.
    if (count > limits.maxRows + HeaderFinder.rowsToSearch) throw tooManyRows(limits.maxRows);
    const values = row.values as unknown[];
    const cells: Cells = [];
    for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
    yield { rowNumber: row.number, cells, problems: [] };
  }
  return undefined;
}

/** Cell values as text the way a person reads them: dates as YYYY-MM-DD, numbers without float noise. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const object = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('result' in object) return cellText(object.result);
    if (object.richText) return object.richText.map((part) => part.text).join('');
    if ('text' in object) return cellText(object.text);
    if (object.error) return '';
  }
  return String(value);
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
