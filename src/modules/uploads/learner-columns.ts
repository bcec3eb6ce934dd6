// The learner file's columns (CSV or XLSX): the template's, those headed by a certifying board's name, what a
// header must have for any row to be taken, and the columns the hub writes back. Pure: no I/O.

import type { ColumnSpec } from '../../files/columns.ts';
import type { OutputColumn } from '../../files/tabular-writer.ts';
import type { Problem } from '../../http/errors.ts';
import { MOC_BOARD_CODES, MOC_CREDIT_KINDS, MOC_CREDIT_TYPES, mocCreditType, OTHER_CREDIT_TYPES, parseMocCreditType } from '../activities/credit-types.ts';
import type { MocBoard } from '../activities/credit-types.ts';
import { boardIdHeadings, certifyingBoardCodes } from '../reference/certifying-boards.ts';
import { jurisdictionCodes, jurisdictionName, jurisdictions, type JurisdictionCode } from '../reference/jurisdictions.ts';
import { charactersPast, cutShort, inWords, quoted } from '../../words.ts';

export type LearnerColumn = ColumnSpec & {
  /** What to write: the template's instructions and the cell prompt. */
  help: string;
  choices?: readonly string[];
  /** Kept as text in the XLSX template, so that Excel keeps leading zeros. */
  text?: boolean;
};

