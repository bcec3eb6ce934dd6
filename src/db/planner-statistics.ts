// The planner's statistics of tables that grow, refreshed as autovacuum would: PGlite has no autovacuum, and on
// PostgreSQL it may not get to a table while a large file goes into it.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** A table this small is read whole quickly whatever the plan: a few hundred rows. */
const pagesNeverWorthAnalyzing = 8;

/**
 * Analyzes those of these tables (every table of the schema, when none are named) that take more than twice the
 * pages they took when last analyzed, or were never analyzed, and gives their names. With statistics that still
 * say "a few rows", PostgreSQL plans a look-up in a large table as a scan of all of it.
 */
export async function analyzeGrownTables(db: Kysely<DB>, tables?: readonly string[]): Promise<string[]> {
  const candidates = tables
    ? sql`select name, to_regclass(name) as oid from unnest(${tables}::text[]) as named(name)`
    : sql`select c.relname::text as name, c.oid from pg_class c where c.relnamespace = to_regnamespace(current_schema()) and c.relkind = 'r'`;
  const grown = await sql<{ name: string }>`
    with candidates as (${candidates})
    select candidates.name from candidates join pg_class c on c.oid = candidates.oid
    where pg_relation_size(c.oid) / current_setting('block_size')::int > 2 * greatest(c.relpages, 0) + ${pagesNeverWorthAnalyzing}
    order by candidates.name`.execute(db);
  const names = grown.rows.map((table) => table.name);
  // What goes wrong is the row counts, which a small sample gets right; a small sample is also quick, and on
  // PGlite a statement holds the event loop while it runs: one table a statement lets requests in between.
  for (const name of names) {
    await db.transaction().execute(async (trx) => {
      await sql`set local default_statistics_target = 10`.execute(trx);
      await sql`analyze ${sql.table(name)}`.execute(trx);
    });
  }
  return names;
}

/**
 * When a job that adds rows looks for the tables it has grown: once it has added 1,000 rows, then 2,000, 4,000 and
 * so on (`due` is given the rows added so far).
 */
export function growthChecks(): { due(rowsAdded: number): boolean } {
  let next = 1_000;
  return {
    due(rowsAdded) {
      if (rowsAdded < next) return false;
      while (next <= rowsAdded) next *= 2;
      return true;
    },
  };
}

/**
 * The planner's statistics of the tables a job grows (an upload, a roster load), kept fresh as it goes: `refresh`
 * before its first rows and at its end, `rowsAdded` after each chunk, which looks when `growthChecks` says.
 */
export function statisticsOfGrowingTables(db: Kysely<DB>, tables: readonly string[]) {
  const checks = growthChecks();
  return {
    async refresh(): Promise<void> {
      await analyzeGrownTables(db, tables);
    },
    async rowsAdded(rows: number): Promise<void> {
      if (checks.due(rows)) await analyzeGrownTables(db, tables);
    },
  };
}
