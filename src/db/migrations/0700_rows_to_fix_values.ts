import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A rejected row of a CSV or XLSX file keeps the values it was sent with (never a birth year), so that
// its rows to fix are written from the receipt rather than by reading the whole file again. They are
// cleared with the file, some days after the upload is done.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table upload_rows add column sent_values jsonb`.execute(db);
}
