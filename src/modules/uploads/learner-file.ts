// The learner file (CSV or XLSX): its columns, how one row becomes a learner report input, and the
// template providers fill in. One row is one completion and may carry several credit lines (CME,
// MOC, another credit type), as the PARS spreadsheet does. Pure: no I/O.

import type { ColumnSpec } from '../../files/columns.ts';
import { headerRepeatedCode } from '../../files/tabular-rows.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import type { Problem } from '../../http/errors.ts';
import {
  AMA_PRA_CAT1,
  creditTypeName,
  isCreditType,
  isMocBoard,
  isMocCreditType,
  MOC_BOARD_CODES,
  MOC_CREDIT_KINDS,
  MOC_CREDIT_TYPES,
  mocCreditType,
  OTHER_CREDIT_TYPES,
  parseMocCreditType,
} from '../activities/credit-types.ts';
import type { MocBoard } from '../activities/credit-types.ts';
import { birthDateForm, calendarDate, completionDateMessage, isoBirthDate, monthDayOfBirth, monthNumber, usBirthDate, wholeNumber } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { LearnerIdentity } from '../matching/match-rules.ts';
import { splitFullName } from '../matching/names.ts';
import type { NameParts } from '../matching/names.ts';
import { boardIdHeadings, certifyingBoardCodes } from '../reference/certifying-boards.ts';
import { jurisdictionCodes, jurisdictions } from '../reference/jurisdictions.ts';
import { parseReportInput, readablePart } from '../reports/report-input.ts';
import type { Credit, ReportCandidate } from '../reports/report-input.ts';
import { reportIssueCode } from '../reports/reports.schemas.ts';
import type { IngestRow } from '../reports/use-cases/ingest-learner-reports.ts';
import { charactersPast, cutShort, inWords, lengthPastMessage, quoted } from '../../words.ts';

export type LearnerColumn = ColumnSpec & {
  /** What to write: the template's instructions and the cell prompt. */
  help: string;
  choices?: readonly string[];
  /** Kept as text in the XLSX template, so that Excel keeps leading zeros. */
  text?: boolean;
};

const CONSENT_CHOICES = ['Written', 'Implied', 'No'] as const;

/** The longest reference taken: a registration number or record ID is far shorter; a note pasted there would not fit the index of reports to fix. */
export const REFERENCE_MAX = 200;

/** The reference as the receipt and a report to fix keep it: one too long is cut, its row rejected for it (a CreditID too, past 300). */
export const referenceKept = (written: string | undefined): string | null =>
  !written ? null : charactersPast(written, REFERENCE_MAX) === null ? written : cutShort(written, REFERENCE_MAX);

