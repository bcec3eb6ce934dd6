import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A learner file is kept for a while after its upload is done, for its rows to fix, then deleted: it may
// hold what the hub never keeps, such as a birth year. The upload records when its file went.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table uploads add column file_removed_at timestamptz`.execute(db);
}
