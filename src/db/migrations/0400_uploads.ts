import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Batch uploads of learner files: the job (its state lives here, so that a restarted server resumes it)
// and one receipt line per input row. Both are tenant data of the provider.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'xlsx', 'xml')`))
    .addColumn('file_name', 'text')
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_bytes', 'bigint', (c) => c.notNull())
    // Relative to the uploads directory under the data directory.
    .addColumn('storage_path', 'text', (c) => c.notNull())
    // The consent stated for the whole file, for rows (and XML documents) that do not state their own.
    .addColumn('consent', 'text', (c) => c.check(sql`consent in ('written', 'implied')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status in ('queued', 'running', 'finished', 'failed')`),
    )
    // Rows committed so far, and the last committed row number: a resumed job skips up to it.
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_row_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_done', 'bigint', (c) => c.notNull().defaultTo(0))
    // File-level notices (columns not used) and, for a failed job, what stopped it.
    .addColumn('problems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    // Who sent the file: the job acts on their behalf when it runs later.
    .addColumn('created_by', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A running job's worker renews its lease after every chunk; an expired lease means the worker died.
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // The same file twice is one upload (a failed one may be sent again).
  await sql`
    create unique index uploads_same_file on uploads (provider_org_id, file_sha256)
      where status <> 'failed'`.execute(db);
  await db.schema.createIndex('uploads_provider').on('uploads').columns(['provider_org_id', 'created_at', 'id']).execute();
  await sql`create index uploads_to_run on uploads (created_at) where status in ('queued', 'running')`.execute(db);

  await db.schema
    .createTable('upload_rows')
    .addColumn('upload_id', 'uuid', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('provider_org_id', 'uuid', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accepted', 'pending', 'rejected')`))
    .addColumn('duplicate', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('report_id', 'uuid')
    .addColumn('problems', 'jsonb')
    .addPrimaryKeyConstraint('upload_rows_pk', ['upload_id', 'row_number'])
    .execute();
}
