import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// How many rows of an upload have each kind of problem (`uploads/row-problem-counts.ts`), kept with the
// upload's other counts and brought up to date in the same transaction as each chunk. Uploads done before
// start with none: their receipt lines still say what to fix.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table uploads add column row_problem_counts jsonb not null default '[]'::jsonb`.execute(db);
}
