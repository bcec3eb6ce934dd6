import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { systemContext } from '../src/http/actor.ts';
import { normalizeLicenseNumber } from '../src/modules/matching/license-numbers.ts';
import { createMatchingService, type MatchOutcome } from '../src/modules/matching/matching.service.ts';
import { createRegistryService } from '../src/modules/registry/registry.service.ts';
import { personAt } from './generate/population.ts';
import { generateReports, type GeneratedReport } from './generate/reports.ts';
import { writeSingleRoster, writeStateRosters } from './generate/rosters.ts';
import { benchOptions } from './cli.ts';
import { percentile, trackPeakMemory, writeBenchResult } from './results.ts';

/**
 * Matching benchmark: a synthetic registry loaded through the board roster path, then a batch of learner
 * reports with realistic slips matched in one call, then single validations one at a time.
 *
 *   npm run bench -- matching [--scale 1] [--database-url postgres://...] [--pglite] [--singles 1000] [--seed 7]
 *                             [--reuse-registry] [--state-alone-share 0.04]
 *
 * --scale 1 is 1,000,000 persons and 100,000 reports; --scale 0.01 is a quick run. --reuse-registry matches
 * against the registry a previous run of the same scale and seed left in the database, without loading it again.
 * --single-roster measures only the load of one board's roster of 1,000,000 licensees (times --scale).
 */
const usage = `npm run bench -- matching [--scale 1] [--database-url postgres://postgres@127.0.0.1:5432/cmehub_bench] [--pglite]
                          [--singles 1000] [--seed 7] [--reuse-registry] [--state-alone-share 0.04] [--single-roster]`;

const options = benchOptions(usage, {
  scale: { type: 'string', default: '1' },
  'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/cmehub_bench' },
  pglite: { type: 'boolean', default: false },
  singles: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '7' },
  'reuse-registry': { type: 'boolean', default: false },
  'state-alone-share': { type: 'string', default: '0.04' },
  'single-roster': { type: 'boolean', default: false },
});

const scale = Number(options.scale);
const seed = Number(options.seed);
const registrySize = Math.round(1_000_000 * scale);
const reportCount = Math.round(100_000 * scale);
const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', `matching-${registrySize}-${seed}`);

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

async function freshDatabase(): Promise<Database> {
  if (options.pglite) return openDatabase({ kind: 'pglite', dataDir: null });
  const url = new URL(options['database-url']);
  if (options['reuse-registry']) return openDatabase({ kind: 'postgres', url: url.toString() });
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  return openDatabase({ kind: 'postgres', url: url.toString() });
}

async function createStateBoards(database: Database, states: string[]): Promise<Map<string, string>> {
  const rows = await database.db
    .insertInto('organizations')
    .values(states.map((state) => ({ kind: 'licensing_board' as const, name: `${state} benchmark board`, jurisdiction: state, board_type: 'combined' as const })))
    .returning(['id', 'jurisdiction'])
    .execute();
  return new Map(rows.map((row) => [row.jurisdiction!.trim(), row.id]));
}