export const LEARNER_FILE_COLUMNS: readonly LearnerColumn[] = [
  {
    name: 'reference',
    label: 'Reference',
    synonyms: ['Your reference', 'Provider reference', 'Record ID', 'Learner reference', 'Row ID', 'Ref', 'Ref no', 'Registration number', 'Registration ID'],
    help: 'Optional: your own reference for the row (a registration number); the receipt repeats it.',
    text: true,
  },
  {
    name: 'activityId',
    label: 'Activity ID',
    synonyms: [
      'Hub activity ID',
      'PARS activity ID',
      'Activity number',
      'Activity',
      'Your activity ID',
      'Provider activity ID',
      'Activity code',
      'Course',
      'Course ID',
      'Course code',
      'Course number',
      'Program ID',
      'Program code',
      'Event ID',
      'Activity no',
      'Course no',
    ],
    required: true,
    replaceableBy: 'activityTitle',
    orElse: 'send activity= with the file, the activity of every row that names none (the "Activity of every row" choice on the Uploads page, --activity on the command line)',
    help: 'The activity the learner completed: its 9-digit hub activity ID, or your own ID for it as registered with the hub (or its title as registered, when no other of your activities has it). Empty: the activity given with the upload, if one was.',
    text: true,
  },
  {
    name: 'activityTitle',
    label: 'Activity title',
    synonyms: ['Activity name', 'Course title', 'Course name', 'Event name', 'Event title', 'Program name', 'Session title'],
    help: 'Instead of the activity ID: the title as registered with the hub, when no other of your activities has it.',
  },
  {
    name: 'completionDate',
    label: 'Completion date',
    synonyms: [
      'Date completed',
      'Completed on',
      'Completion',
      'Date of completion',
      'Completed date',
      'Completed',
      'Date',
      'Activity date',
      'Date of activity',
      'Event date',
      'Session date',
      'Attendance date',
      'Date attended',
      'Date of attendance',
    ],
    required: true,
    // When a form's response was sent, which is the session's day only if it was filled in there.
    lookalikes: ['Timestamp', 'Completion time', 'Submitted', 'Submitted on', 'Submission date', 'Date submitted', 'Response date', 'Start time'],
    orElse: 'send completionDate= with the file, the date of every row that gives none (the "Completion date of every row" choice on the Uploads page, --completion-date on the command line)',
    help: 'YYYY-MM-DD or MM/DD/YYYY. Empty: the date given with the upload, if one was.',
  },
  { name: 'firstName', label: 'First name', synonyms: ['Given name', 'Learner first name', 'First', 'FName', 'F name'], required: true, replaceableBy: 'fullName', help: 'As on the license.' },
  { name: 'middleName', label: 'Middle name', synonyms: ['Middle initial', 'MI', 'Middle'], help: 'Optional.' },
  { name: 'lastName', label: 'Last name', synonyms: ['Family name', 'Surname', 'Learner last name', 'Last', 'LName', 'L name'], required: true, replaceableBy: 'fullName', help: 'As on the license.' },
  {
    name: 'fullName',
    label: 'Name',
    synonyms: ['Full name', 'Name of learner', 'Last name, first name', 'Last, first', 'First name last name', 'First and last name'],
    help: 'Instead of first and last name: the whole name, "Maria Lopez" or "Lopez, Maria" (titles and credentials such as Dr. or MD are left out).',
  },
  {
    name: 'birthMonth',
    label: 'Birth month',
    synonyms: ['DOB month', 'Month of birth', 'Birth month MM', 'Birth mo', 'DOB MM'],
    help: '1 to 12. Never send a birth year: the hub does not keep one.',
  },
  { name: 'birthDay', label: 'Birth day', synonyms: ['DOB day', 'Day of birth', 'Birth day DD', 'DOB DD', 'Birth dy', 'DOB dy'], help: '1 to 31.' },
  {
    name: 'dateOfBirth',
    label: 'Date of birth',
    synonyms: ['DOB', 'Birth date', 'Birthdate'],
    help: 'Instead of birth month and day: MM/DD. A year, if present, is ignored and not kept.',
  },
  {
    name: 'state',
    label: 'License state',
    synonyms: ['State', 'Licensing state', 'State of license', 'State of licensure', 'Licensure state', 'License issuing state', 'Issuing state', 'License jurisdiction', 'Jurisdiction', 'Lic state', 'License st', 'License state/province', 'State/province of license'],
    help: 'The 2-letter code of the state that issued the license (with the license number).',
    choices: jurisdictionCodes,
  },
  {
    name: 'licenseNumber',
    label: 'License number',
    synonyms: ['License #', 'License no', 'License num', 'License ID', 'Lic #', 'Lic no', 'Lic number', 'License', 'State license number', 'Medical license number', 'Medical license'],
    help: 'As the state board writes it, prefix letters included.',
    text: true,
  },
  { name: 'npi', label: 'NPI', synonyms: ['NPI number', 'NPI #', 'NPI no', 'NPI ID', 'National provider identifier', 'Individual NPI', 'Type 1 NPI'], help: '10 digits.', text: true },
  {
    name: 'board',
    label: 'Certifying board',
    synonyms: ['Board', 'MOC board', 'Certifying board code', 'Board code'],
    help: `With the board ID: ${certifyingBoardCodes.join(', ')}.`,
    choices: certifyingBoardCodes,
  },
  {
    name: 'boardId',
    label: 'Board ID',
    synonyms: ['Certifying board ID', 'Diplomate ID', 'Board number', 'Board identifier'],
    help: 'The ID the certifying board gave the physician.',
    text: true,
  },
  {
    name: 'cmeCredits',
    label: 'AMA PRA Category 1 credits',
    synonyms: ['CME credits', 'CME', 'AMA credits', 'Category 1 credits', 'AMA PRA Category 1 Credit', 'Credits', 'Credit', 'Credits earned', 'Credits awarded', 'Credits claimed', 'Claimed credits', 'Credit amount', 'Credit hours', 'CME hours', 'Hours', 'Cat 1 credits', 'Category 1', 'AMA PRA Category 1', 'AMA PRA Cat 1 credits', 'Total credits', 'Hours claimed', 'CME credits earned'],
    help: 'Credits claimed, in steps of 0.25, up to what the activity designates.',
  },
  {
    name: 'mocCredits',
    label: 'MOC credits',
    synonyms: ['MOC points', 'MOC', 'MOC credits earned', 'MOC points earned'],
    help: 'MOC points or credits, with the MOC credit type.',
  },
  {
    name: 'mocCreditType',
    label: 'MOC credit type',
    synonyms: ['MOC type', 'MOC credit types'],
    help: `One of ${Object.keys(MOC_CREDIT_TYPES).join(', ')}; or just the kind (MK, LL...) with the certifying board.`,
    choices: Object.keys(MOC_CREDIT_TYPES),
  },
  {
    name: 'otherCredits',
    label: 'Other credits',
    synonyms: ['Other credit amount'],
    help: 'Credits of one more type, with the other credit type.',
  },
  {
    name: 'otherCreditType',
    label: 'Other credit type',
    synonyms: ['Other type'],
    help: `One of ${Object.keys(OTHER_CREDIT_TYPES).join(', ')}.`,
    choices: Object.keys(OTHER_CREDIT_TYPES),
  },
  {
    name: 'consent',
    label: 'Consent',
    synonyms: ['Learner consent', 'Consent to report', 'Consent to share', 'Consent given', 'PARS consent', 'Consent type', 'Permission to report', 'Permission to share'],
    // A form's question about it ("I consent to have my attendance reported"), not the date it was given.
    headingPattern: /^(?!.*(?:date|time)).*consent/,
    help: 'Written or Implied: the learner agreed to be reported. No: the row is not taken. Empty, or Yes: the consent stated for the whole upload.',
    choices: CONSENT_CHOICES,
  },
  {
    name: 'creditId',
    label: 'Credit ID',
    synonyms: ['CCID', 'Credit identifier'],
    help: 'Optional: your credit ID, such as ccid:1234567:A-100.',
    text: true,
  },
];

/** A column whose heading names a certifying board: the template's column it stands in for, and that board. */
type BoardNamedColumn = LearnerColumn & ({ standsFor: 'boardId'; board: string } | { standsFor: 'mocCredits'; board: MocBoard });

/** "ABIM ID": the Board ID column, with ABIM for the board. */
export const BOARD_ID_COLUMNS: readonly BoardNamedColumn[] = certifyingBoardCodes.map((board) => {
  const [label, ...synonyms] = boardIdHeadings(board);
  return {
    name: `boardId:${board}`,
    label,
    synonyms,
    help: `The ID ${board} gave the physician, instead of the Certifying board and Board ID columns.`,
    text: true,
    standsFor: 'boardId',
    board,
  };
});

