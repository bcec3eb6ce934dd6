import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A sign-in sheet for one session names no activity or date on its rows: the upload gives them for the rows
// without one. The same file sent for another activity or day is other completions, so another upload.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('rows_activity_id', sql`char(9)`, (column) => column.references('activities.id'))
    .addColumn('rows_completion_date', 'date')
    .execute();
  await sql`drop index uploads_same_file`.execute(db);
  await sql`
    create unique index uploads_same_file on uploads (provider_org_id, file_sha256, rows_activity_id, rows_completion_date) nulls not distinct
      where status <> 'failed' and (withdrawal is null or withdrawal->>'at' is null)`.execute(db);
}