/** Whether a matched person is the one the report is about: they hold one of its licenses or its NPI. */
async function judge(database: Database, reports: GeneratedReport[], outcomes: MatchOutcome[]) {
  const matchedIds = [...new Set(outcomes.flatMap((o) => (o.personId ? [o.personId] : [])))];
  const held = new Map<string, Set<string>>();
  for (let start = 0; start < matchedIds.length; start += 20_000) {
    const ids = matchedIds.slice(start, start + 20_000);
    const licenses = await database.db.selectFrom('licenses').select(['person_id', 'jurisdiction', 'number_key']).where('person_id', 'in', ids).execute();
    const persons = await database.db.selectFrom('persons').select(['id', 'npi']).where('id', 'in', ids).execute();
    for (const license of licenses) {
      const set = held.get(license.person_id) ?? new Set<string>();
      set.add(`${license.jurisdiction.trim()}:${license.number_key}`);
      held.set(license.person_id, set);
    }
    for (const person of persons) if (person.npi) (held.get(person.id) ?? held.set(person.id, new Set()).get(person.id)!).add(`npi:${person.npi}`);
  }

  let belonging = 0;
  let correct = 0;
  let wrong = 0;
  const missedBy = new Map<string, number>();
  const statusCounts: Record<string, number> = {};
  const wrongExamples: unknown[] = [];
  reports.forEach((report, i) => {
    const outcome = outcomes[i];
    statusCounts[outcome.status] = (statusCounts[outcome.status] ?? 0) + 1;
    if (report.truth === null) {
      if (outcome.status === 'matched') {
        wrong += 1;
        if (wrongExamples.length < 50) wrongExamples.push({ report, outcome });
      }
      return;
    }
    belonging += 1;
    if (outcome.status !== 'matched') {
      const reason = `${outcome.status}:${outcome.problems[0]?.code ?? '-'} [${report.changes.join(',') || 'no slip'}]`;
      missedBy.set(reason, (missedBy.get(reason) ?? 0) + 1);
      return;
    }
    const truth = personAt(seed, report.truth);
    const keys = held.get(outcome.personId!) ?? new Set();
    const isRight = (truth.npi !== null && keys.has(`npi:${truth.npi}`)) ||
      truth.licenses.some((license) => keys.has(`${license.state}:${normalizeLicenseNumber(license.number)!.key}`));
    if (isRight) correct += 1;
    else {
      wrong += 1;
      if (wrongExamples.length < 50) wrongExamples.push({ report, outcome });
    }
  });
  const topMisses = [...missedBy.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([reason, count]) => ({ reason, count }));
  return { belonging, correct, wrong, recall: correct / belonging, statusCounts, topMisses, wrongExamples };
}

