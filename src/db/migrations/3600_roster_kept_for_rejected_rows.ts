import type { Kysely } from 'kysely';

// How many practising licenses (or certifications) a full roster did not load but left as they were, because a row
// that could not be loaded names them: said beside the counts, so the board knows they await a corrected row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('kept_for_rejected_rows', 'integer', (column) => column.notNull().defaultTo(0)).execute();
}