/** "ABIM MOC points": the MOC credits column, with ABIM for the MOC credit type's board. */
const BOARD_MOC_COLUMNS: readonly BoardNamedColumn[] = MOC_BOARD_CODES.map((board) => ({
  name: `mocCredits:${board}`,
  label: `${board} MOC points`,
  synonyms: [`${board} MOC credits`, `${board} MOC`, `${board} points`, `${board} MOC points earned`],
  help: `${board} MOC points, instead of the MOC credits column and the board; the MOC credit type may give the kind alone, or one type per board for points of two ("MK; LA").`,
  standsFor: 'mocCredits',
  board,
}));

/**
 * Columns whose heading names a certifying board, as learning systems export them. Read (`withBoardNamedColumns`
 * turns them into the template's own columns), never written.
 */
export const BOARD_NAMED_COLUMNS: readonly BoardNamedColumn[] = [...BOARD_ID_COLUMNS, ...BOARD_MOC_COLUMNS];
const boardNamedByName = new Map(BOARD_NAMED_COLUMNS.map((column) => [column.name, column]));

export const isBoardNamed = (name: string) => boardNamedByName.has(name);

/** The board-named columns among these. */
export const boardNamedColumnsIn = (columns: Iterable<string>): string[] => [...columns].filter(isBoardNamed);

/** The columns a header has, with those its board-named columns stand in for: "ABIM ID" gives a board and a board ID. */
export function withBoardNamedColumnNames(columns: ReadonlySet<string>): Set<string> {
  const named = boardNamedColumnsIn(columns);
  if (named.length === 0) return new Set(columns);
  return new Set([...columns, 'board', ...named.map((name) => boardNamedByName.get(name)!.standsFor)]);
}

/** A row's values with its board-named columns read into the template's, and what of them could not be. */
export type BoardNamedRead = { record: LearnerRecord; problems: Problem[] };

/** The template's credit columns a board's MOC points may take, in turn: a row may carry points of two boards. */
const mocPointsSlots = [['mocCredits', 'mocCreditType'], ['otherCredits', 'otherCreditType']] as const;

/**
 * The row with the values of its board-named columns (`named`, those of its header) in the template's own columns
 * where it has none there: "ABIM ID" 123456 is Board ID 123456 of the board ABIM. A board's MOC points are that
 * board's whatever else the row names, typed by the MOC credit type it writes for that board ("MK", or one per
 * board: "MK; LA"), in the MOC credits columns or, for a second board, the other credits columns.
 */
export function withBoardNamedColumns(record: LearnerRecord, named: readonly string[]): BoardNamedRead {
  let filled: LearnerRecord | undefined;
  const problems: Problem[] = [];
  for (const name of named) {
    const value = record[name]?.trim();
    if (!value) continue;
    const column = boardNamedByName.get(name)!;
    filled ??= { ...record };
    if (column.standsFor === 'boardId') {
      if (!filled.boardId?.trim()) filled.boardId = value;
      if (!filled.board?.trim()) filled.board = column.board;
      continue;
    }
    const { board } = column;
    const written = record.mocCreditType?.trim() ?? '';
    const type = mocTypeOfBoard(board, written);
    const slot = mocPointsSlots.find(([amount]) => !filled![amount]?.trim());
    if (!type) problems.push({ code: written ? 'invalid' : 'required', field: 'mocCreditType', message: boardMocTypeMessage(board, value, written) });
    else if (!slot) problems.push({ code: 'too_many_credit_lines', field: 'otherCredits', message: `The ${value} MOC points of ${board} have no place on the row: its MOC credits and other credits are given, and a row carries three credit lines at most (AMA PRA Category 1, MOC, other)` });
    else [filled[slot[0]], filled[slot[1]]] = [value, type];
    // The MOC credit type written was these points'; without them it types no MOC credits of the row's own.
    if (!filled.mocCredits?.trim()) filled.mocCreditType = '';
  }
  return { record: filled ?? record, problems };
}

/** The board's MOC credit type among those written ("MK", "MOC_ABIM_MK", one per board: "MOC_ABIM_MK; LA"). */
function mocTypeOfBoard(board: MocBoard, written: string): string | null {
  for (const entry of written.split(/[;,|]/)) {
    const type = parseMocCreditType(board, entry.trim().replace(/[\s-]+/g, '_'));
    if (type) return type;
  }
  return null;
}

function boardMocTypeMessage(board: MocBoard, points: string, written: string): string {
  const types = Object.keys(MOC_CREDIT_KINDS[board]).map((kind) => mocCreditType(board, kind));
  const given = written ? `${quoted(written)} is not one of ${board}'s MOC credit types` : `give ${board}'s MOC credit type`;
  return `MOC credit type: ${given}, for the ${points} MOC points of ${board}: write ${inWords(types, 'or')} (for points of two boards, one type each: "MOC_ABIM_MK; MOC_ABP_LA")`;
}

export type LearnerRecord = Record<string, string>;

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

/** The problem code of a row whose learner did not consent to be reported: nothing of it is kept, and it has nothing to fix. */
export const consentDeclined = 'consent_declined';

/**
 * The problem code of a row holding a value the database refuses even in its receipt line: nothing of it is kept
 * but its row number, so it is corrected in the sender's own file.
 */
export const rowNotStored = 'row_not_stored';

/**
 * The problem codes of rows of which nothing is kept, as they have nothing to correct: a learner who did not
 * consent, and rows that hold no completion (a total, the header again), to delete from the file. Each such
 * row has that one problem. Kept, they would be reports to fix with no learner, and the same total in next
 * month's file would be "sent before, still to fix". A row the database refused whole has nothing kept to correct.
 */
export const rowsNotKeptCodes: readonly string[] = [consentDeclined, notACompletion, headerRepeatedCode, rowNotStored];

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
  consent: 'written' | 'implied' | null;
  creditsFromActivity?: boolean;
  /** The order the upload says its dates of numbers are written in; unsaid, as `calendarDate` reads them. */
  dateOrder?: DateOrder | null;
  birthColumns?: BirthColumns;
};

/** The columns that carry a row's credits; a file with none of them gives each learner the activity's credits. */
const creditColumns = ['cmeCredits', 'mocCredits', 'otherCredits'];

