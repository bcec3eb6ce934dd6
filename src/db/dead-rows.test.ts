import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import type { Database } from './database.ts';
import { vacuumTablesWithDeadRows } from './dead-rows.ts';

describe('the space of deleted and updated rows', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const tableStats = async () => {
    // The counts of dead rows reach the statistics a moment after the statement that left them.
    await sql`select pg_stat_force_next_flush()`.execute(database.db);
    return (await sql<{ dead: number; vacuumed: boolean }>`
      select n_dead_tup::int as dead, (last_vacuum is not null) as vacuumed from pg_stat_user_tables where relname = 'upkeep_probe'`.execute(database.db)).rows[0];
  };

  it('vacuums a table once a fifth of its rows are dead, as autovacuum would, and leaves it until they are again', async () => {
    // PostgreSQL's own autovacuum is kept off it, so that what vacuums it is this.
    await sql`create table upkeep_probe (id int primary key, note text) with (autovacuum_enabled = false)`.execute(database.db);
    await sql`insert into upkeep_probe select entry, 'kept' from generate_series(1, 2000) as entry`.execute(database.db);
    await sql`delete from upkeep_probe where id <= 100`.execute(database.db);
    // 100 dead rows of 1,900 live: not yet worth it.
    expect((await tableStats()).dead).toBe(100);
    expect(await vacuumTablesWithDeadRows(database.db)).not.toContain('upkeep_probe');

    await sql`update upkeep_probe set note = 'matched again' where id <= 1000`.execute(database.db);
    expect((await tableStats()).dead).toBeGreaterThan(800);
    // As the background worker runs it: on PGlite, letting requests in between its statements.
    expect(await vacuumTablesWithDeadRows(database.backgroundDb)).toContain('upkeep_probe');
    expect(await tableStats()).toEqual({ dead: 0, vacuumed: true });
    expect(await vacuumTablesWithDeadRows(database.db)).not.toContain('upkeep_probe');
  });
});
