import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A file sent by mistake can be withdrawn: the reports it took in are deleted, and the upload records
// when, by whom, why and how many, so that its page no longer reads as if its rows stood.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table uploads add column withdrawal jsonb`.execute(db);
}
