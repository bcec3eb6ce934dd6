/** The SQLSTATE of an error PostgreSQL or PGlite raised, or null for any other error. */
export function sqlStateOf(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * Whether the database refused the values it was given (class 22, data exception; class 54, a value past a
 * limit such as an index entry's size) rather than failed for the moment: trying again would fail again.
 */
export function isRefusedValue(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== null && (state.startsWith('22') || state.startsWith('54'));
}

/** The problem code of a row holding a value the database refuses, which no check foresaw. */
export const valueNotStored = 'value_not_stored';

/**
 * Rows of a file the database refused one by one before a further one stops the file: so many are a column refused
 * all the way down, which taking each row in alone (a dozen transactions apiece) would only make slow to say.
 */
export const refusedRowsBeforeStop = 20;

/** The database's reason for refusing a value, as a sender is told it. */
export function refusalReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where to look for a value the database refused that no check foresaw, in words: `where`, "in the row". */
function lookForPastedCell(where: string): string {
  return `look ${where} for a cell holding what its column does not take, such as a note or a whole row pasted into it`;
}

/**
 * Why a file stops at a row (`row`, in words: "row 22 of sheet \"March\""): a value there the database refuses even
 * as a rejected row, or one refused after `refusedBefore` rows were, each rejected: then a whole column, most likely.
 */
export function refusedAtRowMessage(error: unknown, row: string, refusedBefore = 0): string {
  const lookFor =
    refusedBefore > 0
      ? `, as were values in ${refusedBefore} rows before it, each rejected: a column probably holds what it does not take all the way down, such as notes pasted into it`
      : `: ${lookForPastedCell('there')}`;
  return `A value in ${row} could not be stored (${refusalReason(error)})${lookFor}.`;
}

/**
 * What the sender of a row holding a value the database refused is told: its reason, where to look, and to send the
 * row again. `kept` says what of the row could not be kept either.
 */
export function refusedRowMessage(error: unknown, { kept = '', lookIn = 'in the row' }: { kept?: string; lookIn?: string } = {}): string {
  return `A value in this row could not be stored (${refusalReason(error)})${kept}: ${lookForPastedCell(lookIn)}, and send the row again corrected.`;
}

/** What the sender of a request holding a value the database refused is told (`of`: "the request", "this report"). */
export function refusedFieldMessage(error: unknown, of: string): string {
  return `A value of ${of} could not be stored (${refusalReason(error)}): look for a field holding what it does not take, such as a note pasted into it.`;
}
