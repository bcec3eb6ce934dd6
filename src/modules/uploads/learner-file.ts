// One row of a learner file (CSV or XLSX) as a learner report input: a row is one completion and may carry
// several credit lines (CME, MOC, another credit type), as the PARS spreadsheet does; what does not fit is a
// problem of the row, named by its column. Pure: no I/O.

import { headerRepeatedCode, lineOfTextCode } from '../../files/tabular-rows.ts';
import type { Problem } from '../../http/errors.ts';
import { birthDateForm, calendarDate, completionDateMessage, dayOfYear, monthDayWithoutYear, wholeNumber } from '../../files/written-dates.ts';
import { isIsoDate } from '../activities/dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import { onlySwappedIsBirthday } from '../matching/birth-dates.ts';
import { stateCode } from '../reference/jurisdictions.ts';
import { parseReportInput, readablePart } from '../reports/report-input.ts';
import type { ReportCandidate } from '../reports/report-input.ts';
import { reportIssueCode } from '../reports/reports.schemas.ts';
import type { IngestRow } from '../reports/use-cases/ingest-learner-reports.ts';
import { charactersPast, lengthPastMessage, quoted } from '../../words.ts';
import {
  ATTENDANCE_COLUMNS,
  ISSUER_NAMED_COLUMNS,
  CONSENT_CHOICES,
  howToGiveUploadConsent,
  labelOf,
  LEARNER_FILE_COLUMNS,
  REFERENCE_MAX,
  standInColumns,
} from './learner-columns.ts';
import type { LearnerColumn, LearnerRecord, StandIn, UploadConsent } from './learner-columns.ts';
import {
  attendanceOf,
  birthMonthDay,
  consentOf,
  creditLines,
  declinedConsent,
  identifierOf,
  learnerNames,
  npiOf,
  unreadableConsent,
  unstatedKindOfConsent,
} from './learner-values.ts';
import type { BirthMonthDay, LearnerNames } from './learner-values.ts';

/** The columns of which a learner's completion has at least one; a row without any is something else. */
const completionColumns = ['activityId', 'activityTitle', 'completionDate', 'firstName', 'middleName', 'lastName', 'fullName', 'birthMonth', 'birthDay', 'dateOfBirth', 'licenseNumber', 'npi', 'boardId'];

const notACompletion = 'not_a_completion';
/**
 * What a sheet made by hand writes in its first column beside a sum under the learners, or as the sum itself
 * ("Total", "Grand total:", "Total: 4", "Total attendees: 12").
 */
const totalLabel = /^\s*(?:grand\s+|sub\s*)?(?:totals?|sum|count)(?:\s+[a-z]+)?\s*:?\s*\d*\s*$/i;
const notACompletionMessage =
  'The row has no activity, completion date, name or identifier of a learner, so it is not a completion (a total or a note?): delete it from the file. If it is a completion, fill in the activity, the date and the learner';

const lineOfTextMessage =
  'The row is a line of text without a separator (a title or a note, or a line a program writes under its rows, such as "(2 rows affected)" or "Grand Totals (2 records)"), so it is not a completion, and nothing of it is kept: delete it from the file. If it is a learner\'s row, separate its values as the header row\'s are';

/** The problem code of a row whose learner did not consent to be reported: nothing of it is kept, and it has nothing to fix. */
export const consentDeclined = 'consent_declined';

/**
 * The problem code of a registrant the file does not show to have attended (an "Attended" column saying No or
 * nothing, a ticket not checked in, a registration cancelled): no completion, nothing of it kept, no credit given.
 */
export const notAttended = 'not_attended';

/**
 * The problem code of a row holding a value the database refuses even in its receipt line: nothing of it is kept
 * but its row number, so it is corrected in the sender's own file.
 */
export const rowNotStored = 'row_not_stored';

/**
 * The problem codes of rows that are no completion to report: a learner who did not consent, a registrant who did
 * not attend, a total or the header again. Nothing is to correct, nor to send again.
 */
