import { sheetRowAt } from '../../files/row-place.ts';
import { downloadName } from '../../files/file-names.ts';
import { tableDownload, type FileDownload, type OutputColumn } from '../../files/tabular-writer.ts';
import { count, minuteUtc } from '../uploads/upload-lines.ts';
import { keptForRejectedRowsWords } from './full-roster.ts';
import type { RosterLoadView } from './registry.service.ts';
import type { StoredProblem } from './registry.tables.ts';

export type RosterReceiptRow = { row_number: number; identifier: string | null; outcome: string; problems: StoredProblem[] | null };

/** One line per row; a workbook's rows on several sheets are named by their sheet and their row there. */
function receiptColumns(sheets: readonly string[] | null): OutputColumn<RosterReceiptRow>[] {
  const read = sheets?.map((name) => ({ name })) ?? null;
  return [
    ...(read ? [{ header: 'Sheet', value: (row: RosterReceiptRow) => sheetRowAt(row.row_number, read).sheet, width: 16, text: true }] : []),
    { header: 'Row', value: (row) => sheetRowAt(row.row_number, read).rowNumber, width: 8 },
    { header: 'License number or ID', value: (row) => row.identifier, width: 20, text: true },
    { header: 'Outcome', value: (row) => row.outcome, width: 12 },
    { header: 'Problems', value: (row) => (row.problems ?? []).map((p) => p.message).join(' '), width: 80 },
    { header: 'Problem codes', value: (row) => (row.problems ?? []).map((p) => p.code).join(' '), width: 30 },
  ];
}

/**
 * What the load was, for a receipt read away from the hub (forwarded, filed with a board's minutes): its file,
 * how it ended, its counts, and what its file said beside its rows.
 */
function summaryLines(load: RosterLoadView): string[] {
  const rows = load.kind === 'certifications' ? 'certifications' : 'licenses';
  return [
    `Receipt for ${load.fileName ?? 'the roster'}${load.fullRoster ? ', loaded as the full roster' : ''}`,
    `Status: ${load.status}${load.failure ? ` (${load.failure})` : ''}`,
    `Rows: ${count(load.rowsRead)} (created ${count(load.created)}, updated ${count(load.updated)}, unchanged ${count(load.unchanged)}, rejected ${count(load.rejected)})`,
    ...(load.deactivated ? [`${count(load.deactivated)} ${rows} no longer listed are now inactive.`] : []),
    ...(load.keptForRejectedRows ? [`${keptForRejectedRowsWords(load.keptForRejectedRows, rows)}.`] : []),
    ...(load.absentHeld ? [`${count(load.absentHeld)} ${rows} not in the file were left as they were: more than a tenth of the practising ${rows}.`] : []),
    `Started ${minuteUtc(load.startedAt)}${load.finishedAt ? `, ended ${minuteUtc(load.finishedAt)}` : ''}`,
    ...(load.resumed ? [`The server stopped during the load: it was resumed from the file ${minuteUtc(load.resumed.at)}, after ${count(load.resumed.afterRows)} rows.`] : []),
    ...load.notes.map((note) => note.message),
  ];
}

/** The receipt of a roster load as a file: its rows, and in a workbook a summary sheet beside them. */
export function rosterReceipt(format: 'csv' | 'xlsx', load: RosterLoadView, rows: AsyncIterable<RosterReceiptRow>): FileDownload {
  return tableDownload(format, downloadName('roster-receipt', load.fileName, load.id.slice(0, 8)), { name: 'Receipt', columns: receiptColumns(load.sheets), rows }, [
    { name: 'Summary', lines: summaryLines(load) },
  ]);
}
