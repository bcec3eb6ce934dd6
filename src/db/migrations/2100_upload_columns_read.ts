import type { Kysely } from 'kysely';

// How the file's headings were read (which column each one became, or that it is not used), shown with the
// upload so that its sender can check that "Hours" went in as credits and "Course" as the activity.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('columns_read', 'jsonb').execute();
}
