import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A rejected report corrected by a row of a later upload keeps which upload that was, so that its page links
// to it (the reason says the file's name and the upload's id in words). Only such deleted reports carry it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('learner_reports')
    .addColumn('corrected_by_upload_id', 'uuid', (column) => column.references('uploads.id').onDelete('set null'))
    .execute();
  await linkEarlierCorrections(db);
}

/** Reports corrected before the column was kept take the upload their reason names, if it is still there. */
export async function linkEarlierCorrections(db: Kysely<any>): Promise<void> {
  await sql`
    update learner_reports report set corrected_by_upload_id = upload.id
    from uploads upload
    where report.deleted_at is not null and report.delete_reason like 'Corrected by %'
      and upload.id::text = substring(report.delete_reason from '\\(upload ([0-9a-f-]{36})\\)$')
      and upload.provider_org_id = report.provider_org_id`.execute(db);
}
