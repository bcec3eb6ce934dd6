import { describe, expect, it } from 'vitest';
import { indexHeadings, matchHeader } from '../../files/columns.ts';
import { calendarDate, orderOf } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { IngestRow } from '../reports/use-cases/ingest-learner-reports.ts';
import { absentIdentifierHalves, halfIdentifierNotices, LEARNER_FILE_COLUMNS, learnerHeaderProblems, standInsOf, takesCreditsFromActivity } from './learner-columns.ts';
import { learnerFileColumns, learnerRowToIngestRow } from './learner-file.ts';
import { attendanceOf, birthMonthDay, creditAmount } from './learner-values.ts';

const base = {
  reference: 'R-1',
  activityId: '100000017',
  completionDate: '2025-06-30',
  firstName: 'Ann',
  middleName: '',
  lastName: 'Lee',
  birthMonth: '3',
  birthDay: '14',
  dateOfBirth: '',
  state: 'CA',
  licenseNumber: 'A12345',
  npi: '',
  board: '',
  boardId: '',
  cmeCredits: '1.5',
  mocCredits: '',
  mocCreditType: '',
  otherCredits: '',
  otherCreditType: '',
  consent: 'written',
  creditId: '',
};

/** What a row's date that can only be day first adds, for a file whose every date may be. */
const wholeFileDayFirst =
  'If the whole file writes its dates day first, withdraw this upload and send the file again with dates=day_first (Dates in the file: Day first on the Uploads page, --dates day-first on the command line)';

const read = (overrides: Partial<typeof base> = {}, consent: 'written' | 'implied' | null = null) =>
  learnerRowToIngestRow({ ...base, ...overrides }, 7, [], { consent });

