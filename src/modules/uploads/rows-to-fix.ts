// The rejected rows of a learner file, laid out as the template with what to fix beside each, so that
// the sender corrects them in their spreadsheet and sends that file as a new upload. Pure: no I/O. The
// values come from the receipt, which keeps them for each rejected row (`valuesToFix`).

import type { ColumnSpec } from '../../files/columns.ts';
import { sheetRowWords } from '../../files/row-place.ts';
import type { SheetRow } from '../../files/row-place.ts';
import { tableDownload } from '../../files/tabular-writer.ts';
import type { FileDownload, OutputColumn } from '../../files/tabular-writer.ts';
import { calendarDate } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { Problem } from '../../http/errors.ts';
import { isIsoDate } from '../activities/dates.ts';
import { LEARNER_FILE_COLUMNS, labelOf, learnerOutputColumns, standsInFor } from './learner-columns.ts';
import type { LearnerRecord, StandIn, UploadConsent } from './learner-columns.ts';
import { learnerRowInstructions } from './learner-file-template.ts';
import { birthMonthDay, consentOf, learnerNames } from './learner-values.ts';

/**
 * The columns a file of rows to fix adds: known to the reader, so that sending the file back raises no
 * notice. The rejected report a row was kept as goes with it, so that the corrected row, once taken in,
 * replaces it rather than leaving it among the reports to fix.
 */
const whatToFix = { name: 'whatToFix', label: 'What to fix' };
const sentRow = { name: 'sentRow', label: 'Row in the file sent' };
export const rejectedReport = { name: 'rejectedReport', label: 'Rejected report (leave as it is)', synonyms: ['Rejected report'] };
export const ROWS_TO_FIX_COLUMNS: readonly ColumnSpec[] = [whatToFix, sentRow, rejectedReport];

/** `row`: the row of the file sent, on its sheet when the workbook's rows were read from several. */
export type RowToFix = { row: SheetRow; reportId: string | null; problems: Problem[]; record: LearnerRecord };

const keptColumns = LEARNER_FILE_COLUMNS.map((column) => column.name);
/** Columns kept by their parts, read as the row's report reads them. */
const readByParts = new Set(['activityTitle', 'dateOfBirth', 'birthMonth', 'birthDay', 'fullName', 'firstName', 'middleName', 'lastName']);

/**
 * What a rejected row keeps of what it was sent with, for its rows to fix: the non-empty values of the
 * learner columns. A "Date of birth", or a date typed into Birth month, may carry a year, which the hub
 * never keeps: birth month and day are kept as read, and a value that could not be read only when it holds
 * no number that could be a year (otherwise what to fix says what was wrong). `dateOrder`: the order the upload
 * said its dates are written in; `consent`: the consent it gave its rows.
 */
export function valuesToFix(record: LearnerRecord, { dateOrder, consent }: { dateOrder?: DateOrder | null; consent?: UploadConsent } = {}): LearnerRecord {
  const birth = birthMonthDay(record, dateOrder);
  const kept: LearnerRecord = {};
  for (const name of keptColumns) {
    if (!readByParts.has(name) && record[name]) kept[name] = record[name];
  }
  // A date read in the order the upload said goes back as it was read: the corrected rows, sent without it, read it so.
  const completionDate = dateOrder && record.completionDate ? calendarDate(record.completionDate, dateOrder) : undefined;
  if (completionDate && isIsoDate(completionDate)) kept.completionDate = completionDate;
  // An activity named by its title goes back in the Activity ID column, which the file to correct has.
  if (!kept.activityId && record.activityTitle) kept.activityId = record.activityTitle;
  // A whole name goes back split, as the file to correct has a column for each part.
  const names = learnerNames(record);
  for (const part of ['firstName', 'middleName', 'lastName'] as const) if (names[part]) kept[part] = names[part];
  // A name of one word stays where the file to correct shows it, beside what to fix.
  if (names.problem) kept.lastName = record.fullName;
  const birthMonth = birth.month === undefined ? withoutYear(record.birthMonth) : String(birth.month);
  const birthDay = birth.day === undefined ? withoutYear(record.birthDay) : String(birth.day);
  if (birthMonth) kept.birthMonth = birthMonth;
  if (birthDay) kept.birthDay = birthDay;
  // A row that took the upload's consent (empty, or "Yes") says it, as the corrected rows are sent without it.
  if (consent && consentOf(record.consent ?? '', consent) === consent) kept.consent = consentWords[consent];
  return kept;
}

const consentWords = { written: 'Written', implied: 'Implied' } as const;

/** The value, unless it has three digits or more in a row: a year, perhaps, which is not kept. */
function withoutYear(value: string | undefined): string | undefined {
  return value && !/\d{3}/.test(value) ? value : undefined;
}

/**
 * A problem as the rows to fix say it: with where to correct it when the column it names is one a file had in place
 * of the template's (a "Date of birth", a "Name", a "Course title"), as the rows to fix have the template's columns.
 */
function whatToFixOf(problem: Problem): string {
  const template = problem.field && Object.hasOwn(standsInFor, problem.field) ? standsInFor[problem.field as StandIn] : null;
  if (!template) return problem.message;
  const labels = template.map((name) => labelOf.get(name)).join(' and ');
  return `${problem.message} (here, in the ${labels} ${template.length > 1 ? 'columns' : 'column'})`;
}

/**
 * The columns of the file of rows to fix; without the credits columns when the upload had none and gave each
 * learner the activity's credits, so that the corrected rows, sent back, take them again.
 */
function columnsToFix(creditsFromActivity: boolean): OutputColumn<RowToFix>[] {
  const learnerColumns = learnerOutputColumns<RowToFix>((row, name) => row.record[name] ?? '', creditsFromActivity ? { withoutCredits: true } : {});
  return [
    { header: whatToFix.label, value: (row) => row.problems.map(whatToFixOf).join('\n'), width: 60, wrap: true },
    // A row of another sheet than the first is named with its sheet, which a number alone would not tell.
    { header: sentRow.label, value: ({ row }) => (row.sheet === null ? row.rowNumber : sheetRowWords(row)), width: 12 },
    ...learnerColumns,
    { header: rejectedReport.label, value: (row) => row.reportId ?? '', width: 38 },
  ];
}

const instructions = [
  'Rows to fix',
  'These are the rows of your upload that were rejected, with what to fix in the first column. Correct them here, then upload this file: the two first columns are ignored when it is read, and the last one, the rejected report each row was kept as, lets each corrected row replace its rejected report.',
  'Rows that were accepted or are pending are not here: they are on file and must not be sent again.',
  '',
  ...learnerRowInstructions,
];

/**
 * The rows to fix as a file: CSV, or an XLSX workbook with the template's drop-downs and instructions.
 * `creditsFromActivity`: the upload's file had no credits column.
 */
export function rowsToFixFile(
  format: 'csv' | 'xlsx',
  baseName: string,
  rows: AsyncIterable<RowToFix>,
  { rowCount, creditsFromActivity }: { rowCount: number; creditsFromActivity: boolean },
): FileDownload {
  const sheet = { name: 'Rows to fix', columns: columnsToFix(creditsFromActivity), rows, templateRows: rowCount };
  return tableDownload(format, baseName, sheet, [{ name: 'Instructions', lines: instructions }]);
}
