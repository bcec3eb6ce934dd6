// Where a row is in a file whose rows may be on several sheets of a workbook: one number, its place, orders the
// rows of the whole file, and keys them in the receipt and the reports. The rows of a CSV file, and of the first
// sheet read, keep the number a spreadsheet gives them; those of the next sheets are numbered past every row the
// sheets before them could have, and are shown as the row of their sheet.

/** The most rows an Excel sheet has. */
const rowsPerSheet = 1_048_576;

/**
 * A sheet whose rows were read, by its name, with the row of its header; and, for a sheet after the first whose
 * headings are not the first's, each of its headings with the column it was read as (null: not used).
 */
export type SheetRead = { name: string; headerRow: number; columns?: HeadingRead[] };

export type HeadingRead = { heading: string; readAs: string | null };

/** The place of a row of the `sheet`-th sheet read (from 0). */
export function rowPlace(sheet: number, rowNumber: number): number {
  return sheet * rowsPerSheet + rowNumber;
}

/** The row a place is, on its sheet when the file's rows were read from several (`sheets`; null otherwise). */
export type SheetRow = { sheet: string | null; rowNumber: number };

export function sheetRowAt(place: number, sheets: readonly Pick<SheetRead, 'name'>[] | null): SheetRow {
  if (!sheets) return { sheet: null, rowNumber: place };
  const index = Math.min(sheets.length - 1, Math.max(0, Math.floor((place - 1) / rowsPerSheet)));
  return { sheet: sheets[index].name, rowNumber: place - index * rowsPerSheet };
}

/** A row as messages name it: 'row 1,204', or 'row 12 of sheet "March"'. */
export function rowWords(place: number, sheets: readonly SheetRead[] | null): string {
  return sheetRowWords(sheetRowAt(place, sheets));
}

export function sheetRowWords({ sheet, rowNumber }: SheetRow): string {
  return `row ${rowNumber.toLocaleString('en-US')}${sheet === null ? '' : ` of sheet "${sheet}"`}`;
}
