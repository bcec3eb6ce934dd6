import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

const lastMigration = '2300_corrected_rejections';

describe('migrations when the hub starts', () => {
  let database: Database;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  async function appliedNames(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    return rows.map((row) => row.name);
  }

  async function hasIndex(name: string): Promise<boolean> {
    const { rows } = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(database.db);
    return rows[0]?.found !== null;
  }

  it('leaves a database with every migration applied as it is', async () => {
    const before = await appliedNames();
    expect(before).toContain(lastMigration);
    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await appliedNames()).toEqual(before);
  });

  it("applies to the database of the hub's earlier version the migrations it lacks", async () => {
    await sql`drop index learner_reports_corrected_rejections`.execute(database.db);
    await sql`delete from kysely_migration where name = ${lastMigration}`.execute(database.db);

    expect(await migrateToLatest(database.db)).toEqual([lastMigration]);
    expect(await hasIndex('learner_reports_corrected_rejections')).toBe(true);
  });

  it("refuses the database of a later version, whose migrations this version does not know, naming the one it lacks", async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9900_from_a_later_version', now()::text)`.execute(database.db);

    await expect(migrateToLatest(database.db)).rejects.toThrow(
      "The database was migrated by a later version of CME Hub (migration 9900_from_a_later_version, which this version does not have). Run that version, or a later one, with this database.",
    );
  });
});