export const noCompletionCodes: readonly string[] = [consentDeclined, notAttended, notACompletion, headerRepeatedCode];

/**
 * The problem codes of rows of which nothing is kept: those that are no completion (`noCompletionCodes`), and a row
 * the database refused whole, which has nothing kept to correct. Each such row has that one problem. Kept, they
 * would be reports to fix with no learner, and the same total in next month's file would be "sent before, still to fix".
 */
export const rowsNotKeptCodes: readonly string[] = [...noCompletionCodes, rowNotStored];

/**
 * The activity (its hub ID) and completion date (YYYY-MM-DD) an upload gives the rows that name none: a
 * sign-in sheet for one session, which lists learners only.
 */
export type ActivityAndDateForRows = { activityId: string | null; completionDate: string | null };

/**
 * What a row takes that the file has no column for: the consent chosen for the upload, and, in a file with no
 * credits column at all (a sign-in sheet), the AMA PRA Category 1 credits its activity designates.
 */
export type FileDefaults = {
  consent: UploadConsent;
  creditsFromActivity?: boolean;
  /** The order the upload says its dates of numbers are written in; unsaid, as `calendarDate` reads them. */
  dateOrder?: DateOrder | null;
  /** The columns the file has only in place of the template's (`standInsOf`): a cell of one left empty is its own. */
  standIns?: ReadonlySet<StandIn>;
  /** The half of an identifier's columns the file lacks, beside the other half (`absentIdentifierHalves`). */
  absentHalves?: ReadonlySet<string>;
  /**
   * Given when the file has a column that says whether a registrant attended (`ATTENDANCE_COLUMNS`); `attended` when
   * one is an Attended column, rather than a registration's status alone.
   */
  attendance?: { attended: boolean };
};

/** Learner report input fields (as zod reports them) and the column that carries each. */
const fieldColumns: Record<string, string> = {
  activityId: 'activityId',
  completionDate: 'completionDate',
  'learner.firstName': 'firstName',
  'learner.lastName': 'lastName',
  'learner.birthMonth': 'birthMonth',
  'learner.birthDay': 'birthDay',
  'learner.state': 'state',
  'learner.licenseNumber': 'licenseNumber',
  'learner.npi': 'npi',
  'learner.board': 'board',
  'learner.boardId': 'boardId',
  credits: 'cmeCredits',
  consent: 'consent',
  creditId: 'creditId',
};

/**
 * One row of a learner file as a report input for learner reporting. Values are read the way people
 * write them (M/D/YYYY dates, state names, "1,5" credits); what still does not fit is a problem of the
 * row, named by column, and the row is kept as rejected. `issuerNamedProblems`: what of the row's issuer-named
 * columns could not be read (`withIssuerNamedColumns`), said beside its credits' problems.
 */
