import type { Problem } from '../http/errors.ts';
import { HeaderFinder, rowOfValuesMessage } from './columns.ts';
import type { ColumnSpec } from './columns.ts';
import { formatBytes } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { csvRecordBatches, isPlainCsvFile, quotesRunningOnReadAgain, recordReadLimit } from './csv-records.ts';
import type { CsvDelimiter } from './csv-records.ts';
import { decodeText } from './text-decoding.ts';
import { UnreadableFileError } from './file-errors.ts';
import { openBytes } from './sources.ts';
import type { FileSource } from './sources.ts';
import type { SectionNotRead, TabularFile } from './tabular-reader.ts';
import { eachRow, notFound, nothing, withHeader } from './tabular-rows.ts';
import type { RawRow } from './tabular-rows.ts';

// A CSV file read as rows: its encoding and separator found, its records read by csv-parse, its broken rows told.

export async function readCsv(source: FileSource, columns: readonly ColumnSpec[], limits: FileLimits, onProgress?: ProgressListener): Promise<TabularFile> {
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
          } else if (record.broken === 'quote_runs_on') {
            rows[index] = { rowNumber, cells: record.values, problems: [quoteRunsOnProblem(rowNumber)] };
          } else if (record.broken === 'too_long' || record.broken === 'quote_not_closed') {
            // A record that could not be read becomes a row with the problem, so that the row numbers stay right.
            rows[index] = { rowNumber, cells: [], problems: [brokenRowProblem(record.broken, rowNumber, limits)] };
          } else {
            // Nothing after it was read: the rows before it go on, and the reading stops there.
            if (index > 0) yield rows.slice(0, index);
            throw brokenRowsError(record.broken, rowNumber, limits);
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
  const sectionsNotRead: SectionNotRead[] = [];
  const search = await withHeader(iterator, columns, limits, { csv: { plain }, onSectionNotRead: (section) => sectionsNotRead.push(section) });
  const close = async () => {
    await iterator.return(undefined);
  };
  if (!search.found) {
    await close();
    const message = search.rowOfValues
      ? `${rowOfValuesMessage(search.rowOfValues, 'The file')}${delimiter === '\t' || delimiter === '|' ? exportedWithoutHeader : ''}`
      : search.unreadRow
      ? `No header row was found in the first ${HeaderFinder.rowsToSearch} rows of the file: row ${search.unreadRow.row} could not be read. ${search.unreadRow.message}${search.unreadRow.code === 'row_too_long' ? ' A header row that long has thousands of columns: keep those of the template.' : ''}`
      : `No header row was found in the first ${HeaderFinder.rowsToSearch} rows of the file (empty rows aside). The header row names the columns, as in the template; a title above it is fine, within those rows.`;
    return { format: 'csv', encoding: text.encoding, delimiter, header: notFound(columns, search.bestGuess, message), rows: nothing(), batches: nothing(), close };
  }
  const { batches } = search;
  return {
    format: 'csv',
    encoding: text.encoding,
    get eightBitLater() {
      return text.eightBitLater;
    },
    sectionsNotRead,
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

/**
 * Said of a file of values separated by tabs or bars without a header row, as SQL Server's bcp writes a table out: it
 * has no option to write the column names, where the other tools of a database do.
 */
const exportedWithoutHeader =
  ' If a database tool exported it (bcp writes no column names), export it with them instead: sqlcmd with -s and -W, SQL Server Management Studio\'s results saved with their headers, or psql\'s \\copy … with csv header.';

/** Excel honours a first line "sep=;" naming the separator; so does the hub. */
function excelSeparatorLine(sample: string): CsvDelimiter | null {
  const match = /^sep=([,;\t|])\r?\n/i.exec(sample);
  return match ? (match[1] as CsvDelimiter) : null;
}

/**
 * Picks the separator that splits the first lines most consistently: from a line it splits (the header, or a title
 * above it that holds one too), the most lines that it splits as many times. A title without separators, or with commas
 * in a file of tabs ("Course completions, generated Dec 1, 2026"), says nothing of the rows below it. Quoted text is
 * ignored.
 */
export function sniffDelimiter(sample: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = [',', ';', '\t', '|'];
  const lines = splitLinesOutsideQuotes(sample).filter((line) => line.trim() !== '').slice(0, 10);
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const candidate of candidates) {
    const counts = lines.map((line) => countOutsideQuotes(line, candidate));
    for (let from = 0; from < counts.length; from++) {
      if (counts[from] === 0) continue;
      const agreeing = counts.slice(from).filter((count) => count === counts[from]).length;
      const score = agreeing * 1000 + counts[from];
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
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

function brokenRowProblem(broken: 'too_long' | 'quote_not_closed', rowNumber: number, limits: FileLimits): Problem {
  if (broken === 'too_long') {
    return {
      code: 'row_too_long',
      row: rowNumber,
      message: `The row is longer than ${limits.maxRecordBytes.toLocaleString('en-US')} characters, the most a row may have; shorten the values that are too long.`,
    };
  }
  return {
    code: 'unreadable_row',
    row: rowNumber,
    message: `A value opens a quote (") that is never closed; ${closeTheQuote}.`,
  };
}

const closeTheQuote = 'close it where the value ends, or double a quote that is part of the value ("")';

/** The row a quote ran on from was read as its line alone; the lines after it, as rows of their own. */
function quoteRunsOnProblem(rowNumber: number): Problem {
  return {
    code: 'unreadable_row',
    row: rowNumber,
    message: `A value opens a quote (") that is not closed on this row's line, so it would take in the rows after it: only this row was rejected, and the rows after it were read as usual. Take the quote out, or ${closeTheQuote}.`,
  };
}

/** Nothing after a row past the read limit is read, nor after a quote running on once too often: the reading stops there. */
function brokenRowsError(broken: 'past_read_limit' | 'quotes_run_on_too_often', rowNumber: number, limits: FileLimits): UnreadableFileError {
  const row = rowNumber.toLocaleString('en-US');
  if (broken === 'quotes_run_on_too_often') {
    return new UnreadableFileError(
      `Row ${row} opens a quote (") that is not closed on its line, as ${quotesRunningOnReadAgain} rows before it did: the file's values hold quotes that are not written as CSV writes them. ` +
        `Neither row ${row} nor any row after it was taken in. Close each quote where its value ends, or double a quote that is part of a value (""); a spreadsheet program saving the file as CSV writes them so.`,
    );
  }
  const readLimit = formatBytes(recordReadLimit(limits.maxRecordBytes));
  return new UnreadableFileError(
    `Row ${row} goes on for more than ${readLimit} without ending, far past the ${limits.maxRecordBytes.toLocaleString('en-US')} characters a row may have. ` +
      `Neither row ${row} nor any row after it was taken in. Shorten the values that are too long.`,
  );
}
