import type { Kysely } from 'kysely';

// A full roster that leaves out many of the board's practising licenses (an export cut short, a filter left on)
// makes none of them inactive until the board confirms: how many were left as they were, null when none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('absent_held', 'integer').execute();
}
