import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// What a roster load's file says beside its rows: columns not used, the encoding its text was read in. Shown with
// the load's counts, so that a board whose column of birth dates was misspelt learns it was not read.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('notes', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`)).execute();
}
