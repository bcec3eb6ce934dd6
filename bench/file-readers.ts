// The learner-file readers alone, without the database: `openLearnerRows` over the same 1,000,000-row
// CSV, XLSX and MedBiquitous XML files the uploads benchmark sends, each format read in a process of
// its own so that its peak memory is its own. Measured: rows per second, seconds, peak RSS and peak
// V8 heap of the reading process.
//
// The files are those of `npm run bench -- uploads` (their rows name the registry's activities, so the
// registry is built first when it is not there yet). `--digest` also hashes every row read, to compare
// what two versions of the readers produce; it is timed apart from the reading.

import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openLearnerRows } from '../src/modules/uploads/learner-rows.ts';
import type { LearnerFileFormat } from './generate/upload-registry.ts';
import { benchOptions, hubNodeFlags } from './cli.ts';
import { loadAverage, round, trackPeakMemory, writeBenchResult } from './results.ts';

const usage = `npm run bench -- file-readers [--rows 1000000] [--formats csv,xlsx,xml] [--registry 1000000]
                              [--seed 7] [--url postgres://postgres@127.0.0.1:5432/postgres]
                              [--node-flags="--cpu-prof --cpu-prof-dir=bench/data/profiles"] [--digest]`;

const options = benchOptions(usage, {
  rows: { type: 'string', default: '1000000' },
  registry: { type: 'string', default: '1000000' },
  formats: { type: 'string', default: 'csv,xlsx,xml' },
  seed: { type: 'string', default: '7' },
  url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  /** Flags for each reading process, such as --cpu-prof; none by default. */
  'node-flags': { type: 'string', default: '' },
  digest: { type: 'boolean', default: false },
  read: { type: 'string' },
});

type ReadOptions = { format: LearnerFileFormat; filePath: string; digest: boolean };

type ReadFigures = {
  rows: number;
  rowsWithProblems: number;
  seconds: number;
  peakRss: number;
  peakHeapUsed: number;
  digest: string | null;
  digestSeconds: number | null;
};

if (options.read) await readOnce(JSON.parse(options.read) as ReadOptions);
else await run();

/** In the reading process: every row of the file, as the upload job reads it, and nothing else. */
async function readOnce({ format, filePath, digest }: ReadOptions) {
  const memory = trackPeakMemory(20);
  const started = performance.now();
  const file = await openLearnerRows(filePath, { format, consent: 'written', limits: {} });
  let rows = 0;
  let rowsWithProblems = 0;
  try {
    for await (const row of file.rows) {
      rows += 1;
      if (row.ingest.parseProblems.length > 0) rowsWithProblems += 1;
    }
  } finally {
    await file.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const { rss: peakRss, heapUsed: peakHeapUsed } = memory.stop();

  let hash: string | null = null;
  let digestSeconds: number | null = null;
  if (digest) {
    const digestStarted = performance.now();
    const sha = createHash('sha256');
    const again = await openLearnerRows(filePath, { format, consent: 'written', limits: {} });
    for await (const row of again.rows) sha.update(`${JSON.stringify(row)}\n`);
    hash = sha.digest('hex');
    digestSeconds = (performance.now() - digestStarted) / 1000;
  }
  const figures: ReadFigures = { rows, rowsWithProblems, seconds, peakRss, peakHeapUsed, digest: hash, digestSeconds };
  process.send?.(figures);
}

function readInChild(options_: ReadOptions, nodeFlags: string[]): Promise<ReadFigures> {
  const child = fork(fileURLToPath(import.meta.url), ['--read', JSON.stringify(options_)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: nodeFlags });
  return new Promise((resolve, reject) => {
    let figures: ReadFigures | null = null;
    child.on('message', (message: ReadFigures) => {
      figures = message;
    });
    child.on('exit', (code) => (figures ? resolve(figures) : reject(new Error(`The reading process stopped (exit ${code})`))));
  });
}

async function run() {
  const rows = Number(options.rows);
  const registrySize = Number(options.registry);
  const seed = Number(options.seed);
  const formats = options.formats.split(',') as LearnerFileFormat[];
  const nodeFlags = hubNodeFlags(options['node-flags']);

  // Loaded here, not at the top: the reading processes load only what reading needs.
  const { default: pg } = await import('pg');
  const { hubToday } = await import('../src/modules/activities/dates.ts');
  const { learnerFile, uploadRegistry } = await import('./generate/upload-registry.ts');
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  const files: Partial<Record<LearnerFileFormat, Awaited<ReturnType<typeof learnerFile>>>> = {};
  try {
    const { dataDir, setup } = await uploadRegistry(admin, options.url, registrySize, seed);
    const spec = { seed, registrySize, rows, activityIds: setup.activityIds, today: hubToday() };
    for (const format of formats) files[format] = await learnerFile(dataDir, format, spec, setup.providerId);
  } finally {
    await admin.end();
  }

  const results: Record<string, unknown>[] = [];
  for (const format of formats) {
    const file = files[format]!;
    console.log(`\n${format.toUpperCase()}: ${rows.toLocaleString()} rows, ${(file.bytes / 2 ** 20).toFixed(0)} MiB`);
    const loadBefore = loadAverage();
    const figures = await readInChild({ format, filePath: file.path, digest: options.digest }, nodeFlags);
    const result = {
      format,
      fileMiB: Math.round(file.bytes / 2 ** 20),
      rows: figures.rows,
      everyRowRead: figures.rows === file.stats.rows,
      rowsWithProblems: figures.rowsWithProblems,
      seconds: round(figures.seconds),
      rowsPerSecond: Math.round(figures.rows / figures.seconds),
      peakRssMiB: Math.round(figures.peakRss / 2 ** 20),
      peakHeapUsedMiB: Math.round(figures.peakHeapUsed / 2 ** 20),
      machineLoad: { before: loadBefore, after: loadAverage(), cpus: os.cpus().length },
      ...(figures.digest ? { digest: figures.digest, digestSeconds: round(figures.digestSeconds!) } : {}),
    };
    results.push(result);
    console.log(result);
  }
  writeBenchResult('file-readers', { rows, registry: registrySize, seed, readerNodeFlags: nodeFlags, file: Object.values(files)[0]?.stats, reads: results });
}
