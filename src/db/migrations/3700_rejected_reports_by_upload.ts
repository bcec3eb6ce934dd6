import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// How many of an upload's rejected rows are still to fix, which its page says, is counted from its own rejected
// reports (from the index alone once vacuumed: the provider is in it, as every query of reports names it), rather
// than from all the provider's rejected reports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index learner_reports_upload_to_fix on learner_reports (upload_id, provider_org_id)
    where status = 'rejected' and deleted_at is null`.execute(db);
}
