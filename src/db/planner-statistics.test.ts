import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import type { Hub } from '../hub.ts';
import { workersFor } from '../workers.ts';
import type { Database } from './database.ts';
import { analyzeGrownTables, growthChecks } from './planner-statistics.ts';

describe('the planner statistics of tables that grow', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const logEntries = (count: number) =>
    sql`insert into audit_log (actor_type, actor_label, action, entity_type, entity_id)
      select 'system', 'planner statistics test', 'test.entry', 'test', entry::text from generate_series(1, ${count}::int) as entry`.execute(database.db);
  const counted = async (table: string) =>
    (await sql<{ rows: number }>`select reltuples::float8 as rows from pg_class where oid = to_regclass(${table})`.execute(database.db)).rows[0].rows;

  it('analyzes a table the planner still counts as a few rows, and again only once it has doubled', async () => {
    await logEntries(3_000);
    // An empty table, never analyzed, is left as it is: read whole, it is read at once.
    expect(await analyzeGrownTables(database.db, ['audit_log', 'upload_rows'])).toEqual(['audit_log']);
    expect(await counted('audit_log')).toBeGreaterThanOrEqual(3_000);

    await logEntries(1_000);
    expect(await analyzeGrownTables(database.db, ['audit_log'])).toEqual([]);

    await logEntries(6_000);
    // Every table of the schema, when none is named.
    expect(await analyzeGrownTables(database.db)).toContain('audit_log');
    expect(await counted('audit_log')).toBeGreaterThanOrEqual(10_000);
  });

  it('has a job look for grown tables once it has added 1,000 rows, then at each doubling, once however far a chunk goes past it', () => {
    const checks = growthChecks();
    expect([999, 1_000, 1_500, 2_000, 3_999, 10_000, 15_000, 16_000].map((rows) => checks.due(rows))).toEqual([false, true, false, true, false, true, false, true]);
  });

  it('is kept by a background worker on PGlite only, which has no autovacuum to keep it', () => {
    const started = workersFor({ database } as Hub).map((worker) => worker.name);
    expect(started).toContain('uploads');
    if (database.kind === 'pglite') expect(started).toContain('table upkeep');
    else expect(started).not.toContain('table upkeep');
  });
});
