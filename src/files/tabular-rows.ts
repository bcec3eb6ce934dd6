import type { Problem } from '../http/errors.ts';
import { HeaderFinder, indexHeadings, noHeader, noHeaderRowCode, sectionOf } from './columns.ts';
import type { ColumnSpec, HeaderColumn, RowOfValues, TabularHeader } from './columns.ts';
import { tooManyRows } from './limits.ts';
import type { FileLimitError, FileLimits } from './limits.ts';
import { mergedCellsFiller } from './merged-cells.ts';
import type { MergedRange } from './merged-cells.ts';
import { withoutFormulaGuard } from './safe-cell.ts';
import type { SectionNotRead, TabularRow } from './tabular-reader.ts';

// The rows of a CSV file or a sheet, from the header row on: finding the header, then each row's cells as a record
// of the columns the hub knows, with what is wrong with the row as a row.

export type Cells = string[];
/** `hiddenColumns`: of a sheet's row, the columns the sheet hides (by index), which a header read there prefers not to read. */
export type RawRow = { rowNumber: number; cells: Cells; problems: Problem[]; hidden?: true; hiddenColumns?: ReadonlySet<number> };

type HeaderSearch =
  | { found: true; header: TabularHeader; batches: AsyncGenerator<TabularRow[]> }
  | { found: false; bestGuess: TabularHeader | null; unreadRow?: Problem; rowOfValues: RowOfValues | null };

/** How the rows under the header are read: what a CSV file's rows may be, what a sheet's merged cells fill in. */
type WithHeaderOptions = {
  /**
   * A CSV file's rows, unlike a sheet's, may have more or fewer values than the header has columns; and, when it
   * has quotes (not `plain`), values written as Excel keeps leading zeros (`="00123"`).
   */
  csv?: { plain: boolean };
  /** A sheet's merged ranges: a value merged down a column is read into each row it covers. */
  mergedCells?: Promise<MergedRange[]>;
  /** The rows counted against the limit, shared by the sheets of a workbook read one after another. */
  counted?: { rows: number };
  /** Told of a section of a report's others under the rows, where the rows read end (`sectionOf`). */
  onSectionNotRead?: (section: SectionNotRead) => void;
};

/**
 * Finds the header among the first rows, then maps the cells of the rows after it to column names.
 * When no row qualifies, says which came closest so that the problems can name what is missing.
 * Rows come and go in batches (a chunk of the file each): a file has up to millions of rows, and
 * handing each one through its own promise cost more than reading it.
 */