/** The credits columns and the credit types that go with them. */
const creditColumnsWithTypes = new Set([...creditColumns, 'mocCreditType', 'otherCreditType']);

/** Whether a file with these columns takes each row's credits from its activity: it has no credits column. */
export const takesCreditsFromActivity = (columns: ReadonlySet<string>) => !creditColumns.some((name) => columns.has(name));

/** Said of a file that has no credits column, so that its sender knows what each learner was given. */
export const creditsFromActivityNotice: Problem = {
  code: 'credits_from_activity',
  message: 'The file has no credits column: each learner is given the AMA PRA Category 1 credits their activity designates, all of them. To report fewer for some learners, add a column "AMA PRA Category 1 credits" with each learner\'s credits.',
};

const labelOf = new Map(LEARNER_FILE_COLUMNS.map((column) => [column.name, column.label]));
const stateByName = new Map<string, string>(jurisdictions.map(([code, name]) => [name.toLowerCase(), code]));

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
 * row, named by column, and the row is kept as rejected. `boardNamedProblems`: what of the row's board-named
 * columns could not be read (`withBoardNamedColumns`), said beside its credits' problems.
 */
export function learnerRowToIngestRow(record: LearnerRecord, rowNumber: number, rowProblems: Problem[], defaults: FileDefaults, boardNamedProblems: Problem[] = []): IngestRow {
  // A row the reader could not split into its columns (too many values, an unclosed quote) has its values in the
  // wrong columns or none: what each column would say of them is noise around the one thing to fix.
  if (rowProblems.length > 0) {
    // The header again holds no completion: nothing of it is kept.
    const keepNothing = rowProblems.some((problem) => problem.code === headerRepeatedCode);
    return { rowNumber, input: null, parseProblems: rowProblems, ...(keepNothing ? { keepNothing } : {}) };
  }
  // A total or a note under the learners names no completion: each missing value said on its own would bury that.
  if (holdsNoCompletion(record)) {
    return { rowNumber, input: null, keepNothing: true, parseProblems: [{ code: notACompletion, field: 'row', row: rowNumber, message: notACompletionMessage }] };
  }
  const consent = consentOf(record.consent, defaults);
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

  const birth = birthMonthDay(record, defaults.dateOrder, defaults.birthColumns);
  if (birth.problem) problem(birth.problem.field, 'invalid', birth.problem.message);
  const names = learnerNames(record);
  if (names.problem) problem(names.problem.field, 'invalid', names.problem.message);
  const referenceLength = charactersPast(record.reference ?? '', REFERENCE_MAX);
  if (referenceLength !== null) {
    problem('reference', 'too_big', `${lengthPastMessage('Reference', REFERENCE_MAX, referenceLength)}: write your own short reference for the row, such as a registration number`);
  }
  const problemsBeforeCredits = problems.length;
  // Without a credits column, the credits are the activity's, given once the activity is known.
  const credits = defaults.creditsFromActivity ? [] : creditLines(record, problem);
  problems.push(...boardNamedProblems.map((named) => ({ ...named, row: rowNumber })));
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

  const candidate: ReportCandidate = {
    activityId: activityOf(record),
    completionDate: calendarDate(record.completionDate, defaults.dateOrder),
    learner: {
      firstName: names.firstName,
      lastName: names.lastName,
      birthMonth: birth.month,
      birthDay: birth.day,
      state: stateCode(record.state),
      licenseNumber: record.licenseNumber || null,
      npi: npiOf(record.npi),
      // A board with no board ID, beside a MOC credit type, names the MOC type's board, not the learner's.
      board: record.board && (record.boardId || !record.mocCreditType) ? record.board : null,
      boardId: record.boardId || null,
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
      const field = standInFor(column, birth, names, record);
      if (fieldsUnread.has(field)) continue;
      // An empty cell is a kind of its own ("Completion date missing"), apart from a value that cannot be read.
      const code = isBlank(issue.code, field, record) ? 'required' : reportIssueCode(issue);
      problem(field, code, fileMessage(issue.code, issue.message, field, record, defaults.dateOrder));
      if (standInColumns.has(field)) fieldsUnread.add(field);
    }
  }
  const fromActivity = defaults.creditsFromActivity ? { creditsFromActivity: true } : {};
  return parsed.success
    ? { rowNumber, input: parsed.data, parseProblems: problems, ...fromActivity }
    : { rowNumber, input: null, readable: { ...readablePart(candidate), creditsSaid }, parseProblems: problems, ...fromActivity };
}

/** The activity a row names: by its ID, or failing that by its title. */
export const activityOf = (record: LearnerRecord) => record.activityId || record.activityTitle || '';

/** The columns of a learner file sent with an activity or a date for the rows without one: the file may then lack that column. */
export function learnerFileColumns(forRows: ActivityAndDateForRows): readonly LearnerColumn[] {
  const given = (name: string) => (name === 'activityId' && forRows.activityId) || (name === 'completionDate' && forRows.completionDate);
  return [...LEARNER_FILE_COLUMNS.map((column) => (given(column.name) ? { ...column, required: false } : column)), ...BOARD_NAMED_COLUMNS];
}

/** A row with nothing of a completion in it, or only a total's label: a total or a note under the learners. */
const holdsNoCompletion = (record: LearnerRecord) => completionColumns.every((name) => !record[name] || totalLabel.test(record[name]));

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

/** The column a value was read from: its own, or the one it was taken out of. */
function standInFor(column: string, birth: BirthMonthDay, names: LearnerNames, record: LearnerRecord): string {
  if (column === 'activityId' && !record.activityId && record.activityTitle) return 'activityTitle';
  if (birth.fromDateOfBirth && (column === 'birthMonth' || column === 'birthDay')) return 'dateOfBirth';
  if (names.fromFullName && (column === 'firstName' || column === 'lastName')) return 'fullName';
  return column;
}

