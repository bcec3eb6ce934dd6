import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const migrationFile = /^(?<name>.+)\.ts$/;

/** The database was migrated by a later version of the hub, which this one cannot run on. */
export class DatabaseFromLaterVersionError extends Error {
  constructor(unknownMigrations: readonly string[]) {
    super(
      `The database was migrated by a later version of CME Hub (migration ${unknownMigrations.join(', ')}, which this version does not have). Run that version, or a later one, with this database.`,
    );
  }
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await everyMigrationApplied(db)) return [];
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * Whether the database has applied exactly the migrations of the folder: then there is nothing to do, and
 * every command spares the half second the migrator takes to load each migration and lock its tables.
 * A database migrated by a later version of the hub is refused, as the migrator would, in words that say what
 * to do; anything else (a new database, a migration to apply) goes to the migrator.
 */
async function everyMigrationApplied(db: Kysely<any>): Promise<boolean> {
  const inFolder = new Set((await fs.readdir(migrationFolder)).flatMap((fileName) => migrationFile.exec(fileName)?.groups?.name ?? []));
  const { rows: tables } = await sql<{ table: string | null }>`select to_regclass('kysely_migration')::text as "table"`.execute(db);
  if (!tables[0]?.table) return false;
  const { rows: applied } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  const unknown = applied.filter((row) => !inFolder.has(row.name)).map((row) => row.name);
  if (unknown.length > 0) throw new DatabaseFromLaterVersionError(unknown);
  return applied.length === inFolder.size;
}
