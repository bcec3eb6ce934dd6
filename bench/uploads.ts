// Batch uploads of learner files at scale: a synthetic registry of physicians, learner files of the
// same rows as CSV, XLSX and MedBiquitous XML, each taken in through the API by the hub running in a
// child process (as `npm start` runs it, worker included), on PostgreSQL and on PGlite. Measured:
// end-to-end time from the first byte sent to the last byte of the receipt, rows per second, the
// hub's peak memory, and the latency of other API requests sent while the import runs. In the same
// run, a raw PostgreSQL COPY of the same rows into a plain table with one unique index on the
// report's natural key: the floor any design pays; and, after the first import on PostgreSQL, a COPY of
// what the hub stored into empty copies of its own tables: the floor of any design that keeps them.
//
// The registry and the files are built once and kept under bench/data/ (a PostgreSQL template database,
// a PGlite data directory, the learner files); later runs reuse them.

import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parse } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CastingContext } from 'csv-parse/sync';
import { testConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createHub } from '../src/hub.ts';
import { hubToday } from '../src/modules/activities/dates.ts';
import { startServer } from '../src/server.ts';
import type { LearnerFileStats } from './generate/learner-files.ts';
import { analyzeAllButUploadTables, learnerFile, uploadRegistry, withDatabase } from './generate/upload-registry.ts';
import type { LearnerFileFormat, UploadSetup } from './generate/upload-registry.ts';
import { benchOptions, hubNodeFlags } from './cli.ts';
import { loadAverage, memoryMiB, percentile, round, trackPeakMemory, writeBenchResult } from './results.ts';

type Format = LearnerFileFormat;
type DatabaseKind = 'postgres' | 'pglite';

const usage = `npm run bench -- uploads [--rows 1000000] [--registry 1000000] [--formats csv,xlsx,xml]
                         [--databases postgres,pglite] [--url postgres://postgres@127.0.0.1:5432/postgres]
                         [--seed 7] [--load-rate 20] [--beside-rows 40] [--node-flags="--cpu-prof"]`;

const options = benchOptions(usage, {
  rows: { type: 'string', default: '1000000' },
  registry: { type: 'string', default: '1000000' },
  formats: { type: 'string', default: 'csv,xlsx,xml' },
  databases: { type: 'string', default: 'postgres,pglite' },
  url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  seed: { type: 'string', default: '7' },
  'load-rate': { type: 'string', default: '20' },
  /** Rows of the file sent while each large one is taken in; near the small-file lane's 5 MB, it measures two files' memory at once. */
  'beside-rows': { type: 'string', default: '40' },
  /** Flags for the hub's Node process, such as --max-semi-space-size=8; none by default, as `npm start` runs. */
  'node-flags': { type: 'string', default: '' },
  serve: { type: 'string' },
});

const nodeFlags = hubNodeFlags(options['node-flags']);

/** The small file sent while each large one is taken in: by default a hospital's hand-filled spreadsheet. */
const smallFileRows = Number(options['beside-rows']);

if (options.serve) await serve(JSON.parse(options.serve) as ServeOptions);
else await run();

// ---------------------------------------------------------------------------------------------
// The hub under test, in its own process

type ServeOptions = { kind: DatabaseKind; url?: string; dataDir: string };

async function serve({ kind, url, dataDir }: ServeOptions) {
  const memory = trackPeakMemory(50);
  // How long the event loop was late: what every request waits on top of its own work.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const database = kind === 'postgres' ? await openDatabase({ kind, url: url! }) : await openDatabase({ kind, dataDir: path.join(dataDir, 'pglite') });
  // Request logging on, as `npm start` runs; the log goes nowhere.
  const config = testConfig({ databaseUrl: url ?? null, dataDir, port: 0, host: '127.0.0.1', logLevel: 'info' });
  const hub = await createHub(config, database);
  const server = await startServer(hub);
  process.send?.({ url: server.url.replace('localhost', '127.0.0.1'), readyRss: process.memoryUsage().rss });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    const { rss: peakRss, atPeakRss, peakAt } = memory.stop();
    delay.disable();
    await server.stop();
    process.send?.({ peakRss, atPeakRss: memoryMiB(atPeakRss), peakAt, eventLoopDelayP99Ms: delay.percentile(99) / 1e6, eventLoopDelayMaxMs: delay.max / 1e6 });
    process.exit(0);
  });
}

