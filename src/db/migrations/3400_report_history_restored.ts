import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// A rejected report whose correction is withdrawn is to fix again: its history says so.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table learner_report_history drop constraint learner_report_history_action_check`.execute(db);
  await sql`alter table learner_report_history add constraint learner_report_history_action_check
    check (action in ('corrected', 'deleted', 'matched', 'rejected_as_duplicate', 'restored'))`.execute(db);
}
