import type { ColumnSpec } from '../../files/columns.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import type { FileSource } from '../../files/sources.ts';
import { DateOrderOfFile } from '../../files/written-dates.ts';
import { AppError } from '../../http/errors.ts';
import { writtenRosterDates } from './roster-rows.ts';

/** Rows always read for the dates of a roster, and how far it is read on while all its dates read both ways. */
const firstRows = 100;
const rowsLookedAtForDateOrder = 50_000;

/**
 * A roster sent without saying how it writes its dates of numbers, whose dates show it written day first (a date
 * that can only be read so, none only month first, among dates mostly of numbers): refused before its load begins,
 * as its dates that read both ways (05/06/2026) would be loaded on the wrong day, and those past the 12th rejected
 * with their rows. Its first rows are read, then on while every date read both ways (a roster sorted by expiry may
 * have no day past the 12th for thousands of rows). A file received whole is read; a stream is the load's to read.
 */
export async function rosterDateOrderRefusal(
  file: { source: FileSource; format: TabularFormat }, columns: readonly ColumnSpec[],
): Promise<AppError | null> {
  if (typeof file.source !== 'string') return null;
  const table = await readTabular(file.source, { format: file.format, columns, everySheet: true });
  const dates = new DateOrderOfFile<{ row: string; label: string }>();
  let rowsRead = 0;
  try {
    for await (const row of table.rows) {
      rowsRead += 1;
      const sheet = row.sheet === undefined ? null : table.sheets?.[row.sheet]?.sheetName;
      const place = `Row ${row.rowNumber}${sheet ? ` of sheet "${sheet}"` : ''}`;
      for (const { label, written } of writtenRosterDates(row.record)) dates.see(written, { row: place, label });
      if (rowsRead >= rowsLookedAtForDateOrder || (rowsRead >= firstRows && !dates.undecided)) break;
    }
  } catch {
    // What stops the reader stops the load too, which says it.
  } finally {
    await table.close();
  }
  const dayFirst = dates.writtenDayFirst;
  if (!dayFirst) return null;
  const { where, written } = dayFirst;
  // A date of birth holds the birth year, which the hub says nowhere: it is named by its column only.
  const date = where.label === 'Date of birth' ? `${where.row} has a date of birth that` : `${where.row} has "${written}" as its ${where.label}, which`;
  const found = `${date} can only be read day first (DD/MM/YYYY), and none of the file's first ${rowsRead.toLocaleString('en-US')} rows has a date that can only be read month first.`;
  return new AppError(
    422,
    'date_order_required',
    `${found} Dates with slashes or dashes are read month first (MM/DD/YYYY) unless the upload says otherwise, so the roster's dates that read both ` +
      'ways (05/06/2026) would be loaded on the wrong day, and its rows with a day past the 12th rejected. Say how the file writes its dates: send it ' +
      'again with dates=day_first (Dates in the file: Day first on the Roster page, --dates day-first on the command line); or with dates=month_first ' +
      'if those dates are mistakes, whose rows are then rejected.',
    { problems: [{ code: 'date_only_day_first', message: found }] },
  );
}