export async function withHeader(
  rawBatches: AsyncIterator<RawRow[], undefined>,
  columns: readonly ColumnSpec[],
  limits: FileLimits,
  { csv, mergedCells, counted = { rows: 0 }, onSectionNotRead }: WithHeaderOptions = {},
): Promise<HeaderSearch> {
  const finder = new HeaderFinder(columns, indexHeadings(columns));
  let header: TabularHeader | null = null;
  let unreadRow: Problem | undefined;
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
    // A row that could not be read (one too long to be a row) may have been the header: it is named if none is found.
    unreadRow ??= row.problems[0];
    if (isBlank(row.cells)) continue;
    header = finder.offer(row.cells, row.rowNumber, row.hiddenColumns);
    if (!header) continue;
    // A header whose row below names its columns more closely ("Name" above "First" and "Last") is read with it. That
    // row may be in the next chunk: a wide survey export's first 64 KB can end between its two header rows.
    let below = filledRowFrom(batch, position);
    while (below === -1) {
      const next = await rawBatches.next();
      if (next.done) break;
      // Of the rows left in this chunk, all blank, only those with a problem are handed on: the others would be skipped.
      batch = [...batch.slice(position).filter((left) => left.problems.length > 0), ...next.value];
      position = 0;
      below = filledRowFrom(batch, position);
    }
    if (below !== -1) {
      const lower = batch[below];
      const twoRows = finder.twoRowHeader(row, lower.cells, lower.rowNumber, lower.hiddenColumns, header);
      if (twoRows) {
        header = header.rowsAbove ? { ...twoRows, rowsAbove: header.rowsAbove } : twoRows;
        position = below + 1;
      }
    }
  }
  if (!header) return { found: false, bestGuess: finder.bestGuess(), rowOfValues: finder.firstRowOfValues(), ...(unreadRow ? { unreadRow } : {}) };
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
  const quoted = csv !== undefined && !csv.plain;
  const requiredHeadings = shape.requiredColumns.map((column) => ({ index: column.index, heading: column.heading.toLowerCase() }));
  const empty: Record<string, string> = Object.fromEntries(columns.map((column) => [column.name, '']));
  // Past the row limit, the rows before it are still handed on, then the limit stops the reading.
  let pastLimit: FileLimitError | null = null;
  // Under a section of others (Teams' "3. In-Meeting Activities" under its participants), no row is one to read.
  let sectionOfOthers = false;

  const toRecords = (raws: RawRow[], from: number): TabularRow[] => {
    const rows: TabularRow[] = [];
    for (let index = from; index < raws.length; index++) {
      const { rowNumber, cells, problems, hidden } = raws[index];
      if (problems.length === 0 && isBlank(cells)) continue;
      if (problems.length === 0 && sectionOf(cells) === 'others') {
        sectionOfOthers = true;
        onSectionNotRead?.({ title: cells[0].trim(), rowNumber });
        break;
      }
      counted.rows += 1;
      if (counted.rows > limits.maxRows) {
        pastLimit = tooManyRows(limits.maxRows);
        break;
      }
      fillMergedCells?.(rowNumber, cells);
      const record = { ...empty };
      for (let column = 0; column < names.length; column++) {
        const value = cells[indexes[column]];
        if (value === undefined) continue;
        const text = withoutFormulaGuard(quoted ? csvQuotedText(value) : shownText(value));
        record[names[column]] = standsForNoValue(text) ? '' : text;
      }
      if (csv && problems.length === 0) {
        const shapeProblem = raggedRowProblem(cells, shape, rowNumber);
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
      for (let next = await rawBatches.next(); !next.done && !sectionOfOthers; next = await rawBatches.next()) {
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

/** The index of the first row from `from` on that is not blank, or -1. */
function filledRowFrom(rows: readonly RawRow[], from: number): number {
  for (let index = from; index < rows.length; index++) if (!isBlank(rows[index].cells)) return index;
  return -1;
}

/**
 * A row with nothing in it but spaces, or characters that show nothing: a spreadsheet shows it as empty, and so it is
 * skipped. So is a rule of dashes under the header, as a database tool writes one (`sqlcmd`'s `-----,---`, psql's
 * `-----+---`, a Markdown table's `|---|---|`), and a row describing the columns to a program, each of its values an
 * object (Qualtrics' `{"ImportId":"QID1_TEXT"}` under its questions): neither holds a value of a row.
 */
function isBlank(cells: Cells): boolean {
  for (const cell of cells) if (cell !== '' && !showsNothing.test(cell) && !ruleOfDashes.test(cell) && !objectWritten.test(cell)) return false;
  return true;
}

const objectWritten = /^\s*\{\s*"[^]*\}\s*$/;

const ruleOfDashes = /^[\s|:+]*[-=_]{2,}[-=_\s|:+]*$/;

export const showsNothing = /^[\s\u200B-\u200D\u2060\uFEFF]*$/;

/**
 * What a database writes for a value a table does not have, read as the empty cell it stands for: `NULL`, as
 * mysql -B, sqlcmd and SQL Server Management Studio write it (and a grid of results pasted into a sheet keeps it),
 * and `\\N`, as PostgreSQL's COPY and MySQL's SELECT INTO OUTFILE write it. Read as values, they rejected the row of a
 * learner without an NPI or a credit ID ("NULL" is not an NPI), and were kept as a middle name or a reference.
 */
const standsForNoValue = (text: string) => text === 'NULL' || text === '\\N';

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

export async function* eachRow<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/**
 * The problem of a CSV line with no separator in it, under a header of several columns, that lacks a column every row
 * fills in: a line of text (a title, a note, "(3 rows affected)" or "Grand Totals (3 records)" under the rows), which
 * no row of the file can be.
 */
export const lineOfTextCode = 'line_of_text';

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
  if (cutOff.length > 0 && cells.length === 1) {
    return {
      code: lineOfTextCode,
      field: 'row',
      row: rowNumber,
      message: `The row is a line of text without a separator (a title, a note, or a line a program writes under its rows), not a row of the header's ${width} columns: delete it from the file, or separate its values as the header row's are.`,
    };
  }
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

export async function* nothing<T>(): AsyncGenerator<T> {}

export function notFound(columns: readonly ColumnSpec[], bestGuess: TabularHeader | null, message: string): TabularHeader {
  if (!bestGuess) return noHeader(columns, message);
  return { ...bestGuess, ok: false, problems: [{ code: noHeaderRowCode, message }, ...bestGuess.problems] };
}
