import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A row sent again as it was, after its rejected report was corrected by a later upload (a workbook sent again
// each month with a tab more, its rows fixed only in the rows to fix), is a repeat of that corrected report,
// not a new report to fix: those reports are found by the row they were sent as, beside the rejected reports on file.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index learner_reports_corrected_rejections on learner_reports (provider_org_id, rejection_key)
    where rejection_key is not null and status = 'rejected' and corrected_by_upload_id is not null`.execute(db);
}
