import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Providers take turns in the upload queue: each upload gets its round when it is sent, and the queue
// goes by round, then by age. Uploads already sent are all in the first round, as they were in one line.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('queue_turn', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await sql`drop index uploads_to_run`.execute(db);
  await sql`create index uploads_to_run on uploads (queue_turn, created_at) where status in ('queued', 'running')`.execute(db);
}
