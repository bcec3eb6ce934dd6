import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/db/migrations');

/** Changes whenever a migration is added or edited, so a stale template is never reused. */
export function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(migrationsDir).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(migrationsDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

export function pgliteTemplatePath(): string {
  return path.join(os.tmpdir(), `cmehub-pglite-template-${migrationsFingerprint()}.tar`);
}

export function postgresTemplateName(): string {
  return `cmehub_template_${migrationsFingerprint()}`;
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A migrated empty database to copy for each test file: a PGlite tarball or a PostgreSQL template. */
export async function prepareTemplate(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = postgresTemplateName();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_building_${process.pid}`;
      await admin.query(`create database "${building}"`);
      const database = await openDatabase({ kind: 'postgres', url: withDatabase(serverUrl, building) });
      await migrateToLatest(database.db);
      await database.close();
      await admin.query(`alter database "${building}" rename to "${name}"`).catch(async () => {
        await admin.query(`drop database if exists "${building}"`);
      });
    } finally {
      await admin.end();
    }
    return;
  }
  const target = pgliteTemplatePath();
  if (fs.existsSync(target)) return;
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  await migrateToLatest(database.db);
  const dump = await database.dumpDataDir!();
  await database.close();
  const temporary = `${target}.${process.pid}`;
  fs.writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(temporary, target);
}
