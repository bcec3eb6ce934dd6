import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Credit lines are written for every accepted report and read by person (passport, boards). Three of
// their four indexes began with a random key (the person, or a credit type then the person), so each new
// line touched three random index pages: COPY of a million lines took 17-19 s, and 9 s with two indexes.
// One key now serves the reads and keeps lines unique: the person, then the order the passport pages in
// (completion date, report, credit type). The report index stays for corrections and deletions; the index
// by credit type was read by no query.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table learner_report_credits drop constraint learner_report_credits_pk`.execute(db);
  await sql`drop index learner_report_credits_person_date`.execute(db);
  await sql`drop index learner_report_credits_type`.execute(db);
  await sql`
    alter table learner_report_credits add constraint learner_report_credits_pk
      primary key (person_id, completion_date, report_id, credit_type)`.execute(db);
}
