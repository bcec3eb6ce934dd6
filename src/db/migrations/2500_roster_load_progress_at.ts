import { sql, type Kysely } from 'kysely';

// When a load last applied a chunk: a load still running whose server stopped in the middle stops advancing it,
// and is then ended as cut off, rather than shown running for ever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('progress_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`)).execute();
}