/** One board, one roster of every licensee, into an empty registry. */
async function singleRosterLoad() {
  console.log(`Single roster load: ${registrySize.toLocaleString()} licensees, on ${options.pglite ? 'PGlite' : 'PostgreSQL'}`);
  const database = await freshDatabase();
  await migrateToLatest(database.db);
  const file = path.join(dataDir, 'single-roster.csv');
  if (!fs.existsSync(file)) writeSingleRoster(file, seed, registrySize);
  const [board] = (await createStateBoards(database, ['CA'])).values();
  const memory = trackPeakMemory();
  const started = process.hrtime.bigint();
  const load = await createRegistryService({ database }).loadRoster(
    systemContext('bench'), board, { source: fs.createReadStream(file), format: 'csv', fileName: path.basename(file) },
    { fullRoster: true, onProgress: (rows) => process.stdout.write(`\r  loaded ${rows.toLocaleString()} licensees`) },
  );
  const loadSeconds = seconds(started);
  const peakRss = memory.stop().rss;
  console.log(`\nOne roster of ${load.rowsRead.toLocaleString()} licensees (${load.created.toLocaleString()} created, ${load.rejected} rejected) in ${loadSeconds.toFixed(1)} s, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
  writeBenchResult('matching-roster-load', {
    database: options.pglite ? 'pglite' : 'postgres',
    licensees: load.rowsRead,
    created: load.created,
    rejected: load.rejected,
    seconds: loadSeconds,
    secondsPerMillion: (loadSeconds / load.rowsRead) * 1e6,
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    target: { secondsPerMillion: 60 },
  });
  await database.close();
}

async function main() {
  console.log(`Matching benchmark: ${registrySize.toLocaleString()} persons, ${reportCount.toLocaleString()} reports, on ${options.pglite ? 'PGlite' : 'PostgreSQL'}`);
  const database = await freshDatabase();

  let started = process.hrtime.bigint();
  if (!options['reuse-registry']) await migrateToLatest(database.db);
  const rosters = fs.existsSync(path.join(dataDir, 'done'))
    ? JSON.parse(fs.readFileSync(path.join(dataDir, 'done'), 'utf8')) as ReturnType<typeof writeStateRosters>
    : writeStateRosters(dataDir, seed, registrySize);
  fs.writeFileSync(path.join(dataDir, 'done'), JSON.stringify(rosters));
  console.log(`Generated ${rosters.length} state rosters in ${seconds(started).toFixed(1)} s`);

  let rosterLoad: Record<string, number> | null = null;
  let licensesLoaded = Number((await sql<{ count: string }>`select count(*) as count from licenses`.execute(database.db)).rows[0].count);
  if (!options['reuse-registry']) {
    const boards = await createStateBoards(database, rosters.map((r) => r.state));
    const registry = createRegistryService({ database });
    const memory = trackPeakMemory();
    const rssBefore = process.memoryUsage().rss;
    started = process.hrtime.bigint();
    licensesLoaded = 0;
    for (const roster of rosters) {
      const load = await registry.loadRoster(
        systemContext('bench'), boards.get(roster.state)!,
        { source: fs.createReadStream(roster.path), format: 'csv', fileName: path.basename(roster.path) },
        { fullRoster: true },
      );
      licensesLoaded += load.rowsRead;
      process.stdout.write(`\r  loaded ${licensesLoaded.toLocaleString()} licenses`);
    }
    const loadSeconds = seconds(started);
    const peakRss = memory.stop().rss;
    rosterLoad = {
      licenses: licensesLoaded,
      seconds: loadSeconds,
      licensesPerSecond: Math.round(licensesLoaded / loadSeconds),
      secondsPerMillion: (loadSeconds / licensesLoaded) * 1e6,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
    };
    console.log(`\nRoster load: ${licensesLoaded.toLocaleString()} licenses in ${loadSeconds.toFixed(1)} s, peak RSS ${rosterLoad.peakRssMiB} MiB`);
    await sql`analyze`.execute(database.db);
  }
  const persons = Number((await sql<{ count: string }>`select count(*) as count from persons`.execute(database.db)).rows[0].count);

  const reports = generateReports(seed, registrySize, reportCount, Number(options['state-alone-share']));
  const matching = createMatchingService();
  started = process.hrtime.bigint();
  const outcomes = await matching.matchIdentities(database.db, reports.map((r) => r.identity));
  const batchSeconds = seconds(started);
  console.log(`Batch: ${reportCount.toLocaleString()} reports matched in ${batchSeconds.toFixed(2)} s`);

  const verdict = await judge(database, reports, outcomes);
  console.log(`Wrong matches: ${verdict.wrong}; recall ${(verdict.recall * 100).toFixed(2)}% (${verdict.correct} of ${verdict.belonging} reports that belong to a registry person)`);

  const singles = Math.min(Number(options.singles), reports.length);
  const latencies: number[] = [];
  for (let i = 0; i < singles; i += 1) {
    const report = reports[(i * 7919) % reports.length];
    const start = process.hrtime.bigint();
    await matching.matchIdentities(database.db, [report.identity]);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const single = { count: singles, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), p99Ms: percentile(latencies, 99), maxMs: Math.max(...latencies) };
  console.log(`Single validation: p50 ${single.p50Ms.toFixed(2)} ms, p99 ${single.p99Ms.toFixed(2)} ms`);

  writeBenchResult('matching', {
    database: options.pglite ? 'pglite' : 'postgres',
    scale,
    stateAloneShare: Number(options['state-alone-share']),
    registry: { persons, licenses: licensesLoaded, rosters: rosters.length },
    rosterLoad,
    batch: { reports: reportCount, seconds: batchSeconds },
    precision: { wrongMatches: verdict.wrong, examples: verdict.wrongExamples },
    recall: { belonging: verdict.belonging, matchedCorrectly: verdict.correct, recall: verdict.recall, statusCounts: verdict.statusCounts, topMisses: verdict.topMisses },
    singleValidation: single,
    targets: { wrongMatches: 0, recall: 0.98, batchSeconds: 10, singleP99Ms: 20, rosterSecondsPerMillion: 60 },
  });
  await database.close();
}

await (options['single-roster'] ? singleRosterLoad() : main());