export function learnerRowToIngestRow(record: LearnerRecord, rowNumber: number, rowProblems: Problem[], defaults: FileDefaults, issuerNamedProblems: Problem[] = []): IngestRow {
  // A row the reader could not split into its columns (too many values, an unclosed quote) has its values in the
  // wrong columns or none: what each column would say of them is noise around the one thing to fix.
  if (rowProblems.length > 0) {
    // A line of text among the rows (a note, a count of rows a program writes under them) holds no completion either.
    if (rowProblems.some((problem) => problem.code === lineOfTextCode)) {
      return { rowNumber, input: null, keepNothing: true, parseProblems: [{ code: notACompletion, field: 'row', row: rowNumber, message: lineOfTextMessage }] };
    }
    // The header again holds no completion: nothing of it is kept.
    const keepNothing = rowProblems.some((problem) => problem.code === headerRepeatedCode);
    return { rowNumber, input: null, parseProblems: rowProblems, ...(keepNothing ? { keepNothing } : {}) };
  }
  // A total or a note under the learners names no completion: each missing value said on its own would bury that.
  if (holdsNoCompletion(record)) {
    return { rowNumber, input: null, keepNothing: true, parseProblems: [{ code: notACompletion, field: 'row', row: rowNumber, message: notACompletionMessage }] };
  }
  // A registrant the file does not show to have attended completed nothing: no credit, nothing of the row kept.
  const absence = defaults.attendance && notShownAttending(record, defaults.attendance);
  if (absence) return { rowNumber, input: null, keepNothing: true, parseProblems: [{ code: notAttended, field: absence.field, row: rowNumber, message: absence.message }] };
  const consent = consentOf(record.consent, defaults.consent);
  // A learner who did not agree to be reported is not: nothing of the row is kept, so nothing else of it matters.
  if (consent === declinedConsent) {
    const message = `Consent: the learner did not consent to be reported (${quoted(record.consent.trim())}), so nothing of this row is kept. If they did consent, write Written or Implied and send the row again`;
    return { rowNumber, input: null, keepNothing: true, parseProblems: [{ code: consentDeclined, field: 'consent', row: rowNumber, message }] };
  }
  const problems: Problem[] = [];
  const problem = (field: string, code: string, message: string) => {
    const label = labelOf.get(field);
    // The schema's own messages may name the column already ("Birth month is 1 to 12"); some are about no one column.
    const named = !label || message.toLowerCase().startsWith(label.toLowerCase());
    problems.push({ code, field, row: rowNumber, message: named ? message : `${label}: ${message}` });
  };

  const standIns = defaults.standIns ?? noStandIns;
  const birth = birthMonthDay(record, defaults.dateOrder, standIns.has('dateOfBirth'));
  if (birth.problem) problem(birth.problem.field, 'invalid', birth.problem.message);
  const names = learnerNames(record, standIns.has('fullName'));
  if (names.problem) problem(names.problem.field, 'invalid', names.problem.message);
  const referenceLength = charactersPast(record.reference ?? '', REFERENCE_MAX);
  if (referenceLength !== null) {
    problem('reference', 'too_big', `${lengthPastMessage('Reference', REFERENCE_MAX, referenceLength)}: write your own short reference for the row, such as a registration number`);
  }
  const problemsBeforeCredits = problems.length;
  // Without a credits column, the credits are the activity's, given once the activity is known.
  const credits = defaults.creditsFromActivity ? [] : creditLines(record, problem);
  problems.push(...issuerNamedProblems.map((named) => ({ ...named, row: rowNumber })));
  const creditUnreadable = problems.length > problemsBeforeCredits;
  if (consent === unreadableConsent) {
    problem(
      'consent',
      'invalid',
      `${quoted(record.consent.trim())} is not one of ${CONSENT_CHOICES.join(', ')}. Write Written or Implied for a learner who agreed to be reported, or leave it empty for the consent chosen for the whole upload`,
    );
  }
  if (consent === unstatedKindOfConsent) {
    problem(
      'consent',
      'invalid',
      `${quoted(record.consent.trim())} says the learner agreed to be reported, but not how: write Written or Implied, or ${howToGiveUploadConsent}, which rows saying Yes then take`,
    );
  }

  // Half of an identifier whose other half the file has no column for identifies no one: a row that gives another
  // identifier is taken by that, as the upload's notes say; a row that gives none is told the column to add.
  const npi = npiOf(record.npi);
  const halfAbsent = (half: string) =>
    Boolean(defaults.absentHalves?.has(half) && !record[half]?.trim() && (npi || (record.board && record.boardId) || (record.state && record.licenseNumber)));
  const completionDate = calendarDate(record.completionDate, defaults.dateOrder);
  const writtenDate = (record.completionDate ?? '').trim();
  const monthDay = isIsoDate(completionDate) ? null : monthDayWithoutYear(writtenDate, defaults.dateOrder);
  const candidate: ReportCandidate = {
    activityId: activityOf(record),
    // A date without its year stands in as one of a leap year (February 29 is a day) until its activity tells the year.
    completionDate: monthDay ? dayOfYear(2000, monthDay) : completionDate,
    learner: {
      firstName: names.firstName,
      lastName: names.lastName,
      birthMonth: birth.month,
      birthDay: birth.day,
      state: stateCode(record.state),
      licenseNumber: halfAbsent('state') ? null : identifierOf(record.licenseNumber) || null,
      npi,
      // A board with no board ID, beside a MOC credit type, names the MOC type's board, not the learner's.
      board: record.board && (record.boardId || !record.mocCreditType) ? record.board : null,
      boardId: halfAbsent('board') ? null : identifierOf(record.boardId) || null,
    },
    credits,
    consent: consent === unreadableConsent || consent === unstatedKindOfConsent ? null : consent,
    creditId: record.creditId || null,
  };
  const parsed = parseReportInput(candidate, { creditsFromActivity: defaults.creditsFromActivity });
  let creditsSaid = creditUnreadable;
  if (!parsed.success) {
    // A column that could not be read already says why; the schema finding it empty would say it twice.
    const fieldsUnread = new Set(problems.map((known) => known.field));
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const noCredits = issue.code === 'too_small' && path === 'credits';
      // A credit that could not be read already says why the row has no credit line.
      if (creditUnreadable && noCredits) continue;
      if (noCredits) {
        problem('cmeCredits', reportIssueCode(issue), blankMessages.cmeCredits);
        creditsSaid = true;
        continue;
      }
      const column = fieldColumns[path] ?? fieldColumns[issue.path.slice(0, 2).join('.')] ?? fieldColumns[String(issue.path[0])] ?? path;
      // Birth month and day read from a date of birth are that column's, names split from a whole name its: the file may have no other.
      const field = standInFor(column, birth, names, record, standIns);
      if (fieldsUnread.has(field)) continue;
      // An empty cell is a kind of its own ("Completion date missing"), apart from a value that cannot be read.
      const code = isBlank(issue.code, field, record) ? 'required' : reportIssueCode(issue);
      problem(field, code, fileMessage(issue.code, issue.message, field, record, defaults));
      if (standInColumns.has(field)) fieldsUnread.add(field);
    }
  }
  const fromActivity = defaults.creditsFromActivity ? { creditsFromActivity: true } : {};
  const withoutYear = monthDay ? { completionDateWithoutYear: { written: writtenDate, monthDay, order: defaults.dateOrder } } : {};
  if (parsed.success) return { rowNumber, input: parsed.data, parseProblems: problems, ...fromActivity, ...withoutYear };
  // A row rejected for its other values keeps no stand-in date: the day its activity tells, if any, is its date.
  const readable = readablePart(monthDay ? { ...candidate, completionDate: writtenDate } : candidate);
  return { rowNumber, input: null, readable: { ...readable, creditsSaid }, parseProblems: problems, ...fromActivity, ...withoutYear };
}