const npiOf = (written: string | undefined) => (written ? written.replace(npiSeparators, '').replace(decimalZeros, '') : null);
const npiSeparators = /[\s-]/g;
// A number column exported by a database or a script as a decimal ("1234567893.0") is the same whole number.
const decimalZeros = /\.0+$/;

/** What to write in a required cell left empty, by column. */
const blankMessages: Record<string, string> = {
  activityId: 'Activity ID is empty: write the activity\'s 9-digit hub activity ID, or your own ID for it (or, for a sheet of one session, give the activity with the upload)',
  firstName: 'First name is empty: write the learner\'s first name',
  lastName: 'Last name is empty: write the learner\'s last name',
  completionDate: 'Completion date is empty: write the date the learner completed the activity, as YYYY-MM-DD or MM/DD/YYYY (or, for a sheet of one session, give its date with the upload)',
  birthMonth: 'Birth month is empty: write the month the learner was born, 1 to 12 (learners are told apart by their birth month and day)',
  birthDay: 'Birth day is empty: write the day of the month the learner was born, 1 to 31 (learners are told apart by their birth month and day)',
  cmeCredits: 'AMA PRA Category 1 credits are empty: write the credits the learner claimed, up to what the activity designates (a file with no credits column gives every learner all of them)',
};
const blankMessage = (field: string, dateOrder: DateOrder | null | undefined) =>
  field === 'dateOfBirth'
    ? `Date of birth is empty: write the learner's birth month and day, as ${birthDateForm(dateOrder)} (a year is not needed, and is not kept)`
    : (blankMessages[field] ?? 'this value is required');

/** A required value the row leaves empty: zod finds no value at all, or an empty cell of a column said for itself. */
const isBlank = (code: string, field: string, record: LearnerRecord) => code === 'invalid_type' || (field in blankMessages && (record[field] ?? '').trim() === '');

/** Says what to write in the file's terms: a file's dates may also be written MM/DD/YYYY, which the API does not take. */
function fileMessage(code: string, message: string, field: string, record: LearnerRecord, dateOrder: DateOrder | null | undefined): string {
  const written = record[field] ?? '';
  // A blank required value says "expected number, received undefined" in zod; say what to write instead.
  if (isBlank(code, field, record)) return blankMessage(field, dateOrder);
  if (field === 'completionDate') return completionDateMessage(written.trim(), dateOrder);
  // The schema says what an NPI is, not what the row has instead, which is what shows the mistake ("1.23457E+09").
  if (field === 'npi') return `${quoted(written)} is not an NPI, which is 10 digits`;
  // Never the date as written: it may hold the birth year, which the hub keeps nowhere.
  if (field === 'dateOfBirth') return `${message}; write the date of birth as ${birthDateForm(dateOrder)}`;
  return message;
}


function creditLines(record: LearnerRecord, problem: (field: string, code: string, message: string) => void): Credit[] {
  const lines: Credit[] = [];
  const amountOf = (field: string): number | null => {
    const written = record[field];
    if (!written) return null;
    const amount = creditAmount(written);
    if (amount === null) problem(field, 'credit_amount_invalid', notCreditsMessage(written));
    return amount;
  };

  const cme = amountOf('cmeCredits');
  if (cme !== null) lines.push({ type: AMA_PRA_CAT1, amount: cme });

  const moc = amountOf('mocCredits');
  if (record.mocCredits && !record.mocCreditType) {
    problem('mocCreditType', 'required', 'give the MOC credit type (such as MOC_ABIM_MK) for the MOC credits');
  } else if (record.mocCreditType) {
    const type = mocType(record.mocCreditType, record.board);
    if (!type) {
      const withBoard = record.board ? ` of ${record.board.trim().toUpperCase()}` : ': write the full code, or the kind (such as MK) with the certifying board in the "Certifying board" column';
      problem('mocCreditType', 'invalid', `${quoted(record.mocCreditType)} is not a MOC credit type (such as MOC_ABIM_MK)${withBoard}`);
    }
    else if (!record.mocCredits) problem('mocCredits', 'required', 'give the number of MOC credits');
    else if (moc !== null) lines.push({ type, amount: moc });
  }

  const other = amountOf('otherCredits');
  if (record.otherCredits && !record.otherCreditType) {
    problem('otherCreditType', 'required', 'give the credit type of the other credits');
  } else if (record.otherCreditType) {
    const type = record.otherCreditType.trim().toUpperCase().replace(/[\s-]+/g, '_');
    if (!isCreditType(type)) problem('otherCreditType', 'invalid', `${quoted(record.otherCreditType)} is not a credit type the hub knows`);
    else if (!record.otherCredits) problem('otherCredits', 'required', 'give the number of credits of the other type');
    else if (other !== null) lines.push({ type, amount: other });
  }
  return lines;
}

function mocType(written: string, board: string): string | null {
  const upper = written.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (isMocCreditType(upper)) return upper;
  const boardCode = board.trim().toUpperCase();
  return isMocBoard(boardCode) ? parseMocCreditType(boardCode, upper) : null;
}

/** Why a credits value was not read; for a time in minutes ("90 min", "1 hr 30 min"), the hours to write instead. */
function notCreditsMessage(written: string): string {
  const time = inMinutes.exec(written.trim());
  if (!time) return `${quoted(written)} is not a number of credits (such as 1.5)`;
  const hours = (Number(time[1] ?? 0) * 60 + Number(time[2])) / 60;
  const inSteps = Number.isInteger(hours * 4);
  return `${quoted(written)} is a time in minutes: credits are hours, ${inSteps ? `so write ${hours}` : 'in steps of 0.25 (15 minutes)'}`;
}

const inMinutes = /^(?:(\d+)\s*(?:hours?|hrs?|h)\.?,?\s*(?:and\s+)?)?(\d+)\s*(?:minutes?|mins?|m)\.?$/i;

