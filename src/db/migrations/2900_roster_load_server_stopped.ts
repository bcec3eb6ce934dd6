import type { Kysely } from 'kysely';

// When the server running a roster load stopped it between two chunks, as it shut down: the load is then begun
// again at once by the next server to look (on PostgreSQL, rather than once it has loaded nothing for ten minutes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('server_stopped_at', 'timestamptz').execute();
}
