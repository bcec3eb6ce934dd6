// Learner reporting under load, on PostgreSQL: single-report POSTs at a steady rate (latency
// percentiles, errors) and one POST of a 1,000-report array. The hub runs in a child process on a
// fresh database; this process only sends requests. In the same run, the floor: the same rate of
// one-row inserts, each committed on its own, sent straight to PostgreSQL. Every accepted report is
// one durable commit, so the disk's slowest WAL flushes show in both tails.

import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { testConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { systemContext } from '../src/http/actor.ts';
import { createHub } from '../src/hub.ts';
import { addDays, hubToday } from '../src/modules/activities/dates.ts';
import { loadDemoData } from '../src/modules/demo/demo.ts';
import { npiCheckDigit } from '../src/modules/matching/npi.ts';
import { createRegistryService } from '../src/modules/registry/registry.service.ts';
import { benchOptions, hubNodeFlags } from './cli.ts';
import { createApiKey, createCourse, demoCoordinatorSession } from './generate/demo-provider.ts';
import { percentile, round, writeBenchResult } from './results.ts';

const PHYSICIANS = 3000;
const COURSES = 10;
const BATCH_SIZE = 1000;

const usage = `npm run bench -- reports [--url postgres://postgres@127.0.0.1:5432/postgres] [--rate 200] [--seconds 60]
                         [--node-flags="--cpu-prof"]`;

const options = benchOptions(usage, {
  url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  rate: { type: 'string', default: '200' },
  seconds: { type: 'string', default: '60' },
  /** Flags for the hub's Node process, such as --cpu-prof; none by default, as `npm start` runs. */
  'node-flags': { type: 'string', default: '' },
  serve: { type: 'string' },
});

// Keep-alive connections and plain node:http: the load generator shares the machine with the hub and
// PostgreSQL, so its own cost per request is kept small.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

if (options.serve) {
  await serve(options.serve);
} else {
  await run();
}

/** The hub as `npm start` runs it, on the given database; tells the parent its port. */
async function serve(url: string) {
  const database = await openDatabase({ kind: 'postgres', url });
  // Request logging on, as `npm start` runs; the log goes nowhere.
  const config = testConfig({ databaseUrl: url, logLevel: 'info', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-bench-')) });
  const hub = await createHub(config, database);
  const app = await buildApp(hub);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await app.close();
    await database.close();
    process.exit(0);
  });
}

async function run() {
  const rate = Number(options.rate);
  const seconds = Number(options.seconds);
  const databaseName = `cmehub_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  await admin.query(`create database "${databaseName}"`);
  const url = new URL(options.url);
  url.pathname = `/${databaseName}`;
  let server: ChildProcess | null = null;
  try {
    console.log(`Preparing ${databaseName}: demo organizations, ${PHYSICIANS} licensees, ${COURSES + 1} activities…`);
    const setup = await prepare(url.toString());
    console.log(`Floor: ${rate} one-row inserts per second, each its own commit, straight to PostgreSQL for ${seconds} s…`);
    const floor = await commitFloor(url.toString(), rate, seconds);
    console.log(floor);
    server = fork(fileURLToPath(import.meta.url), ['--serve', url.toString()], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: hubNodeFlags(options['node-flags']),
    });
    const port = await new Promise<number>((resolve, reject) => {
      server?.once('message', (message: { port: number }) => resolve(message.port));
      server?.once('exit', (code) => reject(new Error(`The hub stopped (exit ${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${setup.apiKey}`, 'content-type': 'application/json' };
    const today = hubToday();
    const reportFor = (index: number, activityId: string) => ({
      activityId,
      completionDate: addDays(today, -1 - (index % 20)),
      learner: physician(index % PHYSICIANS),
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
      consent: 'written',
      creditId: `ccid:bench:${index}`,
    });

    let sent = 0;
    const postOne = async () => {
      const index = sent;
      sent += 1;
      const body = JSON.stringify(reportFor(index, setup.courses[Math.floor(index / PHYSICIANS) % COURSES]));
      const started = performance.now();
      try {
        const response = await postJson(port, setup.apiKey, body);
        const receipt = JSON.parse(response.body) as { status?: string };
        return { ms: performance.now() - started, ok: response.status === 201 && receipt.status === 'accepted', status: response.status, error: null };
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        return { ms: performance.now() - started, ok: false, status: 0, error: cause };
      }
    };

    console.log('Warming up for 3 s…');
    await steadyLoad(rate, 3, postOne);
    console.log(`Sending ${rate} single-report POSTs per second for ${seconds} s…`);
    const started = performance.now();
    const results = await steadyLoad(rate, seconds, postOne);
    const elapsed = (performance.now() - started) / 1000;
    const latencies = results.map((result) => result.ms);
    const errors = results.filter((result) => !result.ok);
    const single = {
      targetRate: rate,
      seconds,
      requests: results.length,
      achievedRate: Math.round((results.length / elapsed) * 10) / 10,
      errors: errors.length,
      errorStatuses: [...new Set(errors.map((error) => error.status))],
      errorMessages: [...new Set(errors.map((error) => error.error).filter(Boolean))].slice(0, 3),
      ...latencyFigures(latencies),
    };
    console.log(single);

    console.log(`Posting one array of ${BATCH_SIZE} reports…`);
    const batchBody = JSON.stringify(Array.from({ length: BATCH_SIZE }, (_, index) => reportFor(index, setup.batchActivity)));
    const batchStarted = performance.now();
    const batchResponse = await fetch(`${base}/api/v1/learner-reports`, { method: 'POST', headers, body: batchBody });
    const receipts = (await batchResponse.json()) as { status: string }[];
    const batch = {
      reports: BATCH_SIZE,
      status: batchResponse.status,
      accepted: Array.isArray(receipts) ? receipts.filter((receipt) => receipt.status === 'accepted').length : 0,
      ms: round(performance.now() - batchStarted),
    };
    console.log(batch);

    const passed = single.errors === 0 && single.p99Ms < 25 && single.achievedRate >= rate * 0.98 && batch.accepted === BATCH_SIZE && batch.ms < 1000;
    writeBenchResult('reports', {
      database: 'postgresql',
      loadAverageAtEnd: os.loadavg().map((value) => Math.round(value * 10) / 10),
      physicians: PHYSICIANS,
      singlePosts: single,
      commitFloor: floor,
      arrayPost: batch,
      targets: { p99Ms: 25, errors: 0, arrayMs: 1000 },
      passed,
    });
    console.log(passed ? 'Targets met.' : 'Targets NOT met.');
  } finally {
    agent.destroy();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.send('stop');
      await exited;
    }
    await admin.query(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
  }
}

function postJson(port: number, apiKey: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/learner-reports',
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * What any durable design pays at this rate: one-row inserts into a plain table, each committed (and
 * so flushed to the WAL) on its own, from a pool of as many connections as the hub keeps.
 */
async function commitFloor(url: string, rate: number, seconds: number) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await pool.query('create table commit_floor (id bigserial primary key, report jsonb not null)');
    const report = JSON.stringify({ completionDate: hubToday(), learner: physician(1), credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }] });
    const insertOne = async () => {
      const started = performance.now();
      await pool.query('insert into commit_floor (report) values ($1)', [report]);
      return performance.now() - started;
    };
    await steadyLoad(rate, 3, insertOne);
    return { targetRate: rate, seconds, ...latencyFigures(await steadyLoad(rate, seconds, insertOne)) };
  } finally {
    await pool.end();
  }
}

function latencyFigures(latencies: number[]) {
  return {
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
  };
}

/** Starts `rate` requests per second, each on time whatever the others are doing (an open loop). */
async function steadyLoad<T>(rate: number, seconds: number, send: () => Promise<T>): Promise<T[]> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const pending: Promise<T>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send());
  }
  return Promise.all(pending);
}

function physician(index: number) {
  return {
    firstName: `First${index}`,
    lastName: `Last${index}`,
    birthMonth: (index % 12) + 1,
    birthDay: (index % 28) + 1,
    state: 'CA',
    licenseNumber: `A${100000 + index}`,
  };
}

/** A migrated database with the demo organizations, a CA roster, the activities and an API key. */
async function prepare(url: string) {
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    await migrateToLatest(database.db);
    const hub = await createHub(testConfig({ databaseUrl: url }), database);
    await loadDemoData(hub);
    const california = await database.db
      .selectFrom('organizations')
      .select('id')
      .where('kind', '=', 'licensing_board')
      .where('jurisdiction', '=', 'CA')
      .executeTakeFirstOrThrow();
    const provider = await database.db
      .selectFrom('organizations')
      .select('id')
      .where('provider_id', '=', '1234567')
      .executeTakeFirstOrThrow();

    const rosterFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-bench-')), 'roster.csv');
    const lines = ['License number,License type,Status,First name,Last name,Birth month,Birth day,NPI'];
    for (let index = 0; index < PHYSICIANS; index += 1) {
      const p = physician(index);
      const nine = String(100000000 + index);
      lines.push([p.licenseNumber, 'MD', 'Active', p.firstName, p.lastName, p.birthMonth, p.birthDay, `${nine}${npiCheckDigit(nine)}`].join(','));
    }
    fs.writeFileSync(rosterFile, lines.join('\n'));
    await createRegistryService({ database }).loadRoster(
      systemContext('benchmark'),
      california.id,
      { source: rosterFile, format: 'csv', fileName: 'roster.csv' },
      { fullRoster: false },
    );

    const app = await buildApp(hub);
    const session = await demoCoordinatorSession(app);
    const createActivity = (providerActivityId: string) =>
      createCourse(app, session, { providerActivityId, title: `Benchmark course ${providerActivityId}`, daysOpen: 30 });
    const courses: string[] = [];
    for (let index = 0; index < COURSES; index += 1) courses.push(await createActivity(`BENCH-${index}`));
    const batchActivity = await createActivity('BENCH-BATCH');
    const apiKey = await createApiKey(app, session, provider.id, 'Benchmark LMS');
    await app.close();
    return { courses, batchActivity, apiKey };
  } finally {
    await database.close();
  }
}
