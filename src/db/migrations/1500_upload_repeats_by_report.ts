import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The receipt lines that repeat a report on file, by that report: a withdrawal looks up which later upload
// also sent each report it would delete, to leave it on file as that upload's. Only repeats are indexed, so
// that the rows a file takes in pay nothing for it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index upload_rows_repeats on upload_rows (report_id) where duplicate`.execute(db);
}
