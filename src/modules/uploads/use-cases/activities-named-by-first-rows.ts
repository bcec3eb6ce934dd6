import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError } from '../../../http/errors.ts';
import { hubToday } from '../../activities/dates.ts';
import { activityMeant, checkCompletionDate, completionDayOfActivity, meantActivityWords } from '../../reports/report-rules.ts';
import { findNamedActivities } from '../../reports/reports.dependencies.ts';
import type { NamedActivities } from '../../reports/reports.dependencies.ts';
import { calendarDate, howToGiveDateOrder, orderOf } from '../../../files/written-dates.ts';
import type { DateOrder } from '../../../files/written-dates.ts';
import { completionDatesWithoutYear, firstRowWords, UploadDateOrderRequiredError } from '../learner-rows.ts';
import type { LearnerRow } from '../learner-rows.ts';
import type { UploadFormat } from '../uploads.tables.ts';
import { inWords } from '../../../words.ts';

/**
 * Refuses a file whose first rows would all be rejected for what their activities say, each of tens of thousands
 * of rows to correct otherwise, before any row is taken:
 * - none of them names one of the provider's activities (an activity not yet registered, a column of course
 *   codes the hub does not know, another provider's IDs): said with what the rows wrote;
 * - every one of them dates its completion without a year (`completionDatesWithoutYear`), and no row's activity
 *   tells the year (a material available for two years takes the day in both): said with how to keep the year;
 * - every one of them (10 at least) that names one of the provider's activities and gives a date is dated where
 *   that activity refuses it (outside its dates, in the future, before the reporting window: a year typed wrong
 *   down the column): said with the first such row and why; or, when the upload does not say the order of its dates
 *   and every such date reads both ways and is one its activity takes read day first (a sign-in sheet written day
 *   first, 05/11/2026 for November 5), asked how the file writes its dates.
 * A file some of whose first rows pass is taken: a row that does not is that row's own problem.
 */
export async function checkFirstRowsAgainstActivities(
  db: Kysely<DB>,
  providerOrgId: string,
  { format, dateOrder }: { format: UploadFormat; dateOrder?: DateOrder | null },
  firstRows: readonly LearnerRow[],
): Promise<void> {
  const named = firstRows.flatMap((row) => {
    const reference = (row.ingest.input?.activityId ?? row.ingest.readable?.activityId ?? '').trim();
    const completionDate = row.ingest.input?.completionDate ?? row.ingest.readable?.completionDate ?? null;
    return row.ingest.keepNothing || !reference ? [] : [{ row, reference, completionDate }];
  });
  if (named.length === 0) {
    const withoutYear = completionDatesWithoutYear(firstRows, format, null);
    if (withoutYear) throw withoutYear;
    return;
  }
  const references = [...new Set(named.map(({ reference }) => reference))];
  const activities = await findNamedActivities(db, providerOrgId, references, { byTitle: format !== 'xml' });
  if (!references.some((reference) => activities.named(reference, null) || activities.sharingTitle(reference) > 0)) {
    throw unknownActivities(references, firstRows.length, format, activities.misspelt);
  }
  const today = hubToday();
  // A date written without its year is the day its activity tells, when it tells one.
  const dayTold = new Map(
    named.flatMap(({ row, reference }) => {
      const withoutYear = row.ingest.completionDateWithoutYear;
      const told = withoutYear && completionDayOfActivity(withoutYear.monthDay, (day) => activities.named(reference, day), today);
      return told ? [[row, told] as const] : [];
    }),
  );
  const withoutYear = completionDatesWithoutYear(firstRows, format, (row) => {
    const told = dayTold.get(row);
    return told ? ('day' in told ? null : told.because) : undefined;
  });
  if (withoutYear) throw withoutYear;
  const dated = named.flatMap(({ row, reference, completionDate: read }) => {
    // The stand-in of a date without its year is no day: the day its activity told, if any, is.
    const told = dayTold.get(row);
    const completionDate = row.ingest.completionDateWithoutYear ? (told && 'day' in told ? told.day : null) : read;
    const activity = completionDate ? activities.named(reference, completionDate) : undefined;
    return activity && completionDate ? [{ row, reference, completionDate, problems: checkCompletionDate(completionDate, activity, today) }] : [];
  });
  if (dated.length < rowsForColumnMistake || !dated.every(({ problems }) => problems.length > 0)) return;
  const takenDayFirst = (written: string | undefined, reference: string) => {
    if (!written || orderOf(written) !== 'either') return false;
    const dayFirst = calendarDate(written, 'day_first');
    const activity = activities.named(reference, dayFirst);
    return activity !== undefined && checkCompletionDate(dayFirst, activity, today).length === 0;
  };
  if (!dateOrder && format !== 'xml' && dated.every(({ row, reference }) => takenDayFirst(row.sent?.completionDate, reference))) throw datesTakenDayFirst(dated[0], dated.length);
  throw datesEveryActivityRefuses(dated[0], dated.length);
}

