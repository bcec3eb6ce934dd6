import type { ColumnSpec } from '../../files/columns.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import { DateOrderOfFile, firstRowsLookedAt, mostRowsReadForDateOrder, seeDatesOfRow, writtenDayFirstRefusal } from '../../files/written-dates.ts';
import type { DatePlace } from '../../files/written-dates.ts';
import type { AppError } from '../../http/errors.ts';
import { rosterDateColumns } from './roster-rows.ts';

/**
 * A roster on disk sent without saying how it writes its dates of numbers, whose dates show it written day first (a
 * date that can only be read so, none only month first, among dates mostly of numbers): refused before its load
 * begins, as its dates that read both ways (05/06/2026) would be loaded on the wrong day, and those past the 12th
 * rejected with their rows. Its first rows are read, then on while every date read both ways (a roster sorted by
 * expiry may have no day past the 12th for thousands of rows).
 */
export async function rosterDateOrderRefusal(file: { path: string; format: TabularFormat }, columns: readonly ColumnSpec[]): Promise<AppError | null> {
  const table = await readTabular(file.path, { format: file.format, columns, everySheet: true });
  const dates = new DateOrderOfFile<DatePlace>();
  let rowsRead = 0;
  try {
    for await (const row of table.rows) {
      rowsRead += 1;
      const sheet = row.sheet === undefined ? undefined : table.sheets?.[row.sheet]?.sheetName;
      seeDatesOfRow(dates, { row: row.rowNumber, ...(sheet ? { sheet } : {}) }, row.record, rosterDateColumns);
      if (rowsRead >= mostRowsReadForDateOrder || (rowsRead >= firstRowsLookedAt && !dates.undecided)) break;
    }
  } catch {
    // What stops the reader stops the load too, which says it.
  } finally {
    await table.close();
  }
  const where = 'Day first on the Roster page, --dates day-first on the command line';
  return writtenDayFirstRefusal(dates, `the file's first ${rowsRead.toLocaleString('en-US')} rows`, 'loaded', where);
}
