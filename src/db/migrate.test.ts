import { promises as fs } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers.ts';
import { openDatabase } from './database.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

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

  it('leaves a database with every migration applied as it is', async () => {
    const before = await appliedNames();
    expect(before.length).toBeGreaterThan(20);
    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await appliedNames()).toEqual(before);
  });

  it('applies every migration of the folder to a new database, in order, and none the next time', async () => {
    const fresh = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      const inFolder = (await fs.readdir(new URL('./migrations/', import.meta.url))).map((file) => file.replace(/\.ts$/, '')).sort();
      expect(await migrateToLatest(fresh.db)).toEqual(inFolder);
      expect(await migrateToLatest(fresh.db)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("refuses the database of a later version, whose migrations this version does not know, naming the one it lacks", async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9900_from_a_later_version', now()::text)`.execute(database.db);

    await expect(migrateToLatest(database.db)).rejects.toThrow(
      "The database was migrated by a later version of CME Hub (migration 9900_from_a_later_version, which this version does not have). Run that version, or a later one, with this database.",
    );
  });
});
