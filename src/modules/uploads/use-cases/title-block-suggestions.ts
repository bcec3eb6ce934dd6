import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RowAbove } from '../../../files/columns.ts';
import type { DateOrder } from '../../../files/written-dates.ts';
import type { Problem, Suggestion } from '../../../http/errors.ts';
import { hubToday } from '../../activities/dates.ts';
import { activityName, completionDayOfActivity, meantActivityWords } from '../../reports/report-rules.ts';
import type { ActivityForRules } from '../../reports/report-rules.ts';
import type { ActivityNamed } from '../../activities/activities.repository.ts';
import { findNamedActivities } from '../../reports/reports.dependencies.ts';
import { LearnerFileHeaderError } from '../learner-rows.ts';
import { activityReferencesAbove, dateAboveHeader, monthDayAboveHeader, oneOf } from '../title-block.ts';
import type { SaidAbove } from '../title-block.ts';

/**
 * A header refused for want of the activity or the date of its rows (a sign-in sheet for one session), with what the
 * rows above it say of them: the day of the session, and an activity of the provider's it names. Each is offered with
 * its problem (`suggestion`), for the sender to confirm by sending it; the file is refused all the same.
 */
export async function withTitleBlockSuggestions(
  db: Kysely<DB>,
  providerOrgId: string,
  refused: LearnerFileHeaderError,
  { dateOrder, activityForRows }: { dateOrder: DateOrder | null; activityForRows: string | null },
): Promise<LearnerFileHeaderError> {
  const { header } = refused;
  const problems = refused.problems ?? [];
  const lacks = (field: string) => problems.some((problem) => problem.code === 'missing_column' && problem.field === field);
  if (!header?.rowsAbove || !(lacks('activityId') || lacks('completionDate'))) return refused;
  const dateWritten = dateAboveHeader(header.rowsAbove, dateOrder);
  const activity = lacks('activityId') ? await activityAbove(db, providerOrgId, header.rowsAbove, dateWritten?.date ?? null) : null;
  const activityOfRows = activity && ('misspelt' in activity ? activity.misspelt.id : activity.activity);
  const date = dateWritten ?? (lacks('completionDate') ? await dayToldByActivity(db, providerOrgId, header.rowsAbove, dateOrder, activityOfRows ?? activityForRows) : null);
  if (!date && !activity) return refused;

  const where = ({ rowNumber }: SaidAbove) => `Row ${rowNumber}${header.sheetName ? ` of sheet "${header.sheetName}"` : ''}, above the header,`;
  const suggestion = (value: string, { rowNumber, text }: SaidAbove, probably = false): Suggestion => ({
    value,
    said: text,
    row: rowNumber,
    ...(header.sheetName ? { sheet: header.sheetName } : {}),
    ...(probably ? { probably: true } : {}),
  });
  const amended = problems.map((problem): Problem => {
    if (problem.code !== 'missing_column') return problem;
    if (problem.field === 'completionDate' && date) {
      return {
        ...problem,
        message: `${problem.message} ${where(date.said)} says "${date.said.text}"${dateWritten ? '' : `, which is ${date.date}, the one such day its activity takes`}: if every row is of that day, give ${date.date}.`,
        suggestion: suggestion(date.date, date.said),
      };
    }
    if (problem.field === 'activityId' && activity) {
      // A title misspelt is offered as the activity it probably is.
      const [named, value] =
        'misspelt' in activity
          ? [`is probably your activity ${meantActivityWords(activity.misspelt)}, misspelt`, activity.misspelt.id]
          : [`names your activity ${activityName(activity.activity)}`, activity.activity.id];
      return {
        ...problem,
        message: `${problem.message} ${where(activity.said)} says "${activity.said.text}", which ${named}: if every row is of it, give ${value}.`,
        suggestion: suggestion(value, activity.said, 'misspelt' in activity),
      };
    }
    return problem;
  });
  return new LearnerFileHeaderError(amended, header);
}

/**
 * The day a date above the header written without its year is ("Date: Nov 13"), told by the activity of every row:
 * the one the rows above name, or the one given with the file (its reference). Null when there is no such date, or
 * the activity does not tell its year.
 */
async function dayToldByActivity(
  db: Kysely<DB>,
  providerOrgId: string,
  rows: readonly RowAbove[],
  dateOrder: DateOrder | null,
  activity: ActivityForRules | string | null,
): Promise<{ date: string; said: SaidAbove } | null> {
  const withoutYear = monthDayAboveHeader(rows, dateOrder);
  if (!withoutYear || activity === null) return null;
  const named = typeof activity === 'string' ? await findNamedActivities(db, providerOrgId, [activity], { byTitle: true, misspelt: false }) : null;
  const activityOn = (day: string) => (typeof activity === 'string' ? named?.named(activity, day) : activity);
  const told = completionDayOfActivity(withoutYear.monthDay, activityOn, hubToday());
  return told && 'day' in told ? { date: told.day, said: withoutYear.said } : null;
}

/**
 * The one activity of the provider's the rows above the header name (by its title, hub ID or the provider's own ID),
 * the one of a title shared by several that ran on the date they give; named by a part of a line only when no whole
 * line names one. When none is named, the one a whole line names misspelt (`misspelt`: a title typed by hand).
 * Null for none, or several.
 */
async function activityAbove(
  db: Kysely<DB>,
  providerOrgId: string,
  rows: readonly RowAbove[],
  completionDate: string | null,
): Promise<{ activity: ActivityForRules; said: SaidAbove } | { misspelt: ActivityNamed; said: SaidAbove } | null> {
  const references = activityReferencesAbove(rows);
  if (references.length === 0) return null;
  const activities = await findNamedActivities(db, providerOrgId, [...new Set(references.map((reference) => reference.value))], { byTitle: true });
  const byId = new Map<string, ActivityForRules>();
  const named = references.flatMap((reference) => {
    const activity = activities.named(reference.value, completionDate);
    if (!activity) return [];
    byId.set(activity.id, activity);
    return [{ ...reference, value: activity.id, naming: reference.value }];
  });
  // A whole line names the activity before any of its parts does, and the longest run of parts before a shorter.
  const wholes = named.filter((reference) => !reference.part);
  const longest = Math.max(0, ...named.map(({ naming }) => naming.length));
  const one = oneOf(wholes.length > 0 ? wholes : named.filter(({ naming }) => naming.length === longest));
  const activity = one && byId.get(one.value);
  if (activity) return { activity, said: one.said };
  if (named.length > 0) return null;
  const meant = new Map<string, ActivityNamed>();
  const misspelt = oneOf(
    references.flatMap((reference) => {
      const activityMeant = reference.part ? undefined : activities.misspelt(reference.value);
      if (!activityMeant) return [];
      meant.set(activityMeant.id, activityMeant);
      return [{ ...reference, value: activityMeant.id }];
    }),
  );
  const misspeltActivity = misspelt && meant.get(misspelt.value);
  return misspelt && misspeltActivity ? { misspelt: misspeltActivity, said: misspelt.said } : null;
}