async function startHub(options: ServeOptions): Promise<{ child: ChildProcess; url: string; readyRss: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', JSON.stringify(options)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: nodeFlags,
  });
  const ready = await new Promise<{ url: string; readyRss: number }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`The hub stopped (exit ${code})`)));
  });
  return { child, ...ready };
}

type HubFigures = { peakRss: number; atPeakRss: ReturnType<typeof memoryMiB>; peakAt: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };

async function stopHub(child: ChildProcess): Promise<HubFigures> {
  const answer = new Promise<HubFigures>((resolve) => child.on('message', (message: Partial<HubFigures>) => message.peakRss && resolve(message as HubFigures)));
  child.send('stop');
  const figures = await answer;
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The run

async function run() {
  const rows = Number(options.rows);
  const registrySize = Number(options.registry);
  const seed = Number(options.seed);
  const formats = options.formats.split(',') as Format[];
  const databases = options.databases.split(',') as DatabaseKind[];
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  try {
    const { template, dataDir, setup } = await uploadRegistry(admin, options.url, registrySize, seed);
    const pgliteTemplate = databases.includes('pglite') ? await pgliteRegistry(template, dataDir, setup) : null;

    const today = hubToday();
    const files: Partial<Record<Format, { path: string; stats: LearnerFileStats; bytes: number }>> = {};
    for (const format of formats) files[format] = await learnerFile(dataDir, format, { seed, registrySize, rows, activityIds: setup.activityIds, today }, setup.providerId);
    // Another seed: the small file's rows are not the large file's first rows.
    const smallFiles: Partial<Record<Format, SmallFile>> = {};
    for (const format of formats) {
      const small = await learnerFile(dataDir, format, { seed: seed + 1, registrySize, rows: smallFileRows, activityIds: setup.activityIds, today }, setup.providerId);
      smallFiles[format] = { path: small.path, rows: smallFileRows };
    }

    const server = await serverSettings(admin);
    // The floor is measured in every run that measures PostgreSQL, from the CSV of the same rows.
    const floorFile = databases.includes('postgres')
      ? (files.csv ?? (await learnerFile(dataDir, 'csv', { seed, registrySize, rows, activityIds: setup.activityIds, today }, setup.providerId)))
      : null;
    const copyBaseline = floorFile ? await rawCopy(admin, floorFile.path, rows) : null;
    if (copyBaseline) console.log(`Raw COPY of the same ${rows.toLocaleString()} rows: ${copyBaseline.seconds.toFixed(1)} s, ${copyBaseline.rowsPerSecond.toLocaleString()} rows/s`);

    const results: Record<string, unknown>[] = [];
    let storageBaseline: Awaited<ReturnType<typeof storageCopy>> | null = null;
    for (const kind of databases) {
      for (const format of formats) {
        const file = files[format]!;
        console.log(`\n${format.toUpperCase()} on ${kind}: ${rows.toLocaleString()} rows, ${(file.bytes / 2 ** 20).toFixed(0)} MiB`);
        const target = await freshCopy(kind, admin, template, pgliteTemplate);
        try {
          const result = await importOnce(kind, target, format, file.path, setup.apiKey, rows, smallFiles[format]!);
          if (kind === 'postgres' && !storageBaseline && result.everyRowCounted) {
            storageBaseline = await storageCopy(target.serve.url!, rows, copyBaseline?.rowsPerSecond ?? null);
            console.log(`COPY of what the hub stored into empty copies of its own tables: ${storageBaseline.seconds.toFixed(1)} s, ${storageBaseline.rowsPerSecond.toLocaleString()} rows/s (${storageBaseline.shareOfCopyRate === null ? 'no raw COPY' : `${Math.round(storageBaseline.shareOfCopyRate * 100)}% of the raw COPY's rate`})`);
          }
          const versusCopy = copyBaseline && kind === 'postgres' ? result.rowsPerSecond / copyBaseline.rowsPerSecond : null;
          const target_ = format === 'csv' ? 0.5 : 0.3;
          results.push({ database: kind, format, fileMiB: Math.round(file.bytes / 2 ** 20), ...result, shareOfCopyRate: versusCopy, shareTarget: kind === 'postgres' ? target_ : null });
          console.log(result);
        } finally {
          await target.drop();
        }
      }
    }

    const checks = results.map((result) => ({
      database: result.database,
      format: result.format,
      rate: result.shareOfCopyRate === null ? null : (result.shareOfCopyRate as number) >= (result.shareTarget as number),
      memory: (result.peakRssMiB as number) < 512,
      p99: (result.otherRequests as { p99Ms: number }).p99Ms < 200,
      everyRowCounted: result.everyRowCounted,
    }));
    writeBenchResult('uploads', {
      rows,
      registry: registrySize,
      seed,
      hubNodeFlags: nodeFlags,
      postgres: server,
      file: files.csv?.stats ?? Object.values(files)[0]?.stats,
      rawCopy: copyBaseline,
      storageCopy: storageBaseline,
      imports: results,
      targets: { csvShareOfCopyRate: 0.5, xlsxAndXmlShareOfCopyRate: 0.3, peakRssMiB: 512, otherRequestsP99Ms: 200 },
      checks,
    });
  } finally {
    await admin.end();
  }
}

/** One import: upload the file, follow the job with other requests going on, read the whole receipt. */
type UploadStatus = { status: string; rows: Record<string, number>; progress: number; secondsLeft: number | null; error: unknown };

/** Sends a file to the hub as the API's clients do; the upload's id. */
async function sendFile(base: string, headers: Record<string, string>, format: Format, filePath: string): Promise<string> {
  const contentTypes: Record<Format, string> = {
    csv: 'text/csv',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    xml: 'application/xml',
  };
  const body = Readable.toWeb(fs.createReadStream(filePath)) as ReadableStream;
  const created = await fetch(`${base}/api/v1/uploads?fileName=${path.basename(filePath)}&consent=written`, {
    method: 'POST',
    headers: { ...headers, 'content-type': contentTypes[format] },
    body,
    duplex: 'half',
  } as RequestInit);
  const upload = (await created.json()) as { id: string; status: string; detail?: string };
  if (created.status !== 202) throw new Error(`Upload refused (${created.status}): ${JSON.stringify(upload)}`);
  return upload.id;
}

async function uploadStatus(base: string, headers: Record<string, string>, id: string): Promise<UploadStatus> {
  return (await (await fetch(`${base}/api/v1/uploads/${id}`, { headers })).json()) as UploadStatus;
}

/** A small file sent while the large one is taken in, as another provider would: how long until it is done. */
async function smallFileBeside(base: string, headers: Record<string, string>, format: Format, file: SmallFile, largeProgress: number) {
  const started = performance.now();
  const id = await sendFile(base, headers, format, file.path);
  let status = await uploadStatus(base, headers, id);
  while (status.status === 'queued' || status.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await uploadStatus(base, headers, id);
  }
  return { rows: file.rows, sentAtLargeFileProgress: round(largeProgress), status: status.status, rowsDone: status.rows.done, seconds: round((performance.now() - started) / 1000) };
}

type SmallFile = { path: string; rows: number };

async function importOnce(kind: DatabaseKind, target: Target, format: Format, filePath: string, apiKey: string, rows: number, smallFile: SmallFile) {
  const hub = await startHub(target.serve);
  const headers = { authorization: `Bearer ${apiKey}` };
  const load = otherRequests(hub.url, headers, Number(options['load-rate']));
  // The machine may be shared: its load says how much of it the measurement had.
  const loadBefore = loadAverage();
  try {
    const started = performance.now();
    // The same moments by the wall clock, to tell in which of them the hub's memory peaked.
    const moments: { phase: string; at: number }[] = [{ phase: 'sending the file', at: Date.now() }];
    const uploadId = await sendFile(hub.url, headers, format, filePath);
    const uploaded = performance.now();
    moments.push({ phase: 'taking the rows in', at: Date.now() });
    let status: UploadStatus = { status: 'queued', rows: {}, progress: 0, secondsLeft: null, error: null };
    let lastShown = 0;
    const timeLeftSaid: { at: number; secondsLeft: number | null }[] = [];
    let small: ReturnType<typeof smallFileBeside> | null = null;
    while (status.status === 'queued' || status.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await uploadStatus(hub.url, headers, uploadId);
      timeLeftSaid.push({ at: performance.now(), secondsLeft: status.secondsLeft });
      if (!small && status.progress >= 0.2) small = smallFileBeside(hub.url, headers, format, smallFile, status.progress);
      if (performance.now() - lastShown > 5000) {
        lastShown = performance.now();
        process.stdout.write(`  ${status.status} ${(status.progress * 100).toFixed(0)}% ${status.rows.done?.toLocaleString()} rows\n`);
      }
    }
    const processed = performance.now();
    moments.push({ phase: 'reading the receipt', at: Date.now() });
    const beside = small ? await small : null;
    if (beside) console.log(`  a ${beside.rows}-row file sent meanwhile: ${beside.status} in ${beside.seconds} s`);
    const receipt = await fetch(`${hub.url}/api/v1/uploads/${uploadId}/receipt?format=csv`, { headers });
    let receiptLines = -1;
    for await (const chunk of receipt.body as unknown as AsyncIterable<Uint8Array>) {
      for (const byte of chunk) if (byte === 10) receiptLines += 1;
    }
    const finished = performance.now();
    moments.push({ phase: 'reading the rows to fix', at: Date.now() });
    // Then what a coordinator does next: download the rejected rows to fix (CSV and XLSX uploads).
    const rowsToFix = format === 'xml' ? null : await downloadRowsToFix(`${hub.url}/api/v1/uploads/${uploadId}/rows-to-fix`, headers);
    const fixed = performance.now();
    const samples = await load.stop();
    const latencies = samples.map((sample) => sample.ms);
    const figures = await stopHub(hub.child);
    const seconds = (finished - started) / 1000;
    return {
      status: status.status,
      error: status.error,
      rows: status.rows,
      receiptLines,
      everyRowCounted: status.status === 'finished' && status.rows.done === rows && receiptLines === rows,
      seconds: round(seconds),
      uploadSeconds: round((uploaded - started) / 1000),
      processingSeconds: round((processed - uploaded) / 1000),
      receiptSeconds: round((finished - processed) / 1000),
      rowsPerSecond: Math.round(rows / seconds),
      smallFileBeside: beside,
      timeLeft: timeLeftAccuracy(timeLeftSaid, uploaded, processed),
      machineLoad: { before: loadBefore, after: loadAverage(), cpus: os.cpus().length },
      peakRssMiB: Math.round(figures.peakRss / 2 ** 20),
      peakRssWhile: moments.findLast((moment) => moment.at <= figures.peakAt)?.phase ?? 'starting',
      // Where the peak lay: V8's heap (reserved, in use) and memory outside it (buffers, zlib, native code).
      atPeakRssMiB: figures.atPeakRss,
      // The hub's memory once started, before the file: what the import itself adds is the difference.
      readyRssMiB: Math.round(hub.readyRss / 2 ** 20),
      eventLoopDelay: { p99Ms: round(figures.eventLoopDelayP99Ms), maxMs: round(figures.eventLoopDelayMaxMs) },
      otherRequests: {
        count: latencies.length,
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(Math.max(...latencies)),
        // The phases apart: the file going in, and the whole receipt being read (a page at a time) after it.
        whileProcessing: latencySummary(samples.filter((sample) => sample.at >= uploaded && sample.at < processed)),
        whileReadingReceipt: latencySummary(samples.filter((sample) => sample.at >= processed && sample.at < finished)),
        whileReadingRowsToFix: rowsToFix ? latencySummary(samples.filter((sample) => sample.at >= finished)) : null,
      },
      rowsToFix: rowsToFix
        ? { ...rowsToFix, seconds: round((fixed - finished) / 1000), everyRejectedRow: rowsToFix.lines === null || rowsToFix.lines === status.rows.rejected }
        : null,
    };
  } catch (error) {
    await load.stop();
    if (hub.child.exitCode === null) hub.child.kill();
    throw error;
  }
}

/**
 * What the upload said was left (`secondsLeft`) against what was: at the first look past each share of
 * the time the file took to go in.
 */
function timeLeftAccuracy(said: { at: number; secondsLeft: number | null }[], uploaded: number, processed: number) {
  return [0.1, 0.25, 0.5, 0.75, 0.9].map((share) => {
    const look = said.find((each) => each.at >= uploaded + share * (processed - uploaded));
    return { atShareOfTime: share, saidSeconds: look?.secondsLeft ?? null, tookSeconds: look ? round((processed - look.at) / 1000) : null };
  });
}

/** The file of rows to fix, read to its end: its size, and for CSV its rows (the header and line breaks inside values aside). */
async function downloadRowsToFix(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`Rows to fix refused (${response.status}): ${await response.text()}`);
  const csv = (response.headers.get('content-type') ?? '').startsWith('text/csv');
  const parser = csv ? parse({ bom: true, from_line: 2 }) : null;
  let bytes = 0;
  let lines = 0;
  parser?.on('data', () => (lines += 1));
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (parser && !parser.write(chunk)) await once(parser, 'drain');
  }
  if (parser) {
    parser.end();
    await once(parser, 'end');
  }
  return { format: csv ? 'csv' : 'xlsx', bytes, lines: csv ? lines : null };
}

