import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// How many of an upload's rejected rows are still to fix is said wherever the upload is shown, its page and the lists
// of uploads: counted from its rejected reports alone, from the index only once vacuumed (the provider is in it, as
// every query of reports names it), rather than from each of the million reports a file may hold.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index learner_reports_upload_to_fix on learner_reports (upload_id, provider_org_id)
    where status = 'rejected' and deleted_at is null`.execute(db);
}
