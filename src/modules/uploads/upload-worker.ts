import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import type { Hub } from '../../hub.ts';
import { workerLog } from '../../background-work.ts';
import type { WorkerLog } from '../../background-work.ts';
import type { BackgroundWorker } from '../../workers.ts';
import { processUpload } from './upload-processor.ts';
import type { UploadThreadData, UploadThreadMessage } from './upload-thread.ts';
import type { ChunkSizing, ProcessorOptions } from './upload-processor.ts';
import { uploadsDirectory } from './upload-storage.ts';
import * as repository from './uploads.repository.ts';
import { runWithdrawal } from './use-cases/run-withdrawal.ts';

/** An upload that made the server stop this many times is failed rather than tried again. */
const maxAttempts = 5;

const wakers = new Set<() => void>();

/** Tells the workers of this process that an upload is waiting. */
export function notifyUploadQueued(): void {
  for (const wake of wakers) wake();
}

export type UploadWorkerOptions = {
  db: Kysely<DB>;
  config: Config;
  databaseKind: 'pglite' | 'postgres';
  leaseMs?: number;
  /** How often to look for uploads left by a stopped server when nothing wakes the worker. */
  pollMs?: number;
  /** A fixed number of rows per chunk (tests); by default chunks follow a time budget. */
  chunkSize?: number;
  /** Reports a withdrawal deletes per transaction (tests); by default `withdrawalPageRows`. */
  withdrawalPageRows?: number;
  /** How often a withdrawal looks whether an upload waits, to give it its turn (tests); by default every 5 s. */
  withdrawalTurnMs?: number;
  /** The largest file the lane for small files takes (tests); by default `repository.smallFileMaxBytes`. */
  smallFileMaxBytes?: number;
  log?: WorkerLog;
  beforeCommit?: ProcessorOptions['beforeCommit'];
  afterCommit?: ProcessorOptions['afterCommit'];
};

export type UploadWorker = { stop(): Promise<void>; wake(): void; idle(): Promise<void> };

type Lane = { wakeRequested: boolean; sleeping: boolean; endSleep: () => void; done: Promise<void> };

/** The limits a stored upload is read with: the configured ones. */
export function uploadLimits(config: Config) {
  return { maxBytes: config.maxUploadBytes, maxRows: config.maxUploadRows };
}

/**
 * Short chunks on PGlite, whose one connection (and, as it runs in the hub's thread, the event loop) every
 * request waits for while a chunk runs: chunks of up to 2,000 rows and 80 ms let other requests' p99 reach
 * 244 ms, up to 500 rows and 50 ms kept it at 148 ms for 16% of the rate; and no reading ahead, which would
 * run the file's reader inside each chunk's transaction. Longer on PostgreSQL, where a chunk holds only its
 * own connection.
 */
export function defaultChunking(kind: 'pglite' | 'postgres'): Pick<ProcessorOptions, 'chunkSize' | 'readAhead'> {
  return kind === 'pglite'
    ? { chunkSize: { initial: 100, min: 20, max: 500, targetMs: 50 }, readAhead: false }
    : { chunkSize: { initial: 500, min: 100, max: 2000, targetMs: 250 }, readAhead: true };
}

/**
 * Reports a withdrawal deletes per transaction. On PGlite each page holds the thread that answers requests:
 * with pages of 100, requests sent every 20 ms meanwhile waited 96–103 ms at p99 (250: 161–205 ms) for a
 * tenth less speed. On PostgreSQL a page holds only the worker's connection: 1,000 went 13% faster than 250.
 */
export function withdrawalPageRows(kind: 'pglite' | 'postgres'): number {
  return kind === 'pglite' ? 100 : 1000;
}

function fixedChunkSize(rows: number): ChunkSizing {
  return { initial: rows, min: rows, max: rows, targetMs: 1 };
}

/**
 * Runs queued uploads, then the withdrawals asked for, and picks up the work a stopped server left: at once
 * on PGlite, once its lease runs out on PostgreSQL (where another server may still be running them). Two
 * lanes: one takes the oldest upload of any size, then withdrawals; the other only small files, so that
 * they never wait behind a large one. Started with the server; woken when an upload is queued.
 */
