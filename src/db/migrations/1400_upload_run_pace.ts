import type { Kysely } from 'kysely';

// The point of an upload's current run its pace is measured from, so that its page can say about how long
// is left: the end of the run's first chunk (when, and how far into the file). A run resumed after a
// restart does not count the time the upload waited, nor the first chunk, which also holds opening the
// file (a workbook's shared strings, read before its first row).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('pace_from_at', 'timestamptz')
    .addColumn('pace_from_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
