import type { Kysely } from 'kysely';

// The license number (or board ID) a rejected roster row still names, as a key: a full roster does not make that
// license inactive, as the file lists it, though the row could not be loaded.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_load_rows').addColumn('identifier_key', 'text').execute();
}
