import pino from 'pino';
import type { Config } from './config.ts';

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
