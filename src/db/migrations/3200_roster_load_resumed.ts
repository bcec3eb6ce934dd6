import type { Kysely } from 'kysely';

// A roster load cut off by its server (stopped, or killed) is resumed from its kept file, as the same load, from the
// row after the last chunk it applied: when it last was, and after how many rows. A roster may say how it writes its
// dates (day first), which a resumed load reads its rows by, as the first did.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('roster_loads')
    .addColumn('resumed_at', 'timestamptz')
    .addColumn('resumed_after_rows', 'integer')
    .addColumn('date_order', 'text')
    .execute();
}