export const CONSENT_CHOICES = ['Written', 'Implied', 'No'] as const;

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
    orElse: 'give with the file the activity of every row that names none (the "Activity of every row" choice on the Uploads page, activity= through the API, --activity on the command line)',
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
      // An application's table, as Rails and Django name the time of a completion.
      'Completed at',
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
      'Attended on',
    ],
    required: true,
    // The day of the session a sign-in sheet or an event's export names it by: "Grand rounds date", "Date of the
    // webinar", "Conference date"; not when someone registered, ordered, or was born.
    headingPattern:
      /^(?:dateof(?:the)?(?:session|event|course|class|meeting|webinar|lecture|program|programme|training|conference|grandrounds|rounds|presentation|seminar|workshop|talk)|(?:session|event|course|class|meeting|webinar|lecture|program|programme|training|conference|grandrounds|rounds|presentation|seminar|workshop|talk)(?:held)?date)$/,
    // When a form's response was sent, which is the session's day only if it was filled in there.
    lookalikes: ['Timestamp', 'Completion time', 'Submitted', 'Submitted on', 'Submission date', 'Date submitted', 'Submit date', 'Response date', 'Start time'],
    orElse: 'give with the file the date of every row that gives none (the "Completion date of every row" choice on the Uploads page, completionDate= through the API, --completion-date on the command line)',
    help: 'YYYY-MM-DD or MM/DD/YYYY. Empty: the date given with the upload, if one was.',
  },
  { name: 'firstName', label: 'First name', synonyms: ['Given name', 'Learner first name', 'First', 'FName', 'F name'], required: true, replaceableBy: 'fullName', help: 'As on the license.' },
  { name: 'middleName', label: 'Middle name', synonyms: ['Middle initial', 'MI', 'Middle'], help: 'Optional.' },
  { name: 'lastName', label: 'Last name', synonyms: ['Family name', 'Surname', 'Learner last name', 'Last', 'LName', 'L name'], required: true, replaceableBy: 'fullName', help: 'As on the license.' },
  {
    name: 'fullName',
    label: 'Name',
    // "Print name", as a paper sign-in sheet asks for it beside the signature ("Please print your name" too: a form's "Please" is dropped).
    synonyms: ['Full name', 'Name of learner', 'Last name, first name', 'Last, first', 'First name last name', 'First and last name', 'Print name', 'Print your name', 'Print full name', 'Print your full name', 'Printed name', 'Name printed'],
    help: 'Instead of first and last name: the whole name, "Maria Lopez" or "Lopez, Maria" (titles and credentials such as Dr. or MD are left out).',
  },
  {
    name: 'birthMonth',
    label: 'Birth month',
    synonyms: ['DOB month', 'Month of birth', 'Birth month MM', 'Birth mo', 'DOB MM'],
    help: '1 to 12. Never send a birth year: the hub does not keep one.',
  },
  {
    name: 'birthDay',
    label: 'Birth day',
    synonyms: ['DOB day', 'Day of birth', 'Birth day DD', 'DOB DD', 'Birth dy', 'DOB dy'],
    // A form's "Birthday (MM/DD)", "What is your birthday?": the whole birthday, where no column gives its month.
    alone: { heading: /birthday/i, without: ['birthMonth', 'dateOfBirth'], readAs: 'dateOfBirth' },
    help: '1 to 31.',
  },
  {
    name: 'dateOfBirth',
    label: 'Date of birth',
    synonyms: ['DOB', 'Birth date', 'Birthdate', 'Birth month and day', 'Month and day of birth', 'Month/day of birth', 'Birth month/day', 'DOB month/day'],
    help: 'Instead of birth month and day: MM/DD. A year, if present, is ignored and not kept.',
  },
  {
    name: 'state',
    label: 'License state',
    synonyms: ['Licensing state', 'State of license', 'State of licensure', 'Licensure state', 'License issuing state', 'Issuing state', 'License jurisdiction', 'Lic state', 'License st', 'License state/province', 'State/province of license', 'State licensed', 'Licensed state', 'State licensed in', 'State of licensing', 'Licensing jurisdiction', 'Medical license state', 'License state of issue'],
    // A mailing address's state, in learning systems' exports, beside the license's.
    looseSynonyms: ['State', 'Jurisdiction', 'St'],
    // A form's question: "Which state issued your license?", "In which state are you licensed?"; not the number's, nor an address's.
    headingPattern: /^(?!.*(?:number|num$|no$|id$|expir|date|type|status|consent|attest|report|mailing|address|home|practice|work))(?:.*(?:state|jurisdiction).*licen[sc]|.*licen[sc].*(?:state|jurisdiction))/,
    help: 'The 2-letter code of the state that issued the license (with the license number).',
    choices: jurisdictionCodes,
  },
  {
    name: 'licenseNumber',
    label: 'License number',
    synonyms: ['License #', 'License no', 'License num', 'License ID', 'Lic #', 'Lic no', 'Lic number', 'State license number', 'Medical license number', 'Medical license', 'Medical lic #', 'Medical lic no', 'Med lic #', 'Med license #'],
    looseSynonyms: ['License'],
    // "What is your state medical license number?", "Licensure number"; not an NPI's, a DEA's or a board's.
    headingPattern: /^(?!.*(?:npi|dea|driver|board|expir|date|state$|type|status|consent|attest))(?:.*licen(?:[sc]e|sure)?(?:number|num|no|id)$|.*(?:number|num).*licen[sc])/,
    help: 'As the state board writes it, prefix letters included.',
    text: true,
  },
  { name: 'npi', label: 'NPI', synonyms: ['NPI number', 'NPI #', 'NPI no', 'NPI ID', 'National provider identifier', 'Individual NPI', 'Type 1 NPI'], help: '10 digits.', text: true },
  {
    name: 'board',
    label: 'Certifying board',
    synonyms: ['MOC board', 'Certifying board code', 'Board code'],
    looseSynonyms: ['Board'],
    help: `With the board ID: ${certifyingBoardCodes.join(', ')}.`,
    choices: certifyingBoardCodes,
  },
  {
    name: 'boardId',
    label: 'Board ID',
    synonyms: ['Certifying board ID', 'Diplomate ID', 'Board number', 'Board identifier', 'Board certification number', 'Board certification ID'],
    help: 'The ID the certifying board gave the physician.',
    text: true,
  },
  {
    name: 'cmeCredits',
    label: 'AMA PRA Category 1 credits',
    synonyms: ['CME credits', 'CME', 'AMA credits', 'Category 1 credits', 'AMA PRA Category 1 Credit', 'Credits', 'Credit', 'Credits earned', 'Credits awarded', 'Credits claimed', 'Claimed credits', 'Credit amount', 'Credit hours', 'CME hours', 'Cat 1 credits', 'Category 1', 'AMA PRA Category 1', 'AMA PRA Cat 1 credits', 'Total credits', 'Hours claimed', 'CME credits earned', 'Hours earned', 'CME hours earned', 'CME hrs', 'Credit hrs'],
    // The time attended, in a sign-in sheet or a learning system's export, beside the credits awarded.
    looseSynonyms: ['Hours', 'Hours attended', 'Hours completed', 'Number of hours', 'Hours of participation', 'Hrs', 'Total hours', 'Total hrs'],
    // A form's question: "How many credits are you claiming?", "Number of credits claimed"; not what the activity
    // designates, another kind of credit's, nor the attestation that the credits claimed are commensurate with it.
    headingPattern:
      /^(?!.*(?:moc|abim|abp|aafp|nursing|pharmac|ancc|acpe|aapa|other|type|date|id$|max|designat|offered|available|commensurate|extent|attest|certify|agree))(?:howmany(?:cme|credit|hour|amapra|category)|.*(?:credit|cme|hour)s?.*(?:claim|earn|request|award)|.*(?:claim|earn|request|award).*(?:credit|cme|hour))/,
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

/**
 * Columns of an event's registration or attendance export that say whether a registrant attended: read only to keep
 * a registrant who did not attend from being credited (`attendanceOf`), never written. "Attended" (Zoom, Cvent,
 * a sign-in sheet), "Checked In" and Eventbrite's "Attendee Status", or a form's attestation ("I attest that I
 * attended this activity"): a row is taken only when it says the learner attended. A registration's status
 * ("Registration Status", Cvent's) says who registered: only its cancelled or declined rows are not taken.
 */
export const ATTENDANCE_COLUMNS: readonly LearnerColumn[] = [
  {
    name: 'attended',
    label: 'Attended',
    synonyms: ['Attendance', 'Did attend', 'Did you attend', 'Checked in', 'Check in', 'Check in status', 'Checked in status', 'Present', 'Attended yes no', 'Attendee status', 'Participated'],
    // A booking system's state of a booking ("Complete": booked), beside which its "Attended?" is read.
    looseSynonyms: ['Attendance status'],
    // A form's attestation or question, "I attest that I attended this activity", "Did you attend the whole session?";
    // not the session or hours attended, nor when.
    headingPattern: /^(?!.*(?:date|time|hour|minute|duration|how|when|where|which|what|consent))(?:.*(?:attest|certify|confirm|verify|declare).*(?:attend|present|participat)|(?:did|have|were|was)you.*(?:attend|present|participat)|i(?:have|fully)?(?:attended|participated))/,
    help: 'Yes (Attended, Present, Checked In) for a learner who attended. A row that does not say so is not taken.',
  },
  {
    name: 'registrationStatus',
    label: 'Registration status',
    synonyms: ['Registrant status', 'Registration state', 'RSVP', 'RSVP status', 'Invitee status', 'Booking status', 'Ticket status', 'Order status'],
    help: 'A registration system\'s status of the registration: a row Cancelled, Declined or Not Attending is not taken.',
  },
];

/**
 * A column whose heading names who issued its values: a certifying board ("ABIM ID", "ABIM MOC points") or a state
 * ("CA License #"). It stands in for a template's column and gives that column's issuer with it.
 */
type IssuerNamedColumn = LearnerColumn &
  ({ standsFor: 'boardId'; board: string } | { standsFor: 'mocCredits'; board: MocBoard } | { standsFor: 'licenseNumber'; state: JurisdictionCode });

/** "ABIM ID": the Board ID column, with ABIM for the board. */
export const BOARD_ID_COLUMNS: readonly IssuerNamedColumn[] = certifyingBoardCodes.map((board) => {
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
const BOARD_MOC_COLUMNS: readonly IssuerNamedColumn[] = MOC_BOARD_CODES.map((board) => ({
  name: `mocCredits:${board}`,
  label: `${board} MOC points`,
  synonyms: [`${board} MOC credits`, `${board} MOC`, `${board} points`, `${board} MOC points earned`],
  help: `${board} MOC points, instead of the MOC credits column and the board; the MOC credit type may give the kind alone, or one type per board for points of two ("MK; LA").`,
  standsFor: 'mocCredits',
  board,
}));

/**
 * Codes read as a state's only in its name: before "License", MD and PA say whose license it is (a doctor's, a
 * physician assistant's), not where it was issued.
 */
const codesNotStates = new Set(['MD', 'PA']);

/**
 * "CA License #", "California medical license", "License # (CA)": the License number column, with that state for
 * the License state, as a hospital's sign-in sheet heads the one license it asks for.
 */
export const STATE_LICENSE_COLUMNS: readonly IssuerNamedColumn[] = jurisdictions.map(([state, stateName]) => {
  const names = [...(codesNotStates.has(state) ? [] : [state]), stateName];
  const headings = names.flatMap((name) => ['license number', 'license', 'license no', 'lic #', 'lic no', 'medical license', 'medical license number', 'state license', 'state license number'].map((kind) => `${name} ${kind}`));
  const [label, ...synonyms] = headings;
  return {
    name: `licenseNumber:${state}`,
    label,
    synonyms,
    help: `License numbers ${stateName} issued, instead of the License number and License state columns.`,
    text: true,
    standsFor: 'licenseNumber',
    state,
  };
});

/**
 * Columns whose heading names who issued their values, as learning systems and sign-in sheets head them. Read
 * (`withIssuerNamedColumns` turns them into the template's own columns), never written.
 */
export const ISSUER_NAMED_COLUMNS: readonly IssuerNamedColumn[] = [...BOARD_ID_COLUMNS, ...BOARD_MOC_COLUMNS, ...STATE_LICENSE_COLUMNS];
const issuerNamedByName = new Map(ISSUER_NAMED_COLUMNS.map((column) => [column.name, column]));

export const isIssuerNamed = (name: string) => issuerNamedByName.has(name);

/** The issuer-named columns among these. */
export const issuerNamedColumnsIn = (columns: Iterable<string>): string[] => [...columns].filter(isIssuerNamed);

/** The template's columns an issuer-named column gives: "ABIM ID" a board and a board ID, "CA License #" a state and a license number. */
const columnsGiven = (column: IssuerNamedColumn): readonly string[] => (column.standsFor === 'licenseNumber' ? ['licenseNumber', 'state'] : ['board', column.standsFor]);

/** The columns a header has, with those its issuer-named columns stand in for. */
export function withIssuerNamedColumnNames(columns: ReadonlySet<string>): Set<string> {
  return new Set([...columns, ...issuerNamedColumnsIn(columns).flatMap((name) => columnsGiven(issuerNamedByName.get(name)!))]);
}

/** A row's values with its issuer-named columns read into the template's, and what of them could not be. */
export type IssuerNamedRead = { record: LearnerRecord; problems: Problem[] };

/** The template's credit columns a board's MOC points may take, in turn: a row may carry points of two boards. */
const mocPointsSlots = [['mocCredits', 'mocCreditType'], ['otherCredits', 'otherCreditType']] as const;

/**
 * The row with the values of its issuer-named columns (`named`, those of its header) in the template's own columns
 * where it has none there: "ABIM ID" 123456 is Board ID 123456 of the board ABIM; "CA License #" A12345 is license
 * number A12345 of California, whatever state another column of the row names (a mailing address's). A board's MOC
 * points are that board's whatever else the row names, typed by the MOC credit type it writes for that board ("MK",
 * or one per board: "MK; LA"), in the MOC credits columns or, for a second board, the other credits columns.
 */
export function withIssuerNamedColumns(record: LearnerRecord, named: readonly string[]): IssuerNamedRead {
  let filled: LearnerRecord | undefined;
  const problems: Problem[] = [];
  for (const name of named) {
    const value = record[name]?.trim();
    if (!value) continue;
    const column = issuerNamedByName.get(name)!;
    filled ??= { ...record };
    if (column.standsFor === 'licenseNumber') {
      if (!filled.licenseNumber?.trim()) [filled.licenseNumber, filled.state] = [value, column.state];
      continue;
    }
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

/** The consent an upload gives the rows that state none, if it gives one. */
export type UploadConsent = 'written' | 'implied' | null;

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

/**
 * The same, of a file that says how long each learner was in the session (Zoom's "Time in Session (minutes)", Teams'
 * "In-Meeting Duration"): that time is not read as credits, which a minute past the quarter hour or a late join would
 * make other than what the learner claims; each learner is given all the activity's credits, however long they stayed.
 */
export function creditsFromActivityNoticeOf(unusedHeadings: readonly string[]): Problem {
  const timed = unusedHeadings.filter((heading) => timeInSession.test(heading));
  if (timed.length === 0) return creditsFromActivityNotice;
  const named = inWords(timed.map((heading) => `"${heading}"`));
  return {
    ...creditsFromActivityNotice,
    message: `The file has no credits column: each learner is given the AMA PRA Category 1 credits their activity designates, all of them, however long they stayed: its ${named} ${timed.length === 1 ? 'is' : 'are'} not read as credits. To report fewer for learners who joined late or left early, add a column "AMA PRA Category 1 credits" with each learner's credits (in hours, in steps of 0.25).`,
  };
}

/** A heading of the time a learner spent in a session, as meeting and webinar reports write it. */
const timeInSession = /duration|minutes|time in (?:session|meeting|call|webinar)|time attended|attendance time|time spent|time present/i;

export const labelOf = new Map(LEARNER_FILE_COLUMNS.map((column) => [column.name, column.label]));

/** A column a file may have in place of the template's own: a date of birth, a whole name, an activity's title. */
export type StandIn = 'dateOfBirth' | 'fullName' | 'activityTitle';

/** The template's columns each stand-in is read into. */
export const standsInFor: Readonly<Record<StandIn, readonly string[]>> = {
  dateOfBirth: ['birthMonth', 'birthDay'],
  fullName: ['firstName', 'lastName'],
  activityTitle: ['activityId'],
};

/**
 * The stand-ins a file with these columns has in place of every column they stand in for: a cell of one left
 * empty is that column's, the only one the file has, not the template's columns it lacks.
 */
export function standInsOf(columns: ReadonlySet<string>): ReadonlySet<StandIn> {
  const standIns = Object.keys(standsInFor) as StandIn[];
  return new Set(standIns.filter((standIn) => columns.has(standIn) && !standsInFor[standIn].some((name) => columns.has(name))));
}

/** Columns that identify a learner together; a file needs every column of one of them at least. */
const identifierColumns = [['state', 'licenseNumber'], ['npi'], ['board', 'boardId']] as const;

const quotedLabels = (names: readonly string[]) => names.map((name) => `"${labelOf.get(name)}"`).join(' and ');

/**
 * What a file's header lacks, beyond its required columns, for any of its rows to be taken: the birth month and
 * day, a way to identify the learner, and consent (a Consent column, or consent given for the whole upload).
 * Without them every row would be rejected for the same reason, so the file is refused when sent.
 */
export function learnerHeaderProblems(columns: ReadonlySet<string>, { consent }: { consent: UploadConsent }): Problem[] {
  const problems = learnerIdentityHeaderProblems(columns);
  if (!columns.has('consent') && consent === null) {
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

/**
 * Half of an identifier's columns, in a file that other columns let in: a license number without its state (or a
 * state without a number), a board ID without its board. The rows that give nothing else are rejected, each for a
 * cell its sheet does not have; said once of the file, with the column to add.
 */
export function halfIdentifierNotices(columns: ReadonlySet<string>): Problem[] {
  return halvesAbsent(columns).map(([has, lacks]) => ({
    code: 'identifier_column_missing',
    field: lacks,
    message: `The file has a "${labelOf.get(has)}" column but no "${labelOf.get(lacks)}": ${halfIdentifierWhy[lacks]}, so its rows that give no other identifier are rejected. Add a "${labelOf.get(lacks)}" column.`,
  }));
}

/** The columns of an identifier a file lacks, beside the other half of it: their empty cells are no mistake of the row. */
export const absentIdentifierHalves = (columns: ReadonlySet<string>): ReadonlySet<string> => new Set(halvesAbsent(columns).map(([, lacks]) => lacks));

const halvesAbsent = (columns: ReadonlySet<string>) => identifierPairs.filter(([has, lacks]) => columns.has(has) && !columns.has(lacks));
const identifierPairs = [['licenseNumber', 'state'], ['state', 'licenseNumber'], ['boardId', 'board']] as const;
const halfIdentifierWhy: Record<string, string> = {
  state: 'a license number is read with the state that issued it (its two-letter code, such as CA)',
  licenseNumber: 'a state identifies a learner only with their license number there',
  board: 'a board ID is read with the certifying board that issued it (such as ABIM)',
};

/** The upload's own consent, for every row that does not state one: how each way of sending a file gives it. */
export const howToGiveUploadConsent =
  'send consent=written or consent=implied with the file (the consent choice on the Uploads page, --consent on the command line)';

/**
 * Columns a file may carry in place of others, never written (an activity's title, a date of birth, a whole
 * name), with what each is read as, said in full for the upload's account of its headings.
 */
export const standInReadAs: Readonly<Record<string, string>> = {
  activityTitle: 'Activity, by its title',
  dateOfBirth: 'Birth month and day (a year is dropped)',
  fullName: 'First, middle and last name, in one column',
  ...Object.fromEntries(
    ISSUER_NAMED_COLUMNS.map((column) => [column.name, issuerNamedReadAs(column)]),
  ),
};
export const standInColumns = new Set(Object.keys(standInReadAs));

/** What an issuer-named column is read as, said in the upload's account of its headings. */
function issuerNamedReadAs(column: IssuerNamedColumn): string {
  switch (column.standsFor) {
    case 'boardId':
      return `Board ID, of the certifying board ${column.board}`;
    case 'mocCredits':
      return `MOC credits, of the board ${column.board}`;
    case 'licenseNumber':
      return `License number, of ${jurisdictionName.get(column.state)} (License state ${column.state})`;
  }
}

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

/** Headings of the receipt's own columns, which no learner file has: a receipt sent back as one is told by them. */
export const RECEIPT_OWN_HEADINGS = { reportId: 'Report ID', problemCodes: 'Problem codes' } as const;