/**
 * Why a row of a file that says who attended is not taken: its attendance column does not say its learner attended,
 * or its registration was cancelled. Null for a row taken.
 */
function notShownAttending(record: LearnerRecord, columns: { attended: boolean }): { field: string; message: string } | null {
  const kept = 'so nothing of this row is kept and no credit is given';
  const ifAttended = 'If the learner did attend, mark them so (Yes, Attended, Checked In) and send the row again';
  // A file without a registration status gives none, which says nothing of attendance.
  const status = record.registrationStatus ?? '';
  if (attendanceOf(status) === 'absent') {
    return { field: 'registrationStatus', message: `Registration status: ${quoted(status.trim())} says the registrant did not attend, ${kept}. ${ifAttended}` };
  }
  if (!columns.attended) return null;
  const written = (record.attended ?? '').trim();
  const attendance = attendanceOf(written);
  if (attendance === 'attended') return null;
  const why = {
    absent: `${quoted(written)} says the registrant did not attend`,
    registered: `${quoted(written)} says the learner registered, not that they attended (a registration system marks those who came Checked In)`,
    empty: 'the attendance column is empty on this row: the file does not say the learner attended',
    unreadable: `${quoted(written)} does not say the learner attended (Yes, Attended, Present or Checked In)`,
  }[attendance];
  return { field: 'attended', message: `Attended: ${why}, ${kept}. ${ifAttended}` };
}

