// What background workers share: a log that keeps rows out of it, and the shape of a worker that works every so often.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import type { Config } from './config.ts';
import type { Hub } from './hub.ts';
import type { BackgroundWorker } from './workers.ts';

export type WorkerLog = { error(details: object, message: string): void };

/** Error logs of a background worker: an error's message and code only, as a database error's detail can quote a row. */
export function workerLog(config: Pick<Config, 'logLevel'>, worker: string): WorkerLog {
  const logger = pino({ level: config.logLevel, base: { worker } });
  return {
    error: (details, message) => {
      const { err, ...rest } = details as { err?: unknown };
      const error = err instanceof Error ? { message: err.message, code: (err as { code?: string }).code } : undefined;
      logger.error({ ...rest, error }, message);
    },
  };
}

/**
 * A background worker that does a round of work when the server starts, then every `everyMs`: `start` prepares
 * what the rounds share and returns the round (`first`: the one at the start). A failed round is logged, with
 * `failed`, and tried again at the next.
 */
export function periodicWorker(options: {
  name: string;
  onlyOn?: BackgroundWorker['onlyOn'];
  log: string;
  everyMs: number;
  failed: string;
  start(hub: Hub): (first: boolean) => Promise<unknown>;
}): BackgroundWorker {
  return {
    name: options.name,
    ...(options.onlyOn ? { onlyOn: options.onlyOn } : {}),
    start(hub: Hub) {
      const log = workerLog(hub.config, options.log);
      const round = options.start(hub);
      const stopping = new AbortController();
      const loop = (async () => {
        for (let first = true; !stopping.signal.aborted; first = false) {
          try {
            await round(first);
          } catch (error) {
            log.error({ err: error }, options.failed);
          }
          await sleep(options.everyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
        }
      })();
      return {
        async stop() {
          stopping.abort();
          await loop;
        },
      };
    },
  };
}
