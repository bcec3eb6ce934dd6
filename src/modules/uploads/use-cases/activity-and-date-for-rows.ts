import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError, BadRequestError } from '../../../http/errors.ts';
import { acceptsLearnerReports, isActivityStatus } from '../../activities/lifecycle.ts';
import { activityMeant, activityName, sharedTitleMessage } from '../../reports/report-rules.ts';
import type { ActivityForRules } from '../../reports/report-rules.ts';
import { findNamedActivities } from '../../reports/reports.dependencies.ts';
import type { ActivityAndDateForRows } from '../learner-file.ts';
import type { UploadFormat } from '../uploads.tables.ts';

/**
 * The activity and completion date sent with a file for its rows that give none (a sign-in sheet for one
 * session), the activity as its hub ID: one the provider does not have, or one that takes no reports (a draft,
 * closed), is refused now, not on every row. A
 * MedBiquitous document, which says them itself, as it writes its dates YYYY-MM-DD, is refused with any of them
 * or the order of dates, rather than taken without them unseen.
 */
export async function activityAndDateForRows(
  db: Kysely<DB>,
  providerOrgId: string,
  format: UploadFormat,
  sent: { activity?: string; completionDate?: string; dates?: string },
): Promise<ActivityAndDateForRows> {
  if (format === 'xml') refuseOptionsNotForXml(sent);
  if (sent.activity === undefined && sent.completionDate === undefined) return { activityId: null, completionDate: null };
  const completionDate = sent.completionDate ?? null;
  return { activityId: sent.activity === undefined ? null : await activityIdOf(db, providerOrgId, sent.activity, completionDate), completionDate };
}

function refuseOptionsNotForXml(sent: { activity?: string; completionDate?: string; dates?: string }): void {
  const given = (['activity', 'completionDate', 'dates'] as const).filter((name) => sent[name] !== undefined);
  if (given.length === 0) return;
  throw new BadRequestError(
    'options_not_for_xml',
    `A MedBiquitous document names the activity and date of each report itself, written YYYY-MM-DD: send it without ${given.map((name) => `"${name}"`).join(' and ')}.`,
    given.map((name) => ({ code: 'options_not_for_xml', field: name, message: 'Not taken with a MedBiquitous document.' })),
  );
}

/**
 * The activity by its hub ID, the provider's own ID or its title; a title used again, the one that ran on the date
 * given. One that takes no learner reports (a draft, or closed) is refused as one not found is: every row given it
 * would be rejected for it.
 */
async function activityIdOf(db: Kysely<DB>, providerOrgId: string, reference: string, completionDate: string | null): Promise<string> {
  const activities = await findNamedActivities(db, providerOrgId, [reference], { byTitle: true });
  const activity = activities.named(reference, completionDate);
  if (activity) {
    refuseActivityTakingNoReports(activity);
    return activity.id;
  }
  const sharing = activities.sharingTitle(reference);
  const message =
    sharing > 1
      ? sharedTitleMessage(reference, sharing, completionDate)
      : `Your organization has no activity "${reference}" to give the rows without one.${activityMeant(activities.misspelt(reference))} Write its 9-digit hub activity ID, your own ID for it ` +
        'as registered with the hub, or its title when no other of your activities has it (your activities are listed under Activities).';
  throw new AppError(422, 'activity_not_found', message, { problems: [{ code: 'activity_not_found', field: 'activity', message }] });
}

/** What the rows would each be told of their activity's status (`checkReportRules`), said once for the file. */
function refuseActivityTakingNoReports(activity: ActivityForRules): void {
  if (isActivityStatus(activity.status) && acceptsLearnerReports(activity.status)) return;
  const closed = activity.status === 'closed';
  const code = closed ? 'activity_closed' : 'activity_not_active';
  const message = closed
    ? `Activity ${activityName(activity)} is closed: learners can no longer be reported for it, so every row given it would be rejected. ` +
      'If its learners are still to be reported, reopen it first (Reopen on its page under Activities, saying why), then send the file again; or give the rows the activity they were completed for.'
    : `Activity ${activityName(activity)} is still a draft, so every row given it would be rejected. Make it active before reporting learners ` +
      '(on its page under Activities; ready to close instead, once its end date has passed), then send the file again.';
  throw new AppError(422, code, message, { problems: [{ code, field: 'activity', message }] });
}