type LatencySample = { at: number; ms: number };

function latencySummary(samples: LatencySample[]) {
  const latencies = samples.map((sample) => sample.ms);
  return { count: latencies.length, p99Ms: round(percentile(latencies, 99)) };
}

/** Requests a coordinator's browser would send while an import runs, at a steady rate: when each was sent, and its latency. */
function otherRequests(base: string, headers: Record<string, string>, rate: number) {
  const urls = ['/api/v1/uploads?limit=20', '/api/v1/activities?limit=20', '/api/v1/me', '/healthz'];
  const samples: LatencySample[] = [];
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const timer = setInterval(() => {
    const url = urls[sent % urls.length];
    sent += 1;
    const started = performance.now();
    const request = fetch(`${base}${url}`, { headers })
      .then((response) => response.arrayBuffer())
      .then(() => {
        samples.push({ at: started, ms: performance.now() - started });
      })
      .catch(() => {
        samples.push({ at: started, ms: performance.now() - started });
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  }, 1000 / rate);
  return {
    async stop(): Promise<LatencySample[]> {
      clearInterval(timer);
      await Promise.all(pending);
      return samples;
    },
  };
}

/**
 * The same registry in a PGlite data directory, copied table by table from the PostgreSQL template
 * (loading a million physicians through PGlite itself would take the better part of an hour).
 */
async function pgliteRegistry(template: string, dataDir: string, setup: UploadSetup): Promise<string> {
  const directory = path.join(dataDir, `${template}-pglite`);
  // The copy names the setup it was taken with: a template built again (on another server) needs a new copy.
  const done = path.join(directory, 'done');
  if (fs.existsSync(done) && fs.readFileSync(done, 'utf8') === JSON.stringify(setup)) return directory;
  console.log('Copying the registry into a PGlite data directory (once)…');
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  const source = new pg.Client({ connectionString: withDatabase(options.url, template) });
  await source.connect();
  const target = await openDatabase({ kind: 'pglite', dataDir: path.join(directory, 'pglite') });
  try {
    await migrateToLatest(target.db);
    const tables = (
      await source.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'",
      )
    ).rows.map((row) => row.table_name);
    await sql.raw(`truncate ${tables.map((table) => `"${table}"`).join(', ')}`).execute(target.db);
    for (const table of tables) {
      const columns = (
        await source.query<{ column_name: string }>(
          'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
          ['public', table],
        )
      ).rows.map((row) => `"${row.column_name}"`);
      let copied = 0;
      let batch: string[] = [];
      let batchBytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await target.copyRows(table, columns.map((column) => column.slice(1, -1)), parseCsv(batch.join(''), { cast: nullWhenUnquoted }) as string[][]);
        copied += batch.length;
        batch = [];
        batchBytes = 0;
        process.stdout.write(`\r  ${table}: ${copied.toLocaleString()} rows`);
      };
      const stream = source.query(copyStreams.to(`COPY "${table}" (${columns.join(', ')}) TO STDOUT WITH (FORMAT csv)`));
      let rest = '';
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const text = rest + chunk.toString('utf8');
        const lines = splitCsvRecords(text);
        rest = lines.pop() ?? '';
        for (const line of lines) {
          batch.push(line);
          batchBytes += line.length;
        }
        if (batchBytes > 32 * 2 ** 20) await flush();
      }
      if (rest) batch.push(rest.endsWith('\n') ? rest : `${rest}\n`);
      await flush();
      process.stdout.write('\n');
    }
    const sequences = (await source.query<{ name: string; value: string }>("select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' and last_value is not null")).rows;
    for (const sequence of sequences) await sql.raw(`select setval('"${sequence.name}"', ${Number(sequence.value)})`).execute(target.db);
    await analyzeAllButUploadTables(target.db);
  } finally {
    await target.close();
    await source.end();
  }
  fs.writeFileSync(done, JSON.stringify(setup));
  return directory;
}