describe('reading a row of a learner file', () => {
  it('reads values the way people write them', () => {
    expect(calendarDate('6/30/2025')).toBe('2025-06-30');
    expect(calendarDate('2025/6/3')).toBe('2025-06-03');
    expect(calendarDate('2025-06-30T00:00:00')).toBe('2025-06-30');
    // As a database or a learning system exports a date; eight digits that are no such date pass as written.
    expect(calendarDate('20250630')).toBe('2025-06-30');
    expect(calendarDate('06302025')).toBe('06302025');
    expect(calendarDate('20251330')).toBe('20251330');
    // A form's export stamps each response with its time and zone: the date is the day as written there.
    expect(calendarDate('2026/11/20 9:14:05 AM PST')).toBe('2026-11-20');
    expect(calendarDate('2026/11/20 11:59:05 PM GMT-8')).toBe('2026-11-20');
    expect(calendarDate('11/20/2026 9:14:05 +01:00')).toBe('2026-11-20');
    expect(calendarDate('11/20/2026 25:14')).toBe('11/20/2026 25:14');
    expect(calendarDate('last week')).toBe('last week');
    // Hyphens a word processor replaced with look-alikes, pasted from a letter or an attendance list.
    expect(calendarDate('2026\u201011\u201020')).toBe('2026-11-20');
    expect(calendarDate('11\u201320\u20132026')).toBe('2026-11-20');
    // Dates as Excel shows them, written into its CSV files that way.
    expect(calendarDate('6/30/25')).toBe('2025-06-30');
    expect(calendarDate('30-Jun-25')).toBe('2025-06-30');
    expect(calendarDate('3 March 2025')).toBe('2025-03-03');
    expect(calendarDate('Sept 3, 2025')).toBe('2025-09-03');
    expect(calendarDate('30-Foo-25')).toBe('30-Foo-25');
    // Excel's long date, after the day of the week, as it writes a column shown that way into a CSV file.
    expect(calendarDate('Thursday, November 20, 2025')).toBe('2025-11-20');
    expect(calendarDate('Thursday, 20 November 2025')).toBe('2025-11-20');
    expect(calendarDate('Thu, Nov 20, 2025')).toBe('2025-11-20');
    expect(calendarDate('Someday, Nov 20, 2025')).toBe('Someday, Nov 20, 2025');
    // A date and time as Excel writes it into a CSV file: the time is dropped, as after an ISO date.
    expect(calendarDate('11/24/2026 10:30')).toBe('2026-11-24');
    expect(calendarDate('11/24/2026 10:30:15')).toBe('2026-11-24');
    expect(calendarDate('11/24/2026 1:30 PM')).toBe('2026-11-24');
    expect(calendarDate('11/24/26 10:30:00 a.m.')).toBe('2026-11-24');
    expect(calendarDate('11/24/2026 25:30')).toBe('11/24/2026 25:30');
    expect(calendarDate('11/24-2026')).toBe('11/24-2026');
    // As people write a date by hand: the day with its ordinal, the month's name between dashes, the year first with dots.
    expect(['November 20th, 2026', '20th November 2026', 'Nov-20-2026', '2026.11.20', 'Nov 1st 2026'].map((written) => calendarDate(written))).toEqual([
      '2026-11-20', '2026-11-20', '2026-11-20', '2026-11-20', '2026-11-01',
    ]);
    expect(creditAmount('1,5')).toBe(1.5);
    expect(creditAmount(' 2 ')).toBe(2);
    expect(creditAmount('two')).toBeNull();
    // Credits as a hospital's sign-in sheet writes them: hours are credits, one per hour.
    expect(creditAmount('8 hrs')).toBe(8);
    expect(creditAmount('1.5 Credits')).toBe(1.5);
    expect(creditAmount('2h')).toBe(2);
    expect(creditAmount('90 min')).toBeNull();
    expect(creditAmount('hrs')).toBeNull();
    // A formula's result as Excel saves it, and shows it: 1.75.
    expect(creditAmount('1.7499999999999998')).toBe(1.75);
    expect(creditAmount('1.5000000000000002')).toBe(1.5);
    expect(read({ cmeCredits: '1.7499999999999998' })).toMatchObject({ parseProblems: [], input: { credits: [{ type: 'AMA_PRA_CAT1', amount: 1.75 }] } });
    expect(birthMonthDay({ birthMonth: 'March', birthDay: '14' })).toEqual({ month: 3, day: 14 });
    expect(birthMonthDay({ dateOfBirth: '03/14/1971' })).toEqual({ month: 3, day: 14, fromDateOfBirth: true });
    expect(birthMonthDay({ dateOfBirth: '1971-03-14' })).toEqual({ month: 3, day: 14, fromDateOfBirth: true });
  });

  it('takes month and day from "3/14" typed into the birth month, which a spreadsheet makes a date of this year', () => {
    expect(birthMonthDay({ birthMonth: '2026-03-14', birthDay: '' })).toEqual({ month: 3, day: 14 });
    expect(birthMonthDay({ birthMonth: '3/14', birthDay: '14' })).toEqual({ month: 3, day: 14 });
    expect(birthMonthDay({ birthMonth: '2026-03-14', birthDay: '15' })).toEqual({
      month: undefined,
      day: 15,
      problem: { field: 'birthMonth', message: '"2026-03-14" is a date, and its day is not the Birth day 15: write the month alone here (3)' },
    });
  });

  it('reads a birth month and day typed into cells formatted as dates, which a workbook keeps as days of January 1900, as the numbers typed', () => {
    // 3 and 14, shown as 1/3/1900 and 1/14/1900.
    expect(birthMonthDay({ birthMonth: '1900-01-03', birthDay: '1900-01-14' })).toEqual({ month: 3, day: 14 });
    expect(read({ birthMonth: '1900-01-12', birthDay: '1900-01-31' })).toMatchObject({ parseProblems: [], input: { learner: { birthMonth: 12, birthDay: 31 } } });
    expect(birthMonthDay({ birthMonth: '1900-02-03', birthDay: '14' })).toMatchObject({ month: undefined, problem: { field: 'birthMonth' } });
  });

  it('never keeps a birth year from a date of birth', () => {
    const row = read({ birthMonth: '', birthDay: '', dateOfBirth: '03/14/1971' });
    expect(JSON.stringify(row)).not.toContain('1971');
    expect(row.input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
  });

  it('reads a date of birth as Excel shows dates, and says what is wrong with one in that column, without its year', () => {
    const fromDateOfBirth = (dateOfBirth: string) => read({ birthMonth: '', birthDay: '', dateOfBirth });
    expect(fromDateOfBirth('March 14, 1971').input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    expect(fromDateOfBirth('14-Mar-71').input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    // Without a year, as a sign-in sheet has it, and as a CSV file writes a cell formatted as day and month.
    for (const dateOfBirth of ['June 30', 'Jun. 30', '30 June', '30-Jun', 'June 30th']) {
      expect(fromDateOfBirth(dateOfBirth).input?.learner, dateOfBirth).toMatchObject({ birthMonth: 6, birthDay: 30 });
    }
    const problemsOf = (dateOfBirth: string) => fromDateOfBirth(dateOfBirth).parseProblems.map((problem) => [problem.field, problem.message]);
    expect(problemsOf('14/03/1971')).toEqual([
      ['dateOfBirth', 'Date of birth: it looks like day/month (14/03), but dates of birth are read month first (MM/DD): write 03/14'],
    ]);
    expect(problemsOf('02/30/1971')).toEqual([['dateOfBirth', 'Date of birth: February has no day 30; write the date of birth as MM/DD']]);
    expect(problemsOf('June 31')).toEqual([['dateOfBirth', 'Date of birth: June has no day 31; write the date of birth as MM/DD']]);
    expect(problemsOf('Juno 30')[0][0]).toBe('dateOfBirth');
    // Not also "Birth month: this value is required", of a column the file does not have.
    expect(problemsOf('sometime')).toEqual([['dateOfBirth', 'Date of birth: write the date of birth as MM/DD, or give the birth month and day in their own columns']]);
    for (const dateOfBirth of ['14/03/1971', '02/30/1971']) expect(JSON.stringify(fromDateOfBirth(dateOfBirth))).not.toContain('1971');
  });

  it('says what to write in an empty name cell, as a cell left empty', () => {
    expect(read({ firstName: ' ', lastName: '' }).parseProblems.map((problem) => [problem.code, problem.field, problem.message])).toEqual([
      ['required', 'firstName', "First name is empty: write the learner's first name"],
      ['required', 'lastName', "Last name is empty: write the learner's last name"],
    ]);
  });

  it('says an empty whole name, or activity title, of that column when the file has it in place of the template\'s', () => {
    const problemsOf = (row: Record<string, string>, columns: string[]) =>
      learnerRowToIngestRow({ ...base, ...row }, 7, [], { consent: null, standIns: standInsOf(new Set(columns)) }).parseProblems.map((problem) => [problem.code, problem.field, problem.message]);
    // A sign-in sheet's one "Name" column, and a "Course title" in place of the activity's ID: each said once, of its own column.
    expect(problemsOf({ firstName: '', lastName: '', fullName: ' ', activityId: '', activityTitle: '' }, ['fullName', 'activityTitle'])).toEqual([
      ['required', 'activityTitle', "Activity title is empty: write the activity's title as you registered it (or, for a sheet of one session, give the activity with the upload)"],
      ['required', 'fullName', "Name is empty: write the learner's first and last name, such as Maria Lopez or Lopez, Maria"],
    ]);
    // Beside the template's own columns, the template's columns are said.
    expect(problemsOf({ firstName: '', fullName: '', activityId: '', activityTitle: '' }, ['firstName', 'lastName', 'fullName', 'activityId', 'activityTitle']).map(([, field]) => field)).toEqual(['activityId', 'firstName']);
  });

  it('says what to write in an empty birth cell, naming the column the file has', () => {
    const problemsOf = (row: Partial<typeof base>, columns: string[], dateOrder: DateOrder | null = null) =>
      learnerRowToIngestRow({ ...base, ...row }, 7, [], { consent: null, dateOrder, standIns: standInsOf(new Set(columns)) }).parseProblems.map((problem) => [problem.field, problem.message]);
    const empty = { birthMonth: '', birthDay: '', dateOfBirth: ' ' };
    // A sheet whose only birth column is "DOB": its empty cell is that column's, said once.
    expect(problemsOf(empty, ['lastName', 'dateOfBirth'])).toEqual([
      ['dateOfBirth', "Date of birth is empty: write the learner's birth month and day, as MM/DD (a year is not needed, and is not kept)"],
    ]);
    expect(problemsOf(empty, ['dateOfBirth'], 'day_first')).toEqual([
      ['dateOfBirth', "Date of birth is empty: write the learner's birth month and day, as DD/MM (a year is not needed, and is not kept)"],
    ]);
    // The template's two columns, each said for what it takes; with a date of birth beside them, they are its columns.
    for (const columns of [['birthMonth', 'birthDay'], ['birthMonth', 'birthDay', 'dateOfBirth']]) expect(problemsOf({ ...empty, dateOfBirth: '' }, columns), columns.join()).toEqual([
      ['birthMonth', 'Birth month is empty: write the month the learner was born, 1 to 12 (learners are told apart by their birth month and day)'],
      ['birthDay', 'Birth day is empty: write the day of the month the learner was born, 1 to 31 (learners are told apart by their birth month and day)'],
    ]);
  });

  it('refuses a name with a "?" where a letter was lost by a character set without it, saying how to save the file', () => {
    expect(read({ lastName: '?ukasik' }).parseProblems.map((problem) => [problem.field, problem.message])).toEqual([
      ['lastName', 'Last name "?ukasik" has a "?" where a letter was lost, as when a file is saved in a character set without that letter (Ł, ő, ă…): save it as CSV UTF-8, or as a workbook, and send it again'],
    ]);
    expect(read({ firstName: 'Zo\uFFFD' }).parseProblems.map((problem) => problem.field)).toEqual(['firstName']);
    expect(read({ lastName: 'Łukasik' }).parseProblems).toEqual([]);
  });

  it('refuses a name no person has: a number, or a spreadsheet formula, saying what to write instead', () => {
    expect(read({ firstName: '=SUM(1)', lastName: '12345' }).parseProblems.map((problem) => [problem.field, problem.message])).toEqual([
      ['firstName', 'First name "=SUM(1)" starts with "=", as a spreadsheet formula does and no name does: write the learner\'s name as on their license'],
      ['lastName', 'Last name "12345" has no letters: write the learner\'s name as on their license (is another column\'s value under the name\'s heading?)'],
    ]);
    expect(read({ lastName: '+Chen' }).parseProblems.map((problem) => problem.field)).toEqual(['lastName']);
    // Names as people have them: an apostrophe first, another script, a numeral after the name.
    for (const lastName of ["'t Hooft", "d'Arcy", '李', 'Smith 3rd']) expect(read({ lastName }).parseProblems, lastName).toEqual([]);
  });

  it('tells an empty required value from one that cannot be read, by its problem code', () => {
    const codesOf = (values: Record<string, string>) => read(values).parseProblems.map((problem) => [problem.field, problem.code]);
    expect(codesOf({ completionDate: '' })).toEqual([['completionDate', 'required']]);
    expect(read({ completionDate: '' }).parseProblems[0].message).toBe(
      'Completion date is empty: write the date the learner completed the activity, as YYYY-MM-DD or MM/DD/YYYY (or, for a sheet of one session, give its date with the upload)',
    );
    expect(codesOf({ completionDate: '2026-02-30' })).toEqual([['completionDate', 'invalid_format']]);
    expect(codesOf({ birthMonth: '' })).toEqual([['birthMonth', 'required']]);
  });

  it('turns one row into several credit lines', () => {
    const row = read({ mocCredits: '2', mocCreditType: 'MK', board: 'ABIM', boardId: '123456', otherCredits: '1', otherCreditType: 'nursing' });
    expect(row.parseProblems).toEqual([]);
    expect(row.input?.credits).toEqual([
      { type: 'AMA_PRA_CAT1', amount: 1.5 },
      { type: 'MOC_ABIM_MK', amount: 2 },
      { type: 'NURSING', amount: 1 },
    ]);
  });

  it('takes a certifying board without a board ID as the board of a short MOC credit type, not as the learner\'s', () => {
    const row = read({ mocCredits: '2', mocCreditType: 'MK', board: 'ABIM' });
    expect(row.parseProblems).toEqual([]);
    expect(row.input?.learner).toMatchObject({ state: 'CA', licenseNumber: 'A12345', board: null, boardId: null });
    expect(row.input?.credits).toContainEqual({ type: 'MOC_ABIM_MK', amount: 2 });
    const withoutBoard = read({ mocCredits: '2', mocCreditType: 'MK' });
    expect(withoutBoard.parseProblems.map((problem) => problem.message)).toEqual([
      'MOC credit type: "MK" is not a MOC credit type (such as MOC_ABIM_MK): write the full code, or the kind (such as MK) with the certifying board in the "Certifying board" column',
    ]);
  });

  it('says a learner without any identifier is about the learner, not about one of its columns', () => {
    const row = read({ state: '', licenseNumber: '', npi: '', board: '', boardId: '' });
    expect(row.parseProblems).toEqual([
      expect.objectContaining({ field: 'learner', message: 'Identify the learner by state and license number, NPI, or certifying board and board ID' }),
    ]);
  });

  it('says of a completion date past its month\'s end how many days the month has', () => {
    const messageOf = (completionDate: string, dateOrder?: DateOrder) =>
      learnerRowToIngestRow({ ...base, completionDate }, 7, [], { consent: null, dateOrder }).parseProblems.map((problem) => problem.message);
    expect(messageOf('11/31/2026')).toEqual(['Completion date: "11/31/2026" is not a date: November has 30 days']);
    expect(messageOf('2026-02-29')).toEqual(['Completion date: "2026-02-29" is not a date: February 2026 has 28 days']);
    expect(messageOf('31.04.2026', 'day_first')).toEqual(['Completion date: "31.04.2026" is not a date: April has 30 days']);
    expect(messageOf('02/29/2028')).toEqual([]);
    expect(messageOf('13/15/2026')).toEqual(['Completion date: "13/15/2026" is not a date: neither 13 nor 15 is a month (1 to 12)']);
  });

  it('says why a completion date of numbers is no day: no such month, or no such day', () => {
    const messageOf = (completionDate: string, dateOrder?: DateOrder) =>
      learnerRowToIngestRow({ ...base, completionDate }, 7, [], { consent: null, dateOrder }).parseProblems.map((problem) => problem.message);
    expect(messageOf('2026-13-45')).toEqual(['Completion date: "2026-13-45" is not a date: there is no month 13']);
    expect(messageOf('2026-11-00')).toEqual(['Completion date: "2026-11-00" is not a date: there is no day 0']);
    expect(messageOf('11/45/2026')).toEqual(['Completion date: "11/45/2026" is not a date: there is no day 45']);
    // Read day first, as the upload says, 45/11 is no day either.
    expect(messageOf('45/11/2026', 'day_first')).toEqual(['Completion date: "45/11/2026" is not a date: there is no day 45']);
  });

  it('names the column of each problem, with the row', () => {
    const row = read({ completionDate: '31/02/2025', birthMonth: '13', mocCredits: '2', cmeCredits: 'lots' });
    expect(row.input).toBeNull();
    expect(row.parseProblems.map((problem) => [problem.row, problem.message])).toEqual([
      [7, expect.stringMatching(/^AMA PRA Category 1 credits: /)],
      [7, expect.stringMatching(/^MOC credit type: /)],
      [7, 'Completion date: "31/02/2025" is not a date: February 2025 has 28 days'],
      // The schema's message names the column already: it is not named twice.
      [7, 'Birth month 13 is not a month (1 to 12)'],
    ]);
    // The credits that could not be read leave the row without a credit line; that is not said again.
    expect(row.parseProblems.map((problem) => problem.message)).not.toContainEqual(expect.stringContaining('required'));
    // An empty credits cell says what to write, once: the rejected report is not told "no credit line" again.
    const noCredits = read({ cmeCredits: '' });
    expect(noCredits.parseProblems.map((problem) => problem.message)).toEqual([
      'AMA PRA Category 1 credits are empty: write the credits the learner claimed, up to what the activity designates (a file with no credits column gives every learner all of them)',
    ]);
    expect(noCredits.readable?.creditsSaid).toBe(true);
  });

  it('reads a row of a file without a credits column as taking its activity\'s credits, once the activity is known', () => {
    const row = learnerRowToIngestRow({ ...base, cmeCredits: '' }, 7, [], { consent: null, creditsFromActivity: true });
    expect(row).toMatchObject({ parseProblems: [], creditsFromActivity: true, input: { credits: [], learner: { lastName: 'Lee' } } });
    // Its other problems are said as in any file, and none about credits.
    const unreadable = learnerRowToIngestRow({ ...base, cmeCredits: '', birthMonth: '13' }, 7, [], { consent: null, creditsFromActivity: true });
    expect(unreadable).toMatchObject({ input: null, creditsFromActivity: true, parseProblems: [{ field: 'birthMonth' }] });
    expect(unreadable.parseProblems).toHaveLength(1);
    expect(takesCreditsFromActivity(new Set(['firstName', 'lastName', 'licenseNumber']))).toBe(true);
    expect(takesCreditsFromActivity(new Set(['firstName', 'mocCredits']))).toBe(false);
  });

  it('takes a state beside an NPI, and says a state alone lacks its license number, once', () => {
    expect(read({ licenseNumber: '', npi: '1234567893' })).toMatchObject({ parseProblems: [], input: { learner: { state: 'CA', licenseNumber: null, npi: '1234567893' } } });
    expect(read({ licenseNumber: '' }).parseProblems.map((problem) => problem.message)).toEqual([
      'License number is empty: write the number of the learner\'s license in that state, or give their NPI',
    ]);
  });

  it('says every problem of a row at once: the identifier, and a birthday no year has, beside other fields to correct', () => {
    const messagesOf = (overrides: Partial<typeof base>) => read(overrides).parseProblems.map((problem) => problem.message);
    // Corrected and sent again, the row would otherwise be rejected a second time, for what was not said the first.
    expect(messagesOf({ licenseNumber: '', firstName: '', birthMonth: '' })).toEqual([
      'First name is empty: write the learner\'s first name',
      'Birth month is empty: write the month the learner was born, 1 to 12 (learners are told apart by their birth month and day)',
      'License number is empty: write the number of the learner\'s license in that state, or give their NPI',
    ]);
    expect(messagesOf({ state: '', licenseNumber: '', lastName: '' })).toEqual([
      'Last name is empty: write the learner\'s last name',
      'Identify the learner by state and license number, NPI, or certifying board and board ID',
    ]);
    expect(messagesOf({ birthMonth: '2', birthDay: '30', firstName: '' })).toEqual(['First name is empty: write the learner\'s first name', 'Birth day: February has no day 30']);
    // A half of an identifier that is itself wrong is said alone: what it lacks depends on what it is.
    expect(messagesOf({ npi: '123', licenseNumber: '', firstName: '' })).toEqual(['First name is empty: write the learner\'s first name', 'NPI: "123" is not an NPI, which is 10 digits']);
  });

  it('says of a birth month past the 12th beside a day that could be the month that the two may be swapped', () => {
    const messagesOf = (birthMonth: string, birthDay: string) => read({ birthMonth, birthDay }).parseProblems.map((problem) => problem.message);
    expect(messagesOf('14', '3')).toEqual(['Birth month 14 is not a month (1 to 12): if it is the day, swap the Birth month and Birth day']);
    expect(messagesOf('14', '20')).toEqual(['Birth month 14 is not a month (1 to 12)']);
    expect(messagesOf('40', '3')).toEqual(['Birth month 40 is not a month (1 to 12)']);
  });

  it('says of the empty half of a license or board ID what goes in it', () => {
    const messagesOf = (values: Partial<typeof base>) => read(values).parseProblems.map((problem) => problem.message);
    expect(messagesOf({ state: '' })).toEqual(['License state is empty: write the two-letter code of the state that issued the license, such as CA']);
    expect(messagesOf({ board: 'ABIM', boardId: '' })).toEqual(['Board ID is empty: write the learner\'s ID at that certifying board, or leave the board empty']);
    expect(messagesOf({ board: '', boardId: '123456' })).toEqual(['Certifying board is empty: write the board that issued the Board ID, such as ABIM']);
    // A file with no License state column at all, whose NPI column let it in: its rows without an NPI say so.
    const row = learnerRowToIngestRow({ ...base, state: '', npi: '' }, 7, [], { consent: null, absentHalves: absentIdentifierHalves(new Set(['licenseNumber', 'npi'])) });
    expect(row.parseProblems.map((problem) => problem.message)).toEqual([
      'License state is not a column of the file: add one, and write in it the two-letter code of the state that issued the license, such as CA',
    ]);
    // A row of that file that gives its NPI is taken by it: its license number, whose state is nowhere, is left out.
    const byNpi = learnerRowToIngestRow({ ...base, state: '', npi: '1234567893' }, 7, [], { consent: null, absentHalves: absentIdentifierHalves(new Set(['licenseNumber', 'npi'])) });
    expect(byNpi).toMatchObject({ parseProblems: [], input: { learner: { npi: '1234567893', licenseNumber: null, state: null } } });
    expect(halfIdentifierNotices(new Set(['licenseNumber', 'npi']))).toEqual([
      expect.objectContaining({
        code: 'identifier_column_missing',
        message: 'The file has a "License number" column but no "License state": a license number is read with the state that issued it (its two-letter code, such as CA), so its rows that give no other identifier are rejected. Add a "License state" column.',
      }),
    ]);
    expect(halfIdentifierNotices(new Set(['licenseNumber', 'state', 'board', 'boardId']))).toEqual([]);
  });

  it('says a date written day first looks so, and how to write it', () => {
    expect(read({ completionDate: '30/06/2025' }).parseProblems.map((problem) => problem.message)).toEqual([
      'Completion date: "30/06/2025" looks like day/month/year, but dates written this way are read month first (MM/DD/YYYY); write 2025-06-30 (YYYY-MM-DD), and check the file\'s other dates, which were read month first. ' + wholeFileDayFirst,
    ]);
    // In the separator it was written with.
    expect(read({ completionDate: '21-11-2025' }).parseProblems.map((problem) => problem.message)).toEqual([
      'Completion date: "21-11-2025" looks like day-month-year, but dates written this way are read month first (MM-DD-YYYY); write 2025-11-21 (YYYY-MM-DD), and check the file\'s other dates, which were read month first. ' + wholeFileDayFirst,
    ]);
    // Read as a US date, 06/30/2025 is fine; 31/02/2025 is no date either way.
    expect(read({ completionDate: '06/30/2025' }).input?.completionDate).toBe('2025-06-30');
  });

  it('reads dates in the order the upload says, and says a date that reads only the other way', () => {
    const inOrder = (dateOrder: DateOrder, overrides: Partial<typeof base>) => learnerRowToIngestRow({ ...base, ...overrides }, 7, [], { consent: null, dateOrder });
    const messages = (row: IngestRow) => row.parseProblems.map((problem) => problem.message);
    expect(inOrder('day_first', { completionDate: '05/06/2025' }).input?.completionDate).toBe('2025-06-05');
    expect(inOrder('day_first', { completionDate: '30-06-25' }).input?.completionDate).toBe('2025-06-30');
    expect(inOrder('day_first', { completionDate: '05.06.2025' }).input?.completionDate).toBe('2025-06-05');
    // Dates that say which number is the month read as they always do.
    expect(inOrder('day_first', { completionDate: '2025-06-05' }).input?.completionDate).toBe('2025-06-05');
    expect(inOrder('day_first', { completionDate: 'Jun 5, 2025' }).input?.completionDate).toBe('2025-06-05');
    expect(messages(inOrder('day_first', { completionDate: '06/30/2025' }))).toEqual([
      'Completion date: "06/30/2025" looks like month/day/year, but this upload\'s dates are read day first (DD/MM/YYYY), as it was sent; write 2025-06-30 (YYYY-MM-DD)',
    ]);
    expect(messages(inOrder('day_first', { completionDate: 'soon' }))).toEqual(['Completion date: "soon" is not a date; write it as YYYY-MM-DD or DD/MM/YYYY']);
    const birthday = (dateOrder: DateOrder, dateOfBirth: string) => inOrder(dateOrder, { birthMonth: '', birthDay: '', dateOfBirth });
    expect(birthday('day_first', '14/03/1971').input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    expect(birthday('day_first', '05/06').input?.learner).toMatchObject({ birthMonth: 6, birthDay: 5 });
    const monthFirstBirthday = birthday('day_first', '03/14/1971');
    expect(messages(monthFirstBirthday)).toEqual(['Date of birth: it looks like month/day (03/14), but this upload\'s dates are read day first (DD/MM): write 14/03']);
    expect(JSON.stringify(monthFirstBirthday)).not.toContain('1971');
    // A date typed into Birth month where dates are written day first.
    expect(inOrder('day_first', { birthMonth: '14/3', birthDay: '' }).input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    // Month first, said so: dates with dots too, and a date that reads only day first is said to.
    expect(inOrder('month_first', { completionDate: '05.06.2025' }).input?.completionDate).toBe('2025-05-06');
    expect(messages(inOrder('month_first', { completionDate: '30/06/2025' }))).toEqual([
      'Completion date: "30/06/2025" looks like day/month/year, but this upload\'s dates are read month first (MM/DD/YYYY), as it was sent; write 2025-06-30 (YYYY-MM-DD)',
    ]);
  });

  it('tells a date of numbers that can only be read one way from one that reads both', () => {
    expect(['30/06/2026', '30-06-26', '13/1/2026 10:30', '14/03'].map(orderOf)).toEqual(['day_first', 'day_first', 'day_first', 'day_first']);
    expect(['06/30/2026', '1/13/26', '03/14'].map(orderOf)).toEqual(['month_first', 'month_first', 'month_first']);
    // Both ways; then no such date, or one read by its own form: dots, a year first, a month's name.
    expect(['05/06/2026', '11/11/2026', '1-2-26'].map(orderOf)).toEqual(['either', 'either', 'either']);
    expect(['32/01/2026', '13/13/2026', '31/02/2025', '02/30/2025', '31/04/2026', '30.06.2026', '2026/06/30', '30-Jun-26'].map(orderOf)).toEqual([null, null, null, null, null, null, null, null]);
  });

  it('reads a date with dots the one way its numbers allow, and none when both could be the month', () => {
    // Day first as a spreadsheet saved in Europe writes it, or month first as in the US.
    expect(read({ completionDate: '21.11.2025' }).input?.completionDate).toBe('2025-11-21');
    expect(read({ completionDate: '11.21.2025' }).input?.completionDate).toBe('2025-11-21');
    expect(read({ completionDate: '11.11.25' }).input?.completionDate).toBe('2025-11-11');
    // Neither June 5 nor May 6 is taken in on a guess.
    const ambiguous = read({ completionDate: '05.06.2025' });
    expect(ambiguous.input).toBeNull();
    expect(ambiguous.parseProblems.map((problem) => problem.message)).toEqual([
      'Completion date: "05.06.2025" may be June 5 (day first) or May 6 (month first), 2025: write it as YYYY-MM-DD (2025-06-05 for the first) or MM/DD/YYYY',
    ]);
    // Slashes are read month first, as in the US.
    expect(read({ completionDate: '05/06/2025' }).input?.completionDate).toBe('2025-05-06');
    // A date of birth likewise, never quoting its year.
    const fromDateOfBirth = (dateOfBirth: string) => read({ birthMonth: '', birthDay: '', dateOfBirth });
    expect(fromDateOfBirth('14.03.1971').input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    expect(fromDateOfBirth('03.14.1971').input?.learner).toMatchObject({ birthMonth: 3, birthDay: 14 });
    const ambiguousBirth = fromDateOfBirth('03.04.1971');
    expect(ambiguousBirth.parseProblems.map((problem) => problem.message)).toEqual([
      'Date of birth: 03.04 may be April 3 (day first) or March 4 (month first): write it as MM/DD (04/03 for the first)',
    ]);
    expect(JSON.stringify(ambiguousBirth)).not.toContain('1971');
  });

  it('says a number in the completion date is the day count of a date that lost its format, and which date', () => {
    expect(read({ completionDate: '46346' }).parseProblems.map((problem) => problem.message)).toEqual([
      'Completion date: "46346" is a number, not a date: the day count a spreadsheet keeps for 2026-11-20, shown as a number when the cell has no date format. Format the column as dates, or write the date as YYYY-MM-DD',
    ]);
    // A date and time: the time is the fraction.
    expect(read({ completionDate: '45838.5' }).parseProblems.map((problem) => problem.message)).toEqual([expect.stringContaining('the day count a spreadsheet keeps for 2025-06-30')]);
    expect(read({ completionDate: '2025' }).parseProblems.map((problem) => problem.message)).toEqual(['Completion date: "2025" is not a date; write it as YYYY-MM-DD or MM/DD/YYYY']);
  });

  it('keeps a completion date without a year for its activity to tell, of a row rejected for another value too', () => {
    for (const written of ['Nov 20', '20-Nov', 'November 20th', '11/20']) {
      const row = read({ completionDate: written });
      expect(row.parseProblems, written).toEqual([]);
      expect(row.completionDateWithoutYear, written).toEqual({ written, monthDay: { month: 11, day: 20 } });
      // Rejected for its NPI, the row keeps no date it did not give: its activity is to tell the year all the same.
      const rejected = read({ completionDate: written, npi: '123' });
      expect(rejected.parseProblems.map((problem) => problem.field)).toEqual(['npi']);
      expect(rejected.readable?.completionDate).toBeNull();
      expect(rejected.completionDateWithoutYear?.monthDay).toEqual({ month: 11, day: 20 });
    }
    // Day first, as the upload says its dates are written.
    const dayFirst = learnerRowToIngestRow({ ...base, completionDate: '20/11' }, 7, [], { consent: null, dateOrder: 'day_first' });
    expect(dayFirst.completionDateWithoutYear?.monthDay).toEqual({ month: 11, day: 20 });
    // A day no year has is no date at all.
    expect(read({ completionDate: '11/31' }).parseProblems.map((problem) => problem.message)).toEqual(['Completion date: "11/31" is not a date; write it as YYYY-MM-DD or MM/DD/YYYY']);
    expect(read({ completionDate: '2/29' }).completionDateWithoutYear?.monthDay).toEqual({ month: 2, day: 29 });
  });

  it('quotes a note pasted in place of a value cut short, so that the message still says what to fix', () => {
    const note = 'Attended the morning session only; left at noon for a surgery, see the sign-in sheet. '.repeat(40);
    const [completion, day, consent] = [{ completionDate: note }, { birthDay: note }, { consent: note }].map((values) => read(values).parseProblems.map((problem) => problem.message)[0]);
    expect(completion).toBe(`Completion date: "${note.slice(0, 99)}…" is not a date; write it as YYYY-MM-DD or MM/DD/YYYY`);
    expect(day).toBe(`Birth day: "${note.slice(0, 99)}…" is not a day (1 to 31)`);
    expect(consent).toMatch(/^Consent: ".{99}…" is not one of Written, Implied, No\./);
  });

  it('reads credits typed as a time (1:30), in a cell formatted as one or written so, as hours', () => {
    const credits = (cmeCredits: string) => read({ cmeCredits });
    // 1:30 typed into a cell formatted h:mm or [h]:mm, as the workbook keeps it.
    expect(credits('1899-12-30T01:30:00')).toMatchObject({ parseProblems: [], input: { credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }] } });
    expect(credits('0:45')).toMatchObject({ parseProblems: [], input: { credits: [{ type: 'AMA_PRA_CAT1', amount: 0.75 }] } });
    expect(credits('2:00:00')).toMatchObject({ parseProblems: [], input: { credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }] } });
    expect(credits('1899-12-30T01:20:00').parseProblems.map((problem) => problem.message)).toEqual([
      'AMA PRA Category 1 credits: "1:20" is a time: credits are hours, in steps of 0.25 (15 minutes): 1.25 or 1.5',
    ]);
  });

  it('says a credit written in minutes is a time, and the hours to write', () => {
    const messageOf = (cmeCredits: string) => read({ cmeCredits }).parseProblems.map((problem) => problem.message);
    expect(messageOf('90 min')).toEqual(['AMA PRA Category 1 credits: "90 min" is a time in minutes: credits are hours, so write 1.5']);
    expect(messageOf('1 hour 30 minutes')).toEqual(['AMA PRA Category 1 credits: "1 hour 30 minutes" is a time in minutes: credits are hours, so write 1.5']);
    expect(messageOf('50 minutes')).toEqual(['AMA PRA Category 1 credits: "50 minutes" is a time in minutes: credits are hours, in steps of 0.25 (15 minutes): 0.75 or 1']);
    expect(messageOf('lots')).toEqual(['AMA PRA Category 1 credits: "lots" is not a number of credits (such as 1.5)']);
    expect(messageOf('-2')).toEqual(['AMA PRA Category 1 credits: "-2" is below zero: write the credits the learner earned, such as 1.5']);
  });

  it('reads the halves and quarters of an hour a hand-filled sheet writes as fractions', () => {
    expect(creditAmount('1 1/2')).toBe(1.5);
    expect(creditAmount('2-1/4')).toBe(2.25);
    expect(creditAmount('3/4')).toBe(0.75);
    expect(creditAmount('1½')).toBe(1.5);
    expect(creditAmount('1 ¾ hrs')).toBe(1.75);
    expect(creditAmount('½')).toBe(0.5);
    // Eleven halves, or one and a half with its space lost: neither is read, so that no row gets the wrong credits.
    expect(creditAmount('11/2')).toBeNull();
    // A third is no step of a credit; said as any value that is not a number of credits.
    expect(creditAmount('1 1/3')).toBeNull();
    expect(read({ cmeCredits: '1 1/2' })).toMatchObject({ parseProblems: [], input: { credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }] } });
  });

  it('says a row with nothing of a learner\'s completion (a total under the rows) is not one, rather than listing every value it lacks', () => {
    const empty = Object.fromEntries(Object.keys(base).map((name) => [name, '']));
    const total = learnerRowToIngestRow({ ...empty, reference: 'Total', cmeCredits: '10', consent: 'Written' }, 9, [], { consent: 'written' });
    // Nothing of it is kept: it has nothing to correct.
    expect(total).toEqual({
      rowNumber: 9,
      input: null,
      keepNothing: true,
      parseProblems: [
        {
          code: 'not_a_completion',
          field: 'row',
          row: 9,
          message:
            'The row has no activity, completion date, name or identifier of a learner, so it is not a completion (a total or a note?): delete it from the file. If it is a completion, fill in the activity, the date and the learner',
        },
      ],
    });
    // "Total" written in the name column, as the first column of a sheet made by hand, names no learner either.
    for (const label of ['Total', 'Grand total:', 'TOTALS', 'Total: 4', 'Total attendees: 12', 'Count 31']) {
      expect(learnerRowToIngestRow({ ...empty, fullName: label, cmeCredits: '10' }, 9, [], { consent: 'written' })).toMatchObject({ keepNothing: true, parseProblems: [{ code: 'not_a_completion' }] });
    }
    expect(learnerRowToIngestRow({ ...empty, lastName: 'Total', activityId: '100000017' }, 9, [], { consent: 'written' }).keepNothing).toBeUndefined();
    // One value of a completion is enough for the row to be read as one, each missing value named.
    expect(learnerRowToIngestRow({ ...empty, lastName: 'Lee' }, 9, [], { consent: 'written' }).parseProblems.map((problem) => problem.field)).toContain('activityId');
  });

  it('reads the credits under the headings a sign-in form gives its hours', () => {
    const index = indexHeadings(LEARNER_FILE_COLUMNS);
    for (const heading of ['Hours attended', 'Hours earned', 'CME hours earned', 'Number of hours']) {
      const header = matchHeader(['Name', 'DOB', 'NPI', heading], 1, LEARNER_FILE_COLUMNS, index);
      expect(header.columns.find((column) => column.heading === heading)?.name, heading).toBe('cmeCredits');
    }
  });

  it('reads the day of the session under the headings a sign-in sheet or an event gives it, and not a registration\'s or an order\'s', () => {
    const index = indexHeadings(LEARNER_FILE_COLUMNS);
    const readAs = (heading: string) => matchHeader(['Name', 'DOB', 'NPI', heading], 1, LEARNER_FILE_COLUMNS, index).columns.find((column) => column.heading === heading)?.name ?? null;
    for (const heading of ['Grand Rounds Date', 'Date of Session', 'Date of the webinar', 'Conference date', 'Lecture Date', 'Course date']) {
      expect(readAs(heading), heading).toBe('completionDate');
    }
    for (const heading of ['Registration date', 'Order Date', 'Date of birth', 'Session start time']) {
      expect(readAs(heading), heading).not.toBe('completionDate');
    }
  });

  it('reads the column that names a value exactly over a loose heading beside it, wherever each is, and says which is not read', () => {
    const index = indexHeadings(LEARNER_FILE_COLUMNS);
    // A learning system's export: the learner's mailing address, then the license, then the hours attended and the credits awarded.
    const headings = ['Name', 'DOB', 'Course ID', 'Completion date', 'City', 'State', 'Zip', 'License state', 'License number', 'Hours attended', 'Credits awarded'];
    const header = matchHeader(headings, 1, LEARNER_FILE_COLUMNS, index);
    const readAs = (heading: string) => header.columns.find((column) => column.heading === heading)?.name;
    expect(readAs('License state')).toBe('state');
    expect(readAs('State')).toBeNull();
    expect(readAs('Credits awarded')).toBe('cmeCredits');
    expect(readAs('Hours attended')).toBeNull();
    expect(header.problems.filter((problem) => problem.code === 'duplicate_column').map((problem) => problem.message)).toEqual([
      'Column "State" is not read as "License state": the file\'s column "License state" is.',
      'Column "Hours attended" is not read as "AMA PRA Category 1 credits": the file\'s column "Credits awarded" is.',
    ]);
    // Alone, each loose heading is read, as on a sign-in sheet.
    const signIn = matchHeader(['Name', 'DOB', 'State', 'License', 'Hours'], 1, LEARNER_FILE_COLUMNS, index);
    expect(signIn.columns.map((column) => column.name)).toEqual(['fullName', 'dateOfBirth', 'state', 'licenseNumber', 'cmeCredits']);
    // Two headings that name a value alike: the first is read.
    const twice = matchHeader(['Name', 'DOB', 'Credits earned', 'Credits awarded'], 1, LEARNER_FILE_COLUMNS, index);
    expect(twice.columns.map((column) => column.name)).toEqual(['fullName', 'dateOfBirth', 'cmeCredits', null]);
    expect(twice.problems.find((problem) => problem.code === 'duplicate_column')?.message).toBe('Column "Credits awarded" repeats "AMA PRA Category 1 credits"; only the first one is read.');
  });

  it('reads an attendance column as registration and attendance systems write it, and never a refusal as attendance', () => {
    for (const written of ['Yes', 'TRUE', 'x', 'P', 'Attended', 'Checked In', 'Checked-In', 'Present', 'I attest that I attended this activity', 'Yes, I attended the whole session', 'Checked in 12:05 PM']) {
      expect(attendanceOf(written), written).toBe('attended');
    }
    for (const written of ['No', 'FALSE', 'A', 'Absent', 'No Show', 'Not Attending', 'Did not attend', 'Cancelled', 'Refunded/Canceled', 'Declined', 'Yes, but left before the session began: not attended', 'I did not attend']) {
      expect(attendanceOf(written), written).toBe('absent');
    }
    for (const written of ['Attending', 'Registered', 'Confirmed', 'Accepted']) expect(attendanceOf(written), written).toBe('registered');
    expect(attendanceOf('')).toBe('empty');
    expect(attendanceOf('In person')).toBe('unreadable');
    // Headings that say whether someone attended; not the hours or date attended, an attendee's details, an attending physician.
    const index = indexHeadings(learnerFileColumns({ activityId: null, completionDate: null }));
    const readAs = (heading: string) => matchHeader([heading], 1, LEARNER_FILE_COLUMNS, index).columns[0].name;
    for (const heading of ['Attended', 'Attended?', 'Attendee Status', 'Checked In', 'Check-in status', 'I attest that I attended this activity', 'Did you attend the entire session?']) expect(readAs(heading), heading).toBe('attended');
    for (const heading of ['Registration Status', 'Order Status', 'RSVP']) expect(readAs(heading), heading).toBe('registrationStatus');
    expect(readAs('Hours attended')).toBe('cmeCredits');
    expect(readAs('Date attended')).toBe('completionDate');
    expect(readAs('Attended on')).toBe('completionDate');
    for (const heading of ['Attendee Email', 'Attending physician', 'Attendance type', 'Time in Session (minutes)', 'Check-in time']) expect(readAs(heading), heading).toBeNull();
  });

  it('reads a form\'s answer to its consent question, and never a refusal as consent', () => {
    const consentOf = (consent: string, given: 'written' | null = 'written') => {
      const row = read({ consent }, given);
      return row.input?.consent ?? row.parseProblems.map((problem) => problem.code).join();
    };
    expect(consentOf('Yes, I consent')).toBe('written');
    expect(consentOf('Yes - I agree to my attendance being reported')).toBe('written');
    expect(consentOf('I agree')).toBe('written');
    expect(consentOf('Agree')).toBe('written');
    expect(consentOf('Disagree')).toBe('invalid');
    expect(consentOf('Written consent on file', null)).toBe('written');
    expect(consentOf('Implied consent', 'written')).toBe('implied');
    expect(consentOf('No, I do not consent')).toBe('consent_declined');
    expect(consentOf('I do not agree')).toBe('consent_declined');
    expect(consentOf('I don’t consent')).toBe('consent_declined');
    // Agreement with a word of refusal in it is not read either way: the sender says which.
    expect(consentOf('Yes, but do not report to the board')).toBe('invalid');
    expect(consentOf('I agree, not to the ABIM')).toBe('invalid');
    expect(consentOf('Written consent withdrawn')).toBe('invalid');
    // Without the upload's consent, "Yes, I consent" says the learner agreed but not how, as "Yes" does.
    expect(consentOf('Yes, I consent', null)).toBe(consentOf('Yes', null));
  });

  it('takes the consent of the upload for rows without one, and refuses "No", saying the learner did not consent and nothing is kept', () => {
    expect(read({ consent: '' }, 'implied').input?.consent).toBe('implied');
    expect(read({ consent: 'Implied' }, 'written').input?.consent).toBe('implied');
    // Nothing of the row is kept, so none of its other values is read.
    const declined = read({ consent: 'No', completionDate: 'soon' }, 'written');
    expect(declined).toMatchObject({ input: null, keepNothing: true });
    expect(declined.readable).toBeUndefined();
    expect(declined.parseProblems).toEqual([
      {
        code: 'consent_declined',
        field: 'consent',
        row: 7,
        message:
          'Consent: the learner did not consent to be reported ("No"), so nothing of this row is kept. If they did consent, write Written or Implied and send the row again',
      },
    ]);
  });

  it('reports only its own problem for a row the reader could not split into its columns', () => {
    const tooMany = { code: 'too_many_values', row: 7, message: 'The row has 13 values but the header has 12 columns; check for a separator inside a value that should be in quotes.' };
    // Shifted by one column, the values would also be a bad birth month, a bad date, a missing name...
    const row = learnerRowToIngestRow({ ...base, completionDate: 'Nov 19', birthMonth: 'Date', lastName: '' }, 7, [tooMany], { consent: 'written' });
    expect(row).toEqual({ rowNumber: 7, input: null, parseProblems: [tooMany] });
  });

  it('says what to write when the consent is neither Written, Implied nor No, rather than calling it missing', () => {
    const row = read({ consent: 'Maybe' }, 'written');
    expect(row.parseProblems).toEqual([
      expect.objectContaining({
        code: 'invalid',
        field: 'consent',
        row: 7,
        message: expect.stringMatching(/^Consent: "Maybe" is not one of Written, Implied, No\. Write Written or Implied/),
      }),
    ]);
  });

  it('takes "Yes" as the consent given for the whole upload, and without one asks which kind it is', () => {
    expect(read({ consent: 'Yes' }, 'written')).toMatchObject({ parseProblems: [], input: { consent: 'written' } });
    expect(read({ consent: 'y' }, 'implied')).toMatchObject({ parseProblems: [], input: { consent: 'implied' } });
    expect(read({ consent: 'X' }, 'implied')).toMatchObject({ parseProblems: [], input: { consent: 'implied' } });
    // A box ticked on a paper sheet, typed up as the mark.
    for (const tick of ['✓', '✔', '☑']) expect(read({ consent: tick }, 'written'), tick).toMatchObject({ parseProblems: [], input: { consent: 'written' } });
    expect(read({ consent: 'Yes' }).parseProblems).toEqual([
      expect.objectContaining({
        field: 'consent',
        message: 'Consent: "Yes" says the learner agreed to be reported, but not how: write Written or Implied, or send consent=written or consent=implied with the file (the consent choice on the Uploads page, --consent on the command line), which rows saying Yes then take',
      }),
    ]);
    expect(read({ consent: 'False' }, 'written')).toMatchObject({ input: null, keepNothing: true, parseProblems: [expect.objectContaining({ code: 'consent_declined' })] });
  });

  it('splits a whole name in one column, written first name first or last name first, without titles and credentials', () => {
    const named = (fullName: string) => read({ firstName: '', lastName: '', fullName } as Partial<typeof base>);
    expect(named('Ann Lee')).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
    expect(named('Lee, Ann M.')).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
    expect(named('Dr. Ana de la Cruz, MD')).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ana', lastName: 'de la Cruz' } } });
    expect(named('Jim Okafor Jr., DO')).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Jim', lastName: 'Okafor Jr.' } } });
    // One word is no first and last name: the row says so of the Name column, not of columns it does not have.
    expect(named('Madonna').parseProblems).toEqual([
      { code: 'invalid', field: 'fullName', row: 7, message: 'Name: "Madonna" is not a first and a last name: write both, such as Maria Lopez or Lopez, Maria' },
    ]);
    // First and last name columns, where the file has them, are read as written.
    expect(read({ fullName: 'Someone Else' } as Partial<typeof base>)).toMatchObject({ input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
    // "Name" and "Surname", as many forms have them: the name is the given name; or the whole name, "Surname" repeating its part.
    expect(read({ firstName: '', fullName: 'Ann' } as Partial<typeof base>)).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
    expect(read({ firstName: '', fullName: 'Ann Lee' } as Partial<typeof base>)).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
    expect(read({ lastName: '', fullName: 'Lee' } as Partial<typeof base>)).toMatchObject({ parseProblems: [], input: { learner: { firstName: 'Ann', lastName: 'Lee' } } });
  });

  it('takes the activity by its title where the row has no activity ID', () => {
    expect(read({ activityId: '', activityTitle: 'Sepsis update' } as Partial<typeof base>).input?.activityId).toBe('Sepsis update');
    expect(read({ activityTitle: 'Sepsis update' } as Partial<typeof base>).input?.activityId).toBe(base.activityId);
  });

  it('reads a state by its name and an NPI with spaces', () => {
    const row = read({ state: 'California', npi: '1234 567893' });
    expect(row.input?.learner).toMatchObject({ state: 'CA', npi: '1234567893' });
    // As a form's drop-down writes it: the code and the name together, when they agree.
    for (const state of ['CA - California', 'California (CA)', 'state of california', 'C.A.', 'ca: California', 'Calif.', 'Calif', 'cal.']) {
      expect(read({ state }).input?.learner.state, state).toBe('CA');
    }
    // As newspapers and older forms abbreviate a state's name.
    expect(['Mass.', 'Wash', 'W. Va.', 'Tenn.', 'N. Mex.'].map((state) => read({ state }).input?.learner.state)).toEqual(['MA', 'WA', 'WV', 'TN', 'NM']);
    expect(read({ state: 'CA - Nevada' }).parseProblems.map((problem) => problem.field)).toEqual(['state']);
  });

  it('reads an NPI exported as a decimal number, and says what was sent when it is no NPI', () => {
    expect(read({ npi: '1234567893.0' }).input?.learner.npi).toBe('1234567893');
    // With its label before it, as a form's answer or a note copied into the cell has it.
    for (const npi of ['NPI: 1234567893', 'NPI #1234-567-893', 'npi 1234567893', 'NPI No. 1234567893']) expect(read({ npi }).input?.learner.npi, npi).toBe('1234567893');
    expect(read({ npi: '1.23457E+09' }).parseProblems.map((problem) => problem.message)).toEqual(['NPI: "1.23457E+09" is not an NPI, which is 10 digits']);
    expect(read({ npi: '12345' }).parseProblems.map((problem) => problem.message)).toEqual(['NPI: "12345" is not an NPI, which is 10 digits']);
  });

  describe('what a file\'s header needs for any row to be taken', () => {
    const complete = ['activityId', 'completionDate', 'firstName', 'lastName', 'birthMonth', 'birthDay', 'state', 'licenseNumber', 'consent'];
    const without = (...names: string[]) => new Set(complete.filter((name) => !names.includes(name)));
    const messages = (columns: Set<string>, consent: 'written' | 'implied' | null = null) => learnerHeaderProblems(columns, { consent }).map((problem) => problem.message);

    it('takes a header with birth month and day, an identifier and consent', () => {
      expect(messages(new Set(complete))).toEqual([]);
      expect(messages(new Set([...without('birthMonth', 'birthDay', 'state', 'licenseNumber'), 'dateOfBirth', 'npi']))).toEqual([]);
      expect(messages(new Set([...without('state', 'licenseNumber'), 'board', 'boardId']))).toEqual([]);
      // Consent given for the whole upload stands for a Consent column.
      expect(messages(without('consent'), 'implied')).toEqual([]);
    });

    it('names the birth columns that are missing', () => {
      expect(messages(without('birthMonth', 'birthDay'))).toEqual([
        'The file has no "Birth month" and "Birth day" columns. Learners are identified by their birth month and day: add "Birth month" and "Birth day", or one "Date of birth" column (MM/DD).',
      ]);
      expect(learnerHeaderProblems(without('birthDay'), { consent: null })).toEqual([
        expect.objectContaining({ code: 'missing_column', field: 'birthDay', message: expect.stringMatching(/^The file has no "Birth day" column\./) }),
      ]);
    });

    it('says which identifier columns would do, and what half of one is there', () => {
      expect(messages(without('state', 'licenseNumber'))).toEqual([
        'The file has no columns that identify the learner. Add "License state" and "License number", or "NPI", or "Certifying board" and "Board ID": each row needs one of them.',
      ]);
      expect(messages(without('state'))).toEqual([
        'The file has no columns that identify the learner. It has "License number" but no "License state". Add "License state" and "License number", or "NPI", or "Certifying board" and "Board ID": each row needs one of them.',
      ]);
    });

    it('asks for consent when the file has no Consent column and the upload gave none', () => {
      expect(learnerHeaderProblems(without('consent'), { consent: null })).toEqual([
        {
          code: 'consent_required',
          field: 'consent',
          message:
            'The file has no "Consent" column and no consent was given for the upload, so every row would be refused. Add a "Consent" column saying Written or Implied for each learner, or send consent=written or consent=implied with the file (the consent choice on the Uploads page, --consent on the command line).',
        },
      ]);
    });
  });
});