/**
 * "1.5", "1,5" (a decimal comma, from a semicolon-separated file), " 2 ", "8 hrs", "1.5 credits" -> numbers;
 * anything else -> null. Hours are credits: a credit is designated per hour of the activity.
 */
export function creditAmount(written: string): number | null {
  const text = written.trim().replace(creditUnit, '');
  if (decimalAmount.test(text)) return asSpreadsheetShowsIt(text);
  const comma = decimalCommaAmount.exec(text);
  return comma ? asSpreadsheetShowsIt(`${comma[1]}.${comma[2]}`) : null;
}

/**
 * A number to the 15 significant digits a spreadsheet shows: a formula's result that Excel shows as 1.75 may be
 * saved as 1.7499999999999998, which is no step of 0.25.
 */
function asSpreadsheetShowsIt(number: string): number {
  return number.length > 15 ? Number(Number(number).toPrecision(15)) : Number(number);
}

const decimalAmount = /^\d+(\.\d+)?$|^\.\d+$/;
const creditUnit = /(?<=\d)\s*(?:hours?|hrs?|h|credits?|cr|cme)\.?$/i;
const decimalCommaAmount = /^(\d+),(\d+)$/;


/**
 * The learner of a row as uploads read it (a whole name split, a date of birth without its year, a state by its
 * name), for a check of identities that takes the same files: a value that could not be read is passed as written,
 * for the matching to say what is wrong with it; a date of birth that could not be read, which the matching would
 * see only as a missing month and day, is said as an upload says it (`dateOfBirthProblem`).
 */
export function learnerIdentityOfRow(record: LearnerRecord, dateOrder?: DateOrder | null): { identity: LearnerIdentity; dateOfBirthProblem: Problem | null } {
  const names = learnerNames(record);
  const birth = birthMonthDay(record, dateOrder);
  const dateOfBirthProblem = birth.fromDateOfBirth && birth.problem ? { code: 'birth_date_invalid', field: 'dateOfBirth', message: `Date of birth: ${birth.problem.message}` } : null;
  const identity: LearnerIdentity = {
    firstName: names.firstName,
    middleName: names.middleName || null,
    // A name of one word is taken as the last name, as the rows to fix show it: the first is then said to be missing.
    lastName: names.problem ? record.fullName : names.lastName,
    birthMonth: birth.month ?? (birth.fromDateOfBirth ? '' : (record.birthMonth ?? '')),
    birthDay: birth.day ?? (birth.fromDateOfBirth ? '' : (record.birthDay ?? '')),
    state: stateCode(record.state ?? ''),
    licenseNumber: record.licenseNumber || null,
    npi: npiOf(record.npi),
    board: record.board || null,
    boardId: record.boardId || null,
  };
  return { identity, dateOfBirthProblem };
}

type LearnerNames = NameParts & { fromFullName?: true; problem?: { field: string; message: string } };

/** First, middle and last name from their columns, or split from a whole name when the row has neither first nor last. */
export function learnerNames(record: LearnerRecord): LearnerNames {
  const fromColumns = { firstName: record.firstName ?? '', middleName: record.middleName ?? '', lastName: record.lastName ?? '' };
  if (!record.fullName || (record.firstName && record.lastName)) return fromColumns;
  const split = splitFullName(record.fullName);
  // "Name" beside "Surname" is the given name, as many forms have it; beside a first name, the last. Or it is the
  // whole name, and the other column repeats its part.
  if (record.lastName) return { ...fromColumns, firstName: split && sameName(split.lastName, record.lastName) ? split.firstName : record.fullName, fromFullName: true };
  if (record.firstName) return { ...fromColumns, lastName: split && sameName(split.firstName, record.firstName) ? split.lastName : record.fullName, fromFullName: true };
  if (!split) {
    const message = `${quoted(record.fullName.trim())} is not a first and a last name: write both, such as Maria Lopez or Lopez, Maria`;
    return { ...fromColumns, fromFullName: true, problem: { field: 'fullName', message } };
  }
  return { ...split, middleName: record.middleName || split.middleName, fromFullName: true };
}

const sameName = (one: string, other: string) => one.trim().toLowerCase() === other.trim().toLowerCase();

/** Where a file writes its learners' birth month and day: in their own columns (or either), or in a date of birth alone. */
export type BirthColumns = 'month_and_day' | 'date_of_birth';

/** The birth columns of a file with these columns. */
export const birthColumnsOf = (columns: ReadonlySet<string>): BirthColumns =>
  columns.has('dateOfBirth') && !columns.has('birthMonth') && !columns.has('birthDay') ? 'date_of_birth' : 'month_and_day';

type BirthMonthDay = { month: number | undefined; day: number | undefined; fromDateOfBirth?: true; problem?: { field: string; message: string } };

