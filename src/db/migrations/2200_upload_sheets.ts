import type { Kysely } from 'kysely';

// A workbook's rows read from several sheets (a tab per month): the sheets, in the order their rows were read,
// so that each receipt line and report is shown as the row of its sheet (`files/row-place.ts`).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('sheets', 'jsonb').execute();
}
