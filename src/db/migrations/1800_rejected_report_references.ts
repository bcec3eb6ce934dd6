import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A rejected report keeps the sender's reference for its row (a file's Reference column), so that the row
// corrected and sent again with the same reference finds it even where its activity, completion date or one
// name was the mistake. Such a row has the first or the last name of the report it corrects, so the reports
// to fix are found by reference and either name: a reference that many rows share (a course code written as
// the reference) never makes each row read every report to fix under it. Only rejected reports carry a
// reference, and only those still to fix are indexed: the reports a file takes in pay nothing for it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('learner_reports').addColumn('reference', 'text').execute();
  await referEarlierReportsToFix(db);
  await sql`create index learner_reports_to_fix_by_last_name on learner_reports (provider_org_id, reference, lower(last_name))
    where reference is not null and status = 'rejected' and deleted_at is null`.execute(db);
  await sql`create index learner_reports_to_fix_by_first_name on learner_reports (provider_org_id, reference, lower(first_name))
    where reference is not null and status = 'rejected' and deleted_at is null`.execute(db);
}

/** The reports to fix already on file take the reference of the receipt line of the row each was sent as. */
export async function referEarlierReportsToFix(db: Kysely<any>): Promise<void> {
  await sql`
    update learner_reports report set reference = line.reference
    from upload_rows line
    where line.upload_id = report.upload_id and line.row_number = report.row_number and line.report_id = report.id
      and line.reference is not null and report.status = 'rejected' and report.deleted_at is null`.execute(db);
}
