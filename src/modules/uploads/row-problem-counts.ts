// How many rows of an upload have each kind of problem, so that a coordinator sees at a glance what went
// wrong with thousands of rows ("2,940 rows: the completion date is in the future") before reading any
// of them. Kept on the upload and brought up to date in each chunk's transaction, so that a resumed
// upload counts every row once. Pure: no I/O.

import { sheetRowWords } from '../../files/row-place.ts';
import type { Problem } from '../../http/errors.ts';

/** One kind of problem (a code, and the column it is about when the code alone does not say). */
export type RowProblemCount = {
  code: string;
  field?: string;
  /** Rows with at least one problem of this kind. */
  rows: number;
  /**
   * Of them, the rows rejected: the others were taken in (pending or accepted), and have nothing to send again.
   * Absent from counts kept before it was counted.
   */
  rejectedRows?: number;
  /** The first such row (its place in the file, `files/row-place.ts`), and its message: an example of what to fix. */
  firstRow: number;
  message: string;
  /**
   * The first of them rejected, and its message: the example of what to fix where the first row of the kind was taken
   * in. Absent while none was rejected, and from counts kept before it was kept.
   */
  firstRejected?: { row: number; message: string };
};

/** A row of a kind as the upload shows it: the row of its sheet, when the workbook's rows were read from several. */
export type RowShown = { row: number; sheet: string | null; message: string };

/** A kind as the upload shows it: its rows as the rows of their sheets, when the workbook's rows were read from several. */
export type RowProblemShown = Omit<RowProblemCount, 'rejectedRows' | 'firstRejected'> & {
  firstRowSheet: string | null;
  rejectedRows: number | null;
  firstRejected: RowShown | null;
};

/** `duplicate`: the row repeats a report on file, whose own problems are counted where it was sent. */
type RowWithProblems = { rowNumber: number; status: string; problems: readonly Problem[]; duplicate?: boolean };

/**
 * The column a problem is about, without the position of the credit line it is on: an amount that is not a
 * number is one kind of problem whether it is the row's first credit or its second.
 */
export function kindField(field: string): string {
  return field.replace(/\.\d+\./g, '.');
}

const kindOf = (problem: { code: string; field?: string }) => (problem.field ? `${problem.code}:${kindField(problem.field)}` : problem.code);

/**
 * The counts with a chunk's rows added; a row with two problems of one kind counts once for it. Rows that
 * repeat a report on file are left out: they are counted as duplicates, and are nothing to fix.
 */
export function addRowProblems(counts: readonly RowProblemCount[], rows: readonly RowWithProblems[]): RowProblemCount[] {
  const byKind = new Map(counts.map((count) => [kindOf(count), { ...count }]));
  for (const row of rows) {
    if (row.duplicate) continue;
    const seen = new Set<string>();
    for (const problem of row.problems) {
      const kind = kindOf(problem);
      if (seen.has(kind)) continue;
      seen.add(kind);
      const count = byKind.get(kind);
      const rejected = row.status === 'rejected' ? 1 : 0;
      const asRejected = rejected ? { firstRejected: { row: row.rowNumber, message: problem.message } } : {};
      if (!count) {
        const field = problem.field ? { field: kindField(problem.field) } : {};
        byKind.set(kind, { code: problem.code, ...field, rows: 1, rejectedRows: rejected, firstRow: row.rowNumber, message: problem.message, ...asRejected });
      } else {
        count.rows += 1;
        if (count.rejectedRows !== undefined) count.rejectedRows += rejected;
        if (row.rowNumber < count.firstRow) Object.assign(count, { firstRow: row.rowNumber, message: problem.message });
        // Counts kept before rejected rows were counted do not know which was first.
        const firstRejectedKnown = count.rejectedRows !== undefined;
        if (rejected && firstRejectedKnown && (!count.firstRejected || row.rowNumber < count.firstRejected.row)) Object.assign(count, asRejected);
      }
    }
  }
  return mostCommonFirst([...byKind.values()]);
}

/** Most rows first; among equals, the kind met first in the file. */
function mostCommonFirst(counts: RowProblemCount[]): RowProblemCount[] {
  return counts.sort((a, b) => b.rows - a.rows || a.firstRow - b.firstRow);
}

/**
 * One kind as a line of text. Its message is its first row's, which may name that row's values (a license
 * number, a date): said as an example, so that it does not read as every row's. `rejectedOnly`: counted by its rejected
 * rows, as what to fix is, saying how many more of the kind were taken in, its example the first row rejected.
 */
export function describeRowProblem(kind: RowProblemShown, { rejectedOnly = false } = {}): string {
  const example = (rejectedOnly ? kind.firstRejected : null) ?? { row: kind.firstRow, sheet: kind.firstRowSheet, message: kind.message };
  const row = sheetRowWords({ sheet: example.sheet, rowNumber: example.row });
  const counted = rejectedOnly && kind.rejectedRows !== null ? kind.rejectedRows : kind.rows;
  const takenIn = counted < kind.rows ? ` rejected, ${(kind.rows - counted).toLocaleString('en-US')} more taken in` : '';
  if (kind.rows === 1) return `1 row (${row}): ${example.message}`;
  return `${counted.toLocaleString('en-US')} ${counted === 1 ? 'row' : 'rows'}${takenIn}, such as ${row}: ${example.message}`;
}

/** A kind as an upload shows it, with whether its rows are no completions (`uploads.schemas.ts`). */
type KindShown = RowProblemShown & { noCompletion: boolean };

/**
 * The kinds apart as the upload's page lists them: those with rejected rows, what to fix; those whose rows were all
 * taken in, on file with something to check; rows that are no completion, nothing of which is kept or to fix.
 */
export function rowProblemGroups<Kind extends { rejectedRows: number | null; noCompletion: boolean }>(kinds: readonly Kind[]) {
  return {
    toFix: kinds.filter((kind) => kind.rejectedRows !== 0 && !kind.noCompletion),
    toCheck: kinds.filter((kind) => kind.rejectedRows === 0 && !kind.noCompletion),
    noCompletions: kinds.filter((kind) => kind.noCompletion),
  };
}

/**
 * The kinds as lines of text under their headings (`rowProblemGroups`), for the receipt's summary and the command
 * line (which shows the first few of each, indented); none when there are none.
 */
export function rowProblemLines(kinds: readonly KindShown[], { shown = kinds.length, indent = '' } = {}): string[] {
  const { toFix, toCheck, noCompletions } = rowProblemGroups(kinds);
  const group = (heading: string, listed: readonly KindShown[], rejectedOnly = false) => {
    if (listed.length === 0) return [];
    const more = listed.length - shown;
    return [
      heading,
      ...listed.slice(0, shown).map((kind) => `${indent}${describeRowProblem(kind, { rejectedOnly })}`),
      ...(more > 0 ? [`${indent}and ${more} more ${more === 1 ? 'kind' : 'kinds'} of problem: see the receipt.`] : []),
    ];
  };
  return [
    ...group('What to fix, most common first:', toFix, true),
    ...group('Taken in, with something to check (on file: pending until the physician is matched, or accepted with a note; do not send them again):', toCheck),
    ...group('Not taken in, no completions (nothing of them is kept, and nothing is to fix or send again):', noCompletions),
  ];
}
