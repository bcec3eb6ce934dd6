import type { Kysely } from 'kysely';

// A running roster load's server says it is still running it every few seconds, chunk applied or not: the time it
// last did (`server_seen_at`, formerly the time of the last chunk) tells a load whose server was killed within a
// minute and a half, where a load that had applied nothing for ten minutes was taken as cut off.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').renameColumn('progress_at', 'server_seen_at').execute();
}
