import { once } from 'node:events';
import { PassThrough, pipeline, Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { looksLikeFormula } from './safe-cell.ts';
import { loadExcelJS } from './exceljs.ts';
import { cutShort } from '../words.ts';

/**
 * Writers for every CSV and XLSX file the hub hands out (receipts, templates, exports). Both stream:
 * rows are written as they come, so a million-row receipt does not sit in memory. Text that a
 * spreadsheet would run as a formula is neutralised (see safe-cell.ts): in CSV it gets a leading apostrophe;
 * in a workbook it stays as it is, in a cell styled as text typed after an apostrophe.
 */

export type CellValue = string | number | boolean | null | undefined;

export type OutputColumn<T> = {
  header: string;
  value(row: T): CellValue;
  /** XLSX: column width in characters. */
  width?: number;
  /** XLSX: stored as text, so that Excel keeps leading zeros (license numbers, IDs). */
  text?: boolean;
  /** XLSX: a drop-down of the allowed values on the data rows of a template. */
  choices?: readonly string[];
  /** XLSX: a hint shown when the cell is selected in a template. */
  prompt?: string;
  /** XLSX: text of several lines, shown as such. */
  wrap?: boolean;
};

export type Rows<T> = Iterable<T> | AsyncIterable<T>;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file the hub hands out (a template, a receipt, rows to fix), streamed as it is written. */
export type FileDownload = { fileName: string; contentType: string; stream: Readable };


/**
 * One table as a file to download, named `baseName` plus the extension: a CSV of its rows, or a workbook
 * with the table's sheet first and the other sheets (instructions, a summary, a list to pick from) after it.
 */
export function tableDownload<T>(format: 'csv' | 'xlsx', baseName: string, table: DataSheet<T>, otherSheets: readonly (DataSheet<any> | NotesSheet)[] = []): FileDownload {
  if (format === 'csv') return { fileName: `${baseName}.csv`, contentType: CSV_CONTENT_TYPE, stream: csvStream(table.columns, table.rows) };
  return { fileName: `${baseName}.xlsx`, contentType: XLSX_CONTENT_TYPE, stream: xlsxStream([table, ...otherSheets]) };
}

/** Rows written between two turns of the event loop, so that a long file leaves room for other requests. */
const rowsBetweenPauses = 100;

// ---------------------------------------------------------------------------------------------
// CSV

export type CsvOptions = {
  /** A UTF-8 byte order mark, so that Excel opens accents correctly; on by default. */
  bom?: boolean;
};

/** A CSV file as a byte stream: header row, then one line per row. */
export function csvStream<T>(columns: readonly OutputColumn<T>[], rows: Rows<T>, options: CsvOptions = {}): Readable {
  const stringifier = stringify({
    bom: options.bom ?? true,
    header: true,
    columns: columns.map((column) => column.header),
    escape_formulas: true,
    record_delimiter: 'windows',
    // Given a record delimiter, csv-stringify quotes only values holding that one (CRLF): a value with a bare
    // line feed or carriage return would then break its line in two.
    quote_record_delimiter: true,
    cast: { boolean: (value) => (value ? 'TRUE' : 'FALSE') },
  });
  async function* records(): AsyncGenerator<CellValue[]> {
    let written = 0;
    for await (const row of rows) {
      yield columns.map((column) => column.value(row) ?? '');
      // Rows read a page at a time come without a turn of the event loop in between: give one now and then.
      if (++written % rowsBetweenPauses === 0) await nextTurn();
    }
  }
  return pipeline(Readable.from(records()), stringifier, () => undefined);
}

export async function writeCsv<T>(output: Writable, columns: readonly OutputColumn<T>[], rows: Rows<T>, options: CsvOptions = {}): Promise<void> {
  await pipe(csvStream(columns, rows, options), output);
}

// ---------------------------------------------------------------------------------------------
// XLSX

export type DataSheet<T> = {
  name: string;
  columns: readonly OutputColumn<T>[];
  rows: Rows<T>;
  /** Templates: how many empty rows below the header get the columns' drop-downs and text format. */
  templateRows?: number;
};

/** A sheet of plain text lines, such as the instructions of a template; the first line is the title. */
export type NotesSheet = { name: string; lines: readonly string[]; width?: number };

/** An XLSX workbook as a byte stream. */
export function xlsxStream(sheets: readonly (DataSheet<any> | NotesSheet)[]): Readable {
  const output = new PassThrough();
  writeXlsx(output, sheets).catch((error: unknown) => output.destroy(error as Error));
  return output;
}

/** Excel's most rows on one sheet, its header row among them. */
export const EXCEL_ROWS_PER_SHEET = 1_048_576;

/**
 * `rowsPerSheet`: a table longer than a sheet holds (a receipt of a file of 1.5 million rows) goes on in sheets of
 * the same name and their number, "Receipt (2)", each under the header again: past its last row, Excel would
 * refuse to open the workbook, or open it cut short.
 */
export async function writeXlsx(output: Writable, sheets: readonly (DataSheet<any> | NotesSheet)[], { rowsPerSheet = EXCEL_ROWS_PER_SHEET } = {}): Promise<void> {
  const { stream } = await loadExcelJS();
  const workbook = new stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  writeQuotePrefix(workbook);
  for (const sheet of sheets) {
    if ('lines' in sheet) writeNotes(workbook, sheet);
    else await writeDataSheet(workbook, sheet, output, rowsPerSheet - 1);
  }
  await workbook.commit();
}

function writeNotes(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: NotesSheet): void {
  const worksheet = workbook.addWorksheet(sheet.name);
  worksheet.columns = [{ width: sheet.width ?? 110 }];
  sheet.lines.forEach((line, index) => {
    const row = worksheet.addRow([line]);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    if (index === 0) row.font = { bold: true, size: 14 };
    if (looksLikeFormula(line)) showAsText(row.getCell(1));
    row.commit();
  });
  worksheet.commit();
}

async function writeDataSheet<T>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: DataSheet<T>, output: Writable, dataRowsPerSheet: number): Promise<void> {
  let worksheet = startDataSheet(workbook, sheet, sheet.name, Math.min(sheet.templateRows ?? 0, dataRowsPerSheet));
  let written = 0;
  for await (const row of sheet.rows) {
    if (written > 0 && written % dataRowsPerSheet === 0) {
      worksheet.commit();
      const templateRows = Math.min((sheet.templateRows ?? 0) - written, dataRowsPerSheet);
      worksheet = startDataSheet(workbook, sheet, `${sheet.name} (${written / dataRowsPerSheet + 1})`, templateRows);
    }
    const values = sheet.columns.map((column) => fitInCell(column.value(row) ?? null));
    const added = worksheet.addRow(values);
    values.forEach((value, index) => {
      if (typeof value === 'string' && looksLikeFormula(value)) showAsText(added.getCell(index + 1));
    });
    added.commit();
    written += 1;
    if (written % rowsBetweenPauses === 0) await letOutputCatchUp(output);
  }
  worksheet.commit();
}

