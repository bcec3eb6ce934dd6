import { describe, expect, it } from 'vitest';
import { addRowProblems, describeRowProblem, rowProblemLines } from './row-problem-counts.ts';

const late = { code: 'completion_date_in_future', field: 'completionDate', message: 'The completion date is in the future.' };
const unknown = { code: 'identity_not_found', message: 'No physician matches.' };

describe('counting the rows of each kind of problem', () => {
  it('counts a row once per kind, most common first, whichever chunk comes first', () => {
    const first = addRowProblems([], [
      { rowNumber: 8, status: 'pending', problems: [unknown] },
      { rowNumber: 9, status: 'pending', problems: [late, { ...late, message: 'Another date in the future.' }] },
    ]);
    const both = addRowProblems(first, [
      { rowNumber: 4, status: 'pending', problems: [{ ...late, message: 'Row 4 is late.' }] },
      { rowNumber: 10, status: 'pending', problems: [] },
    ]);
    expect(both).toEqual([
      { ...late, rows: 2, rejectedRows: 0, firstRow: 4, message: 'Row 4 is late.' },
      { ...unknown, rows: 1, rejectedRows: 0, firstRow: 8 },
    ]);
    // The counts before stay as they were: a chunk that does not commit leaves them untouched.
    expect(first).toEqual([
      { ...unknown, rows: 1, rejectedRows: 0, firstRow: 8 },
      { ...late, rows: 1, rejectedRows: 0, firstRow: 9 },
    ]);
  });

  it('tells kinds of one code apart by their column', () => {
    const counts = addRowProblems([], [
      { rowNumber: 2, status: 'pending', problems: [{ code: 'out_of_range', field: 'birthMonth', message: 'Birth month is 1 to 12' }] },
      { rowNumber: 3, status: 'pending', problems: [{ code: 'out_of_range', field: 'birthDay', message: 'Birth day is 1 to 31' }] },
    ]);
    expect(counts.map((count) => [count.field, count.rows])).toEqual([
      ['birthMonth', 1],
      ['birthDay', 1],
    ]);
  });

  it('takes a problem of a credit line as one kind, whichever credit line of the row it is on', () => {
    const amount = (index: number, rowNumber: number) => ({ rowNumber, status: 'rejected', problems: [{ code: 'invalid', field: `credits.${index}.amount`, message: `The amount 1.1${index} is not valid` }] });
    const counts = addRowProblems([], [amount(0, 2), amount(1, 3), { rowNumber: 4, status: 'rejected', problems: [amount(0, 4).problems[0], amount(1, 4).problems[0]] }]);
    expect(counts).toEqual([
      { code: 'invalid', field: 'credits.amount', rows: 3, rejectedRows: 3, firstRow: 2, message: 'The amount 1.10 is not valid', firstRejected: { row: 2, message: 'The amount 1.10 is not valid' } },
    ]);
  });

  it('leaves out rows that repeat a report on file: they are duplicates, not rows to fix', () => {
    const counts = addRowProblems([], [
      { rowNumber: 2, status: 'pending', problems: [unknown] },
      { rowNumber: 3, status: 'pending', duplicate: true, problems: [{ code: 'already_on_file', field: 'row', message: 'Already reported.' }, unknown] },
    ]);
    expect(counts).toEqual([{ ...unknown, rows: 1, rejectedRows: 0, firstRow: 2 }]);
  });

  it('counts the rows of each kind that were rejected apart from those taken in, which have nothing to send again', () => {
    const counts = addRowProblems([], [
      { rowNumber: 2, status: 'pending', problems: [unknown] },
      { rowNumber: 3, status: 'rejected', problems: [unknown, late] },
      { rowNumber: 4, status: 'pending', problems: [unknown] },
    ]);
    expect(counts.map(({ code, rows, rejectedRows }) => [code, rows, rejectedRows])).toEqual([
      ['identity_not_found', 3, 1],
      ['completion_date_in_future', 1, 1],
    ]);
    // What to fix is shown by a row rejected, not by the first of the kind, which was taken in.
    expect(counts[0]).toMatchObject({ firstRow: 2, firstRejected: { row: 3, message: unknown.message } });
    const earlierRejected = addRowProblems(counts, [{ rowNumber: 1, status: 'rejected', problems: [{ ...unknown, message: 'Row 1 matches no one.' }] }]);
    expect(earlierRejected[0]).toMatchObject({ firstRow: 1, firstRejected: { row: 1, message: 'Row 1 matches no one.' } });
    // Counts kept before rejected rows were counted go on without them: what they do not know is not made up.
    const older = [{ ...unknown, rows: 5, firstRow: 2 }];
    expect(addRowProblems(older, [{ rowNumber: 9, status: 'rejected', problems: [unknown] }])).toEqual([{ ...unknown, rows: 6, firstRow: 2 }]);
  });

  it('reads as a line of the receipt', () => {
    expect(describeRowProblem({ ...late, rows: 2940, firstRow: 2, firstRowSheet: null, rejectedRows: null, firstRejected: null })).toBe('2,940 rows, such as row 2: The completion date is in the future.');
    expect(describeRowProblem({ ...unknown, rows: 1, firstRow: 8, firstRowSheet: null, rejectedRows: null, firstRejected: null })).toBe('1 row (row 8): No physician matches.');
    expect(describeRowProblem({ ...unknown, rows: 3, firstRow: 14, firstRowSheet: 'March', rejectedRows: null, firstRejected: null })).toBe('3 rows, such as row 14 of sheet "March": No physician matches.');
  });

  it('lists what to fix first, counted by the rows rejected, apart from rows taken in and rows that are no completion', () => {
    const kind = { firstRowSheet: null, noCompletion: false, firstRejected: null };
    const lines = rowProblemLines(
      [
        { ...kind, ...unknown, rows: 40, rejectedRows: 0, firstRow: 2 },
        { ...kind, ...late, rows: 5, rejectedRows: 3, firstRow: 4, firstRejected: { row: 6, sheet: null, message: 'The completion date 2027-01-02 is in the future.' } },
        { ...kind, code: 'not_attended', field: 'attended', message: 'Attended: "No" says the registrant did not attend.', rows: 2, rejectedRows: 2, firstRow: 9, noCompletion: true },
        { ...kind, code: 'credits_over', message: 'Too many credits.', rows: 1, rejectedRows: 1, firstRow: 7 },
      ],
      { indent: '  ' },
    );
    expect(lines).toEqual([
      'What to fix, most common first:',
      // Such as a row rejected: the kind's first row, 4, was taken in.
      '  3 rows rejected, 2 more taken in, such as row 6: The completion date 2027-01-02 is in the future.',
      '  1 row (row 7): Too many credits.',
      'Taken in, with something to check (on file: pending until the physician is matched, or accepted with a note; do not send them again):',
      '  40 rows, such as row 2: No physician matches.',
      'Not taken in, no completions (nothing of them is kept, and nothing is to fix or send again):',
      '  2 rows, such as row 9: Attended: "No" says the registrant did not attend.',
    ]);
  });
});
