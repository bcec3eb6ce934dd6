import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchOptions } from './cli.ts';
import { percentile, round, writeBenchResult } from './results.ts';

/**
 * How long a `cmehub` command takes from start to end, as a script running one after another sees it:
 * `cmehub --help` (loading the commands) and `cmehub upload list` (opening the database too), on PGlite and on
 * PostgreSQL. The floor, measured in the same rounds, is Node starting and ending with nothing to do.
 * With --compare DIR, the same commands of another checkout (an earlier commit, say) run in the same rounds,
 * alternating with this one's, so that the machine's load falls on both alike.
 */
const usage = `npm run bench -- command-start [--rounds 10] [--compare ../earlier-checkout] [--url postgres://postgres@127.0.0.1:5432/postgres]`;

const options = benchOptions(usage, {
  rounds: { type: 'string', default: '10' },
  compare: { type: 'string' },
  url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
});

const rounds = Number(options.rounds);
const thisCheckout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkouts = [{ name: 'this', dir: thisCheckout }, ...(options.compare ? [{ name: 'compared', dir: path.resolve(options.compare) }] : [])];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-command-start-'));
const databaseName = `cmehub_command_start_${process.pid}`;
const admin = new pg.Client({ connectionString: options.url });
await admin.connect();
await admin.query(`drop database if exists "${databaseName}" with (force)`);
await admin.query(`create database "${databaseName}"`);
const databaseUrl = Object.assign(new URL(options.url), { pathname: `/${databaseName}` }).toString();

type Run = { label: string; checkout?: string; command: string[]; env: NodeJS.ProcessEnv };
const { DATABASE_URL: _ignored, ...environment } = process.env;
const pgliteEnv = { ...environment, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
const postgresEnv = { ...pgliteEnv, DATABASE_URL: databaseUrl };
const runs: Run[] = [
  { label: 'node, nothing to do (the floor)', command: [process.execPath, '-e', ''], env: process.env },
  ...checkouts.flatMap(({ name, dir }) => {
    const cmehub = path.join(dir, 'bin', 'cmehub.js');
    return [
      { label: `${name}: cmehub --help`, checkout: dir, command: [cmehub, '--help'], env: pgliteEnv },
      { label: `${name}: cmehub upload list (PGlite)`, checkout: dir, command: [cmehub, 'upload', 'list'], env: pgliteEnv },
      { label: `${name}: cmehub upload list (PostgreSQL)`, checkout: dir, command: [cmehub, 'upload', 'list'], env: postgresEnv },
    ];
  }),
];

function timed(run: Run): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(run.command[0], run.command.slice(1), { cwd: run.checkout ?? thisCheckout, env: run.env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${run.label} failed (${result.status}):\n${result.stderr}`);
  return ms;
}

try {
  // Each database made once, by the first checkout's migrations; a first run of each command fills Node's compile cache.
  for (const run of runs) timed(run);
  const times = new Map(runs.map((run) => [run.label, [] as number[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) times.get(run.label)!.push(timed(run));
  }
  const figures = runs.map((run) => {
    const ms = times.get(run.label)!;
    return { command: run.label, medianMs: round(percentile(ms, 50)), minMs: round(Math.min(...ms)), maxMs: round(Math.max(...ms)) };
  });
  console.table(figures);
  writeBenchResult('command-start', { rounds, compared: options.compare ?? null, figures });
} finally {
  await admin.query(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