/**
 * Dated rows that must all be refused for the file to be: a few are told their problems in the receipt, each with
 * all of its own; a column of them is the column's mistake.
 */
const rowsForColumnMistake = 10;

function unknownActivities(references: string[], rowsLooked: number, format: UploadFormat, misspelt: NamedActivities['misspelt']): AppError {
  const shown = references.slice(0, 3).map((reference) => `"${reference}"`);
  // A title or ID with a typo down the column: the activity it probably is, for each of those named.
  const meant = references.slice(0, 3).flatMap((reference) => {
    const activity = misspelt(reference);
    return activity ? [references.length === 1 ? activityMeant(activity) : ` Is "${reference}" meant to be ${meantActivityWords(activity)}?`] : [];
  });
  const more = references.length - shown.length;
  const listed = more > 0 ? `${shown.join(', ')} and ${more} more` : inWords(shown);
  const written = references.length === 1 ? `activity ${shown[0]}` : `the activities ${listed}`;
  const rows = rowsLooked === 1 ? "The file's only row names" : `The file's first ${rowsLooked.toLocaleString('en-US')} rows name`;
  const message =
    `${rows} ${written}, and your organization has no activity by ${references.length === 1 ? 'that name' : 'any of those names'}, so every row would be rejected.${meant.join('')} ` +
    (format === 'xml'
      ? "Each report's activity is its 9-digit hub activity ID or your own ID for it as registered with the hub"
      : "Write each row's activity as its 9-digit hub activity ID, your own ID for it as registered with the hub, or its title") +
    ' (your activities are listed under Activities), or register the activity first, then send the file again.';
  return new AppError(422, 'activities_not_found', message, { problems: [{ code: 'activities_not_found', field: 'activityId', message }] });
}

type RefusedDate = { row: LearnerRow; completionDate: string; problems: { message: string }[] };

function datesEveryActivityRefuses(first: RefusedDate, rowsDated: number): AppError {
  const others = rowsDated === 1 ? '' : ` So would the ${otherDatedRows(rowsDated)}.`;
  const message =
    `${firstRowWords(first.row)} would be rejected for its completion date: ${first.problems.map((problem) => problem.message).join(' ')}${others} ` +
    'Check the completion dates (a year typed wrong down the column, or the wrong activity), then send the file again.';
  return new AppError(422, 'completion_dates_refused', message, { problems: [{ code: 'completion_dates_refused', field: 'completionDate', message }] });
}

/** "the other 11 of the file's first rows that give a date and name one of your activities" */
function otherDatedRows(rowsDated: number): string {
  return `other ${(rowsDated - 1).toLocaleString('en-US')} of the file's first rows that give a date and name one of your activities`;
}

/** Every refused date reads both ways, and read day first is one its activity takes: the file is written day first. */
function datesTakenDayFirst(first: RefusedDate, rowsDated: number): UploadDateOrderRequiredError {
  const written = first.row.sent?.completionDate ?? first.completionDate;
  const found =
    `${firstRowWords(first.row)} has the date "${written}", which read month first (MM/DD/YYYY) would be rejected: ${first.problems.map((problem) => problem.message).join(' ')} ` +
    `Read day first (DD/MM/YYYY), it is ${calendarDate(written, 'day_first')}, a date its activity takes, as are the dates of the ${otherDatedRows(rowsDated)}.`;
  return new UploadDateOrderRequiredError(
    `${found} Say how the file writes its dates: ${howToGiveDateOrder}; or with dates=month_first if those dates are mistakes, whose rows are then rejected.`,
    { code: 'dates_taken_day_first', field: 'completionDate', message: found },
  );
}
