/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return, which some of
 * them skip before looking) as a formula. Such text the hub writes into a workbook goes in a cell styled
 * as text (tabular-writer.ts); into a CSV file, which has no styles, with a leading apostrophe, which
 * csv-stringify's `escape_formulas` adds for the same characters, their full-width forms included.
 */
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Whether a value would be read as a formula if written as is. */
export function looksLikeFormula(value: string): boolean {
  return value.length > 0 && formulaStarts.has(value[0]);
}

/**
 * A value as it was before the hub's CSV files guarded it with an apostrophe ("'=A4-01"): a file the hub wrote
 * (rows to fix, a receipt), opened in a spreadsheet program and sent back, carries the apostrophe in the value.
 */
export function withoutFormulaGuard(value: string): string {
  return value.charCodeAt(0) === apostrophe && looksLikeFormula(value.slice(1)) ? value.slice(1) : value;
}

const apostrophe = 0x27;
