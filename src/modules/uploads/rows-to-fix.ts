// The rejected rows of a learner file, laid out as the template with what to fix beside each, so that
// the sender corrects them in their spreadsheet and sends that file as a new upload. Pure: no I/O.

import type { ColumnSpec } from '../../files/columns.ts';
import type { TabularRow } from '../../files/tabular-reader.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import type { Problem } from '../../http/errors.ts';
import { birthMonthDay, learnerOutputColumns, learnerRowInstructions } from './learner-file.ts';
import type { LearnerRecord } from './learner-file.ts';

/** The two columns a file of rows to fix adds: known to the reader, so that sending the file back raises no notice. */
const whatToFix = { name: 'whatToFix', label: 'What to fix' };
const sentRow = { name: 'sentRow', label: 'Row in the file sent' };
export const ROWS_TO_FIX_COLUMNS: readonly ColumnSpec[] = [whatToFix, sentRow];

export type RejectedLine = { rowNumber: number; problems: Problem[] };

export type RowToFix = { rowNumber: number; problems: Problem[]; record: LearnerRecord };

/**
 * Walks the file and its rejected receipt lines together, both in row order, and pairs each line with
 * its row. The file is read only as far as the last rejected row.
 */
export async function* pairRejectedRows(fileBatches: AsyncIterable<TabularRow[]>, rejected: AsyncIterable<RejectedLine>): AsyncGenerator<RowToFix> {
  const lines = rejected[Symbol.asyncIterator]();
  let line = await lines.next();
  for await (const batch of fileBatches) {
    for (const row of batch) {
      // A line always has its row in the file it was read from; the loop only keeps the two in step.
      while (!line.done && line.value.rowNumber < row.rowNumber) line = await lines.next();
      if (line.done) return;
      if (line.value.rowNumber !== row.rowNumber) continue;
      yield { rowNumber: row.rowNumber, problems: line.value.problems, record: withoutBirthYear(row.record) };
      line = await lines.next();
    }
  }
}

/**
 * A "Date of birth" column may carry a year, which the hub never hands out: the file gets birth month
 * and day instead, where the date could be read (otherwise what to fix says so).
 */
function withoutBirthYear(record: LearnerRecord): LearnerRecord {
  if (!record.dateOfBirth) return record;
  const { dateOfBirth: _dropped, ...rest } = record;
  if (record.birthMonth || record.birthDay) return rest;
  const birth = birthMonthDay(record);
  return { ...rest, birthMonth: birth.month ? String(birth.month) : '', birthDay: birth.day ? String(birth.day) : '' };
}

const columns: OutputColumn<RowToFix>[] = [
  { header: whatToFix.label, value: (row) => row.problems.map((problem) => problem.message).join('\n'), width: 60, wrap: true },
  { header: sentRow.label, value: (row) => row.rowNumber, width: 12 },
  ...learnerOutputColumns<RowToFix>((row, name) => row.record[name] ?? ''),
];

const instructions = [
  'Rows to fix',
  'These are the rows of your upload that were rejected, with what to fix in the first column. Correct them here, then upload this file: the two first columns are ignored when it is read.',
  'Rows that were accepted or are pending are not here: they are on file and must not be sent again.',
  '',
  ...learnerRowInstructions,
];

/** The rows to fix as a file: CSV, or an XLSX workbook with the template's drop-downs and instructions. */
export function rowsToFixFile(format: 'csv' | 'xlsx', baseName: string, rows: AsyncIterable<RowToFix>, rowCount: number): FileDownload {
  return tableDownload(format, baseName, { name: 'Rows to fix', columns, rows, templateRows: rowCount }, [{ name: 'Instructions', lines: instructions }]);
}