export function startUploadWorker(options: UploadWorkerOptions): UploadWorker {
  const leaseMs = options.leaseMs ?? 20_000;
  const pollMs = options.pollMs ?? 5_000;
  let stopping = false;
  let idleWaiters: (() => void)[] = [];
  const processorOptions: ProcessorOptions = {
    db: options.db,
    uploadsDir: uploadsDirectory(options.config.dataDir),
    limits: uploadLimits(options.config),
    ...defaultChunking(options.databaseKind),
    ...(options.chunkSize ? { chunkSize: fixedChunkSize(options.chunkSize) } : {}),
    leaseMs,
    shouldStop: () => stopping,
    beforeCommit: options.beforeCommit,
    afterCommit: options.afterCommit,
  };

  /**
   * Takes in the oldest upload waiting (with `maxFileBytes`, of the files no larger), unless it already made
   * the server stop too often; false when none waited.
   */
  async function takeInNext(maxFileBytes?: number): Promise<boolean> {
    const upload = await repository.claimNextUpload(options.db, leaseMs, maxFileBytes);
    if (!upload) return false;
    if (upload.attempts > maxAttempts) {
      await repository.failUpload(options.db, upload.id, {
        code: 'upload_interrupted',
        message: `The upload was interrupted ${maxAttempts} times and is not tried again. Send the file again, or split it.`,
        problems: [],
      });
      return true;
    }
    try {
      await processUpload(processorOptions, upload);
    } catch (error) {
      options.log?.error({ err: error, uploadId: upload.id }, 'upload stopped by an unexpected error');
      await repository.requeueUpload(options.db, upload.id).catch(() => undefined);
      // Give a failing database a moment before the next try.
      await sleep(1000);
    }
    return true;
  }

  /**
   * Carries out a withdrawal, which gives way when an upload waits (looked at every few seconds): a file sent
   * right after withdrawing the wrong one need not wait minutes for a million deletions.
   */
  async function runOneWithdrawal(): Promise<boolean> {
    const run = randomUUID();
    const upload = await repository.claimWithdrawal(options.db, run, leaseMs);
    if (!upload) return false;
    const turnMs = options.withdrawalTurnMs ?? 5000;
    let nextLook = Date.now() + turnMs;
    const givesWay = async () => {
      if (stopping) return true;
      if (Date.now() < nextLook) return false;
      nextLook = Date.now() + turnMs;
      return repository.uploadWaits(options.db);
    };
    try {
      await runWithdrawal({ db: options.db, run, leaseMs, pageRows: options.withdrawalPageRows ?? withdrawalPageRows(options.databaseKind), shouldStop: givesWay }, upload);
    } catch (error) {
      options.log?.error({ err: error, uploadId: upload.id }, 'withdrawal stopped by an unexpected error; tried again later');
      await repository.postponeWithdrawal(options.db, run).catch(() => undefined);
    }
    return true;
  }

  // PGlite belongs to one process: an upload still marked running was left by a server that stopped.
  const recovered =
    options.databaseKind === 'pglite'
      ? Promise.all([repository.requeueRunningUploads(options.db), repository.releaseWithdrawals(options.db)]).catch((error: unknown) =>
          options.log?.error({ err: error }, 'upload queue unavailable'),
        )
      : Promise.resolve();

  // The main lane: the oldest upload, or else a withdrawal. The other: small files only.
  const lanes = [async () => (await takeInNext()) || runOneWithdrawal(), () => takeInNext(options.smallFileMaxBytes ?? repository.smallFileMaxBytes)].map((step) => lane(step));

  /** A loop taking steps while there is work, sleeping until woken (or `pollMs`) when there is none. */
  function lane(step: () => Promise<boolean>) {
    // A wake that comes while the lane is looking for work must not be lost: the upload it announces may
    // have been committed after that look began, so the lane looks again before it sleeps or says it is idle.
    const state: Lane = { wakeRequested: false, sleeping: false, endSleep: () => undefined, done: Promise.resolve() };
    state.done = (async () => {
      await recovered;
      while (!stopping) {
        state.wakeRequested = false;
        let worked = false;
        try {
          worked = await step();
        } catch (error) {
          options.log?.error({ err: error }, 'upload queue unavailable');
        }
        if (worked || stopping || state.wakeRequested) continue;
        state.sleeping = true;
        if (lanes.every((other) => other.sleeping)) {
          for (const resolve of idleWaiters) resolve();
          idleWaiters = [];
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          timer.unref();
          state.endSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        state.sleeping = false;
        state.endSleep = () => undefined;
      }
    })();
    return state;
  }

  const wake = () => {
    for (const each of lanes) {
      each.wakeRequested = true;
      each.sleeping = false;
      each.endSleep();
    }
  };
  wakers.add(wake);
  return {
    wake,
    /** Resolves the next time both lanes find nothing to do. */
    idle: () => new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      wake();
    }),
    async stop() {
      stopping = true;
      wakers.delete(wake);
      wake();
      await Promise.all(lanes.map((each) => each.done));
      for (const resolve of idleWaiters) resolve();
    },
  };
}

/**
 * The upload worker on a thread of its own (`upload-thread.ts`), with its own connections: reading,
 * checking and matching a file then never holds up the thread that answers requests. A thread that dies is
 * started again (after 1 s, backing off to 30 s if it keeps dying); the upload it held is picked up once its
 * lease runs out.
 */
export function startUploadThread(config: Config, url: string, log: WorkerLog, entry = new URL('./upload-thread.ts', import.meta.url)): { stop(): Promise<void> } {
  let stopping = false;
  let thread: Worker | null = null;
  let restart: NodeJS.Timeout | undefined;
  let restartDelayMs = 0;
  const data: UploadThreadData = { config, url };
  const tell = (message: UploadThreadMessage) => thread?.postMessage(message);
  const launch = () => {
    const startedAt = Date.now();
    const started = new Worker(entry, { workerData: data });
    started.on('error', (error) => log.error({ err: error }, 'upload thread stopped by an unexpected error'));
    started.on('exit', () => {
      thread = null;
      if (stopping) return;
      // A thread that dies again within a minute of its restart waits twice as long, up to half a minute.
      const diedAgainSoon = restartDelayMs > 0 && Date.now() - startedAt < 60_000;
      restartDelayMs = diedAgainSoon ? Math.min(restartDelayMs * 2, 30_000) : 1000;
      restart = setTimeout(launch, restartDelayMs);
    });
    thread = started;
  };
  const wake = () => tell('wake');
  wakers.add(wake);
  launch();
  return {
    async stop() {
      stopping = true;
      wakers.delete(wake);
      clearTimeout(restart);
      if (!thread) return;
      const exited = once(thread, 'exit');
      tell('stop');
      await exited;
    },
  };
}

/** The background worker the server runs: on PostgreSQL on its own thread, on PGlite (which lives on the server's thread) beside the requests. */
export const uploadWorker: BackgroundWorker = {
  name: 'uploads',
  start(hub: Hub) {
    const log = workerLog(hub.config, 'uploads');
    if (hub.database.url) return startUploadThread(hub.config, hub.database.url, log);
    return startUploadWorker({ db: hub.database.backgroundDb, config: hub.config, databaseKind: hub.database.kind, log });
  },
};