/** COPY writes NULL as an empty unquoted field, and an empty string as "". */
function nullWhenUnquoted(value: string, context: CastingContext): string | null {
  return value === '' && !context.quoting ? null : value;
}

/** Complete CSV records (quotes may hold line breaks); the last element is the unfinished rest. */
function splitCsvRecords(text: string): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 34) quoted = !quoted;
    else if (char === 10 && !quoted) {
      records.push(text.slice(start, index + 1));
      start = index + 1;
    }
  }
  records.push(text.slice(start));
  return records;
}

type Target = { serve: ServeOptions; drop(): Promise<void> };

/** A database to import into, fresh from the registry template, for one measurement. */
async function freshCopy(kind: DatabaseKind, admin: pg.Client, template: string, pgliteTemplate: string | null): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-bench-uploads-'));
  if (kind === 'postgres') {
    const name = `cmehub_bench_uploads_run_${Date.now().toString(36)}`;
    await admin.query(`create database "${name}" template "${template}"`);
    return {
      serve: { kind, url: withDatabase(options.url, name), dataDir },
      async drop() {
        await admin.query(`drop database if exists "${name}" with (force)`);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  fs.cpSync(path.join(pgliteTemplate!, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  return {
    serve: { kind, dataDir },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The PostgreSQL server's version and the settings that most move an import's rate. */
async function serverSettings(admin: pg.Client): Promise<Record<string, string>> {
  const { rows } = await admin.query<{ name: string; value: string }>(
    `select name, current_setting(name) as value from pg_settings
      where name in ('server_version', 'shared_buffers', 'max_wal_size', 'synchronous_commit', 'work_mem')`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

/**
 * The floor: the CSV's rows streamed by COPY into a plain table with one unique index on the report's
 * natural key (activity, the learner as identified, completion date). The file's own repeated rows
 * would violate it, and COPY cannot skip them, so the row's reference completes the key.
 */
async function rawCopy(admin: pg.Client, csvPath: string, rows: number) {
  const name = `cmehub_bench_copy_${Date.now().toString(36)}`;
  await admin.query(`create database "${name}"`);
  const client = new pg.Client({ connectionString: withDatabase(options.url, name) });
  await client.connect();
  try {
    await client.query(`create table learner_rows (
      reference text, activity_id text, completion_date text, first_name text, middle_name text, last_name text,
      birth_month text, birth_day text, state text, license_number text, npi text, cme_credits text, consent text)`);
    await client.query(`create unique index learner_rows_natural_key on learner_rows
      (activity_id, coalesce(npi, ''), coalesce(state, ''), coalesce(license_number, ''), lower(last_name), completion_date, reference)`);
    const started = performance.now();
    const copy = client.query(copyStreams.from('COPY learner_rows FROM STDIN WITH (FORMAT csv, HEADER true)'));
    await new Promise<void>((resolve, reject) => {
      fs.createReadStream(csvPath).pipe(copy).on('finish', resolve).on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    const counted = Number((await client.query('select count(*) from learner_rows')).rows[0].count);
    return { rows: counted, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    await client.end();
    await admin.query(`drop database if exists "${name}" with (force)`);
  }
}

/**
 * The second floor: what the hub stored for the file (its reports, credit lines and receipt lines),
 * written again by COPY into empty copies of the same tables with all their indexes and checks. No
 * design that keeps these tables writes them faster; the rest of an import's time is reading, checking
 * and matching.
 */
async function storageCopy(url: string, rows: number, rawCopyRowsPerSecond: number | null) {
  const tables = ['learner_reports', 'learner_report_credits', 'upload_rows'];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-bench-storage-'));
  try {
    const written: Record<string, number> = {};
    for (const table of tables) {
      await client.query(`create table floor_${table} (like ${table} including all)`);
      const out = client.query(copyStreams.to(`COPY ${table} TO STDOUT`));
      await pipeline(out, fs.createWriteStream(path.join(directory, table)));
      written[table] = Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
    }
    await client.query('checkpoint');
    const secondsPerTable: Record<string, number> = {};
    for (const table of tables) {
      const started = performance.now();
      await pipeline(fs.createReadStream(path.join(directory, table)), client.query(copyStreams.from(`COPY floor_${table} FROM STDIN`)));
      secondsPerTable[table] = round((performance.now() - started) / 1000);
    }
    const seconds = Object.values(secondsPerTable).reduce((sum, each) => sum + each, 0);
    const rowsPerSecond = Math.round(rows / seconds);
    return {
      rowsWritten: written,
      secondsPerTable,
      seconds: round(seconds),
      rowsPerSecond,
      shareOfCopyRate: rawCopyRowsPerSecond ? round(rowsPerSecond / rawCopyRowsPerSecond) : null,
    };
  } finally {
    await client.end();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
