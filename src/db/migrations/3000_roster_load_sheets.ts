import type { Kysely } from 'kysely';

// A roster workbook's rows read from several sheets (a tab per license type, or per status): the sheets, in the
// order their rows were read, for its receipt to name each row by its sheet. Null for a file of one sheet.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roster_loads').addColumn('sheets', 'jsonb').execute();
}
