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

/** The database's reason for refusing a value, as a sender is told it. */
export function refusalReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where to look for a value the database refused that no check foresaw, in words: `where`, "in the row". */
export function lookForPastedCell(where: string): string {
  return `look ${where} for a cell holding what its column does not take, such as a note or a whole row pasted into it`;
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