/** Excel's most characters in a drop-down's hint or error message, and in their titles: past them, Excel cuts the text where it falls. */
const EXCEL_MESSAGE_CHARACTERS = 255;
const EXCEL_TITLE_CHARACTERS = 32;

/** A hint longer than Excel shows, cut after its last whole word that fits, with an ellipsis; the template's instructions hold it whole. */
function fitInMessage(text: string): string {
  if (text.length <= EXCEL_MESSAGE_CHARACTERS) return text;
  const cut = text.slice(0, EXCEL_MESSAGE_CHARACTERS - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[\s,;:(]+$/, '')}…`;
}

/** Excel's most characters in a cell: a workbook with a longer text is one Excel says is damaged, and repairs by dropping it. */
export const EXCEL_CELL_CHARACTERS = 32_767;

/** A text longer than a cell holds, cut to fit with an ellipsis, as it can be read whole in the CSV file. */
function fitInCell(value: CellValue): CellValue {
  return typeof value === 'string' ? cutShort(value, EXCEL_CELL_CHARACTERS) : value;
}

/** A sheet of the table, its header row written and kept in view, its first `templateRows` rows given the columns' drop-downs. */
function startDataSheet<T>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: DataSheet<T>, name: string, templateRows: number): ExcelJS.Worksheet {
  const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((column) => ({
    header: column.header,
    width: column.width ?? Math.max(12, column.header.length + 2),
    style: { ...(column.text ? { numFmt: '@' } : {}), ...(column.wrap ? { alignment: { wrapText: true, vertical: 'top' as const } } : {}) },
  }));
  const header = worksheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  if (templateRows > 0) addTemplateValidation(worksheet, sheet.columns, templateRows);
  return worksheet;
}

/** exceljs supports validations on ranges of a streamed sheet, though its types do not say so. */
type ValidatedSheet = {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation | { type: 'any'; showInputMessage: boolean; prompt: string }): void };
};

function addTemplateValidation<T>(sheet: ExcelJS.Worksheet, columns: readonly OutputColumn<T>[], rows: number): void {
  const worksheet = sheet as unknown as ValidatedSheet;
  columns.forEach((column, index) => {
    const letter = columnLetter(index + 1);
    const range = `${letter}2:${letter}${rows + 1}`;
    if (column.choices) {
      const list = column.choices.join(',');
      // Excel caps an inline list at 255 characters.
      if (list.length > 255) throw new Error(`The choices of column ${column.header} are too long for a drop-down`);
      worksheet.dataValidations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list}"`],
        showErrorMessage: true,
        errorTitle: column.header.slice(0, EXCEL_TITLE_CHARACTERS),
        error: fitInMessage(`Choose one of: ${column.choices.join(', ')}`),
        ...(column.prompt ? { showInputMessage: true, prompt: fitInMessage(column.prompt) } : {}),
      });
    } else if (column.prompt) {
      worksheet.dataValidations.add(range, { type: 'any', showInputMessage: true, prompt: fitInMessage(column.prompt) });
    }
  });
}