/** Birth month and day from their columns, or from a date of birth whose year is dropped here. */
export function birthMonthDay(record: LearnerRecord, dateOrder?: DateOrder | null, birthColumns: BirthColumns = 'month_and_day'): BirthMonthDay {
  // In a file whose only birth column is a date of birth, an empty cell is that column's, not a month's and a day's.
  if (birthColumns === 'date_of_birth' && !record.dateOfBirth?.trim()) return { month: undefined, day: undefined, fromDateOfBirth: true };
  if (record.birthMonth || record.birthDay || !record.dateOfBirth) {
    const month = monthNumber(record.birthMonth ?? '');
    const day = wholeNumber(record.birthDay ?? '');
    // "3/14" typed into the month's cell, which a spreadsheet turns into a date of this year.
    const typed = record.birthMonth?.trim() ?? '';
    const isoTyped = month === undefined ? isoBirthDate.exec(typed) : null;
    const typedDate = month === undefined ? (isoTyped ?? usBirthDate.exec(typed)) : null;
    if (typedDate) {
      // Typed where dates are written day first ("14/3"), the spreadsheet keeps it so.
      const dayFirst = !isoTyped && dateOrder === 'day_first';
      const [typedMonth, typedDay] = dayFirst ? [Number(typedDate[2]), Number(typedDate[1])] : [Number(typedDate[1]), Number(typedDate[2])];
      if (day === undefined && !record.birthDay?.trim()) return { month: typedMonth, day: typedDay };
      if (day === typedDay) return { month: typedMonth, day };
      return {
        month: undefined,
        day,
        problem: { field: 'birthMonth', message: `${quoted(record.birthMonth)} is a date, and its day is not the Birth day ${record.birthDay}: write the month alone here (${typedMonth})` },
      };
    }
    if (record.birthMonth && month === undefined) {
      return { month, day, problem: { field: 'birthMonth', message: `${quoted(record.birthMonth)} is not a month (1 to 12)` } };
    }
    if (record.birthDay && day === undefined) {
      return { month, day, problem: { field: 'birthDay', message: `${quoted(record.birthDay)} is not a day (1 to 31)` } };
    }
    return { month, day };
  }
  const read = monthDayOfBirth(record.dateOfBirth, dateOrder);
  return 'problem' in read
    ? { month: undefined, day: undefined, fromDateOfBirth: true, problem: { field: 'dateOfBirth', message: read.problem } }
    : { ...read, fromDateOfBirth: true };
}


/**
 * A state as a form's drop-down or a sheet writes it: "CA", "California", "State of California", "N.Y.", and
 * code and name together, "CA - California" or "California (CA)", when they agree. Anything else as written,
 * which the report's check then names.
 */
function stateCode(written: string): string | null {
  const text = written.trim();
  if (!text) return null;
  const byName = stateByName.get(text.toLowerCase().replace(/^state of\s+/, ''));
  if (byName) return byName;
  const dotted = /^([a-z])\.\s*([a-z])\.?$/i.exec(text);
  if (dotted) return `${dotted[1]}${dotted[2]}`.toUpperCase();
  const codeFirst = /^([a-z]{2})\s*[-–:]\s*(.+)$/i.exec(text);
  const nameFirst = /^(.+?)\s*\(([a-z]{2})\)$/i.exec(text);
  const [code, name] = codeFirst ? [codeFirst[1], codeFirst[2]] : nameFirst ? [nameFirst[2], nameFirst[1]] : [];
  return code && name && stateByName.get(name.toLowerCase()) === code.toUpperCase() ? code.toUpperCase() : text;
}

const unreadableConsent = Symbol('unreadable consent');
const unstatedKindOfConsent = Symbol('consent of no stated kind');
const declinedConsent = Symbol('declined consent');

/** No: the learner did not agree to be reported, which the row's problem says rather than calling consent missing. */
function consentOf(written: string, defaults: FileDefaults): 'written' | 'implied' | null | typeof unreadableConsent | typeof unstatedKindOfConsent | typeof declinedConsent {
  const text = written.trim().toLowerCase();
  if (text === 'written' || text === 'w') return 'written';
  if (text === 'implied' || text === 'i') return 'implied';
  if (text === '') return defaults.consent;
  if (text === 'no' || text === 'n' || text === 'false') return declinedConsent;
  // "Yes" says the learner agreed, not how: the kind is the one given for the whole upload, if one was.
  if (consentGiven.has(text)) return defaults.consent ?? unstatedKindOfConsent;
  return unreadableConsent;
}

const consentGiven = new Set(['yes', 'y', 'x', 'true', 'consented', 'agreed']);

/**
 * What a row's Consent cell says when the upload gives no consent: how its learner consented (Written,
 * Implied), only that they agreed ("Yes") or nothing, which only the upload's consent completes, or neither
 * (No, or what cannot be read).
 */
export function consentStated(written: string): 'how' | 'not-how' | 'neither' {
  const consent = consentOf(written, { consent: null });
  if (consent === 'written' || consent === 'implied') return 'how';
  return consent === null || consent === unstatedKindOfConsent ? 'not-how' : 'neither';
}

/** Columns that identify a learner together; a file needs every column of one of them at least. */
const identifierColumns = [['state', 'licenseNumber'], ['npi'], ['board', 'boardId']] as const;

const quotedLabels = (names: readonly string[]) => names.map((name) => `"${labelOf.get(name)}"`).join(' and ');

/**
 * What a file's header lacks, beyond its required columns, for any of its rows to be taken: the birth month and
 * day, a way to identify the learner, and consent (a Consent column, or consent given for the whole upload).
 * Without them every row would be rejected for the same reason, so the file is refused when sent.
 */
export function learnerHeaderProblems(columns: ReadonlySet<string>, defaults: FileDefaults): Problem[] {
  const problems = learnerIdentityHeaderProblems(columns);
  if (!columns.has('consent') && defaults.consent === null) {
    problems.push({
      code: 'consent_required',
      field: 'consent',
      message: `The file has no "Consent" column and no consent was given for the upload, so every row would be refused. Add a "Consent" column saying Written or Implied for each learner, or ${howToGiveUploadConsent}.`,
    });
  }
  return problems;
}

/** What a header lacks for any of its learners to be identified: the birth month and day, and an identifier. */
export function learnerIdentityHeaderProblems(columns: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const absent = (names: readonly string[]) => names.filter((name) => !columns.has(name));

  const birthAbsent = absent(['birthMonth', 'birthDay']);
  if (birthAbsent.length > 0 && !columns.has('dateOfBirth')) {
    problems.push({
      code: 'missing_column',
      field: birthAbsent[0],
      message: `The file has no ${quotedLabels(birthAbsent)} ${birthAbsent.length > 1 ? 'columns' : 'column'}. Learners are identified by their birth month and day: add ${quotedLabels(['birthMonth', 'birthDay'])}, or one "${labelOf.get('dateOfBirth')}" column (MM/DD).`,
    });
  }

  if (!identifierColumns.some((names) => absent(names).length === 0)) {
    const partial = identifierColumns.filter((names) => absent(names).length < names.length);
    const lacking = partial.map((names) => ` It has ${quotedLabels(names.filter((name) => columns.has(name)))} but no ${quotedLabels(absent(names))}.`).join('');
    problems.push({
      code: 'missing_column',
      field: 'learner',
      message: `The file has no columns that identify the learner.${lacking} Add ${identifierColumns.map(quotedLabels).join(', or ')}: each row needs one of them.`,
    });
  }
  return problems;
}

