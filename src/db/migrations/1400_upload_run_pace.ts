import type { Kysely } from 'kysely';

// The point of an upload's current run its pace is measured from (when, and how far into the file), so
// that its page can say about how long is left: a chunk's end 30 to 60 s back, the run's first chunk's end
// until then (`uploads/run-pace.ts`). A run resumed after a restart does not count the time the upload
// waited.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('pace_from_at', 'timestamptz')
    .addColumn('pace_from_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
