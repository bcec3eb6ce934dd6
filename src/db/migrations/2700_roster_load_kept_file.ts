import { sql, type Kysely } from 'kysely';

// The file a server received for a roster load, kept on its disk while the load runs: a load cut off by its server
// stopping is begun again from it, rather than asking the board to send the file again. Null for a load read from
// elsewhere (the command line), and once the file is deleted with the load's end.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('roster_loads')
    .addColumn('kept_file', 'text')
    .addColumn('kept_file_format', 'text', (column) => column.check(sql`kept_file_format in ('csv', 'xlsx')`))
    .execute();
}
