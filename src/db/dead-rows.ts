// The space of rows deleted or updated made reusable, as autovacuum would: PGlite has no autovacuum, and without it
// the embedded database grows by every row a roster load matches again, a correction rewrites or a withdrawal deletes.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** autovacuum's defaults: a table is vacuumed once its dead rows pass 50 and a fifth of its live rows. */
const deadRowsAtLeast = 50;
const deadShareOfLive = 0.2;

/**
 * Vacuums the tables of the schema whose dead rows pass autovacuum's threshold, one statement a table (on PGlite a
 * statement holds the event loop while it runs: requests get in between), and gives their names.
 */
export async function vacuumTablesWithDeadRows(db: Kysely<DB>): Promise<string[]> {
  const due = await sql<{ name: string }>`
    select relname::text as name from pg_stat_user_tables
    where schemaname = current_schema() and n_dead_tup > ${deadRowsAtLeast}::int + ${deadShareOfLive}::float8 * n_live_tup
    order by relname`.execute(db);
  const names = due.rows.map((table) => table.name);
  for (const name of names) await sql`vacuum ${sql.table(name)}`.execute(db);
  return names;
}
