import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// No query reads learner reports by upload (a receipt line names its report; a duplicate's origin is
// found by report id), yet every report an upload stores paid for an entry in this index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index learner_reports_upload`.execute(db);
}
