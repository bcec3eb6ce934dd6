import type { Kysely } from 'kysely';

// An API key may be made to expire: a key handed to a contractor's system for a year stops working by itself.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'timestamptz').execute();
}
