import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A rejected report is known by the row it was sent as (`rejection_key`, a hash of its values): the same row
// sent again, in the same file, a file sent again after it stopped, or a re-export, points to the rejected
// report on file instead of adding one more to fix. Only rejected reports carry it, and only they are indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('learner_reports').addColumn('rejection_key', 'text').execute();
  await sql`create index learner_reports_rejections on learner_reports (provider_org_id, rejection_key)
    where rejection_key is not null and status = 'rejected' and deleted_at is null`.execute(db);
}