/**
 * A cell's text kept as text: the `quotePrefix` style Excel gives what is typed after an apostrophe. Excel
 * shows the text without the apostrophe and keeps it text when the cell is edited, and the value read back
 * is the value written, so that a corrected file sent again carries the same reference.
 */
function showAsText(cell: ExcelJS.Cell): void {
  const style: QuotedStyle = { ...cell.style, quotePrefix: true };
  cell.style = style;
}

type QuotedStyle = Partial<ExcelJS.Style> & { quotePrefix?: true };

/** What exceljs's workbook writer keeps of its styles: each cell format (`<xf>`) as XML, by that XML. */
type StyleList = {
  addStyleModel(style: QuotedStyle | undefined, cellType?: number): number;
  model: { styles: string[] };
  index: { style: Record<string, number> };
};

/**
 * exceljs (4.4.0, pinned) writes no `quotePrefix`: a cell style asking for it gets the cell format of the same
 * style without it, with the attribute added.
 */
function writeQuotePrefix(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const styles = (workbook as unknown as { styles: StyleList }).styles;
  const addStyleModel = styles.addStyleModel.bind(styles);
  styles.addStyleModel = (style, cellType) => {
    if (!style?.quotePrefix) return addStyleModel(style, cellType);
    const { quotePrefix: _, ...plain } = style;
    const xml = styles.model.styles[addStyleModel(plain, cellType)].replace(/^<xf /, '<xf quotePrefix="1" ');
    styles.index.style[xml] ??= styles.model.styles.push(xml) - 1;
    return styles.index.style[xml];
  };
}

export function columnLetter(position: number): string {
  let letters = '';
  for (let rest = position; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * The workbook writer buffers what the zip has not compressed yet; pausing now and then lets the
 * compression and a slow reader keep up, so memory stays flat, and keeps the event loop free.
 */
async function letOutputCatchUp(output: Writable): Promise<void> {
  if (output.writableNeedDrain) await once(output, 'drain');
  else await nextTurn();
}

async function pipe(source: Readable, output: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    pipeline(source, output, (error) => (error ? reject(error) : resolve()));
  });
}