/** The activity a row names: by its ID, or failing that by its title. */
export const activityOf = (record: LearnerRecord) => identifierOf(record.activityId) || record.activityTitle || '';

/** The columns of a learner file sent with an activity or a date for the rows without one: the file may then lack that column. */
export function learnerFileColumns(forRows: ActivityAndDateForRows): readonly LearnerColumn[] {
  const given = (name: string) => (name === 'activityId' && forRows.activityId) || (name === 'completionDate' && forRows.completionDate);
  return [...LEARNER_FILE_COLUMNS.map((column) => (given(column.name) ? { ...column, required: false } : column)), ...ISSUER_NAMED_COLUMNS, ...ATTENDANCE_COLUMNS];
}

/**
 * A row with nothing of a completion in it, or only a total's label: a total or a note under the learners; or a row
 * whose one value is a note (`isNote`).
 */
const holdsNoCompletion = (record: LearnerRecord) => completionColumns.every((name) => !record[name] || totalLabel.test(record[name])) || isNote(record);

/**
 * A row whose one value, in a name or activity column, is no learner's name: a notice a report writes under its
 * rows in the first column ("Confidential Information - Do Not Distribute", its copyright line, "Grand Totals (12
 * records)"), or a group's heading: it has a digit, a sign no name has, or more than seven words. A name alone is a
 * row to fix: a sheet filled in by hand may have no more of someone. A row with an activity and a date is never one.
 */
function isNote(record: LearnerRecord): boolean {
  if (record.completionDate && activityOf(record)) return false;
  let column: string | null = null;
  for (const name in record) {
    if (!record[name]) continue;
    if (column !== null) return false;
    column = name;
  }
  return column !== null && noteColumns.has(column) && noName.test(record[column]);
}

/** The columns a report's first column most often is, where its notices land. */
const noteColumns: ReadonlySet<string> = new Set(['firstName', 'lastName', 'fullName', 'activityTitle', 'activityId']);
/** What no name has: a digit, ©, a colon, an at sign, a dash between spaces, or more than seven words. */
const noName = /\d|[©:@]|\s[-\u2013\u2014]\s|^\S+(?:\s+\S+){7,}$/;

/**
 * The row with the upload's activity and completion date where it gives none, as if written in it: its rows to
 * fix carry them, so the corrected rows need no choice made again. A row that holds no completion takes
 * neither, and stays a total.
 */
export function withActivityAndDateForRows(record: LearnerRecord, forRows: ActivityAndDateForRows): LearnerRecord {
  if ((!forRows.activityId && !forRows.completionDate) || holdsNoCompletion(record)) return record;
  const filled = { ...record };
  if (forRows.activityId && !activityOf(record).trim()) filled.activityId = forRows.activityId;
  if (forRows.completionDate && !record.completionDate?.trim()) filled.completionDate = forRows.completionDate;
  return filled;
}

const noStandIns: ReadonlySet<StandIn> = new Set();

/** The column a value was read from: its own, or the one it was taken out of. */
function standInFor(column: string, birth: BirthMonthDay, names: LearnerNames, record: LearnerRecord, standIns: ReadonlySet<StandIn>): string {
  if (column === 'activityId' && !record.activityId && (record.activityTitle || standIns.has('activityTitle'))) return 'activityTitle';
  if (birth.fromDateOfBirth && (column === 'birthMonth' || column === 'birthDay')) return 'dateOfBirth';
  if (names.fromFullName && (column === 'firstName' || column === 'lastName')) return 'fullName';
  return column;
}

