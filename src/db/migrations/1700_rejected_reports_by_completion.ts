import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A report taken in for the same learner's completion as a rejected report still to fix corrects it, whichever
// way it was sent (the whole file corrected and sent again, a MedBiquitous document sent again). Rejected
// reports to fix are found by their activity, completion date and last name (without it, every report taken
// in would read all the rejected reports of its activity and day); only they are indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index learner_reports_to_fix on learner_reports (provider_org_id, activity_id, completion_date, lower(last_name))
    where status = 'rejected' and deleted_at is null`.execute(db);
}
