import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { FileDownload } from '../../../files/tabular-writer.ts';
import type { Actor } from '../../../http/actor.ts';
import { listReportableActivities } from '../../activities/activities.repository.ts';
import { learnerTemplate } from '../learner-file-template.ts';

/** The most activities a template lists, most recent first; a sheet longer than this helps no one pick. */
const listedActivities = 2_000;

/**
 * The learner file template. A workbook downloaded by someone of a provider also lists that provider's
 * activities that take learner reports now, with both the IDs the Activity ID column takes.
 */
export async function learnerTemplateFor(db: Kysely<DB>, actor: Actor, format: 'csv' | 'xlsx'): Promise<FileDownload> {
  if (format === 'csv' || actor.organizationKind !== 'provider' || !actor.organizationId) return learnerTemplate(format);
  return learnerTemplate(format, await listReportableActivities(db, actor.organizationId, listedActivities));
}