/** What to write in a required cell left empty, by column. */
const blankMessages: Record<string, string> = {
  activityId: 'Activity ID is empty: write the activity\'s 9-digit hub activity ID, or your own ID for it (or, for a sheet of one session, give the activity with the upload)',
  activityTitle: 'Activity title is empty: write the activity\'s title as you registered it (or, for a sheet of one session, give the activity with the upload)',
  firstName: 'First name is empty: write the learner\'s first name',
  fullName: 'Name is empty: write the learner\'s first and last name, such as Maria Lopez or Lopez, Maria',
  lastName: 'Last name is empty: write the learner\'s last name',
  completionDate: 'Completion date is empty: write the date the learner completed the activity, as YYYY-MM-DD or MM/DD/YYYY (or, for a sheet of one session, give its date with the upload)',
  birthMonth: 'Birth month is empty: write the month the learner was born, 1 to 12 (learners are told apart by their birth month and day)',
  birthDay: 'Birth day is empty: write the day of the month the learner was born, 1 to 31 (learners are told apart by their birth month and day)',
  cmeCredits: 'AMA PRA Category 1 credits are empty: write the credits the learner claimed, up to what the activity designates (a file with no credits column gives every learner all of them)',
};
/** The half of a learner's identifier a row lacks, whose other half it gives: what to write in it. */
const missingHalves: Record<string, string> = {
  licenseNumber: 'the number of the learner\'s license in that state, or give their NPI',
  state: 'the two-letter code of the state that issued the license, such as CA',
  boardId: 'the learner\'s ID at that certifying board, or leave the board empty',
  board: 'the board that issued the Board ID, such as ABIM',
};

/** Of an empty cell, or of a column its file does not have (the upload's notes say so too). */
const missingHalfMessage = (field: string, columnAbsent: boolean) =>
  columnAbsent
    ? `${labelOf.get(field)} is not a column of the file: add one, and write in it ${missingHalves[field]}`
    : `${labelOf.get(field)} is empty: write ${missingHalves[field]}`;
const blankMessage = (field: string, dateOrder: DateOrder | null | undefined) =>
  field === 'dateOfBirth'
    ? `Date of birth is empty: write the learner's birth month and day, as ${birthDateForm(dateOrder)} (a year is not needed, and is not kept)`
    : (blankMessages[field] ?? 'this value is required');

/** A required value the row leaves empty: zod finds no value at all, or an empty cell of a column said for itself. */
const isBlank = (code: string, field: string, record: LearnerRecord) => code === 'invalid_type' || (field in blankMessages && (record[field] ?? '').trim() === '');

/** Says what to write in the file's terms: a file's dates may also be written MM/DD/YYYY, which the API does not take. */
function fileMessage(code: string, message: string, field: string, record: LearnerRecord, { dateOrder, absentHalves }: FileDefaults): string {
  const written = record[field] ?? '';
  // A blank required value says "expected number, received undefined" in zod; say what to write instead.
  if (isBlank(code, field, record)) return blankMessage(field, dateOrder);
  if (field in missingHalves && !(record[field] ?? '').trim()) return missingHalfMessage(field, absentHalves?.has(field) ?? false);
  if (field === 'completionDate') return completionDateMessage(written.trim(), dateOrder);
  // The schema says what an NPI is, not what the row has instead, which is what shows the mistake ("1.23457E+09").
  if (field === 'npi') return `${quoted(written)} is not an NPI, which is 10 digits`;
  // Never the date as written: it may hold the birth year, which the hub keeps nowhere.
  if (field === 'dateOfBirth') return `${message}; write the date of birth as ${birthDateForm(dateOrder)}`;
  if (field === 'birthMonth' && code === 'too_big' && writtenSwapped(record)) return `${message}: if it is the day, swap the Birth month and Birth day`;
  return message;
}

/** Birth month and day that make a birthday only the other way round (14, 3). */
function writtenSwapped(record: LearnerRecord): boolean {
  const [month, day] = [wholeNumber(record.birthMonth ?? ''), wholeNumber(record.birthDay ?? '')];
  return month !== undefined && day !== undefined && onlySwappedIsBirthday(month, day);
}
