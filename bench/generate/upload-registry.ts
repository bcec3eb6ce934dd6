// The registry the upload benchmarks report against, and the learner files written from it. Both are
// built once and kept: the registry as a PostgreSQL template database, the files under bench/data/.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { testConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemContext } from '../../src/http/actor.ts';
import { buildApp } from '../../src/http/app.ts';
import { createHub } from '../../src/hub.ts';
import { loadDemoData } from '../../src/modules/demo/demo.ts';
import { createRegistryService } from '../../src/modules/registry/registry.service.ts';
import { tablesUploadsGrow } from '../../src/modules/uploads/uploads.repository.ts';
import type { DB } from '../../src/db/schema.ts';
import { migrationsFingerprint } from '../../test/template-database.ts';
import { createApiKey, createCourse, demoCoordinatorSession } from './demo-provider.ts';
import { writeLearnerCsv, writeLearnerXlsx, writeLearnerXml } from './learner-files.ts';
import type { LearnerFileStats } from './learner-files.ts';
import { writeStateRosters } from './rosters.ts';

export type LearnerFileFormat = 'csv' | 'xlsx' | 'xml';
/** The provider's activities the rows are reported for, and an API key for its system. */
export type UploadSetup = { apiKey: string; providerId: string; activityIds: string[] };
export type UploadRegistry = { template: string; dataDir: string; setup: UploadSetup };

const ACTIVITIES = 50;
const benchDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The registry of `registrySize` synthetic physicians for a seed, with the provider the learner files
 * report for: built once into a PostgreSQL template database (its name carries the migrations, so that a
 * new migration means a new template) and reused by later runs. `dataDir` is where its files are kept.
 */
export async function uploadRegistry(admin: pg.Client, url: string, registrySize: number, seed: number): Promise<UploadRegistry> {
  const dataDir = path.join(benchDir, 'data', `uploads-${registrySize}-${seed}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const template = `cmehub_bench_uploads_${registrySize}_${seed}_${migrationsFingerprint()}`;
  return { template, dataDir, setup: await registryTemplate(admin, url, template, dataDir, registrySize, seed) };
}

/**
 * The setup (API key, provider, activities) is kept as the template database's comment, so that it goes with
 * the database it belongs to when runs use more than one server.
 */
async function registryTemplate(admin: pg.Client, url: string, template: string, dataDir: string, registrySize: number, seed: number): Promise<UploadSetup> {
  const existing = await admin.query<{ setup: string | null }>(
    `select shobj_description(oid, 'pg_database') as setup from pg_database where datname = $1`,
    [template],
  );
  const kept = existing.rows[0]?.setup;
  if (kept) return JSON.parse(kept) as UploadSetup;

  console.log(`Building the registry of ${registrySize.toLocaleString()} physicians (once; kept as database ${template})…`);
  const building = `${template}_building`;
  await admin.query(`drop database if exists "${building}" with (force)`);
  await admin.query(`create database "${building}"`);
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, building) });
  try {
    await migrateToLatest(database.db);
    const hub = await createHub(testConfig({ databaseUrl: withDatabase(url, building), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-bench-')) }), database);
    await loadDemoData(hub);
    const started = performance.now();
    const rosters = writeStateRosters(path.join(dataDir, 'rosters'), seed, registrySize);
    const boards = await database.db.selectFrom('organizations').select(['id', 'jurisdiction']).where('kind', '=', 'licensing_board').execute();
    const boardOf = new Map(boards.filter((board) => board.jurisdiction).map((board) => [board.jurisdiction!.trim(), board.id]));
    const missing = rosters.filter((roster) => !boardOf.has(roster.state)).map((roster) => roster.state);
    if (missing.length > 0) {
      const created = await database.db
        .insertInto('organizations')
        .values(missing.map((state) => ({ kind: 'licensing_board' as const, name: `${state} Medical Board`, jurisdiction: state, board_type: 'combined' as const })))
        .returning(['id', 'jurisdiction'])
        .execute();
      for (const board of created) boardOf.set(board.jurisdiction!.trim(), board.id);
    }
    const registry = createRegistryService({ database });
    let loaded = 0;
    for (const roster of rosters) {
      await registry.loadRoster(systemContext('benchmark'), boardOf.get(roster.state)!, { source: roster.path, format: 'csv', fileName: path.basename(roster.path) }, { fullRoster: true });
      loaded += roster.rows;
      process.stdout.write(`\r  ${loaded.toLocaleString()} licenses loaded`);
    }
    console.log(`\n  in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const setup = await providerSetup(hub);
    await analyzeAllButUploadTables(database.db);
    await database.close();
    await admin.query(`drop database if exists "${template}" with (force)`);
    await admin.query(`alter database "${building}" rename to "${template}"`);
    await admin.query(`comment on database "${template}" is ${admin.escapeLiteral(JSON.stringify(setup))}`);
    return setup;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** The demo provider's activities the rows are reported for, and an API key for its system. */
async function providerSetup(hub: Awaited<ReturnType<typeof createHub>>): Promise<UploadSetup> {
  const app = await buildApp(hub);
  const session = await demoCoordinatorSession(app);
  const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: session })).json();
  const activityIds: string[] = [];
  for (let index = 0; index < ACTIVITIES; index += 1) {
    // Open for a long while, so that files generated today stay valid for later runs.
    activityIds.push(await createCourse(app, session, { providerActivityId: `UPLOAD-BENCH-${index}`, title: `Year-end course ${index}`, daysOpen: 300 }));
  }
  const apiKey = await createApiKey(app, session, me.organization.id, 'Year-end uploads');
  await app.close();
  return { apiKey, providerId: me.organization.providerId ?? '1234567', activityIds };
}

/** A learner file of the registry's rows, written once and kept beside the registry's other files. */
export async function learnerFile(dataDir: string, format: LearnerFileFormat, spec: Parameters<typeof writeLearnerCsv>[1], providerId: string) {
  // The rows name the template's activities: a rebuilt template means new files.
  const activities = createHash('sha256').update(spec.activityIds.join(',')).digest('hex').slice(0, 8);
  // Workbooks once had their text inside the sheet; now in shared strings, as Excel writes them.
  const variant = format === 'xlsx' ? '-shared-strings' : '';
  const filePath = path.join(dataDir, `learners-${spec.rows}-${spec.today}-${activities}${variant}.${format}`);
  const statsFile = `${filePath}.json`;
  if (!fs.existsSync(statsFile)) {
    console.log(`Writing ${path.basename(filePath)}…`);
    const started = performance.now();
    const stats =
      format === 'csv' ? await writeLearnerCsv(filePath, spec) : format === 'xlsx' ? await writeLearnerXlsx(filePath, spec) : await writeLearnerXml(filePath, { ...spec, providerId });
    fs.writeFileSync(statsFile, JSON.stringify(stats));
    console.log(`  in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return { path: filePath, stats: JSON.parse(fs.readFileSync(statsFile, 'utf8')) as LearnerFileStats, bytes: fs.statSync(filePath).size };
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * The planner's statistics of every table but those an upload grows, which stay as a new hub has them, never
 * analyzed: what the hub does about them (`statisticsOfGrowingTables`) is part of what is measured.
 */
export async function analyzeAllButUploadTables(db: Kysely<DB>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() and not (tablename = any(${tablesUploadsGrow}::text[]))`.execute(db);
  await sql`analyze ${sql.join(rows.map((row) => sql.table(row.name)))}`.execute(db);
}
