import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The same file twice is one upload, unless the first was stopped or its reports withdrawn: a file
// withdrawn by mistake (the wrong upload picked) can then be sent again. While the withdrawal runs, the
// file is still the earlier upload's, so that no row of it is taken as a repeat of a report being deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index uploads_same_file`.execute(db);
  await sql`
    create unique index uploads_same_file on uploads (provider_org_id, file_sha256)
      where status <> 'failed' and (withdrawal is null or withdrawal->>'at' is null)`.execute(db);
}
