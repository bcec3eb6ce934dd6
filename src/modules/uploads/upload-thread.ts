// The upload worker on a thread of its own, started by the server on PostgreSQL (`upload-worker.ts`): it
// opens its own connections and takes 'wake' and 'stop' from the server's thread.

import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { workerLog } from '../../background-work.ts';
import { startUploadWorker } from './upload-worker.ts';

export type UploadThreadData = { config: Config; url: string };
export type UploadThreadMessage = 'wake' | 'stop';

const { config, url } = workerData as UploadThreadData;
const port = parentPort!;
const database = await openDatabase({ kind: 'postgres', url });
const worker = startUploadWorker({ db: database.db, config, databaseKind: 'postgres', log: workerLog(config, 'uploads') });

port.on('message', async (message: UploadThreadMessage) => {
  if (message === 'wake') {
    worker.wake();
    return;
  }
  await worker.stop();
  await database.close();
  port.close();
});