/** The upload's own consent, for every row that does not state one: how each way of sending a file gives it. */
export const howToGiveUploadConsent =
  'send consent=written or consent=implied with the file (the consent choice on the Uploads page, --consent on the command line)';

// ---------------------------------------------------------------------------------------------
// Template

/**
 * Columns a file may carry in place of others, never written (an activity's title, a date of birth, a whole
 * name), with what each is read as, said in full for the upload's account of its headings.
 */
export const standInReadAs: Readonly<Record<string, string>> = {
  activityTitle: 'Activity, by its title',
  dateOfBirth: 'Birth month and day (a year is dropped)',
  fullName: 'First, middle and last name, in one column',
  ...Object.fromEntries(
    BOARD_NAMED_COLUMNS.map(({ name, standsFor, board }) => [name, standsFor === 'boardId' ? `Board ID, of the certifying board ${board}` : `MOC credits, of the board ${board}`]),
  ),
};
const standInColumns = new Set(Object.keys(standInReadAs));

/** The columns the hub writes, in the template's order: birth month and day, never a date of birth; first and last name. */
export const writtenLearnerColumns = LEARNER_FILE_COLUMNS.filter((column) => !standInColumns.has(column.name));

/** The template's columns, each cell's value taken by column name. */
export function learnerOutputColumns<T>(valueOf: (row: T, name: string) => string, { withoutCredits = false } = {}): OutputColumn<T>[] {
  const written = writtenLearnerColumns.filter((column) => !(withoutCredits && creditColumnsWithTypes.has(column.name)));
  return written.map((column) => ({
    header: column.label,
    value: (row: T) => valueOf(row, column.name),
    width: Math.max(14, column.label.length + 4),
    text: column.text,
    choices: column.choices,
    prompt: column.help,
  }));
}

const templateColumns = learnerOutputColumns<unknown>(() => '');

/** How to fill in a learner row and what happens to it: the instructions of the template and of the rows to fix. */
export const learnerRowInstructions = [
  'Identify each learner by name, birth month and day, and at least one of: license state and number, NPI, or certifying board and board ID.',
  'Never enter a birth year. The hub does not keep one.',
  'A row may carry several credit lines: AMA PRA Category 1 credits, MOC credits (with their type), and credits of one other type.',
  'A column headed by a certifying board and ID ("ABIM ID"), or by a board and MOC points ("ABIM MOC points"), is read as the Board ID, or the MOC credits, of that board.',
  'Upload the file under Uploads, by the API (POST /api/v1/uploads) or with "cmehub import". The receipt lists every row: accepted, pending (no unique match yet; tried again when the registry changes) or rejected, and why.',
  'Sending the same file again adds nothing. A row already reported is marked as a duplicate and not counted twice.',
  '',
  'Columns',
  ...LEARNER_FILE_COLUMNS.map((column) => `${column.label}${column.required ? ' (required)' : ''}: ${column.help}`),
];

const templateInstructions = [
  'Learner completions: how to fill in this file',
  'One row per learner per activity completed. Fill in the "Learners" sheet; keep its header row. Sheets without that header row are ignored; copies of the "Learners" sheet (a tab per month) are read one after another.',
  ...learnerRowInstructions,
];

/** An activity a provider's template lists, so that whoever fills the sheet in by hand finds the ID to write. */
export type TemplateActivity = { id: string; providerActivityId: string; title: string; startDate: string; endDate: string; credits: readonly Credit[] };

const templateActivitiesSheet = 'Your activities';

// Headings that name no learner column, so that the sheet is never read as one of learners.
const templateActivityColumns: OutputColumn<TemplateActivity>[] = [
  { header: 'Hub ID', value: (activity) => activity.id, width: 12, text: true },
  { header: 'Your ID', value: (activity) => activity.providerActivityId, width: 20, text: true },
  { header: 'Title', value: (activity) => activity.title, width: 50 },
  { header: 'Starts', value: (activity) => activity.startDate, width: 12 },
  { header: 'Ends', value: (activity) => activity.endDate, width: 12 },
  { header: 'Credits designated', value: (activity) => activity.credits.map(designatedCreditWords).join('; '), width: 60 },
];

/** "1.5 AMA PRA Category 1 Credit™", "10 ABIM: Medical knowledge (MOC_ABIM_MK)": named as the report rules name it. */
function designatedCreditWords({ type, amount }: Credit): string {
  return `${amount} ${creditTypeName(type)}`;
}

/**
 * The learner file template. A workbook for a provider also lists, on a sheet of its own, its activities that
 * take learner reports, with both IDs either of which the Activity ID column takes (a CSV file has one table only).
 */
export function learnerTemplate(format: 'csv' | 'xlsx', activities: readonly TemplateActivity[] = []): FileDownload {
  const listed = activities.length > 0;
  const instructions = listed
    ? [
        ...templateInstructions,
        `The "${templateActivitiesSheet}" sheet lists your activities that take learner reports now (${activities.length.toLocaleString('en-US')}); write either of an activity's IDs in the Activity ID column.`,
      ]
    : templateInstructions;
  return tableDownload(format, 'learner-completions-template', { name: 'Learners', columns: templateColumns, rows: [], templateRows: 2000 }, [
    ...(listed ? [{ name: templateActivitiesSheet, columns: templateActivityColumns, rows: activities }] : []),
    { name: 'Instructions', lines: instructions },
  ]);
}
