import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError } from '../../../http/errors.ts';
import { findNamedActivities } from '../../reports/reports.dependencies.ts';
import type { LearnerRow } from '../learner-rows.ts';
import type { UploadFormat } from '../uploads.tables.ts';

/**
 * Refuses a file none of whose first rows names one of the provider's activities (an activity not yet
 * registered, a column of course codes the hub does not know, another provider's IDs): every row would be
 * rejected for it, a year-end file's tens of thousands of them, each to correct. Refused before any row is taken,
 * naming what the rows wrote. A file some of whose first rows name one of the provider's activities is taken: a
 * row naming another is that row's own problem.
 */
export async function refuseFileOfUnknownActivities(db: Kysely<DB>, providerOrgId: string, format: UploadFormat, firstRows: readonly LearnerRow[]): Promise<void> {
  const named = firstRows.flatMap((row) => {
    const reference = (row.ingest.input?.activityId ?? row.ingest.readable?.activityId ?? '').trim();
    return row.ingest.keepNothing || !reference ? [] : [reference];
  });
  if (named.length === 0) return;
  const references = [...new Set(named)];
  const activities = await findNamedActivities(db, providerOrgId, references, { byTitle: format !== 'xml' });
  if (references.some((reference) => activities.named(reference, null) || activities.sharingTitle(reference) > 0)) return;
  const shown = references.slice(0, 3).map((reference) => `"${reference}"`);
  const more = references.length - shown.length;
  const listed = more > 0 ? `${shown.join(', ')} and ${more} more` : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  const written = references.length === 1 ? `activity ${shown[0]}` : `the activities ${listed}`;
  const rows = firstRows.length === 1 ? "The file's only row names" : `The file's first ${firstRows.length.toLocaleString('en-US')} rows name`;
  const message =
    `${rows} ${written}, and your organization has no activity by ${references.length === 1 ? 'that name' : 'any of those names'}, so every row would be rejected. ` +
    (format === 'xml'
      ? "Each report's activity is its 9-digit hub activity ID or your own ID for it as registered with the hub"
      : "Write each row's activity as its 9-digit hub activity ID, your own ID for it as registered with the hub, or its title") +
    ' (your activities are listed under Activities), or register the activity first, then send the file again.';
  throw new AppError(422, 'activities_not_found', message, { problems: [{ code: 'activities_not_found', field: 'activityId', message }] });
}
