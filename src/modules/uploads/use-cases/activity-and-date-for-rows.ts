import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError, BadRequestError } from '../../../http/errors.ts';
import { activityMeant, sharedTitleMessage } from '../../reports/report-rules.ts';
import { findNamedActivities } from '../../reports/reports.dependencies.ts';
import type { ActivityAndDateForRows } from '../learner-file.ts';
import type { UploadFormat } from '../uploads.tables.ts';

/**
 * The activity and completion date sent with a file for its rows that give none (a sign-in sheet for one
 * session), the activity as its hub ID: one the provider does not have is refused now, not on every row. A
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

/** The activity by its hub ID, the provider's own ID or its title; a title used again, the one that ran on the date given. */
async function activityIdOf(db: Kysely<DB>, providerOrgId: string, reference: string, completionDate: string | null): Promise<string> {
  const activities = await findNamedActivities(db, providerOrgId, [reference], { byTitle: true });
  const activity = activities.named(reference, completionDate);
  if (activity) return activity.id;
  const sharing = activities.sharingTitle(reference);
  const message =
    sharing > 1
      ? sharedTitleMessage(reference, sharing, completionDate)
      : `Your organization has no activity "${reference}" to give the rows without one.${activityMeant(activities.misspelt(reference))} Write its 9-digit hub activity ID, your own ID for it ` +
        'as registered with the hub, or its title when no other of your activities has it (your activities are listed under Activities).';
  throw new AppError(422, 'activity_not_found', message, { problems: [{ code: 'activity_not_found', field: 'activity', message }] });
}
