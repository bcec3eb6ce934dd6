import { sql, type Kysely } from 'kysely';

// The order an upload says its dates of numbers are written in (day first, as outside the US), read by its job
// wherever it resumes; null when it said nothing, and for uploads sent before it could.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('date_order', 'text', (column) => column.check(sql`date_order in ('month_first', 'day_first')`))
    .execute();
}
