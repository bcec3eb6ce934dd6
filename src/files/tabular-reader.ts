import type { Problem } from '../http/errors.ts';
import type { ColumnSpec, TabularHeader } from './columns.ts';
import { resolveLimits } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import type { CsvDelimiter } from './csv-records.ts';
import type { EightBitEncoding, TextEncoding } from './text-decoding.ts';
import type { FileSource } from './sources.ts';
import { readCsv } from './csv-reading.ts';
import { readXlsx } from './xlsx-reading.ts';

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
  /** CSV only: the 8-bit encoding of lines read after the first 64 KB, when those were UTF-8 (`DecodedText`). */
  readonly eightBitLater?: EightBitEncoding | null;
  /**
   * A report's sections of others under the rows (Teams' "3. In-Meeting Activities" under its participants), whose
   * rows were not read: where each began. Filled as the rows are read.
   */
  readonly sectionsNotRead?: readonly SectionNotRead[];
  delimiter?: CsvDelimiter;
  /** The data rows after the header; blank rows are skipped. Iterate once, these or `batches`. */
  rows: AsyncIterable<TabularRow>;
  /** The same rows, a chunk of the file at a time, for readers of many rows. */
  batches: AsyncIterable<TabularRow[]>;
  /** Releases the file when the rows are not read to the end. */
  close(): Promise<void>;
};

/** A section of a report's others under its rows, not read: its title, its row, and its sheet in a workbook. */
export type SectionNotRead = { title: string; rowNumber: number; sheet?: string };

/**
 * A sheet of a workbook whose rows were not read: hidden (its header row found), named as an example ("Example",
 * "Sample rows": its rows under the header row are the filler's model, not learners), or without the header row,
 * with the row that came closest to it (`header`, not `ok`, naming what it lacks).
 */
export type SheetNotRead = { name: string; why: 'hidden' | 'example' | 'header_incomplete'; header: TabularHeader };

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
   * each under its own header (`TabularFile.sheets`); otherwise rows on two sheets are refused.
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
