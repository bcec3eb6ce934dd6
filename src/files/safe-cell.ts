/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return, which some of
 * them skip before looking) as a formula. Text the hub writes back into a CSV or XLSX file gets a
 * leading apostrophe so that it shows as text. The same characters in their full-width forms are
 * treated alike, as csv-stringify's `escape_formulas` does for CSV.
 */
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

export function neutralizeCell(value: string): string {
  return value.length > 0 && formulaStarts.has(value[0]) ? `'${value}` : value;
}

/** Whether a value would be read as a formula if written as is. */
export function looksLikeFormula(value: string): boolean {
  return value.length > 0 && formulaStarts.has(value[0]);
}
